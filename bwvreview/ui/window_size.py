"""A window's first size, never larger than the screen it opens on.

A police laptop is often 1366×768, and at 125 % scaling Qt has 1092×614 logical pixels of
it, less the taskbar. A window that asks for more opens with its buttons off the screen.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

MARGIN_PX = 24  # room for the window's frame


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to ``width``×``height``, or to what the screen has room for if that is less."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    room = screen.availableGeometry()
    window.resize(min(width, room.width() - MARGIN_PX), min(height, room.height() - MARGIN_PX))


def scrolling(page: QWidget) -> QScrollArea:
    """``page`` in a scroll area: it scrolls on a short screen rather than pushing its
    buttons off it, and its own minimum size no longer sets the window's."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
