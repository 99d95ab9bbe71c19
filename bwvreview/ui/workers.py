"""One adapter that runs any progress generator from ``app``/``media`` on the thread pool.

The generator yields progress records and *returns* its result; this worker turns those
into Qt signals delivered on the GUI thread. Workers never write the database: the
controller that receives ``finished`` stores the result on the main thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()


class GeneratorWorker(QRunnable):
    """Run ``factory(cancel_event)``'s generator to the end, off the GUI thread."""

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
