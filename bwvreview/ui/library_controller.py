"""Wires the library window to the app workflows: import off the GUI thread, errors as dialogs."""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool

from bwvreview import app
from bwvreview.annotations import library
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.records import NewRecording
from bwvreview.media.errors import MediaError
from bwvreview.ui.library_window import LibraryWindow
from bwvreview.ui.workers import GeneratorWorker

log = logging.getLogger(__name__)


class LibraryController(QObject):
    """Imports queued files one at a time; a bad file is reported and the rest go on."""

    def __init__(self, lib: app.Library, view: LibraryWindow, pool: QThreadPool) -> None:
        super().__init__(view)
        self.lib = lib
        self.view = view
        self.pool = pool
        self.queue: deque[Path] = deque()
        self.worker: GeneratorWorker | None = None
        self.failures: list[str] = []
        view.import_requested.connect(self.import_files)
        view.cancel_requested.connect(self.cancel)

    def refresh(self, select_id: int | None = None) -> None:
        self.view.show_recordings(library.list_recordings(self.lib.db), select_id)

    def import_files(self, paths: list[Path]) -> None:
        self.queue.extend(Path(p) for p in paths)
        if self.worker is None:
            self.failures = []
            self._next()

    def cancel(self) -> None:
        self.queue.clear()
        if self.worker is not None:
            self.worker.cancel()

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def _next(self) -> None:
        if not self.queue:
            self.worker = None
            self.view.hide_progress()
            if self.failures:
                self.view.show_error("Some files were not imported", "\n".join(self.failures))
            return
        path = self.queue.popleft()
        worker = GeneratorWorker(lambda _cancel: app.iter_examine(path))
        worker.signals.progressed.connect(
            lambda step: self.view.show_progress(
                f"{step.path.name}: {step.stage}…",
                step.fraction if step.stage == "hashing" else None,
            )
        )
        worker.signals.finished.connect(self._examined)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        self.worker = worker
        self.pool.start(worker)

    def _examined(self, new: NewRecording) -> None:
        try:
            recording, created = app.store_import(self.lib, new)
        except DomainError as exc:
            self._failed(exc)
            return
        verb = "Imported" if created else "Already in the library:"
        self.view.show_message(f"{verb} {Path(recording.path).name}")
        self.refresh(select_id=recording.id)
        self._next()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, MediaError | DomainError):
            self.failures.append(str(exc))
        else:
            log.error("import failed", exc_info=exc)
            self.failures.append(f"Unexpected problem: {exc.__class__.__name__} (see the log)")
        self._next()

    def _cancelled(self) -> None:
        self.view.show_message("Import cancelled; nothing was stored for that file.")
        self._next()
