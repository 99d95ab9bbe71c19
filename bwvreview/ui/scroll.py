"""A part of a window that scrolls rather than make the window taller than a laptop's
screen (1366×768, or 125 % scaling)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scrolling(inner: QWidget) -> QScrollArea:
    """``inner`` in a frameless scroll area that scrolls up and down, never sideways: it
    takes the area's width and keeps its own minimum height."""
    area = QScrollArea()
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
