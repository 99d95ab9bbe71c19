"""Suggested moments from the phrase cues: prompts for a person to look, never verdicts.

Accept (Enter) turns one into a draft annotation quoting its words; Reject (Backspace)
records that it did not apply, and it is never suggested again for that span. Priority
welfare moments are listed first. A suggestion the reviewer has already coded (an
annotation of its category over the same moment, ``app.coverage``) is marked covered, in
words and in italics, and leaves the timeline's Suggested lane.
"""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import SuggestedMoment
from bwvreview.timecode import clock, span
from bwvreview.ui.table_model import Index, RecordTableModel
from bwvreview.ui.workers import SlicedJob


def _order(moment: SuggestedMoment) -> tuple[bool, int]:
    return not moment.priority, moment.start_ms


class SuggestionTableModel(RecordTableModel):
    COLUMNS = ("Time", "Worth a look", "Words")

    def __init__(self) -> None:
        super().__init__()
        self.covered: dict[int, str] = {}  # suggestion id -> label of the covering annotation

    def is_covered(self, moment: SuggestedMoment) -> bool:
        return moment.suggestion_id in self.covered and moment.state == "pending"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        moment: SuggestedMoment = self.rows[index.row()]
        covered = self.is_covered(moment)
        if role == Qt.ItemDataRole.DisplayRole:
            first = ("⚑ " if moment.priority else "") + moment.prompt
            if moment.state == "accepted":
                first += " (accepted)"
            elif covered:
                first = f"✓ Covered by your “{self.covered[moment.suggestion_id]}”"
            return (clock(moment.start_ms, tenths=True), first,
                    f"“{moment.text}”")[index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole:
            when = span(moment.start_ms, moment.end_ms)
            done = "\nAlready coded: nothing more to decide." if covered else ""
            return (f"{moment.label} · {when} · cue {moment.cue_id} · {moment.precision} "
                    f"precision{done}")  # fmt: skip
        if role == Qt.ItemDataRole.FontRole and covered:
            font = QFont()
            font.setItalic(True)
            return font
        return None


class SuggestionTable(QTableView):
    accept_requested = Signal()
    reject_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.reject_requested.emit()
            return
        super().keyPressEvent(event)


class SuggestionListWidget(QWidget):
    accept_requested = Signal(int)  # suggestion id
    reject_requested = Signal(int)
    jump_requested = Signal(int)  # ms
    shown_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.model = SuggestionTableModel()
        self.explain = QLabel(
            "Moments the phrase cues point to. They are prompts to look and listen, not "
            "judgements: you decide. Enter accepts, Backspace rejects."
        )
        self.explain.setWordWrap(True)
        self.status = QLabel()  # while the cues are being matched
        font = self.status.font()
        font.setItalic(True)
        self.status.setFont(font)
        self.status.hide()
        self.show_lane = QCheckBox("Show on the timeline")
        self.show_lane.setChecked(True)
        self.show_lane.toggled.connect(self.shown_changed)
        self.table = SuggestionTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # Rows are sized to their text a few at a time (measuring an hour's suggestions at
        # once took ~50 ms), and a decision changes one row, not the whole list.
        self._sizing: SlicedJob | None = None
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.accept_requested.connect(lambda: self._decide(self.accept_requested))
        self.table.reject_requested.connect(lambda: self._decide(self.reject_requested))
        accept = QPushButton("Accept")
        accept.clicked.connect(lambda: self._decide(self.accept_requested))
        reject = QPushButton("Not this time")
        reject.clicked.connect(lambda: self._decide(self.reject_requested))
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_lane)
        buttons.addStretch(1)
        buttons.addWidget(accept)
        buttons.addWidget(reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.explain)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_moments(self, moments: list[SuggestedMoment]) -> None:
        """Show ``moments``, priority welfare first (the selection stays on its moment)."""
        selected = self.current()
        self.model.set_rows(sorted(moments, key=_order))
        if selected is not None:
            self.select(selected.suggestion_id)
        if self._sizing is not None:
            self._sizing.cancel()
        rows = range(self.model.rowCount())
        self._sizing = SlicedJob((self.table.resizeRowToContents(r) for r in rows), parent=self)
        self._sizing.start()

    def set_covered(self, covered: dict[int, str]) -> None:
        """Mark these suggestions covered (by id: the label of the annotation that covers
        each); the rest are not."""
        if covered != self.model.covered:
            self.model.covered = dict(covered)
            if self.model.rowCount():
                last = self.model.index(self.model.rowCount() - 1, 2)
                self.model.dataChanged.emit(self.model.index(0, 0), last)

    def covered_ids(self) -> set[int]:
        return {m.suggestion_id for m in self.model.rows if self.model.is_covered(m)}

    def update_moment(self, moment: SuggestedMoment) -> None:
        """One moment was decided or taken back: a rejected one leaves the list (the next
        takes the selection), an accepted one says so, one taken back returns."""
        rows = self.model.rows
        row = next((i for i, m in enumerate(rows) if m.suggestion_id == moment.suggestion_id),
                   None)  # fmt: skip
        if row is not None and moment.state == "rejected":
            self.model.beginRemoveRows(QModelIndex(), row, row)
            del rows[row]
            self.model.endRemoveRows()
            if rows:
                self.table.selectRow(min(row, len(rows) - 1))
            return
        if row is not None:
            rows[row] = moment
            self.model.dataChanged.emit(self.model.index(row, 0), self.model.index(row, 2))
        elif moment.state != "rejected":
            row = bisect.bisect([_order(m) for m in rows], _order(moment))
            self.model.beginInsertRows(QModelIndex(), row, row)
            rows.insert(row, moment)
            self.model.endInsertRows()
            self.table.selectRow(row)
        if row is not None:
            self.table.resizeRowToContents(row)

    def current(self) -> SuggestedMoment | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def select(self, suggestion_id: int | None) -> bool:
        for row, moment in enumerate(self.model.rows):
            if moment.suggestion_id == suggestion_id:
                self.table.selectRow(row)
                return True
        return False

    def _decide(self, signal: Signal) -> None:
        moment = self.current()
        if moment is not None and moment.suggestion_id is not None:
            signal.emit(moment.suggestion_id)

    def _double_clicked(self, index: QModelIndex) -> None:
        self.jump_requested.emit(self.model.rows[index.row()].start_ms)
