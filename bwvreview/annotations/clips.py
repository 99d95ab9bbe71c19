"""Exported clips and their place in the trainers' library; the incident's people & places.

A clip joins the library only when its verification passed, or when someone overrides a
failed verification on purpose: that override is written to the audit log with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from bwvreview.annotations import models
from bwvreview.annotations.access import EXPORT, READ_CLIPS, READ_FOOTAGE, REVIEW, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.db import Database
from bwvreview.annotations.errors import DomainError, NotFoundError


@dataclass(frozen=True)
class NewClip:
    recording_id: int
    annotation_id: int | None
    start_ms: int
    end_ms: int
    output_path: str
    sha256: str
    source_sha256: str
    options: dict[str, Any]
    report: dict[str, Any]
    verified: bool


@dataclass(frozen=True)
class ClipRecord(NewClip):
    id: int
    in_library: bool
    created_at: dt.datetime


def _to_record(row: models.Clip) -> ClipRecord:
    return ClipRecord(
        id=row.id,
        recording_id=row.recording_id,
        annotation_id=row.annotation_id,
        start_ms=row.start_ms,
        end_ms=row.end_ms,
        output_path=row.output_path,
        sha256=row.sha256,
        source_sha256=row.source_sha256,
        options=dict(row.options or {}),
        report=dict(row.report or {}),
        verified=row.verified,
        in_library=row.in_library,
        created_at=row.created_at,
    )


def record_clip(db: Database, new: NewClip, actor: str) -> ClipRecord:
    """Store an exported clip; a verified clip joins the library at once."""
    require(db.principal, EXPORT)
    with db.begin() as session:
        row = models.Clip(
            recording_id=new.recording_id,
            annotation_id=new.annotation_id,
            start_ms=new.start_ms,
            end_ms=new.end_ms,
            output_path=new.output_path,
            sha256=new.sha256,
            source_sha256=new.source_sha256,
            options=new.options,
            report=new.report,
            verified=new.verified,
            in_library=new.verified,
        )
        session.add(row)
        session.flush()
        record_event(
            session,
            actor=actor,
            action="clip.exported",
            object_type="clip",
            object_id=row.id,
            details={
                "recording_id": new.recording_id,
                "span_ms": [new.start_ms, new.end_ms],
                "sha256": new.sha256,
                "verdict": "pass" if new.verified else "fail",
                "opt_outs": sorted(k for k, v in new.options.get("opt_outs", {}).items() if v),
            },
        )
        return _to_record(row)


def _clip(session: Session, clip_id: int) -> models.Clip:
    row = session.get(models.Clip, clip_id)
    if row is None:
        raise NotFoundError(f"no clip with id {clip_id}")
    return row


def _visible(db: Database) -> ColumnElement[bool]:
    """Reviewers see every clip; a trainer only those in the library (anonymised, verified)."""
    if db.principal.can(READ_FOOTAGE):
        return true()
    return models.Clip.in_library.is_(True)


def get_clip(db: Database, clip_id: int) -> ClipRecord:
    require(db.principal, READ_CLIPS)
    with db.begin() as session:
        row = session.scalar(select(models.Clip).where(models.Clip.id == clip_id, _visible(db)))
        if row is None:
            raise NotFoundError(f"no clip with id {clip_id}")
        return _to_record(row)


def find_clip_by_sha256(db: Database, sha256: str) -> ClipRecord | None:
    require(db.principal, READ_CLIPS)
    with db.begin() as session:
        row = session.scalar(
            select(models.Clip)
            .where(models.Clip.sha256 == sha256, _visible(db))
            .order_by(models.Clip.id.desc())
        )
        return _to_record(row) if row else None


def list_clips(db: Database, *, library_only: bool = False) -> list[ClipRecord]:
    require(db.principal, READ_CLIPS)
    with db.begin() as session:
        query = select(models.Clip).where(_visible(db)).order_by(models.Clip.id)
        if library_only:
            query = query.where(models.Clip.in_library.is_(True))
        return [_to_record(row) for row in session.scalars(query)]


def add_to_library(db: Database, clip_id: int, actor: str, override_reason: str = "") -> ClipRecord:
    """Put a clip in the trainers' library; a failed clip needs a stated reason to override."""
    require(db.principal, EXPORT)
    with db.begin() as session:
        row = _clip(session, clip_id)
        if not row.verified and not override_reason.strip():
            raise DomainError(
                f"clip {clip_id} failed verification; it joins the library only with an"
                " override and a reason"
            )
        row.in_library = True
        record_event(
            session,
            actor=actor,
            action="clip.library_override" if not row.verified else "clip.added_to_library",
            object_type="clip",
            object_id=clip_id,
            details={"reason": override_reason.strip()} if not row.verified else {},
        )
        return _to_record(row)


def people_and_places(db: Database, recording_id: int) -> list[str]:
    """The reviewer's list for the recording's incident (empty when there is none)."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        return list(recording.incident.people_places or []) if recording.incident else []


def set_people_and_places(
    db: Database, recording_id: int, items: Sequence[str], actor: str
) -> list[str]:
    """Replace the list for the recording's incident (one is made for a loose recording)."""
    require(db.principal, REVIEW)
    cleaned = list(dict.fromkeys(item.strip() for item in items if item.strip()))
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        if recording.incident is None:
            recording.incident = models.Incident(reference=f"recording-{recording_id}")
        recording.incident.people_places = cleaned
        record_event(
            session,
            actor=actor,
            action="incident.people_places_set",
            object_type="incident",
            object_id=recording.incident.reference,
            details={"count": len(cleaned)},  # the names themselves stay out of the log
        )
        return cleaned
