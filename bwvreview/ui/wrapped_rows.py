"""List rows whose words wrap to the list's width, each row as tall as its words.

Qt's own wrapping in a ``QListWidget`` measured a row at one width and painted it at another
(item padding from a style sheet is left out), so the last line of a long row was lost.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QListWidget, QStyle, QStyledItemDelegate, QStyleOptionViewItem

WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
Index = QModelIndex | QPersistentModelIndex


class WrappedRows(QStyledItemDelegate):
    """Rows of a ``QListWidget`` that wrap to its width (it is measured again when resized;
    it never scrolls sideways)."""

    PAD = 4

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view
        view.setWordWrap(True)
        view.setResizeMode(QListWidget.ResizeMode.Adjust)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _text_rect(self, width: int, text: str, font: QFont) -> QRect:
        bounds = QRect(0, 0, max(width - 2 * self.PAD, 40), 100_000)
        return QFontMetrics(font).boundingRect(bounds, WRAP, text)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        width = self.view.viewport().width() - 2 * self.view.spacing()
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        return QSize(width, self._text_rect(width, text, font).height() + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        text, option.text = option.text, ""
        style = self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, self.view)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        painter.save()
        painter.setFont(option.font)
        painter.setPen(option.palette.color(role) if selected or foreground is None
                       else foreground.color())  # fmt: skip
        pad = self.PAD
        painter.drawText(option.rect.adjusted(pad, pad, -pad, -pad), WRAP, text)
        painter.restore()
