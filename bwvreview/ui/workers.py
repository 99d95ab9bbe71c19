"""One adapter that runs any progress generator from ``app``/``media`` on the thread pool,
and one that runs GUI-thread work a slice at a time.

The generator yields progress records and *returns* its result; ``GeneratorWorker`` turns
those into Qt signals delivered on the GUI thread. ``start_worker`` is how a window starts
one, in one call: it connects the slots it is given, ties the work to the object that asked
(cancelled when that object is destroyed, or when that window closes), and starts it on the
pool; ``call_in_background`` does the same for a plain function. Workers rarely write the
database: as a rule the controller that receives ``finished`` stores the result on the main
thread (the review reader's new cue suggestions are the exception, explained in
``workspace_loader``).

Some work must happen on the GUI thread because it builds Qt objects (a long transcript's
text document). ``SlicedJob`` runs such a generator in slices of a few milliseconds and
lets the event loop run between them, so playback, painting and keys never wait long.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget

from bwvreview import app
from bwvreview.app.records import Recording
from bwvreview.steps import Cancelled

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()


class GeneratorWorker(QRunnable):
    """Run ``factory(cancel_event)``'s generator to the end, off the GUI thread.

    Qt deletes a finished worker on the pool thread, so what the factory alone holds is
    freed there: it must never be the last holder of an object a Qt signal is connected to
    (PySide undoes such a connection when the object dies, and from a pool thread that
    races the GUI thread)."""

    def __init__(self, factory: Callable[[threading.Event], Generator[Any, None, Any]]) -> None:
        super().__init__()
        self.factory = factory
        self.cancel_event = threading.Event()
        self.signals = WorkerSignals()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            steps = self.factory(self.cancel_event)
            while True:
                if self.cancel_event.is_set():
                    steps.close()
                    self.signals.cancelled.emit()
                    return
                try:
                    self.signals.progressed.emit(next(steps))
                except StopIteration as finished:
                    self.signals.finished.emit(finished.value)
                    return
        except Cancelled:  # the work stopped itself, as asked (by this worker or otherwise)
            self.signals.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - reported to the user by the controller
            if self.cancel_event.is_set():
                self.signals.cancelled.emit()
            else:
                log.debug("worker failed", exc_info=True)
                self.signals.failed.emit(exc)


class _CancelOnClose(QObject):
    """Cancels a worker when the window it belongs to closes (a child of that window)."""

    def __init__(self, window: QWidget, worker: GeneratorWorker) -> None:
        super().__init__(window)
        self._cancel = worker.cancel_event.set  # not the worker: it may be freed first
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            self._cancel()
        return False


# Workers started by start_worker, kept until they have reported: nothing else need hold one
# (a worker nobody holds is freed with its signals, and what it reports is lost). Keyed by a
# counter, as an id() could be reused by the next worker before a release runs.
_RUNNING: dict[int, GeneratorWorker] = {}
_KEYS = itertools.count()


def _keep_until_done(worker: GeneratorWorker) -> None:
    key = next(_KEYS)
    _RUNNING[key] = worker

    def release(*_args: object) -> None:  # holds the key, not the worker: no cycle through Qt
        # one turn of the event loop later, after every slot of this report has run
        QTimer.singleShot(0, lambda: _RUNNING.pop(key, None))

    for signal in (worker.signals.finished, worker.signals.failed, worker.signals.cancelled):
        signal.connect(release)


def start_worker(
    factory: Callable[[threading.Event], Generator[Any, None, Any]],
    *,
    owner: QObject | None = None,
    progressed: Callable[..., Any] | None = None,
    finished: Callable[..., Any] | None = None,
    failed: Callable[..., Any] | None = None,
    cancelled: Callable[..., Any] | None = None,
    pool: QThreadPool | None = None,
    auto_delete: bool = True,
) -> GeneratorWorker:
    """Run ``factory(cancel_event)``'s generator on ``pool`` (the global pool by default),
    its signals connected to the slots given, and return the worker.

    With ``owner`` the work belongs to that object: it is cancelled when the owner is
    destroyed and, for a window, when it closes. Pass bound methods of QObjects as slots
    (delivered on the GUI thread); a lambda holding a window keeps it alive as long as Qt
    keeps the worker. ``auto_delete=False`` leaves the worker to its caller's keeping
    (Qt otherwise deletes it on the pool thread when it ends)."""
    worker = GeneratorWorker(factory)
    worker.setAutoDelete(auto_delete)
    for signal, slot in (
        (worker.signals.progressed, progressed),
        (worker.signals.finished, finished),
        (worker.signals.failed, failed),
        (worker.signals.cancelled, cancelled),
    ):
        if slot is not None:
            signal.connect(slot)
    _keep_until_done(worker)
    if owner is not None:
        # A lambda holding the Event, not ``event.set`` itself: PySide would tie such a
        # connection to the Event by a weak reference and undo it from the pool thread the
        # Event dies on, racing the GUI thread (tests/ui/test_workspace_loading.py).
        owner.destroyed.connect(lambda *_args, event=worker.cancel_event: event.set())
        if isinstance(owner, QWidget) and owner.isWindow():
            _CancelOnClose(owner, worker)
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker


def returning(fn: Callable[[], Any]) -> Generator[None, None, Any]:
    """A plain call as a generator that yields nothing and returns ``fn()``."""
    return fn()
    yield  # noqa: B901 - unreachable: makes this a generator


def call_in_background(fn: Callable[[], Any], **options: Any) -> GeneratorWorker:
    """``start_worker`` for a plain function: ``finished`` gets what it returns."""
    return start_worker(lambda _cancel: returning(fn), **options)


def load_waveform(
    lib: app.Library, recording: Recording, *, owner: QObject, finished: Callable[..., Any],
    failed: Callable[..., Any] | None = None,
) -> GeneratorWorker:  # fmt: skip
    """The sound's shape for a timeline: from the cache at once, or computed on the pool.
    The worker holds the library and the recording, never the window."""
    return start_worker(lambda cancel: app.iter_waveform(lib, recording, cancel), owner=owner,
                        finished=finished, failed=failed)  # fmt: skip


class SlicedJob(QObject):
    """Run ``steps`` on the GUI thread: each slice takes steps until ``budget_ms`` has passed,
    then the event loop has a turn before the next. Keep each step well under the budget."""

    finished = Signal()

    def __init__(self, steps: Iterator[Any], budget_ms: float = 10.0,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.steps = steps
        self.budget_s = budget_ms / 1000
        self.done = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self.done = True

    def drain(self) -> None:
        """Run every step now (a caller that wants the result at once)."""
        self._timer.stop()
        for _ in self.steps:
            pass
        self._finish()

    def _slice(self) -> None:
        if self.done:
            return
        deadline = time.perf_counter() + self.budget_s
        try:
            while time.perf_counter() < deadline:
                next(self.steps)
        except StopIteration:
            self._finish()
            return
        self._timer.start()

    def _finish(self) -> None:
        self.done = True
        self.finished.emit()
