"""The jobs panel: the one place for work in progress, with its progress and one Cancel.

Two kinds of work are listed together. This window's own (an import, a transcription on
this computer) is told to the panel by the library controller (``show_local``), and the
panel's Cancel asks the controller to stop it (``cancel_local_requested``). The shared batch
queue is read every couple of seconds on the thread pool (never on the GUI thread: on a
team server a read can take a while); Cancel runs on the pool too, and the worker running
the job sees it at its next heartbeat and stops. Jobs waiting for a worker can be run here
("Run them here"): the same worker loop as ``bwvreview worker --once``, on a pool of its
own so the panel's reads never wait behind it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QThreadPool, QTimer, Signal
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

from bwvreview.app import batch_worker, jobs
from bwvreview.app.records import JobRecord
from bwvreview.ui.table_model import Index, RecordTableModel
from bwvreview.ui.workers import GeneratorWorker, call_in_background

REFRESH_MS = 2000
SHOWN_STATES = ("queued", "running", "failed")
KIND_LABELS = {"transcribe": "Transcription", "export": "Clip export", "import": "Import"}
STATE_LABELS = {"queued": "Waiting", "running": "Running", "failed": "Failed",
                "done": "Done", "cancelled": "Cancelled"}  # fmt: skip
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1
HERE = "this window"


@dataclass(frozen=True)
class LocalJob:
    """Work this window runs itself, shown as a queued job is (same field names)."""

    id: str  # "here-3": never a queue job's number
    kind: str  # "transcribe" | "import"
    recording_name: str
    state: str  # "running" | "queued"
    progress: float | None = None  # None: working, without a fraction to show
    message: str = ""
    worker: str = HERE


class JobsTableModel(RecordTableModel):
    COLUMNS = ("Job", "Work", "Recording", "State", "Progress", "Where", "Message")
    PROGRESS_COLUMN = 4

    def __init__(self) -> None:
        super().__init__()
        self.local: list[LocalJob] = []
        self.queued: list[JobRecord] = []

    def set_local(self, listed: Sequence[LocalJob]) -> None:
        self.local = list(listed)
        self._show(self.local + self.queued)

    def set_jobs(self, listed: Sequence[JobRecord]) -> None:
        self.queued = list(listed)
        self._show(self.local + self.queued)

    def _show(self, listed: Sequence[Any]) -> None:
        """Show ``listed``; the same jobs in the same order are updated in place (the
        selection and scroll position stay), anything else resets the table."""
        if [j.id for j in listed] == [j.id for j in self.rows]:
            self.rows = list(listed)
            if self.rows:
                last = self.index(len(self.rows) - 1, len(self.COLUMNS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
        else:
            self.set_rows(listed)

    def job_at(self, row: int) -> JobRecord | LocalJob:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job: JobRecord | LocalJob = self.rows[index.row()]
        column = index.column()
        if role == PROGRESS_ROLE:
            return job.progress if job.state == "running" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return job.message or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        running = job.state == "running"
        values = (
            "" if isinstance(job, LocalJob) else str(job.id),
            KIND_LABELS.get(job.kind, job.kind),
            job.recording_name or "—",
            STATE_LABELS.get(job.state, job.state),
            f"{job.progress:.0%}" if running and job.progress is not None else "",
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
    """This window's work and the shared queue in one table, with one Cancel.

    ``load`` reads the queue's jobs to show and ``cancel`` cancels one (by id); both run on
    ``pool``. ``run_queue(stop)``, if given, runs the waiting jobs here until none is left
    or ``stop`` is set. ``for_library`` wires them to the app.
    """

    cancel_local_requested = Signal(str)  # a LocalJob's id
    queue_jobs_ended = Signal(list)  # recording ids of queued jobs that finished or stopped

    def __init__(self, load: Callable[[], list[JobRecord]], cancel: Callable[[int], Any],
                 pool: QThreadPool, interval_ms: int = REFRESH_MS,
                 parent: QWidget | None = None,
                 run_queue: Callable[[threading.Event], Any] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._load, self._cancel, self.pool = load, cancel, pool
        self._run_queue = run_queue
        self._reading: GeneratorWorker | None = None
        self._workers: set[GeneratorWorker] = set()  # kept alive until they report
        self._active: dict[int, int | None] = {}  # queued or running job → its recording
        self._queue_stop: threading.Event | None = None  # set: the jobs run here stop
        self._queue_pool = QThreadPool(self)  # the jobs run here never hold up the reads
        self._queue_pool.setMaxThreadCount(1)
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    @classmethod
    def for_library(cls, lib: Any, pool: QThreadPool, **kwargs: Any) -> JobsPanel:
        """The panel for an open library (``app.Library``), as its signed-in user sees it."""
        name = f"{batch_worker.default_worker_name()} (this window)"
        return cls(
            lambda: jobs.list_jobs(lib.db, SHOWN_STATES),
            lambda job_id: jobs.cancel(lib.db, job_id, lib.actor),
            pool,
            run_queue=lambda stop: batch_worker.run_worker(lib, name, stop, once=True),
            **kwargs,
        )

    def _build(self) -> None:
        self.model = JobsTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(JobsTableModel.PROGRESS_COLUMN, ProgressDelegate(self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(64)  # a strip under the library: two rows show
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(JobsTableModel.PROGRESS_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(JobsTableModel.PROGRESS_COLUMN, 140)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.run_button = QPushButton("Run them here")
        self.run_button.setToolTip(
            "Run the waiting jobs on this computer, one at a time, until none is left"
        )
        self.run_button.clicked.connect(self._run_or_stop_queue)
        self.run_button.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the selected job; nothing half-done is kept")
        self.cancel_button.clicked.connect(self._cancel_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self._enable()

    # --- this window's own work ----------------------------------------------------------
    def show_local(self, listed: Sequence[LocalJob]) -> None:
        """Show this window's work (first, above the queue); the running one is selected
        when nothing else is, so Cancel is one click away."""
        self.model.set_local(listed)
        if self.selected_job() is None and listed:
            self.table.selectRow(0)
        self.hint.setText(self._hint())
        self._enable()

    # --- reading and cancelling off the GUI thread ---------------------------------------
    def refresh(self) -> None:
        """Read the queue in the background (one read at a time)."""
        if self._reading is not None:
            return
        self._reading = self._start(self._load, self._show, self._read_failed)

    def _start(self, fn: Callable[[], Any], done: Callable[[Any], None],
               failed: Callable[[Exception], None],
               pool: QThreadPool | None = None) -> GeneratorWorker:  # fmt: skip
        work = call_in_background(fn, finished=done, failed=failed, pool=pool or self.pool,
                                  auto_delete=False)  # kept below until it reports
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
        active = {j.id: j.recording_id for j in listed if j.state in jobs.ACTIVE}
        ended = [rid for job_id, rid in self._active.items() if job_id not in active]
        self._active = active
        if ended:
            self.queue_jobs_ended.emit([rid for rid in ended if rid is not None])
        self.hint.setText(self._hint())
        self._enable()

    def _read_failed(self, exc: Exception) -> None:
        self._reading = None
        self.hint.setText(f"Could not read the job queue: {exc}")

    def _hint(self) -> str:
        here = self.model.local
        states = [j.state for j in self.model.queued]
        waiting, running = states.count("queued"), states.count("running")
        if self._queue_stop is not None:
            return f"Running the queue here: {running} running, {waiting} waiting."
        if not here and not states:
            return ("Nothing running. Imports and transcriptions started here show their"
                    " progress in this list.")  # fmt: skip
        if waiting and not running:
            return f"{waiting} waiting for a computer to run them."
        return f"{len(here) + running} running or next here, {waiting} waiting in the queue."

    def _run_or_stop_queue(self) -> None:
        if self._queue_stop is not None:
            self._queue_stop.set()
            self.run_button.setEnabled(False)
            self.hint.setText("Stopping: the running job goes back in the queue.")
            return
        if self._run_queue is None:
            return
        stop = self._queue_stop = threading.Event()
        run = self._run_queue
        self._start(lambda: run(stop), self._queue_done, self._queue_failed, self._queue_pool)
        self.hint.setText(self._hint())
        self._enable()
        self.refresh_now()

    def _queue_done(self, _summary: Any = None) -> None:
        self._queue_stop = None
        self.run_button.setEnabled(True)
        self.refresh_now()
        self._enable()

    def _queue_failed(self, exc: Exception) -> None:
        self._queue_done()
        self.hint.setText(f"The queue could not be run here: {exc}")

    def selected_job(self) -> JobRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        job = self.selected_job()
        self.cancel_button.setEnabled(job is not None and job.state in jobs.ACTIVE)
        running_here = self._queue_stop is not None
        waiting = any(j.state == "queued" for j in self.model.queued)
        self.run_button.setVisible(self._run_queue is not None and (waiting or running_here))
        self.run_button.setText("Stop running them here" if running_here else "Run them here")

    def _cancel_selected(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        if isinstance(job, LocalJob):
            self.cancel_local_requested.emit(job.id)
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
        """Stop refreshing and running the queue here (the window is closing): a job running
        here goes back in the queue."""
        self.timer.stop()
        if self._queue_stop is not None:
            self._queue_stop.set()

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        if not self.timer.isActive():
            self.timer.start()
            self.refresh()
        super().showEvent(event)
