"""Search the library: a query box, filters, and the moments found; Enter or a double-click
opens the review at that moment.

The search runs on the thread pool (``search.search`` opens its own session there), a
short pause after the last keystroke; a result that arrives after a newer search started
is dropped. The rules of what each role may find live in ``annotations/search.py``; this
panel only hides the filters that cannot apply (an officer's own incidents need no officer
filter; a trainer finds annotations only).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QRectF, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview import app
from bwvreview.app import search
from bwvreview.app.admin import READ_FOOTAGE
from bwvreview.app.errors import DomainError
from bwvreview.app.polarity import POLARITY_ORDER
from bwvreview.app.records import STATUS_LABELS, Codebook
from bwvreview.timecode import clock
from bwvreview.ui.kind_marks import kind_text
from bwvreview.ui.table_model import Index, RecordTableModel
from bwvreview.ui.window_size import resize_within_screen
from bwvreview.ui.workers import GeneratorWorker, start_worker

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 1
HINT = ('Type words to find in transcripts and notes: "a phrase", calm* for any ending, '
        "OR for either, -word to leave a word out.")  # fmt: skip


def snippet_html(hit: search.SearchHit) -> str:
    return "".join(f"<b>{html.escape(text)}</b>" if matched else html.escape(text)
                   for text, matched in hit.parts())  # fmt: skip


PRACTICE_WORDS = {"observation": "Observation", "ppn1": "PPN1 review", "session": "Session record"}


def describe(hit: search.SearchHit) -> str:
    if hit.kind == search.PRACTICE:
        words = PRACTICE_WORDS.get(hit.record or "", hit.record or "")
        return f"{words} (in the PPN1 itself)" if hit.in_ppn1_text else words
    if hit.kind == "transcript":
        return "Said by the officer" if hit.speaker == "wearer" else "Said"
    return f"{kind_text(hit.polarity) if hit.polarity else ''}: {hit.category_label}"


class SearchHitTableModel(RecordTableModel):
    COLUMNS = ("Incident", "At", "What", "Found")

    def hit_at(self, row: int) -> search.SearchHit:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit: search.SearchHit = self.rows[index.row()]
        column = index.column()
        if role == SNIPPET_ROLE and column == 3:
            return snippet_html(hit)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return "".join(text for text, _ in hit.parts())
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            if hit.recording_id is None:  # a practice record: its incident, if it has one
                return hit.incident_reference or "—"
            return hit.incident_reference or f"Recording {hit.recording_id}"
        if column == 1:
            return clock(hit.start_ms, tenths=True)
        if column == 2:
            return describe(hit)
        return "".join(text for text, _ in hit.parts())


class SnippetDelegate(QStyledItemDelegate):
    """Draws the snippet with its matched words in bold."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: ANN001
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = index.data(SNIPPET_ROLE) or ""
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        selected = option.state & QStyle.StateFlag.State_Selected
        colour = option.palette.highlightedText() if selected else option.palette.text()
        document.setDefaultStyleSheet(f"body {{ color: {colour.color().name()}; }}")
        document.setHtml(f"<body>{text}</body>")
        painter.save()
        top = max(0.0, (option.rect.height() - document.size().height()) / 2)
        painter.translate(option.rect.left(), option.rect.top() + top)
        document.drawContents(painter, QRectF(0, 0, option.rect.width(), option.rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))


@dataclass(frozen=True)
class Outcome:
    """What one search brought back: its hits, or the message to show instead."""

    serial: int
    hits: list[search.SearchHit]
    ms: float
    error: str | None = None


def _search_steps(db: app.Database, serial: int, query: str,
                  filters: dict[str, Any]) -> Generator[None, None, Outcome]:  # fmt: skip
    """``search.search`` as a generator for ``GeneratorWorker``."""
    started = time.perf_counter()
    try:
        hits = search.search(db, query, **filters)
    except DomainError as exc:
        return Outcome(serial, [], 0.0, str(exc))
    except Exception as exc:  # noqa: BLE001 - shown in the panel, logged
        log.error("search failed", exc_info=exc)
        return Outcome(serial, [], 0.0, f"The search did not work ({exc.__class__.__name__}).")
    return Outcome(serial, hits, (time.perf_counter() - started) * 1000)
    yield  # makes this a generator: the worker runs it on the pool


class SearchPanel(QWidget):
    moment_requested = Signal(int, int)  # recording id, start ms
    record_requested = Signal(str, int)  # a practice record: "observation" | "ppn1" | "session", id
    searched = Signal(int)  # hits shown (tests and the status line wait on it)
    search_failed = Signal(str)

    def __init__(self, db: app.Database, codebook: Codebook, pool: QThreadPool | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("bwvreview — search")
        self.db = db
        self.codebook = codebook
        self.pool = pool or QThreadPool.globalInstance()
        self.serial = 0
        self.workers: dict[int, GeneratorWorker] = {}
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self.run_search)
        self._build()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        principal = self.db.principal
        self.query = QLineEdit(placeholderText="Search transcripts and notes…")
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(self._changed)
        self.query.returnPressed.connect(self.run_search)
        categories = [(c.label, c.key) for c in self.codebook.categories]
        principles = [(p.label, p.key) for p in self.codebook.principles]
        polarities = [(kind_text(key), key) for key in POLARITY_ORDER]
        self.category = self._combo("Any category", categories)
        self.principle = self._combo("Any principle", principles)
        self.polarity = self._combo("Every kind", polarities)
        self.status = self._combo("Any status", [(v, k) for k, v in STATUS_LABELS.items()])
        kinds = [("Said (transcripts)", "transcript"), ("Noted (annotations)", "annotation"),
                 ("Practice records (observations, PPN1s, sessions)", search.PRACTICE)]
        self.kind = self._combo("Said and noted", kinds)
        self.officer = QLineEdit(placeholderText="Collar number")
        self.officer.setToolTip("Only incidents of the officer with this collar number")
        self.officer.textChanged.connect(self._changed)
        self.date_from = self._date_edit("On or after")
        self.date_to = self._date_edit("On or before")
        # An officer searches their own incidents anyway; a trainer finds annotations only.
        self.officer.setVisible(principal.can(READ_FOOTAGE))
        self.kind.setVisible(principal.can(READ_FOOTAGE) or principal.is_officer)

        filters = QHBoxLayout()
        for widget in (self.category, self.principle, self.polarity, self.kind):
            filters.addWidget(widget)
        filters.addStretch(1)
        more = QHBoxLayout()
        more.addWidget(self.officer)
        more.addWidget(self.status)
        more.addWidget(QLabel("from"))
        more.addWidget(self.date_from)
        more.addWidget(QLabel("to"))
        more.addWidget(self.date_to)
        more.addStretch(1)

        self.model = SearchHitTableModel()
        self.results = QTableView()
        self.results.setModel(self.model)
        self.results.setItemDelegateForColumn(3, SnippetDelegate(self.results))
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.results.activated.connect(self._activated)  # Enter or a double-click
        self.message = QLabel(HINT)
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addLayout(filters)
        layout.addLayout(more)
        layout.addWidget(self.message)
        layout.addWidget(self.results, 1)

    def _combo(self, anything: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(anything, None)
        for label, key in choices:
            combo.addItem(label, key)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    def _date_edit(self, tip: str) -> QDateEdit:
        edit = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        edit.setToolTip(f"Incident date: {tip.lower()}")
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setSpecialValueText("any date")
        edit.setDate(edit.minimumDate())
        edit.dateChanged.connect(self._changed)
        return edit

    # --- what the panel asks for ------------------------------------------------------------
    def filters(self) -> dict[str, Any]:
        def day(edit: QDateEdit) -> dt.date | None:
            return None if edit.date() == edit.minimumDate() else edit.date().toPython()

        def one(combo: QComboBox) -> tuple[str, ...]:
            return (combo.currentData(),) if combo.currentData() else ()

        officer = self.officer.text().strip() if not self.officer.isHidden() else ""
        return {
            "categories": one(self.category), "principles": one(self.principle),
            "polarity": self.polarity.currentData(), "statuses": one(self.status),
            "officer": officer or None, "date_from": day(self.date_from),
            "date_to": day(self.date_to), "kinds": one(self.kind) or search.KINDS,
        }  # fmt: skip

    def set_query(self, text: str) -> None:
        self.query.setText(text)

    def _changed(self, *_args: object) -> None:
        self.debounce.start()

    def run_search(self) -> None:
        """Search now with what the box and filters say (a newer search drops older ones)."""
        self.debounce.stop()
        self.serial += 1
        text = self.query.text()
        if not text.strip():
            self.model.set_rows([])
            self.message.setText(HINT)
            return
        serial, filters, db = self.serial, self.filters(), self.db  # read on the GUI thread
        self.message.setText("Searching…")
        # a bound method of this widget: delivered on the GUI thread (a lambda would run on
        # the worker's thread)
        steps = lambda _cancel: _search_steps(db, serial, text, filters)  # noqa: E731
        self.workers[serial] = start_worker(steps, finished=self._arrived, pool=self.pool)

    def _arrived(self, outcome: Outcome) -> None:
        self.workers.pop(outcome.serial, None)
        if outcome.serial != self.serial:
            return  # a newer search has started since
        self.model.set_rows(outcome.hits)
        if outcome.error is not None:
            self.message.setText(outcome.error)
            self.search_failed.emit(outcome.error)
            return
        hits = outcome.hits
        if hits:
            found = f"{len(hits)} moment{'' if len(hits) == 1 else 's'} found"
            more = " (the best ones; narrow the search to see others)" if len(hits) >= 50 else ""
            self.message.setText(f"{found} in {outcome.ms:.0f} ms{more}. "
                                 "Enter or double-click opens the review there.")  # fmt: skip
            self.results.setCurrentIndex(self.model.index(0, 0))
        else:
            self.message.setText("Nothing found. Try fewer words, or calm* for any ending.")
        self.searched.emit(len(hits))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            hit = self.model.hit_at(index.row())
            if hit.recording_id is None:  # a practice record (practice_menu opens it)
                self.record_requested.emit(hit.record or "", hit.record_id or 0)
                return
            self.moment_requested.emit(hit.recording_id, hit.start_ms)


def open_search_window(db: app.Database, codebook: Codebook,
                       parent: QWidget) -> tuple[SearchPanel, bool]:  # fmt: skip
    """The parent's search window, made on first use; ``True`` when it was just made."""
    existing = parent.findChild(SearchPanel)
    if existing is not None:
        existing.show()
        existing.raise_()
        existing.activateWindow()
        existing.query.setFocus()
        return existing, False
    panel = SearchPanel(db, codebook, parent=parent)
    panel.setWindowFlags(panel.windowFlags() | Qt.WindowType.Window)
    resize_within_screen(panel, 1000, 640)
    panel.show()
    panel.query.setFocus()
    return panel, True
