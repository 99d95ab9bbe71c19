"""The transcript of a recording: who spoke, what they said, and which words to check.

Words Whisper was unsure of are underlined in amber with their confidence in a tooltip.
``W`` switches the selected line between the officer wearing the camera and the other
speaker (the panel only asks; the controller changes the data).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.records import Segment, Transcript
from bwvreview.app.review import speaker_label
from bwvreview.timecode import clock
from bwvreview.ui.palette import LOW_CONFIDENCE_TEXT
from bwvreview.ui.table_model import Index, RecordTableModel

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
LOW_CONFIDENCE_COLOUR = LOW_CONFIDENCE_TEXT  # underlined too: not colour alone
LOW_CONFIDENCE_STYLE = f"text-decoration: underline; color: {LOW_CONFIDENCE_COLOUR};"


def segment_html(segment: Segment) -> str:
    parts = []
    for word in segment.words:
        space = " " if word.text.startswith(" ") else ""
        text = html.escape(word.text.strip())
        if word.low_confidence:
            text = f'<span style="{LOW_CONFIDENCE_STYLE}">{text}</span>'
        parts.append(space + text)
    return "".join(parts).strip() or html.escape(segment.text)


class TranscriptTableModel(RecordTableModel):
    COLUMNS = ("Time", "Speaker", "What was said")

    @property
    def segments(self) -> list[Segment]:
        return self.rows

    def set_transcript(self, transcript: Transcript | None) -> None:
        self.set_rows(transcript.segments if transcript else [])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        segment = self.segments[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (clock(segment.start_ms, tenths=True), speaker_label(segment.speaker),
                    segment.text)[column]  # fmt: skip
        if role == HTML_ROLE and column == 2:
            return segment_html(segment)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            unsure = [f"“{w.text.strip()}” {w.probability:.0%}" for w in segment.words
                      if w.low_confidence]  # fmt: skip
            return "Words to check: " + ", ".join(unsure) if unsure else None
        if role == Qt.ItemDataRole.UserRole:
            return segment.id
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints the HTML of a cell (for the marked words) and sizes the row to fit it."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if index.data(HTML_ROLE) is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.translate(option.rect.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = option.state & QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        if index.data(HTML_ROLE) is None:
            return super().sizeHint(option, index)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class TranscriptTable(QTableView):
    toggle_speaker_requested = Signal(int)  # segment id

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # W, or Ctrl+Shift+W as in the review workspace (where plain letters code)
        both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if event.key() == Qt.Key.Key_W and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                                 both):  # fmt: skip
            for index in self.selectionModel().selectedRows():
                self.toggle_speaker_requested.emit(index.data(Qt.ItemDataRole.UserRole))
            return
        super().keyPressEvent(event)


class TranscriptPanel(QWidget):
    toggle_speaker_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel("Not transcribed yet.")
        self.summary.setWordWrap(True)
        self.model = TranscriptTableModel()
        self.table = TranscriptTable()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(2, HtmlDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.toggle_speaker_requested.connect(self.toggle_speaker_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_transcript(
        self, transcript: Transcript | None, selected_id: int | None = None
    ) -> None:
        self.model.set_transcript(transcript)
        self.table.resizeRowsToContents()
        if transcript is None:
            self.summary.setText("Not transcribed yet. Choose Transcribe (Ctrl+T).")
            return
        words = len(transcript.words)
        confidence = transcript.speaker_confidence
        guess = f"speakers guessed with {confidence:.0%} confidence" if confidence else ""
        self.summary.setText(
            f"{len(transcript.segments)} lines, {words} words · "
            f"{transcript.low_confidence_share:.0%} of words to check (underlined) · {guess}. "
            "Press W on a line to switch it between the officer and the other speaker."
        )
        if selected_id is not None:
            for row, segment in enumerate(self.model.segments):
                if segment.id == selected_id:
                    self.table.selectRow(row)
