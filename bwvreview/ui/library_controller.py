"""Wires the library window to the app workflows.

Long jobs (examining a file for import, transcribing) run one at a time on the thread pool
through ``GeneratorWorker``; their results are stored here, on the main thread. A job that
fails is reported in a dialog and the queue goes on; Cancel stops the running job at once
from the user's point of view (a late result is discarded) and empties the queue.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from bwvreview import app
from bwvreview.app import recordings, review
from bwvreview.app.errors import DomainError, MediaError
from bwvreview.ui.library_window import LibraryWindow
from bwvreview.ui.workers import GeneratorWorker, start_worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    title: str
    factory: Callable[[Any], Any]  # cancel event -> generator
    on_done: Callable[[Any], None]
    describe: Callable[[Any], tuple[str, float | None]]


class LibraryController(QObject):
    transcript_stored = Signal(int)  # recording id

    def __init__(self, lib: app.Library, view: LibraryWindow, pool: QThreadPool) -> None:
        super().__init__(view)
        self.lib = lib
        self.view = view
        self.pool = pool
        self.queue: deque[Job] = deque()
        self.worker: GeneratorWorker | None = None
        self.failures: list[str] = []
        self.shown_recording: int | None = None
        view.import_requested.connect(self.import_files)
        view.transcribe_requested.connect(self.transcribe)
        view.content_warning_requested.connect(self.set_content_warning)
        view.cancel_requested.connect(self.cancel)
        view.recording_selected.connect(self.show_transcript)
        view.transcript.toggle_speaker_requested.connect(self.toggle_speaker)

    # --- library -------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        self.view.show_recordings(recordings.list_recordings(self.lib.db), select_id)

    def show_transcript(
        self, recording_id: int | None, selected_segment: int | None = None
    ) -> None:
        self.shown_recording = recording_id
        current = review.current_transcript(self.lib.db, recording_id) if recording_id else None
        self.view.transcript.show_transcript(current, selected_segment)

    def toggle_speaker(self, segment_id: int) -> None:
        review.toggle_wearer(self.lib.db, segment_id)
        self.show_transcript(self.shown_recording, segment_id)

    def set_content_warning(self, recording_id: int, text: str | None) -> None:
        recordings.set_content_warning(self.lib.db, recording_id, text, self.lib.actor)
        self.view.show_message("Content warning saved." if text else "Content warning cleared.")
        self.refresh(select_id=recording_id)

    # --- jobs ----------------------------------------------------------------------------
    def import_files(self, paths: list[Path]) -> None:
        for path in map(Path, paths):
            self._enqueue(
                Job(
                    title=path.name,
                    factory=lambda _cancel, p=path: app.iter_examine(p),
                    on_done=self._store_import,
                    describe=lambda step: (
                        f"{step.path.name}: {step.stage}…",
                        step.fraction if step.stage == "hashing" else None,
                    ),
                )
            )

    def transcribe(self, recording_ids: list[int]) -> None:
        for recording_id in recording_ids:
            name = Path(recordings.get_recording(self.lib.db, recording_id).path).name

            def describe(step: Any, name: str = name) -> tuple[str, float | None]:
                where = f" on {step.device}" if step.device else ""  # once Whisper is loaded
                eta = f", about {step.eta_s:.0f} s left" if step.eta_s else ""
                return f"Transcribing {name}{where}: {step.fraction:.0%}{eta}", step.fraction

            self._enqueue(
                Job(
                    title=name,
                    factory=lambda cancel, r=recording_id: app.iter_transcription(
                        self.lib, r, cancel=cancel
                    ),
                    on_done=lambda result, r=recording_id: self._store_transcript(r, result),
                    describe=describe,
                )
            )

    def cancel(self) -> None:
        self.queue.clear()
        if self.worker is not None:
            self.worker.cancel()
            self._detach(self.worker)
            self.view.show_message("Cancelled; nothing was stored for that job.")
            self._next()

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def _enqueue(self, job: Job) -> None:
        self.queue.append(job)
        if self.worker is None:
            self.failures = []
            self._next()

    def _next(self) -> None:
        if not self.queue:
            self.worker = None
            self.view.hide_progress()
            if self.failures:
                self.view.show_error("Some work could not be done", "\n".join(self.failures))
                self.failures = []
            return
        job = self.queue.popleft()
        self.view.show_progress(f"{job.title}: starting…", None)
        # The slots name the worker they belong to; they run on the GUI thread, after this.
        worker = self.worker = start_worker(
            job.factory,
            progressed=lambda step: self.view.show_progress(*job.describe(step)),
            finished=lambda result: self._finished(worker, job, result),
            failed=lambda exc: self._failed(worker, exc),
            cancelled=lambda: self._detach(worker),
            pool=self.pool,
        )

    def _detach(self, worker: GeneratorWorker) -> None:
        """Forget a worker: whatever it still reports is ignored."""
        for signal in (worker.signals.progressed, worker.signals.finished, worker.signals.failed,
                       worker.signals.cancelled):  # fmt: skip
            signal.disconnect()
        if self.worker is worker:
            self.worker = None

    def _finished(self, worker: GeneratorWorker, job: Job, result: Any) -> None:
        self._detach(worker)
        try:
            job.on_done(result)
        except DomainError as exc:
            self.failures.append(str(exc))
        self._next()

    def _failed(self, worker: GeneratorWorker, exc: BaseException) -> None:
        self._detach(worker)
        if isinstance(exc, MediaError | DomainError):
            self.failures.append(str(exc))
        else:
            log.error("background job failed", exc_info=exc)
            self.failures.append(f"Unexpected problem: {exc.__class__.__name__} (see the log)")
        self._next()

    # --- results, stored on the main thread ---------------------------------------------
    def _store_import(self, new: Any) -> None:
        recording, created = app.store_import(self.lib, new)
        verb = "Imported" if created else "Already in the library:"
        self.view.show_message(f"{verb} {Path(recording.path).name}")
        self.refresh(select_id=recording.id)

    def _store_transcript(self, recording_id: int, result: Any) -> None:
        transcript = app.store_transcription(self.lib, recording_id, result)
        self.view.show_message(
            f"Transcribed: {len(transcript.segments)} lines, {len(transcript.words)} words."
        )
        self.refresh(select_id=recording_id)
        self.show_transcript(recording_id)
        self.transcript_stored.emit(recording_id)
