"""The people's side of the queue: enqueue a job, look at jobs, cancel one, retry one, and
count what is waiting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update

from bwvreview.annotations.access import recording_filter, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.jobs.records import (
    ACTIVE,
    KINDS,
    PERMISSION,
    Job,
    JobRecord,
    claimable_kinds,
    db_now,
    read_job,
    to_record,
    visible_to,
)
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database


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
                return read_job(session, existing)
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
        return to_record(row, recording.path)


def get_job(db: Database, job_id: int) -> JobRecord:
    with db.begin() as session:
        job = read_job(session, job_id)
        visible = session.scalar(select(Job.id).where(Job.id == job_id, visible_to(db.principal)))
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
            .where(visible_to(db.principal))
        )
        if states:
            query = query.where(Job.state.in_(list(states)))
        rows = session.execute(query.order_by(Job.id.desc()).limit(limit)).all()
        jobs = [to_record(row, path) for row, path in rows]
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
        job = read_job(session, job_id)
        require(db.principal, PERMISSION[job.kind])
        if session.scalar(select(Job.id).where(Job.id == job_id, visible_to(db.principal))) is None:
            raise NotFoundError(f"no job with id {job_id}")
        changed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_(ACTIVE))
            .values(state="cancelled", finished_at=db_now(db), message="cancelled")
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
        return read_job(session, job_id)


def retry(db: Database, job_id: int, actor: str = "") -> JobRecord:
    """Queue a failed or cancelled job again, with a fresh count of attempts."""
    with db.begin() as session:
        job = read_job(session, job_id)
        require(db.principal, PERMISSION[job.kind])
        changed = session.execute(
            update(Job)
            .where(
                Job.id == job_id, Job.state.in_(("failed", "cancelled")), visible_to(db.principal)
            )
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
        return read_job(session, job_id)


def pending_work(db: Database, kinds: Iterable[str] | None = None) -> tuple[int, int]:
    """How many jobs are queued and how many running (a draining worker waits for both)."""
    kinds = list(kinds) if kinds is not None else claimable_kinds(db.principal)
    with db.begin() as session:
        counts = dict(
            session.execute(
                select(Job.state, func.count())
                .where(Job.state.in_(ACTIVE), Job.kind.in_(kinds), visible_to(db.principal))
                .group_by(Job.state)
            ).all()
        )
    return counts.get("queued", 0), counts.get("running", 0)
