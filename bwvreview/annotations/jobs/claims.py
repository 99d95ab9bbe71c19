"""The worker's side of the queue: claim the next job, beat while running it, and finish,
fail or release it; put back the jobs of workers that stopped answering.

Every write after the claim is conditional on the worker still owning the job (its name,
the attempt number, state *running*), so a worker whose job was cancelled or handed on
learns so and stores nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, func, select, update

from bwvreview.annotations.access import REVIEW, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.jobs.records import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    Job,
    JobRecord,
    RequeueOutcome,
    claimable_kinds,
    db_now,
    read_job,
    visible_to,
)
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database


def _owned(job_id: int, worker: str, attempt: int | None) -> list[ColumnElement[bool]]:
    clauses = [Job.id == job_id, Job.worker == worker, Job.state == "running"]
    if attempt is not None:
        clauses.append(Job.attempts == attempt)
    return clauses


def claim_next(db: Database, worker: str) -> JobRecord | None:
    """Claim the next queued job for ``worker`` (highest priority, then oldest), or None.

    The job becomes *running*, owned by ``worker``, with its attempt count raised by one,
    in one transaction; no two callers ever get the same job, whichever the engine.
    """
    kinds = claimable_kinds(db.principal)
    now = db_now(db)
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
        .where(Job.state == "queued", Job.kind.in_(kinds), visible_to(db.principal))
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
        job = read_job(session, job_id)
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
    claimable_kinds(db.principal)
    values: dict[str, Any] = {"heartbeat_at": db_now(db)}
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
        finished_at=db_now(db),
        heartbeat_at=db_now(db),
    )
    return _end(db, job_id, worker, attempt, values, "finish job")


def fail(
    db: Database, job_id: int, worker: str, message: str, *, attempt: int | None = None
) -> bool:
    """Mark the worker's job failed, saying why (no personal data in ``message``)."""
    values = dict(state="failed", message=message[:500], finished_at=db_now(db))
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
                finished_at=db_now(db),
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
