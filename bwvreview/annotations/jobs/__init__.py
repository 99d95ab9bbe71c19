"""The shared job queue: transcriptions and exports that batch workers run unattended.

A job is *queued* by a person, *claimed* by one worker (``claim_next``), kept alive by the
worker's heartbeat while it runs, and ends *done*, *failed* or *cancelled*. Claiming is safe
with many workers on many machines: on PostgreSQL the oldest queued job is locked with
``SELECT … FOR UPDATE SKIP LOCKED`` (a worker never waits for another's row) and marked
running in the same transaction; on SQLite a single conditional ``UPDATE … WHERE
state = 'queued'`` takes the database's write lock, so two processes cannot both win.

Every write after the claim is conditional on the worker still owning the job (its name,
the attempt number, state *running*): a worker whose job was cancelled or handed to another
worker learns so from ``heartbeat`` returning False, and stops. A worker that dies stops
beating; ``requeue_stale`` (which every worker runs before it claims) queues its job again,
or fails it after ``MAX_ATTEMPTS`` claims with a message saying why.

Times of claims and heartbeats come from the database server on PostgreSQL, so workers on
machines whose clocks differ still agree on what is stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from bwvreview.annotations.access import (
    EXPORT,
    REVIEW,
    PermissionDenied,
    Principal,
    recording_filter,
    require,
)
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

Job = models.Job

KINDS = ("transcribe", "export")
STATES = ("queued", "running", "done", "failed", "cancelled")
ACTIVE = ("queued", "running")
PERMISSION = {"transcribe": REVIEW, "export": EXPORT}
MAX_ATTEMPTS = 3  # claims before a job whose workers keep dying is failed
STALE_AFTER = dt.timedelta(seconds=60)  # a running job with no heartbeat for this long


@dataclass(frozen=True)
class JobRecord:
    id: int
    kind: str
    recording_id: int | None
    recording_name: str  # the footage's file name, for the panel and `queue list`
    params: dict[str, Any]
    state: str
    priority: int
    progress: float
    message: str
    worker: str | None
    attempts: int
    result: dict[str, Any] | None
    created_by: str
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    heartbeat_at: dt.datetime | None
    finished_at: dt.datetime | None

    def to_json(self) -> dict[str, Any]:
        """The shape of ``bwvreview queue list --json``."""

        def when(value: dt.datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") + "Z" if value else None

        return {
            "id": self.id,
            "kind": self.kind,
            "recording_id": self.recording_id,
            "recording": self.recording_name,
            "params": self.params,
            "state": self.state,
            "priority": self.priority,
            "progress": round(self.progress, 3),
            "message": self.message,
            "worker": self.worker,
            "attempts": self.attempts,
            "result": self.result,
            "created_by": self.created_by,
            "created_at": when(self.created_at),
            "claimed_at": when(self.claimed_at),
            "heartbeat_at": when(self.heartbeat_at),
            "finished_at": when(self.finished_at),
        }


@dataclass(frozen=True)
class RequeueOutcome:
    requeued: tuple[int, ...]  # stale jobs put back in the queue
    failed: tuple[int, ...]  # stale jobs that had used up their attempts


# --- helpers --------------------------------------------------------------------------------


def _record(row: models.Job, recording_path: str | None) -> JobRecord:
    return JobRecord(
        id=row.id,
        kind=row.kind,
        recording_id=row.recording_id,
        recording_name=Path(recording_path).name if recording_path else "",
        params=dict(row.params or {}),
        state=row.state,
        priority=row.priority,
        progress=row.progress,
        message=row.message,
        worker=row.worker,
        attempts=row.attempts,
        result=row.result,
        created_by=row.created_by,
        created_at=row.created_at,
        claimed_at=row.claimed_at,
        heartbeat_at=row.heartbeat_at,
        finished_at=row.finished_at,
    )


def _read(session: Session, job_id: int) -> JobRecord:
    found = session.execute(
        select(Job, models.Recording.path)
        .outerjoin(models.Recording, models.Recording.id == Job.recording_id)
        .where(Job.id == job_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if found is None:
        raise NotFoundError(f"no job with id {job_id}")
    return _record(*found)


def _now(db: Database) -> Any:
    """The time to stamp: the database server's clock on PostgreSQL (workers on several
    machines then agree on what is stale), this machine's on SQLite (a local file)."""
    if db.dialect == "postgresql":
        return func.timezone("UTC", func.now())
    return models.utcnow()


def _claimable_kinds(principal: Principal) -> list[str]:
    kinds = [kind for kind in KINDS if principal.can(PERMISSION[kind])]
    if not kinds:
        raise PermissionDenied(f"{principal.name} ({principal.role}) may not run queued jobs")
    return kinds


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Jobs on recordings the principal may read (jobs always name a recording)."""
    return Job.recording_id.in_(select(models.Recording.id).where(recording_filter(principal)))


def _owned(job_id: int, worker: str, attempt: int | None) -> list[ColumnElement[bool]]:
    clauses = [Job.id == job_id, Job.worker == worker, Job.state == "running"]
    if attempt is not None:
        clauses.append(Job.attempts == attempt)
    return clauses


# --- queueing -------------------------------------------------------------------------------


def enqueue(
    db: Database,
    kind: str,
    recording_id: int,
    params: dict[str, Any] | None = None,
    actor: str = "",
    *,
    priority: int = 0,
) -> JobRecord:
    """Queue a job (transcription needs the right to review, export the right to export).

    A transcription already queued or running for the same recording is returned instead
    of a second one, so queueing a folder twice does not transcribe it twice.
    """
    if kind not in KINDS:
        raise DomainError(f"{kind}: unknown kind of job (use {' or '.join(KINDS)})")
    require(db.principal, PERMISSION[kind])
    with db.begin() as session:
        recording = session.scalar(
            select(models.Recording).where(
                models.Recording.id == recording_id, recording_filter(db.principal)
            )
        )
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        if kind == "transcribe":
            existing = session.scalar(
                select(Job.id).where(
                    Job.kind == kind, Job.recording_id == recording_id, Job.state.in_(ACTIVE)
                )
            )
            if existing is not None:
                return _read(session, existing)
        row = models.Job(
            kind=kind,
            recording_id=recording_id,
            params=dict(params or {}),
            state="queued",
            priority=priority,
            progress=0.0,
            message="waiting for a worker",
            attempts=0,
            created_by=actor or db.principal.name,
        )
        session.add(row)
        session.flush()
        record_event(
            session,
            actor=actor or db.principal.name,
            action="queue job",
            object_type="job",
            object_id=row.id,
            details={"kind": kind, "recording": recording_id},
        )
        return _record(row, recording.path)


def get_job(db: Database, job_id: int) -> JobRecord:
    with db.begin() as session:
        job = _read(session, job_id)
        visible = session.scalar(select(Job.id).where(Job.id == job_id, _visible(db.principal)))
        if visible is None or not any(db.principal.can(p) for p in PERMISSION.values()):
            raise NotFoundError(f"no job with id {job_id}")
        return job


def list_jobs(
    db: Database, states: Sequence[str] | None = None, *, limit: int = 200
) -> list[JobRecord]:
    """Jobs on recordings the reader may see, running first, then queued in the order
    workers take them, then the most recently finished. Someone who can neither review nor
    export (an officer, a trainer) sees none."""
    if not any(db.principal.can(p) for p in PERMISSION.values()):
        return []
    with db.begin() as session:
        query = (
            select(Job, models.Recording.path)
            .outerjoin(models.Recording, models.Recording.id == Job.recording_id)
            .where(_visible(db.principal))
        )
        if states:
            query = query.where(Job.state.in_(list(states)))
        rows = session.execute(query.order_by(Job.id.desc()).limit(limit)).all()
        jobs = [_record(row, path) for row, path in rows]
    return sorted(jobs, key=_panel_order)


def _panel_order(job: JobRecord) -> tuple[int, ...]:
    if job.state == "running":
        return (0, job.id)
    if job.state == "queued":
        return (1, -job.priority, job.id)
    return (2, -job.id)


def cancel(db: Database, job_id: int, actor: str = "") -> JobRecord:
    """Cancel a queued or running job. A running job's worker sees it at its next heartbeat
    (within about a second) and stops, storing nothing."""
    with db.begin() as session:
        job = _read(session, job_id)
        require(db.principal, PERMISSION[job.kind])
        if session.scalar(select(Job.id).where(Job.id == job_id, _visible(db.principal))) is None:
            raise NotFoundError(f"no job with id {job_id}")
        changed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_(ACTIVE))
            .values(state="cancelled", finished_at=_now(db), message="cancelled")
        ).rowcount
        if not changed:
            raise DomainError(f"job {job_id} is already {job.state}; there is nothing to cancel")
        record_event(
            session,
            actor=actor or db.principal.name,
            action="cancel job",
            object_type="job",
            object_id=job_id,
            details={"kind": job.kind, "was": job.state},
        )
        return _read(session, job_id)


def retry(db: Database, job_id: int, actor: str = "") -> JobRecord:
    """Queue a failed or cancelled job again, with a fresh count of attempts."""
    with db.begin() as session:
        job = _read(session, job_id)
        require(db.principal, PERMISSION[job.kind])
        changed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_(("failed", "cancelled")), _visible(db.principal))
            .values(
                state="queued",
                worker=None,
                attempts=0,
                progress=0.0,
                result=None,
                finished_at=None,
                message="waiting for a worker",
            )
        ).rowcount
        if not changed:
            raise DomainError(
                f"job {job_id} is {job.state}; only a failed or cancelled job is retried"
            )
        record_event(
            session,
            actor=actor or db.principal.name,
            action="retry job",
            object_type="job",
            object_id=job_id,
            details={"kind": job.kind},
        )
        return _read(session, job_id)


# --- the worker's side ----------------------------------------------------------------------


def claim_next(db: Database, worker: str) -> JobRecord | None:
    """Claim the next queued job for ``worker`` (highest priority, then oldest), or None.

    The job becomes *running*, owned by ``worker``, with its attempt count raised by one,
    in one transaction; no two callers ever get the same job, whichever the engine.
    """
    kinds = _claimable_kinds(db.principal)
    now = _now(db)
    claimed = dict(
        state="running",
        worker=worker,
        claimed_at=now,
        heartbeat_at=now,
        attempts=Job.attempts + 1,
        progress=0.0,
        message="started",
    )
    pick = (
        select(Job.id)
        .where(Job.state == "queued", Job.kind.in_(kinds), _visible(db.principal))
        .order_by(Job.priority.desc(), Job.id)
        .limit(1)
    )
    with db.begin() as session:
        if db.dialect == "postgresql":
            job_id = session.scalar(pick.with_for_update(skip_locked=True))
            if job_id is None:
                return None
            session.execute(update(Job).where(Job.id == job_id).values(**claimed))
        else:
            # One statement: SQLite takes its write lock for it, so the choice and the mark
            # cannot be split by another process.
            job_id = session.scalar(
                update(Job)
                .where(Job.id == pick.scalar_subquery(), Job.state == "queued")
                .values(**claimed)
                .returning(Job.id)
            )
            if job_id is None:
                return None
        job = _read(session, job_id)
        record_event(
            session,
            actor=worker,
            action="claim job",
            object_type="job",
            object_id=job_id,
            details={"kind": job.kind, "attempt": job.attempts},
        )
        return job


def heartbeat(
    db: Database,
    job_id: int,
    worker: str,
    progress: float | None = None,
    message: str | None = None,
    *,
    attempt: int | None = None,
) -> bool:
    """Record that ``worker`` is still at the job (and how far it is).

    Returns False when the job is no longer this worker's to run (cancelled, or queued
    again after the worker was taken for dead): the worker must stop and store nothing.
    """
    _claimable_kinds(db.principal)
    values: dict[str, Any] = {"heartbeat_at": _now(db)}
    if progress is not None:
        values["progress"] = max(0.0, min(1.0, float(progress)))
    if message is not None:
        values["message"] = message[:500]
    with db.begin() as session:
        return bool(
            session.execute(
                update(Job).where(*_owned(job_id, worker, attempt)).values(**values)
            ).rowcount
        )


def _end(
    db: Database,
    job_id: int,
    worker: str,
    attempt: int | None,
    values: dict[str, Any],
    action: str,
) -> bool:
    require(db.principal, REVIEW)
    with db.begin() as session:
        changed = session.execute(
            update(Job).where(*_owned(job_id, worker, attempt)).values(**values)
        ).rowcount
        if changed:
            details = {"state": values["state"]}
            if values.get("result"):
                details.update(
                    {k: v for k, v in values["result"].items() if k in ("transcript", "clip")}
                )
            record_event(
                session,
                actor=worker,
                action=action,
                object_type="job",
                object_id=job_id,
                details=details,
            )
        return bool(changed)


def finish(
    db: Database,
    job_id: int,
    worker: str,
    result: dict[str, Any] | None = None,
    message: str = "done",
    *,
    attempt: int | None = None,
) -> bool:
    """Mark the worker's job done with its result; False if it was no longer the worker's."""
    values = dict(
        state="done",
        progress=1.0,
        result=result or {},
        message=message,
        finished_at=_now(db),
        heartbeat_at=_now(db),
    )
    return _end(db, job_id, worker, attempt, values, "finish job")


def fail(
    db: Database, job_id: int, worker: str, message: str, *, attempt: int | None = None
) -> bool:
    """Mark the worker's job failed, saying why (no personal data in ``message``)."""
    values = dict(state="failed", message=message[:500], finished_at=_now(db))
    return _end(db, job_id, worker, attempt, values, "fail job")


def release(db: Database, job_id: int, worker: str, *, attempt: int | None = None) -> bool:
    """Put the worker's running job back in the queue (the worker is stopping): the claim
    is not counted as an attempt, and nothing of its progress is kept."""
    values = dict(
        state="queued",
        worker=None,
        progress=0.0,
        attempts=Job.attempts - 1,
        message=f"put back by {worker}, which stopped",
    )
    return _end(db, job_id, worker, attempt, values, "release job")


def requeue_stale(
    db: Database,
    older_than: dt.timedelta = STALE_AFTER,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    actor: str = "",
) -> RequeueOutcome:
    """Queue again the running jobs whose worker has not beaten for ``older_than``; a job
    already claimed ``max_attempts`` times is failed instead, with a message saying so."""
    require(db.principal, REVIEW)
    if db.dialect == "postgresql":
        cutoff: Any = func.timezone("UTC", func.now()) - older_than
    else:
        cutoff = models.utcnow() - older_than
    stale = (Job.state == "running", Job.heartbeat_at < cutoff)
    with db.begin() as session:
        given_up = session.scalars(
            update(Job)
            .where(*stale, Job.attempts >= max_attempts)
            .values(
                state="failed",
                finished_at=_now(db),
                message=f"gave up after {max_attempts} attempts: each time, the worker "
                "running it stopped answering (it crashed or lost its connection)",
            )
            .returning(Job.id)
        ).all()
        again = session.scalars(
            update(Job)
            .where(*stale, Job.attempts < max_attempts)
            .values(
                state="queued",
                progress=0.0,
                worker=None,
                message=f"queued again: the worker stopped answering for "
                f"{older_than.total_seconds():.0f} s",
            )
            .returning(Job.id)
        ).all()
        for action, ids in (("requeue job", again), ("fail job", given_up)):
            for job_id in ids:
                record_event(session, actor=actor or db.principal.name, action=action,
                             object_type="job", object_id=job_id,
                             details={"reason": "stale"})  # fmt: skip
        return RequeueOutcome(tuple(sorted(again)), tuple(sorted(given_up)))


def pending_work(db: Database, kinds: Iterable[str] | None = None) -> tuple[int, int]:
    """How many jobs are queued and how many running (a draining worker waits for both)."""
    kinds = list(kinds) if kinds is not None else _claimable_kinds(db.principal)
    with db.begin() as session:
        counts = dict(
            session.execute(
                select(Job.state, func.count())
                .where(Job.state.in_(ACTIVE), Job.kind.in_(kinds), _visible(db.principal))
                .group_by(Job.state)
            ).all()
        )
    return counts.get("queued", 0), counts.get("running", 0)
