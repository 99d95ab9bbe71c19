"""The batch worker: takes transcriptions and exports from the shared queue and runs them.

``run_worker`` loops: queue again the jobs of workers that stopped answering, claim the
next job, run it with the same workflows the command line and the window use, and store
its result only if the job is still this worker's when it is done. While a job runs, a
heartbeat thread writes its progress about once a second; when the heartbeat learns the
job was cancelled (or handed to another worker) it sets the job's cancel flag and the
workflow stops at its next step, storing nothing.

Stopping: ``stop_event`` stops at once and puts the running job back in the queue (its
claim does not count as an attempt); ``drain_event`` lets the running job finish first.
``handle_signals`` maps SIGTERM to the first and Ctrl+C to the second (twice: the first).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from bwvreview import app
from bwvreview.annotations import jobs
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.jobs import JobRecord
from bwvreview.app import Library
from bwvreview.app import clip_workflow as clips
from bwvreview.media.clip_export import check_destination, check_span
from bwvreview.media.errors import MediaError

log = logging.getLogger(__name__)

HEARTBEAT_S = 1.0
POLL_S = 2.0
# Export options a queued job may carry (the window's per-person choices are not among them).
QUEUEABLE_EXPORT_OPTIONS = clips.QUEUEABLE


@dataclass(frozen=True)
class WorkerSummary:
    done: int = 0
    failed: int = 0
    cancelled: int = 0  # cancelled by a person, or taken over after this worker was too slow
    put_back: int = 0  # stopped by ``stop_event`` and queued again
    requeued: int = 0  # other workers' stale jobs this worker queued again


def default_worker_name() -> str:
    """Host and process id: unique among the workers sharing one queue."""
    return f"{socket.gethostname()}-{os.getpid()}"


# --- queueing (the CLI's `queue` and the window call these) ---------------------------------


def queue_transcription(
    lib: Library,
    recording_id: int,
    *,
    model: str | None = None,
    device: str = "auto",
    priority: int = 0,
) -> JobRecord:
    params = {"device": device, **({"model": model} if model else {})}
    return jobs.enqueue(lib.db, "transcribe", recording_id, params, lib.actor, priority=priority)


def queue_export(
    lib: Library,
    recording_id: int,
    start_ms: int,
    end_ms: int,
    out: Path,
    options: dict[str, Any] | None = None,
    *,
    priority: int = 0,
) -> JobRecord:
    """Queue an export, refusing now what the worker would refuse later: an unknown option,
    a span outside the recording, an output that exists or is already some job's."""
    options = dict(options or {})
    unknown = set(options) - QUEUEABLE_EXPORT_OPTIONS
    if unknown:
        raise DomainError(f"export options that cannot be queued: {', '.join(sorted(unknown))}")
    _export_options(options)
    recording = app.library.get_recording(lib.db, recording_id)
    check_span(recording.duration_ms, start_ms, end_ms)
    out = Path(out).resolve()  # the worker runs elsewhere: no relative paths
    check_destination(out)
    for other in jobs.list_jobs(lib.db, jobs.ACTIVE):
        if other.kind == "export" and other.params.get("out") == str(out):
            raise DomainError(f"job {other.id} already exports to {out}")
    if options.get("report_path"):
        options["report_path"] = str(Path(options["report_path"]).resolve())
    params = {"start_ms": start_ms, "end_ms": end_ms, "out": str(out), "options": options}
    return jobs.enqueue(lib.db, "export", recording_id, params, lib.actor, priority=priority)


def _export_options(options: dict[str, Any]) -> clips.ExportOptions:
    return clips.options_from_values(options)


def list_jobs(lib: Library, *, everything: bool = False) -> list[JobRecord]:
    """The queue: queued, running and failed jobs (``everything``: done and cancelled too)."""
    return jobs.list_jobs(lib.db, None if everything else ("queued", "running", "failed"))


def cancel_job(lib: Library, job_id: int) -> JobRecord:
    return jobs.cancel(lib.db, job_id, lib.actor)


def retry_job(lib: Library, job_id: int) -> JobRecord:
    """Queue a failed or cancelled job again."""
    return jobs.retry(lib.db, job_id, lib.actor)


# --- the heartbeat --------------------------------------------------------------------------


class Heartbeat:
    """Writes the job's progress at most every ``interval_s`` (from progress callbacks, and
    from its own thread when a long step reports nothing); sets ``cancel`` when the job is
    no longer this worker's or the worker must stop."""

    def __init__(self, lib: Library, job: JobRecord, worker: str, stop: threading.Event,
                 interval_s: float = HEARTBEAT_S) -> None:  # fmt: skip
        self.lib, self.job, self.worker, self.stop = lib, job, worker, stop
        self.interval_s = interval_s
        self.cancel = threading.Event()
        self.lost = threading.Event()  # cancelled by a person, or taken over
        self._lock = threading.Lock()
        self._last = time.monotonic()
        self._progress, self._message = 0.0, "started"
        self._ended = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job.id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._ended.set()
        self._thread.join()

    def update(self, progress: float, message: str) -> None:
        """A progress callback: remember, and beat if the last beat is ``interval_s`` old."""
        self._progress, self._message = progress, message
        if time.monotonic() - self._last >= self.interval_s:
            self.beat()

    def beat(self) -> bool:
        """Beat now; False (and ``cancel`` set) if the job is no longer this worker's."""
        with self._lock:
            try:
                mine = jobs.heartbeat(self.lib.db, self.job.id, self.worker, self._progress,
                                      self._message, attempt=self.job.attempts)  # fmt: skip
            except OperationalError:
                # The database is out of reach: keep working; if it stays away long enough
                # the job is queued again, and the next beat that gets through says so.
                log.warning("job %s: heartbeat could not reach the database", self.job.id)
                return not self.lost.is_set()
            self._last = time.monotonic()
            if not mine:
                self.lost.set()
                self.cancel.set()
            return mine

    def _run(self) -> None:
        while not self._ended.wait(0.2):
            if self.stop.is_set():
                self.cancel.set()
            if time.monotonic() - self._last >= self.interval_s:
                self.beat()


# --- running one job -------------------------------------------------------------------------


class _Stopped(Exception):
    """The job's cancel flag was seen between steps."""


@dataclass(frozen=True)
class _Finished:
    """A job's work, done but not yet stored: ``store`` records it and returns the job's
    result; ``discard`` removes what it left on disk, if the job is no longer ours."""

    store: Callable[[], dict[str, Any]]
    discard: Callable[[], None] = lambda: None


def _follow(steps: Generator[Any, None, Any], heart: Heartbeat,
            describe: Callable[[Any], tuple[float, str]]) -> Any:  # fmt: skip
    while True:
        if heart.cancel.is_set():
            steps.close()
            raise _Stopped()
        try:
            step = next(steps)
        except StopIteration as finished:
            return finished.value
        heart.update(*describe(step))


def _transcribe(lib: Library, job: JobRecord, heart: Heartbeat) -> _Finished:
    params = job.params
    assert job.recording_id is not None
    steps = app.iter_transcription(
        lib, job.recording_id, model=params.get("model"), device=params.get("device", "auto"),
        cancel=heart.cancel,
    )  # fmt: skip
    result = _follow(steps, heart, lambda s: (s.fraction * 0.98, f"transcribing {s.fraction:.0%}"))

    def store() -> dict[str, Any]:
        transcript = app.store_transcription(lib, job.recording_id, result)
        return {"transcript": transcript.id, "segments": len(transcript.segments),
                "words": len(transcript.words), "model": transcript.model}  # fmt: skip

    return _Finished(store)


def _export(lib: Library, job: JobRecord, heart: Heartbeat) -> _Finished:
    p = job.params
    assert job.recording_id is not None
    options = _export_options(p.get("options", {}))
    out = Path(p["out"])
    if job.attempts > 1:  # an earlier attempt's worker died: see what it left
        recorded = _recorded_clip(lib, out)
        if recorded is not None:
            return _Finished(lambda: recorded)
        _set_aside(job, [out, options.report_path or clips.report_path_for(out)])
    steps = clips.iter_export(lib, job.recording_id, int(p["start_ms"]), int(p["end_ms"]), out,
                              options, cancel=heart.cancel)  # fmt: skip
    outcome = _follow(steps, heart, lambda s: (s.fraction * 0.98, f"{s.stage} {s.fraction:.0%}"))

    def store() -> dict[str, Any]:
        record = clips.store_export(lib, outcome)
        verified = outcome.verification is None or outcome.verification.passed
        return {"clip": record.id, "path": str(outcome.path), "verified": verified,
                "report": str(outcome.report_path)}  # fmt: skip

    def discard() -> None:
        for written in (outcome.path, outcome.report_path):
            written.unlink(missing_ok=True)

    return _Finished(store, discard)


def _recorded_clip(lib: Library, out: Path) -> dict[str, Any] | None:
    """The result of an earlier attempt that recorded its clip but died before finishing."""
    for clip in clips.clips.list_clips(lib.db):
        if Path(clip.output_path) == out.resolve():
            return {"clip": clip.id, "path": clip.output_path, "verified": clip.verified,
                    "report": clip.options.get("report_path", "")}  # fmt: skip
    return None


def _set_aside(job: JobRecord, paths: list[Path]) -> None:
    """An earlier attempt killed while verifying leaves its clip under the final name, with
    no record: move it (and any report) aside, never delete it, so this attempt can write."""
    for path in paths:
        for found in (path, path.with_suffix(".txt")):
            if found.exists():
                aside = found.with_name(f"{found.stem}.unfinished-job{job.id}-{job.attempts - 1}"
                                        f"{found.suffix}")  # fmt: skip
                found.rename(aside)
                log.warning("job %s: an earlier attempt's %s moved to %s", job.id, found, aside)


RUNNERS = {"transcribe": _transcribe, "export": _export}


def run_job(lib: Library, job: JobRecord, worker: str, stop: threading.Event,
            heartbeat_s: float = HEARTBEAT_S) -> str:  # fmt: skip
    """Run one claimed job to its end; return how it ended: done, failed, cancelled, put back."""
    acting = replace(lib, actor=f"{job.created_by} (via worker {worker})")
    with Heartbeat(acting, job, worker, stop, heartbeat_s) as heart:
        try:
            work = RUNNERS[job.kind](acting, job, heart)
            heart.update(0.99, "storing")
            if not heart.beat():  # cancelled at the last moment: keep nothing
                work.discard()
                raise _Stopped()
            result = work.store()
        except Exception as exc:  # noqa: BLE001 - every ending is written to the job
            return _ended_by(lib, job, worker, heart, exc)
        except BaseException:  # KeyboardInterrupt where no handler is installed
            jobs.release(lib.db, job.id, worker, attempt=job.attempts)
            raise
    message = "done" if result.get("verified", True) else "clip failed verification"
    jobs.finish(lib.db, job.id, worker, result, message, attempt=job.attempts)
    return "done"


def _ended_by(lib: Library, job: JobRecord, worker: str, heart: Heartbeat, exc: Exception) -> str:
    if heart.cancel.is_set() or isinstance(exc, _Stopped):
        if heart.lost.is_set():
            return "cancelled"
        jobs.release(lib.db, job.id, worker, attempt=job.attempts)
        return "put back"
    if isinstance(exc, (MediaError, DomainError)):
        message = str(exc)
    else:
        log.error("job %s failed", job.id, exc_info=exc)
        message = f"unexpected fault: {exc.__class__.__name__} (details in the worker's log)"
    jobs.fail(lib.db, job.id, worker, message, attempt=job.attempts)
    return "failed"


# --- the loop --------------------------------------------------------------------------------


def run_worker(
    lib: Library,
    name: str,
    stop_event: threading.Event,
    poll: float = POLL_S,
    once: bool = False,
    *,
    drain_event: threading.Event | None = None,
    stale_after: dt.timedelta = jobs.STALE_AFTER,
    max_attempts: int = jobs.MAX_ATTEMPTS,
    heartbeat_s: float = HEARTBEAT_S,
    report: Callable[[str], None] | None = None,
) -> WorkerSummary:
    """Take jobs until stopped (``once``: until nothing is queued or running anywhere)."""
    say = report or (lambda text: log.info("%s", text))
    counts = dict.fromkeys(("done", "failed", "cancelled", "put back"), 0)
    requeued = 0
    draining = drain_event or threading.Event()
    while not (stop_event.is_set() or draining.is_set()):
        try:
            stale = jobs.requeue_stale(lib.db, stale_after, max_attempts=max_attempts, actor=name)
            job = jobs.claim_next(lib.db, name)
        except OperationalError:
            say("the database is out of reach; trying again")
            stop_event.wait(poll)
            continue
        requeued += len(stale.requeued)
        for job_id in stale.requeued:
            say(f"job {job_id}: its worker stopped answering; queued again")
        if job is None:
            if once and jobs.pending_work(lib.db) == (0, 0):
                break
            stop_event.wait(poll)
            continue
        say(f"job {job.id}: {job.kind} {job.recording_name} (attempt {job.attempts})")
        ended = run_job(lib, job, name, stop_event, heartbeat_s)
        counts[ended] += 1
        say(f"job {job.id}: {ended}")
    return WorkerSummary(counts["done"], counts["failed"], counts["cancelled"],
                         counts["put back"], requeued)  # fmt: skip


def handle_signals(stop_event: threading.Event, drain_event: threading.Event,
                   say: Callable[[str], None]) -> None:  # fmt: skip
    """SIGTERM: stop now, putting the running job back. Ctrl+C: finish the running job,
    then stop; a second Ctrl+C: stop now. (Call from the main thread.)"""

    def on_term(_signum: int, _frame: object) -> None:
        stop_event.set()

    def on_interrupt(_signum: int, _frame: object) -> None:
        if drain_event.is_set():
            say("stopping now; the running job goes back in the queue")
            stop_event.set()
        else:
            say("finishing the running job, then stopping (Ctrl+C again to stop now)")
            drain_event.set()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_interrupt)
