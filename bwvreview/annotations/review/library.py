"""The library service: recordings, the incidents they belong to, and the officers in them.

Each function takes the open ``Database``, does its work in one transaction (so every
change is saved at once), and returns frozen records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import (
    REVIEW,
    readable_recording,
    recording_filter,
    require,
)
from bwvreview.annotations.access.users import clean_collar
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.records import NewRecording, Recording
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models.people import REFERENCE_LENGTH
from bwvreview.annotations.store.rows import record_from_row


def _to_record(row: models.Recording) -> Recording:
    incident = row.incident
    officers = sorted(o.collar_number or o.name for o in incident.officers) if incident else ()
    return record_from_row(
        Recording,
        row,
        incident_reference=incident.reference if incident else None,
        officers=tuple(officers),
    )


def _recording(session: Session, recording_id: int) -> models.Recording:
    row = session.get(models.Recording, recording_id)
    if row is None:
        raise NotFoundError(f"no recording with id {recording_id}")
    return row


def checked_reference(text: str | None) -> str:
    """An incident reference as it is stored (trimmed; "" for none), or refused in one line
    when it is longer than the column holds (SQLite would keep it, PostgreSQL would not)."""
    reference = (text or "").strip()
    if len(reference) > REFERENCE_LENGTH:
        raise DomainError(
            f"an incident reference has at most {REFERENCE_LENGTH} characters"
            f" (this one has {len(reference)})"
        )
    return reference


def _incident(session: Session, reference: str) -> models.Incident:
    incident = session.scalar(select(models.Incident).where(models.Incident.reference == reference))
    if incident is None:
        incident = models.Incident(reference=reference)
        session.add(incident)
        session.flush()
    return incident


def _officer(session: Session, collar_number: str) -> models.User:
    user = session.scalar(select(models.User).where(models.User.collar_number == collar_number))
    if user is None:
        user = models.User(
            name=f"Officer {collar_number}", role="officer", collar_number=collar_number
        )
        session.add(user)
        session.flush()
    return user


def add_recording(
    db: Database,
    new: NewRecording,
    *,
    incident_reference: str | None = None,
    officer_collar: str | None = None,
    actor: str = "system",
) -> tuple[Recording, bool]:
    """Store a probed, hashed file; return ``(recording, created)``.

    Importing the same bytes again (from any path) returns the existing recording: identity
    is the SHA-256. An incident reference or officer given on a later import is still linked.
    """
    incident_reference = checked_reference(incident_reference)
    require(db.principal, REVIEW)
    with db.begin() as session:
        row = session.scalar(select(models.Recording).where(models.Recording.sha256 == new.sha256))
        created = row is None
        if row is None:
            row = models.Recording(**asdict(new), has_audio=new.has_audio)
            session.add(row)
            session.flush()
        if incident_reference:
            row.incident = _incident(session, incident_reference)
        if officer_collar:
            if row.incident is None:
                row.incident = _incident(session, f"REC-{row.id:05d}")
            officer = _officer(session, officer_collar)
            if officer not in row.incident.officers:
                row.incident.officers.append(officer)
        session.flush()
        record_event(
            session,
            actor=actor,
            action="import" if created else "import-again",
            object_type="recording",
            object_id=row.id,
            details={"sha256": row.sha256, "size_bytes": row.size_bytes},
        )
        return _to_record(row), created


def get_recording(db: Database, recording_id: int) -> Recording:
    """The recording with this id, or ``NotFoundError`` (also when it is not the reader's)."""
    with db.begin() as session:
        return _to_record(readable_recording(session, db.principal, recording_id))


def find_recording_by_sha256(db: Database, sha256: str) -> Recording | None:
    with db.begin() as session:
        row = session.scalar(
            select(models.Recording).where(
                models.Recording.sha256 == sha256, recording_filter(db.principal)
            )
        )
        return _to_record(row) if row else None


def list_recordings(db: Database) -> list[Recording]:
    """Every recording the reader may see (an officer: their own incidents'), newest first."""
    with db.begin() as session:
        rows = session.scalars(
            select(models.Recording)
            .where(recording_filter(db.principal))
            .order_by(models.Recording.imported_at.desc(), models.Recording.id.desc())
        )
        return [_to_record(row) for row in rows]


def set_content_warning(db: Database, recording_id: int, text: str | None, actor: str) -> Recording:
    """Set (or, with ``None`` or blank text, clear) the recording's content warning.

    The warning is free text a reviewer reads before the footage opens, such as "child
    present; restraint". The change is audited; the warning's words stay out of the log.
    """
    warning = (text or "").strip() or None
    require(db.principal, REVIEW)
    with db.begin() as session:
        row = _recording(session, recording_id)
        row.content_warning = warning
        session.flush()
        record_event(
            session,
            actor=actor,
            action="content-warning-set" if warning else "content-warning-clear",
            object_type="recording",
            object_id=row.id,
            details={"chars": len(warning or "")},
        )
        return _to_record(row)


def set_details(
    db: Database,
    recording_id: int,
    incident_reference: str | None,
    officers: Sequence[str],
    actor: str,
) -> Recording:
    """File the recording under an incident and name the officers in it, after import.

    The reference is the incident's (an existing incident is joined, a new one made);
    blank leaves the recording under no incident, unless officers are named, who need one
    (``REC-00012``, as at import). The officers (collar numbers) replace the incident's:
    they are who may read its shared feedback, so a mistaken one can be taken off. Audited.
    """
    reference = checked_reference(incident_reference)
    collars = list(dict.fromkeys(clean_collar(o, "officer") for o in officers if o.strip()))
    require(db.principal, REVIEW)
    with db.begin() as session:
        row = _recording(session, recording_id)
        before = (row.incident.reference if row.incident else None,
                  len(row.incident.officers) if row.incident else 0)  # fmt: skip
        if reference:
            row.incident = _incident(session, reference)
        elif collars:
            row.incident = _incident(session, f"REC-{row.id:05d}")
        else:
            row.incident = None
        if row.incident is not None:
            row.incident.officers = [_officer(session, collar) for collar in collars]
        session.flush()
        record_event(
            session, actor=actor, action="details-set", object_type="recording",
            object_id=row.id,
            details={"incident_from": before[0], "incident": row.incident.reference
                     if row.incident else None, "officers_from": before[1],
                     "officers": len(collars)},
        )  # fmt: skip
        return _to_record(row)


def relocate_recording(
    db: Database, recording_id: int, path: str, sha256: str, actor: str
) -> Recording:
    """Point a recording at the file's new place, if it is the same footage (same SHA-256).

    A file with other contents is refused: a recording's identity is its fingerprint, so
    annotations never silently move onto different footage.
    """
    require(db.principal, REVIEW)
    with db.begin() as session:
        row = _recording(session, recording_id)
        if sha256 != row.sha256:
            raise DomainError(
                f"{path}: not the same footage (its fingerprint differs from the one imported)"
            )
        old = row.path
        row.path = path
        record_event(session, actor=actor, action="relocate", object_type="recording",
                     object_id=row.id, details={"moved": old != path})  # fmt: skip
        session.flush()
        return _to_record(row)


STATUSES = ("new", "transcribed", "in_review", "reviewed", "shared", "archived")
STATUS_LABELS = {
    "new": "New",
    "transcribed": "Transcribed",
    "in_review": "In review",
    "reviewed": "Reviewed",
    "shared": "Shared with officer",
    "archived": "Archived",
}


def set_status(db: Database, recording_id: int, status: str, actor: str = "") -> Recording:
    """Move a recording through new → transcribed → in review → reviewed → shared → archived.

    Any step may be taken (a reviewer can reopen a reviewed recording); each is audited
    with where it came from.
    """
    principal = require(db.principal, REVIEW)
    if status not in STATUSES:
        raise DomainError(f"status must be one of {', '.join(STATUSES)}")
    with db.begin() as session:
        row = _recording(session, recording_id)
        before = row.status
        if before != status:
            row.status = status
            session.flush()
            record_event(session, actor=actor or principal.name, action="status-change",
                         object_type="recording", object_id=row.id,
                         details={"from": before, "to": status})  # fmt: skip
        return _to_record(row)


def note_progress(session: Session, row: models.Recording, status: str, actor: str) -> None:
    """The automatic steps (transcribed, in review), taken in the caller's transaction."""
    if STATUSES.index(status) <= STATUSES.index(row.status):
        return
    before, row.status = row.status, status
    session.flush()
    record_event(session, actor=actor, action="status-change", object_type="recording",
                 object_id=row.id, details={"from": before, "to": status})  # fmt: skip


def incident_id(db: Database, reference: str) -> int:
    """The id of the incident with this reference (reviewers only), or ``NotFoundError``."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        found = session.scalar(
            select(models.Incident.id).where(models.Incident.reference == reference)
        )
        if found is None:
            raise NotFoundError(f"no incident with reference {reference!r}")
        return found
