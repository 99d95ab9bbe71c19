"""A part of a window that scrolls rather than make the window taller than a laptop's
screen (1366×768, or 125 % scaling)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class _Page(QWidget):
    """What the scroll area scrolls. Asked its height for a width, it gives its least, not
    its preferred: a scroll area takes the answer as the page's minimum, and wrapped words
    inside made it scroll with room to spare."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.layout().minimumHeightForWidth(width)


def scrolling(inner: QWidget) -> QScrollArea:
    """``inner`` in a frameless scroll area that scrolls up and down, never sideways: it
    takes the area's width, and scrolls only below its own minimum height."""
    page = _Page()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(inner)
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
