"""One adapter that runs any progress generator from ``app``/``media`` on the thread pool,
and one that runs GUI-thread work a slice at a time.

The generator yields progress records and *returns* its result; ``GeneratorWorker`` turns
those into Qt signals delivered on the GUI thread. Workers rarely write the database: as a
rule the controller that receives ``finished`` stores the result on the main thread (the
review reader's new cue suggestions are the exception, explained in ``workspace_loader``).

Some work must happen on the GUI thread because it builds Qt objects (a long transcript's
text document). ``SlicedJob`` runs such a generator in slices of a few milliseconds and
lets the event loop run between them, so playback, painting and keys never wait long.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QTimer, Signal

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
        except Exception as exc:  # noqa: BLE001 - reported to the user by the controller
            if self.cancel_event.is_set():
                self.signals.cancelled.emit()
            else:
                log.debug("worker failed", exc_info=True)
                self.signals.failed.emit(exc)


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
