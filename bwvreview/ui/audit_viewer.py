"""The audit log for admins: who did what and when, in plain words, filtered and paged, with
the hash chain verified on demand (a changed or deleted event is named, and shown).

Each event reads as a sentence ("Approved a clip for trainers"), its details as ``Key:
value`` (``app.audit_words``), in the table and, for the chosen event, in full below it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview import app
from bwvreview.app import admin
from bwvreview.app.audit_words import action_words, category_labels, detail_lines, object_words
from bwvreview.app.errors import DomainError
from bwvreview.app.records import AuditEntry, AuditFilter, ChainReport
from bwvreview.ui.table_model import Index, RecordTableModel
from bwvreview.ui.window_size import resize_within_screen

BROKEN_ROW = ("#1A1A1A", "#F6C9C4")  # the changed or deleted event, on a warm red
INTACT = ("#1B5E20", "#E8F5E9")
BROKEN_CHAIN = ("#8E1B14", "#FBE3E0")
BROKEN = QColor(BROKEN_ROW[1])
CONTRAST_PAIRS = {
    "broken event row": BROKEN_ROW,
    "chain intact": INTACT,
    "chain broken": BROKEN_CHAIN,
}  # fmt: skip  (tests/ui/test_views_contrast.py)


class AuditTableModel(RecordTableModel):
    COLUMNS = ("#", "Time (UTC)", "Who", "What happened", "About", "Details")

    def __init__(self) -> None:
        super().__init__()
        self.broken_id: int | None = None
        self.categories: dict[str, str] = {}  # category key → the codebook's label

    def lines(self, event: AuditEntry) -> list[str]:
        return detail_lines(event.details, self.categories)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        event: AuditEntry = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(event.id), f"{event.at:%d %b %Y %H:%M:%S}", event.actor,
                    action_words(event.action), object_words(event),
                    " · ".join(self.lines(event)))[index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([action_words(event.action), *self.lines(event)])
        if event.id == self.broken_id:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(BROKEN)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(BROKEN_ROW[0]))
        return None


class AuditViewer(QWidget):
    """Needs READ_AUDIT: constructing it with another user's database raises PermissionDenied."""

    def __init__(self, db: app.Database, page_size: int = admin.PAGE_SIZE) -> None:
        super().__init__()
        self.db = db
        self.page_size = page_size
        self.offset = 0
        self.total = 0
        self.setWindowTitle("bwvreview — audit log")
        self.model = AuditTableModel()
        self._build()
        self.reload_facets()
        self.refresh()

    def _build(self) -> None:
        self.actor = QComboBox()
        self.action = QComboBox()
        self.since = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.until = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        for edit in (self.since, self.until):
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setSpecialValueText("any date")
            edit.setDate(edit.minimumDate())
            edit.dateChanged.connect(self._filters_changed)
        for combo in (self.actor, self.action):
            combo.currentIndexChanged.connect(self._filters_changed)
        filters = QHBoxLayout()
        for label, widget in (("Actor", self.actor), ("Action", self.action),
                              ("From", self.since), ("to", self.until)):  # fmt: skip
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        self.verify_button = QPushButton("Verify chain")
        self.verify_button.setToolTip("Check that no event was changed or deleted")
        self.verify_button.clicked.connect(self.verify)
        filters.addWidget(self.verify_button)

        self.result = QLabel("The chain has not been checked in this window yet.")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_broken = QPushButton("Show that event")
        self.show_broken.hide()
        self.show_broken.clicked.connect(self.show_broken_event)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result, 1)
        result_row.addWidget(self.show_broken)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_details())
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setPlaceholderText("Choose an event to read all of its details.")
        self.details.setMinimumHeight(60)
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(self.table)
        lower.addWidget(self.details)
        lower.setStretchFactor(0, 4)
        lower.setStretchFactor(1, 1)

        self.newer = QPushButton("◀ Newer")
        self.older = QPushButton("Older ▶")
        self.newer.clicked.connect(lambda: self.go_to(self.offset - self.page_size))
        self.older.clicked.connect(lambda: self.go_to(self.offset + self.page_size))
        self.position = QLabel()
        paging = QHBoxLayout()
        paging.addWidget(self.newer)
        paging.addWidget(self.position)
        paging.addWidget(self.older)
        paging.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(result_row)
        layout.addWidget(lower, 1)
        layout.addLayout(paging)

    # --- reading ---------------------------------------------------------------------------
    def reload_facets(self) -> None:
        actors, actions = admin.audit_facets(self.db)
        for combo, anyone, values in ((self.actor, "Anyone", actors),
                                      (self.action, "Any action", actions)):  # fmt: skip
            combo.blockSignals(True)
            current = combo.currentData()
            combo.clear()
            combo.addItem(anyone, None)
            words = action_words if combo is self.action else str
            for value in sorted(values, key=words) if combo is self.action else values:
                combo.addItem(words(value), value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def filters(self) -> AuditFilter:
        def day(edit: QDateEdit) -> dt.date | None:
            return None if edit.date() == edit.minimumDate() else edit.date().toPython()

        return AuditFilter(actor=self.actor.currentData(), action=self.action.currentData(),
                           since=day(self.since), until=day(self.until))  # fmt: skip

    def _filters_changed(self) -> None:
        self.go_to(0)

    def refresh(self) -> None:
        self.go_to(self.offset)

    def go_to(self, offset: int) -> None:
        page = admin.audit_events(self.db, self.filters(), offset=max(0, offset),
                                  limit=self.page_size)  # fmt: skip
        self.offset, self.total = page.offset, page.total
        self.model.categories = category_labels(self.db)  # a codebook installed meanwhile too
        self.model.set_rows(page.entries)
        last = self.offset + len(page.entries)
        self.position.setText(f"{self.offset + 1 if page.entries else 0}–{last} of {self.total}")
        self.newer.setEnabled(self.offset > 0)
        self.older.setEnabled(last < self.total)
        self._show_details()

    def _show_details(self) -> None:
        """The chosen event in full: what happened, who, when, about what, then each detail."""
        event = self.selected_event()
        if event is None:
            self.details.clear()
            return
        lines = [f"{action_words(event.action)}, by {event.actor}, {event.at:%d %b %Y %H:%M:%S}"
                 f" UTC ({object_words(event)})", *self.model.lines(event),
                 f"Recorded as: {event.action}"]  # fmt: skip
        self.details.setPlainText("\n".join(lines))

    # --- verifying -------------------------------------------------------------------------
    def verify(self) -> ChainReport:
        report = admin.verify_audit(self.db)
        self.model.broken_id = report.broken.id if report.broken else None
        fg, bg = INTACT if report.ok else BROKEN_CHAIN
        mark = "✓" if report.ok else "✗"
        self.result.setStyleSheet(f"color: {fg}; background: {bg}; padding: 4px;")
        self.result.setText(f"<b>{mark}</b> {report.summary}")
        self.show_broken.setVisible(not report.ok and report.broken is not None)
        self.reload_facets()
        self.refresh()
        if not report.ok and report.broken is not None:
            self.show_broken_event()
        return report

    def show_broken_event(self) -> None:
        """Clear the filters and show the page holding the broken event, selected."""
        event_id = self.model.broken_id
        if event_id is None:
            return
        for combo in (self.actor, self.action):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for edit in (self.since, self.until):
            edit.blockSignals(True)
            edit.setDate(edit.minimumDate())
            edit.blockSignals(False)
        index = admin.audit_offset_of(self.db, event_id)
        self.go_to(index - index % self.page_size)
        for row, event in enumerate(self.model.rows):
            if event.id == event_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

    def selected_event(self) -> AuditEntry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()]


def open_audit_viewer(db: app.Database, parent: QWidget | None = None) -> AuditViewer | None:
    """Show the audit log, or say why not (only admins may read it)."""
    try:
        viewer = AuditViewer(db)
    except DomainError as exc:
        QMessageBox.warning(parent, "Audit log", str(exc))
        return None
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is not None:  # its own window, kept alive (and closed) with the parent
        viewer.setParent(parent, viewer.windowFlags() | Qt.WindowType.Window)
    resize_within_screen(viewer, 1280, 680)
    viewer.show()
    return viewer
