"""What a job is: its record, the states it passes through, who may see it, and how a row is
read (the queue and the worker's side both build on these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import (
    EXPORT,
    REVIEW,
    PermissionDenied,
    Principal,
    recording_filter,
)
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.rows import record_from_row

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


# --- reading and scoping ----------------------------------------------------------------


def to_record(row: models.Job, recording_path: str | None) -> JobRecord:
    return record_from_row(
        JobRecord,
        row,
        recording_name=Path(recording_path).name if recording_path else "",
        params=dict(row.params or {}),
    )


def read_job(session: Session, job_id: int) -> JobRecord:
    found = session.execute(
        select(Job, models.Recording.path)
        .outerjoin(models.Recording, models.Recording.id == Job.recording_id)
        .where(Job.id == job_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if found is None:
        raise NotFoundError(f"no job with id {job_id}")
    return to_record(*found)


def db_now(db: Database) -> Any:
    """The time to stamp: the database server's clock on PostgreSQL (workers on several
    machines then agree on what is stale), this machine's on SQLite (a local file)."""
    if db.dialect == "postgresql":
        return func.timezone("UTC", func.now())
    return models.utcnow()


def claimable_kinds(principal: Principal) -> list[str]:
    kinds = [kind for kind in KINDS if principal.can(PERMISSION[kind])]
    if not kinds:
        raise PermissionDenied(f"{principal.name} ({principal.role}) may not run queued jobs")
    return kinds


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """Jobs on recordings the principal may read (jobs always name a recording)."""
    return Job.recording_id.in_(select(models.Recording.id).where(recording_filter(principal)))
