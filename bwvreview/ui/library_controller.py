"""Wires the library window to the app workflows.

Long jobs (examining a file for import, transcribing) run one at a time on the thread pool
through ``GeneratorWorker``; their results are stored here, on the main thread. Each is
listed in the window's jobs panel, beside the shared queue's, with its progress in words. A
job that fails is reported in a dialog and the queue goes on; cancelling the running job
stops it at once from the user's point of view (a late result is discarded), cancelling a
waiting one takes it off the list.
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from bwvreview import app
from bwvreview.app import recordings, review
from bwvreview.app.errors import DomainError, MediaError
from bwvreview.timecode import time_left
from bwvreview.ui.jobs_panel import LocalJob
from bwvreview.ui.library_window import LibraryWindow
from bwvreview.ui.workers import GeneratorWorker, start_worker

log = logging.getLogger(__name__)


_JOB_IDS = itertools.count(1)


@dataclass(frozen=True)
class Job:
    title: str
    factory: Callable[[Any], Any]  # cancel event -> generator
    on_done: Callable[[Any], None]
    describe: Callable[[Any], tuple[str, float | None]]
    kind: str = "import"  # "import" | "transcribe"
    id: str = field(default_factory=lambda: f"here-{next(_JOB_IDS)}")


class LibraryController(QObject):
    transcript_stored = Signal(int)  # recording id
    demo_loaded = Signal(int)  # the demo's recording id, to open its review

    def __init__(self, lib: app.Library, view: LibraryWindow, pool: QThreadPool) -> None:
        super().__init__(view)
        self.lib = lib
        self.view = view
        self.pool = pool
        self.queue: deque[Job] = deque()
        self.worker: GeneratorWorker | None = None
        self.running: LocalJob | None = None  # how the running job is shown
        self.failures: list[str] = []
        self.shown_recording: int | None = None
        view.import_requested.connect(self.import_files)
        view.transcribe_requested.connect(self.transcribe)
        view.content_warning_requested.connect(self.set_content_warning)
        view.cancel_requested.connect(self.cancel)
        view.cancel_job_requested.connect(self.cancel_job)
        view.details_requested.connect(self.edit_details)
        view.demo_requested.connect(self.load_demo)
        if view.jobs_panel is not None:
            view.jobs_panel.queue_jobs_ended.connect(self._queue_jobs_ended)
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

    def edit_details(self, recording_id: int) -> None:
        """The incident and officers, through the same app function as ``set-details``."""
        recording = recordings.get_recording(self.lib.db, recording_id)
        saved = self.view.ask_details(
            recording,
            lambda incident, officers: recordings.set_details(
                self.lib.db, recording_id, incident, officers, self.lib.actor
            ),
        )
        if saved is not None:
            self.view.show_message(f"Saved: {saved.incident_reference or 'no incident'}.")
            self.refresh(select_id=recording_id)

    def load_demo(self) -> None:
        """What ``bwvreview demo`` does, in the window: import the demo incident with its
        people and example review, transcribe it here, and open its review."""
        try:
            recording = app.import_demo(self.lib)
        except (DomainError, MediaError) as exc:
            self.view.show_error("The demo could not be opened", str(exc))
            return
        self.refresh(select_id=recording.id)
        self.view.show_message(
            "The demo incident is in the library, with its people: Demo TIP, Demo Trainer and"
            " Officer 4471. Next time, bwvreview asks which of them you are."
        )
        if review.current_transcript(self.lib.db, recording.id) is None:
            self.transcribe([recording.id])
        self.demo_loaded.emit(recording.id)

    def _queue_jobs_ended(self, recording_ids: list[int]) -> None:
        """Queued work finished elsewhere (or here): show the rows as they are now."""
        self.refresh(select_id=self.shown_recording)
        for recording_id in dict.fromkeys(recording_ids):
            if recording_id == self.shown_recording:
                self.show_transcript(recording_id)
            self.transcript_stored.emit(recording_id)

    # --- jobs ----------------------------------------------------------------------------
    def import_files(self, paths: list[Path]) -> None:
        for path in map(Path, paths):
            self._enqueue(
                Job(
                    title=path.name,
                    factory=lambda _cancel, p=path: app.iter_examine(p),
                    on_done=self._store_import,
                    describe=lambda step: (
                        _IMPORT_WORDS.get(step.stage, step.stage),
                        step.fraction if step.stage == "hashing" else None,
                    ),
                )
            )

    def transcribe(self, recording_ids: list[int]) -> None:
        for recording_id in recording_ids:
            name = Path(recordings.get_recording(self.lib.db, recording_id).path).name

            def describe(step: Any) -> tuple[str, float | None]:
                # Where Whisper runs, once it is loaded: "on CPU (int8, oneDNN), listening…"
                where = f"on {step.device}, " if step.device else ""
                return where + (time_left(step.eta_s) or "listening…"), step.fraction

            self._enqueue(
                Job(
                    title=name,
                    factory=lambda cancel, r=recording_id: app.iter_transcription(
                        self.lib, r, cancel=cancel
                    ),
                    on_done=lambda result, r=recording_id: self._store_transcript(r, result),
                    describe=describe,
                    kind="transcribe",
                )
            )

    def cancel(self) -> None:
        """Stop everything this window runs (the app is quitting)."""
        self.queue.clear()
        if self.worker is not None:
            self.worker.cancel()
            self._detach(self.worker)
            self.view.show_message("Cancelled; nothing was stored for that job.")
        self._next()

    def cancel_job(self, job_id: str) -> None:
        """Stop the running job, or take a waiting one off the list."""
        if self.running is not None and self.running.id == job_id and self.worker is not None:
            self.worker.cancel()
            self._detach(self.worker)
            self.view.show_message("Cancelled; nothing was stored for that job.")
            self._next()
            return
        self.queue = deque(job for job in self.queue if job.id != job_id)
        self._show_jobs()

    def _show_jobs(self) -> None:
        waiting = [LocalJob(j.id, j.kind, j.title, "queued", None, "waiting")
                   for j in self.queue]  # fmt: skip
        self.view.show_jobs(([self.running] if self.running else []) + waiting)

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def _enqueue(self, job: Job) -> None:
        self.queue.append(job)
        if self.worker is None:
            self.failures = []
            self._next()
        else:
            self._show_jobs()

    def _next(self) -> None:
        if not self.queue:
            self.worker = None
            self.running = None
            self._show_jobs()
            if self.failures:
                self.view.show_error("Some work could not be done", "\n".join(self.failures))
                self.failures = []
            return
        job = self.queue.popleft()
        self.running = LocalJob(job.id, job.kind, job.title, "running", None, "starting…")
        self._show_jobs()
        # The slots name the worker they belong to; they run on the GUI thread, after this.
        worker = self.worker = start_worker(
            job.factory,
            progressed=lambda step: self._progressed(job, step),
            finished=lambda result: self._finished(worker, job, result),
            failed=lambda exc: self._failed(worker, exc),
            cancelled=lambda: self._detach(worker),
            pool=self.pool,
        )

    def _progressed(self, job: Job, step: Any) -> None:
        if self.running is None or self.running.id != job.id:
            return
        message, fraction = job.describe(step)
        self.running = replace(self.running, progress=fraction, message=message)
        self._show_jobs()

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


_IMPORT_WORDS = {"probing": "reading the file…", "hashing": "taking its fingerprint…"}
