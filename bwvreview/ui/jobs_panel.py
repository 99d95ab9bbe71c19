"""The batch jobs panel: queued, running and failed work, with progress and Cancel.

The panel reads the shared queue every couple of seconds on the thread pool (never on the
GUI thread: on a team server a read can take a while) and shows what it got. Cancel also
runs on the pool; the worker running the job sees it at its next heartbeat and stops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QThreadPool, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import jobs
from bwvreview.app.records import JobRecord
from bwvreview.ui.table_model import Index, RecordTableModel
from bwvreview.ui.workers import GeneratorWorker, call_in_background

REFRESH_MS = 2000
SHOWN_STATES = ("queued", "running", "failed")
KIND_LABELS = {"transcribe": "Transcription", "export": "Clip export"}
STATE_LABELS = {"queued": "Waiting", "running": "Running", "failed": "Failed",
                "done": "Done", "cancelled": "Cancelled"}  # fmt: skip
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1


class JobsTableModel(RecordTableModel):
    COLUMNS = ("Job", "Work", "Recording", "State", "Progress", "Worker", "Message")
    PROGRESS_COLUMN = 4

    def set_jobs(self, listed: Sequence[JobRecord]) -> None:
        """Show ``listed``; the same jobs in the same order are updated in place (the
        selection and scroll position stay), anything else resets the table."""
        if [j.id for j in listed] == [j.id for j in self.rows]:
            self.rows = list(listed)
            if self.rows:
                last = self.index(len(self.rows) - 1, len(self.COLUMNS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
        else:
            self.set_rows(listed)

    def job_at(self, row: int) -> JobRecord:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job: JobRecord = self.rows[index.row()]
        column = index.column()
        if role == PROGRESS_ROLE:
            return job.progress if job.state == "running" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return job.message or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            str(job.id),
            KIND_LABELS.get(job.kind, job.kind),
            job.recording_name or "—",
            STATE_LABELS.get(job.state, job.state),
            f"{job.progress:.0%}" if job.state == "running" else "",
            job.worker or "—",
            job.message,
        )
        return values[column]


class ProgressDelegate(QStyledItemDelegate):
    """Draws a running job's progress as a bar."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        progress = index.data(PROGRESS_ROLE)
        if progress is None:
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(progress * 1000)
        bar.text = f"{progress:.0%}"
        bar.textVisible = True
        QApplication.style().drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


class JobsPanel(QWidget):
    """A small table of the shared queue with a Cancel button.

    ``load`` reads the jobs to show and ``cancel`` cancels one (by id); both run on
    ``pool``. ``for_library`` wires them to the job service.
    """

    def __init__(self, load: Callable[[], list[JobRecord]], cancel: Callable[[int], Any],
                 pool: QThreadPool, interval_ms: int = REFRESH_MS,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._load, self._cancel, self.pool = load, cancel, pool
        self._reading: GeneratorWorker | None = None
        self._workers: set[GeneratorWorker] = set()  # kept alive until they report
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    @classmethod
    def for_library(cls, lib: Any, pool: QThreadPool, **kwargs: Any) -> JobsPanel:
        """The panel for an open library (``app.Library``), as its signed-in user sees it."""
        return cls(
            lambda: jobs.list_jobs(lib.db, SHOWN_STATES),
            lambda job_id: jobs.cancel(lib.db, job_id, lib.actor),
            pool,
            **kwargs,
        )

    def _build(self) -> None:
        self.model = JobsTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(JobsTableModel.PROGRESS_COLUMN, ProgressDelegate(self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(JobsTableModel.PROGRESS_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(JobsTableModel.PROGRESS_COLUMN, 140)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel job")
        self.cancel_button.setToolTip("Stop the selected job; nothing half-done is kept")
        self.cancel_button.clicked.connect(self._cancel_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self._enable()

    # --- reading and cancelling off the GUI thread ---------------------------------------
    def refresh(self) -> None:
        """Read the queue in the background (one read at a time)."""
        if self._reading is not None:
            return
        self._reading = self._start(self._load, self._show, self._read_failed)

    def _start(self, fn: Callable[[], Any], done: Callable[[Any], None],
               failed: Callable[[Exception], None]) -> GeneratorWorker:  # fmt: skip
        work = call_in_background(
            fn, finished=done, failed=failed, pool=self.pool, auto_delete=False
        )  # kept below until it reports
        self._workers.add(work)
        for signal in (work.signals.finished, work.signals.failed):
            signal.connect(lambda *_a, w=work: self._workers.discard(w))
        return work

    def _show(self, listed: list[JobRecord]) -> None:
        self._reading = None
        selected = self.selected_job()
        self.model.set_jobs(listed)
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row is not None and self.selected_job() is None:
                self.table.selectRow(row)
        self.hint.setText(self._hint(listed))
        self._enable()

    def _read_failed(self, exc: Exception) -> None:
        self._reading = None
        self.hint.setText(f"Could not read the job queue: {exc}")

    @staticmethod
    def _hint(listed: Sequence[JobRecord]) -> str:
        states = [j.state for j in listed]
        if not states:
            return "No batch jobs. Queue work with `bwvreview queue transcribe FILE…`."
        if "queued" in states and "running" not in states:
            return (f"{states.count('queued')} waiting. Jobs run when a worker is started: "
                    "`bwvreview worker`.")  # fmt: skip
        return f"{states.count('running')} running, {states.count('queued')} waiting."

    def selected_job(self) -> JobRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        job = self.selected_job()
        self.cancel_button.setEnabled(job is not None and job.state in jobs.ACTIVE)

    def _cancel_selected(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        self.cancel_button.setEnabled(False)
        self._start(lambda: self._cancel(job.id), lambda _job: self.refresh_now(),
                    lambda exc: self.hint.setText(str(exc)))  # fmt: skip

    def refresh_now(self) -> None:
        """Read again as soon as the read in flight (if any) is done."""
        if self._reading is None:
            self.refresh()
        else:
            self._reading.signals.finished.connect(lambda *_: self.refresh())

    def stop(self) -> None:
        """Stop refreshing (the window is closing)."""
        self.timer.stop()

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        if not self.timer.isActive():
            self.timer.start()
            self.refresh()
        super().showEvent(event)
