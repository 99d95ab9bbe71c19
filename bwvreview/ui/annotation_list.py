"""The annotation list beside the player: sortable, filterable, double-click to jump.

Counts per principle lead with good practice: feedback is balanced, and what went well
is named first. Each row says its kind in a glyph and words (✓ Good practice, △ To learn
from, ◇ Context) beside a picture of its timeline chip, and its status in words (Draft,
Final, ● Shared), so what the officer can see is plain without colour. Time, kind and
status are sized to their longest value and the category gives way first, so the status
and the note stay in view in a narrow panel.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.polarity import POLARITY_LABELS, POLARITY_ORDER, polarity_label
from bwvreview.app.records import Annotation, Principle
from bwvreview.timecode import clock, span
from bwvreview.ui.kind_marks import STATUS_SHORT, kind_icon, kind_text, status_text
from bwvreview.ui.table_model import Index, RecordTableModel

# Sorting and filtering happen on the Python list (a QSortFilterProxyModel would call
# data() tens of thousands of times per refresh with thousands of annotations).
SORT_KEYS = (
    lambda a: (a.start_ms, a.id),
    lambda a: (POLARITY_ORDER.index(a.polarity) if a.polarity in POLARITY_ORDER else 9,
               a.start_ms),  # fmt: skip
    lambda a: (a.category_label.lower(), a.start_ms),
    lambda a: (a.status, a.start_ms),
    lambda a: (a.note.lower(), a.start_ms),
)
TIME, KIND, CATEGORY, STATUS, NOTE = range(5)
NOTE_MIN_PX = 110  # the note keeps at least this much; the category gives way first
CATEGORY_PX = (90, 220)


class AnnotationTableModel(RecordTableModel):
    """The shown rows: all annotations, filtered by principle and kind, in the chosen order."""

    COLUMNS = ("Time", "Kind", "Category", "Status", "Note")

    def __init__(self) -> None:
        super().__init__()
        self.everything: list[Annotation] = []
        self.principle: str | None = None
        self.polarity: str | None = None
        self.sort_column = 0
        self.sort_order = Qt.SortOrder.AscendingOrder

    @property
    def items(self) -> list[Annotation]:
        return self.rows

    def set_annotations(self, items: list[Annotation]) -> None:
        self.everything = list(items)
        self._rebuild()

    def set_filter(self, principle: str | None, polarity: str | None) -> None:
        self.principle, self.polarity = principle, polarity
        self._rebuild()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._rebuild()

    def _rebuild(self) -> None:
        rows = [
            a
            for a in self.everything
            if (not self.principle or self.principle in a.principles)
            and (not self.polarity or a.polarity == self.polarity)
        ]
        rows.sort(key=SORT_KEYS[self.sort_column],
                  reverse=self.sort_order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (clock(a.start_ms, tenths=True), kind_text(a.polarity), a.category_label,
                    STATUS_SHORT.get(a.status, a.status),
                    a.note.splitlines()[0] if a.note else "")[column]  # fmt: skip
        if role == Qt.ItemDataRole.DecorationRole and column == CATEGORY:
            return kind_icon(a.polarity, a.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a, column)
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        return None


    @staticmethod
    def _tooltip(a: Annotation, column: int) -> str | None:
        if column == TIME:
            return span(a.start_ms, a.end_ms) if a.end_ms > a.start_ms else None
        if column == STATUS:
            return status_text(a.status)
        if column == KIND:
            return polarity_label(a.polarity)
        return a.quote or a.note or a.category_label


def principle_counts(items: list[Annotation], principles: tuple[Principle, ...]) -> str:
    """``Safety: 2 good, 1 to learn from · …`` with good practice first."""
    parts = []
    for principle in principles:
        count = Counter(a.polarity for a in items if principle.key in a.principles)
        if count:
            parts.append(f"{principle.label}: {count['good_practice']} good, "
                         f"{count['concern']} to learn from")  # fmt: skip
    return " · ".join(parts) or "No annotations yet."


class AnnotationListWidget(QWidget):
    jump_requested = Signal(int)  # ms
    annotation_selected = Signal(object)  # id or None

    def __init__(self, principles: tuple[Principle, ...]) -> None:
        super().__init__()
        self.principles = principles
        self.model = AnnotationTableModel()
        self.principle_filter = QComboBox()
        self.principle_filter.addItem("All principles", None)
        for principle in principles:
            self.principle_filter.addItem(principle.label, principle.key)
        self.polarity_filter = QComboBox()
        self.polarity_filter.addItem("Every kind", None)
        for key in POLARITY_ORDER:
            self.polarity_filter.addItem(POLARITY_LABELS[key], key)
        for combo in (self.principle_filter, self.polarity_filter):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.table = QTableView()
        self.table.setWordWrap(False)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # Widths from the longest value each column can hold: sizing to contents reads
        # every row, thousands of times per refresh.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics, pad = self.table.fontMetrics(), 18
        widest = lambda texts: max(metrics.horizontalAdvance(t) for t in texts) + pad  # noqa: E731
        self.fixed_widths = {
            TIME: widest(["0:00:00.0", "Time"]),
            KIND: widest([kind_text(k) for k in POLARITY_ORDER]),
            STATUS: widest([*STATUS_SHORT.values(), "Status"]),
        }
        for column, width in self.fixed_widths.items():
            header.resizeSection(column, width)
        header.resizeSection(CATEGORY, CATEGORY_PX[1])
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.principle_filter)
        filters.addWidget(self.polarity_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.fit_columns()  # the viewport's width is only known for sure once shown

    def fit_columns(self) -> None:
        """The category takes what the time, kind, status and note leave."""
        room = self.table.viewport().width() - sum(self.fixed_widths.values()) - NOTE_MIN_PX
        low, high = CATEGORY_PX
        self.table.horizontalHeader().resizeSection(CATEGORY, min(high, max(low, room)))

    def set_annotations(self, items: list[Annotation], selected: int | None = None) -> None:
        self.model.set_annotations(items)
        self.counts.setText(principle_counts(items, self.principles))
        if selected is not None:
            self.select(selected)

    def select(self, annotation_id: int | None) -> None:
        for row, item in enumerate(self.model.items):
            if item.id == annotation_id:
                self.table.selectRow(row)
                return
        self.table.clearSelection()

    def _filter_changed(self) -> None:
        self.model.set_filter(
            self.principle_filter.currentData(), self.polarity_filter.currentData()
        )

    def _double_clicked(self, index: QModelIndex) -> None:
        item = self.model.items[index.row()]
        self.jump_requested.emit(item.start_ms)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.annotation_selected.emit(None)
            return
        self.annotation_selected.emit(self.model.items[current.row()].id)
