"""A window's first size, never larger than the screen it opens on.

A police laptop is often 1366×768, and at 125 % scaling Qt has 1092×614 logical pixels of
it, less the taskbar. A window that asks for more opens with its buttons off the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

MARGIN_PX = 24  # room for the window's frame


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to ``width``×``height``, or to what the screen has room for if that is less."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    room = screen.availableGeometry()
    window.resize(min(width, room.width() - MARGIN_PX), min(height, room.height() - MARGIN_PX))


class _Page(QWidget):
    """What a scroll area scrolls. Asked its height for a width, it gives its least, not its
    preferred: a scroll area takes the answer as the page's minimum, and wrapped words
    inside made a page scroll with room to spare."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.layout().minimumHeightForWidth(width)


def scrolling(page: QWidget, *, sideways: bool = True) -> QScrollArea:
    """``page`` in a scroll area: it scrolls on a short screen rather than pushing its
    buttons off it, and its own minimum size no longer sets the window's. It scrolls only
    below its least height; with ``sideways=False`` never sideways (it takes the area's
    width, for pages of wrapped words)."""
    holder = _Page()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(page)
    area = QScrollArea()
    area.setWidget(holder)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if not sideways:
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
