"""The annotation list beside the player: sortable, filterable, double-click to jump.

Counts per principle lead with good practice: feedback is balanced, and what went well
is named first.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
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

from bwvreview.annotations.codebook import Principle
from bwvreview.annotations.review import Annotation
from bwvreview.ui.library_model import format_duration
from bwvreview.ui.table_model import Index, RecordTableModel

POLARITY_LABELS = {"good_practice": "Good practice", "concern": "To learn from",
                   "observation": "Observation"}  # fmt: skip
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class AnnotationTableModel(RecordTableModel):
    COLUMNS = ("Start", "End", "Category", "Kind", "Status", "Note")

    @property
    def items(self) -> list[Annotation]:
        return self.rows

    def set_annotations(self, items: list[Annotation]) -> None:
        self.set_rows(items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (format_duration(a.start_ms), format_duration(a.end_ms), a.category_label,
                    POLARITY_LABELS.get(a.polarity, a.polarity), a.status,
                    a.note.splitlines()[0] if a.note else "")[column]  # fmt: skip
        if role == SORT_ROLE:
            return (a.start_ms, a.end_ms, a.category_label, a.polarity, a.status, a.note)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return a.quote or a.note or None
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        return None


class AnnotationFilterProxy(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.principle: str | None = None
        self.polarity: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_filter(self, principle: str | None, polarity: str | None) -> None:
        self.principle, self.polarity = principle, polarity
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, AnnotationTableModel)
        item = model.items[row]
        if self.principle and self.principle not in item.principles:
            return False
        return not (self.polarity and item.polarity != self.polarity)


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
        self.proxy = AnnotationFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.principle_filter = QComboBox()
        self.principle_filter.addItem("All principles", None)
        for principle in principles:
            self.principle_filter.addItem(principle.label, principle.key)
        self.polarity_filter = QComboBox()
        self.polarity_filter.addItem("Good practice and concerns", None)
        for key, label in POLARITY_LABELS.items():
            self.polarity_filter.addItem(label, key)
        for combo in (self.principle_filter, self.polarity_filter):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # Fixed widths: sizing to contents reads every row, thousands of times per refresh.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((60, 60, 200, 110, 70)):
            header.resizeSection(column, width)
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

    def set_annotations(self, items: list[Annotation], selected: int | None = None) -> None:
        self.model.set_annotations(items)
        self.counts.setText(principle_counts(items, self.principles))
        if selected is not None:
            self.select(selected)

    def select(self, annotation_id: int | None) -> None:
        for row, item in enumerate(self.model.items):
            if item.id == annotation_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectRow(index.row())
                return
        self.table.clearSelection()

    def _filter_changed(self) -> None:
        self.proxy.set_filter(
            self.principle_filter.currentData(), self.polarity_filter.currentData()
        )

    def _double_clicked(self, index: QModelIndex) -> None:
        item = self.model.items[self.proxy.mapToSource(index).row()]
        self.jump_requested.emit(item.start_ms)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.annotation_selected.emit(None)
            return
        self.annotation_selected.emit(self.model.items[self.proxy.mapToSource(current).row()].id)
