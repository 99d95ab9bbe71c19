"""Exported clips and their release to the trainers' library; the incident's people & places.

Release needs a second person. A clip that passed verification is ``awaiting`` approval; one
that failed is ``held`` until someone overrides it with a stated reason, and then awaits
approval too. It joins the library (``approved``) only when another TIP or an admin, not
whoever exported it or overrode it, approves it, and only while its file still has the
SHA-256 recorded at verification; or it is ``not_approved``, with a reason. An approved clip
may be withdrawn (not approved, with a reason). Every step is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from bwvreview.annotations.access import (
    EXPORT,
    READ_CLIPS,
    READ_FOOTAGE,
    REVIEW,
    ROLE_LABELS,
    PermissionDenied,
    Principal,
    require,
)
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.rows import record_from_row

HELD, AWAITING, APPROVED, NOT_APPROVED = "held", "awaiting", "approved", "not_approved"
STATE_WORDS = {
    HELD: "Did not pass verification",
    AWAITING: "Awaiting a second person",
    APPROVED: "Approved for trainers",
    NOT_APPROVED: "Not approved",
}
BEFORE_SECOND_PERSON = "before second-person release"  # who "approved" clips from before 0009
MAX_REASON = 2000


class ReleaseRefused(DomainError):
    """This clip cannot be approved or not approved now, by this person (one line why)."""


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
    in_library: bool  # released to trainers: exactly when release_state is approved
    created_at: dt.datetime
    release_state: str = HELD
    exported_by: str = ""
    override_reason: str = ""
    decided_by: str = ""
    decided_at: dt.datetime | None = None
    decision_reason: str = ""

    @property
    def state_words(self) -> str:
        return STATE_WORDS.get(self.release_state, self.release_state)


def _to_record(row: models.Clip) -> ClipRecord:
    return record_from_row(
        ClipRecord,
        row,
        options=dict(row.options or {}),
        report=dict(row.report or {}),
        exported_by=row.exported_by or "",
        override_reason=row.override_reason or "",
        decided_by=row.decided_by or "",
        decision_reason=row.decision_reason or "",
    )


def record_clip(db: Database, new: NewClip, actor: str) -> ClipRecord:
    """Store an exported clip: a verified one awaits a second person, a failed one is held."""
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
            in_library=False,
            release_state=AWAITING if new.verified else HELD,
            created_by=db.principal.user_id,
            exported_by=actor,
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
    """Put a clip forward for a second person's approval; a failed one needs a stated reason.

    A verified clip awaits approval already (nothing changes). Nothing joins the trainers'
    library here: that takes ``approve_clip`` by someone else.
    """
    require(db.principal, EXPORT)
    reason = override_reason.strip()
    with db.begin() as session:
        row = _clip(session, clip_id)
        if row.verified or row.release_state != HELD:
            return _to_record(row)
        if not reason:
            raise DomainError(
                f"clip {clip_id} failed verification; it can be put forward for approval only"
                " with an override and a reason"
            )
        row.override_reason = reason[:MAX_REASON]
        row.override_by_id = db.principal.user_id
        row.override_by = actor
        row.release_state = AWAITING
        record_event(
            session,
            actor=actor,
            action="clip.library_override",
            object_type="clip",
            object_id=clip_id,
            details={"reason": row.override_reason, "now": AWAITING},
        )
        return _to_record(row)


def same_person(user_id: int | None, name: str, principal: Principal) -> bool:
    """Whether ``principal`` is the person recorded as ``user_id`` / ``name``: by id when
    both have one, else by name as sign-in compares names (the machine's owner has no id)."""
    if user_id is not None and principal.user_id is not None:
        return user_id == principal.user_id
    key = models.user_name_key
    return bool(name.strip()) and key(name) == key(principal.name)


def _require_releaser(principal: Principal, verb: str) -> None:
    if not principal.can(EXPORT):
        label = ROLE_LABELS.get(principal.role, principal.role).lower()
        raise PermissionDenied(
            f"{principal.name} ({label}) may not {verb} clips: a TIP or an admin does"
        )


def _approvable(row: models.Clip, principal: Principal) -> None:
    """Refuse, in one line, a clip this person may not approve as it stands."""
    if row.release_state == HELD:
        raise ReleaseRefused(
            f"clip {row.id} did not pass verification: it needs an override with a reason"
            " before it can be approved"
        )
    if row.release_state == APPROVED:
        raise ReleaseRefused(f"clip {row.id} is already approved (by {row.decided_by})")
    if row.release_state == NOT_APPROVED:
        raise ReleaseRefused(
            f"clip {row.id} was not approved ({row.decision_reason}); export it again to"
            " start afresh"
        )
    if same_person(row.created_by, row.exported_by or "", principal):
        raise ReleaseRefused(
            f"you exported clip {row.id}: another TIP or an admin must watch and approve it"
        )
    if not row.verified and same_person(row.override_by_id, row.override_by or "", principal):
        raise ReleaseRefused(
            f"you overrode clip {row.id}'s verification: another TIP or an admin must watch"
            " and approve it"
        )


def check_approvable(db: Database, clip_id: int) -> ClipRecord:
    """The clip, if the signed-in person may approve it now (before its file is hashed)."""
    _require_releaser(db.principal, "approve")
    with db.begin() as session:
        row = _clip(session, clip_id)
        _approvable(row, db.principal)
        return _to_record(row)


def approve_clip(db: Database, clip_id: int, file_sha256: str | None) -> ClipRecord:
    """Release a clip to trainers: the signed-in TIP or admin watched it and signs it off.

    ``file_sha256`` is the SHA-256 of the clip's file as it is now (``None``: the file is
    missing); it must be the one recorded at verification. Refused (``ReleaseRefused``) for
    the person who exported or overrode it, for a clip not awaiting approval, and for a
    missing or changed file.
    """
    _require_releaser(db.principal, "approve")
    with db.begin() as session:
        row = _clip(session, clip_id)
        _approvable(row, db.principal)
        if file_sha256 is None:
            raise ReleaseRefused(
                f"clip {clip_id}'s file is not at {row.output_path}; it cannot be approved"
            )
        if file_sha256 != row.sha256:
            raise ReleaseRefused(
                f"clip {clip_id}'s file has changed since it was verified (SHA-256 differs);"
                " it cannot be approved: export it again"
            )
        row.release_state, row.in_library = APPROVED, True
        row.decided_by_id, row.decided_by = db.principal.user_id, db.principal.name
        row.decided_at, row.decision_reason = models.utcnow(), ""
        details: dict[str, Any] = {"sha256": row.sha256, "exported_by": row.exported_by}
        if row.override_reason:
            details["override_reason"] = row.override_reason
        record_event(session, actor=db.principal.name, action="clip.approved",
                     object_type="clip", object_id=clip_id, details=details)  # fmt: skip
        return _to_record(row)


def reject_clip(db: Database, clip_id: int, reason: str) -> ClipRecord:
    """Keep a clip out of the trainers' library, or withdraw an approved one, with a reason.

    Anyone who may approve clips may say no, including whoever exported it: keeping a clip
    back never needs a second person.
    """
    _require_releaser(db.principal, "approve or not approve")
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ReleaseRefused("say why the clip is not approved (--reason TEXT)")
    if len(cleaned) > MAX_REASON:
        raise ReleaseRefused(f"a reason is at most {MAX_REASON} characters")
    with db.begin() as session:
        row = _clip(session, clip_id)
        if row.release_state not in (AWAITING, APPROVED):
            raise ReleaseRefused(
                f"clip {clip_id} is not awaiting approval or approved"
                f" ({STATE_WORDS[row.release_state].lower()})"
            )
        was = row.release_state
        row.release_state, row.in_library = NOT_APPROVED, False
        row.decided_by_id, row.decided_by = db.principal.user_id, db.principal.name
        row.decided_at, row.decision_reason = models.utcnow(), cleaned
        record_event(session, actor=db.principal.name, action="clip.not_approved",
                     object_type="clip", object_id=clip_id,
                     details={"reason": cleaned, "was": was})  # fmt: skip
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
    """Replace the list for the recording's incident (one is made for a loose recording).

    A found entry that is now on the list is confirmed: it leaves the found list.
    """
    require(db.principal, REVIEW)
    cleaned = list(dict.fromkeys(item.strip() for item in items if item.strip()))
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        if recording.incident is None:
            recording.incident = models.Incident(reference=f"recording-{recording_id}")
        recording.incident.people_places = cleaned
        listed = {item.casefold() for item in cleaned}
        recording.incident.people_places_found = [
            entry
            for entry in recording.incident.people_places_found or []
            if entry["text"].casefold() not in listed
        ]
        record_event(
            session,
            actor=actor,
            action="incident.people_places_set",
            object_type="incident",
            object_id=recording.incident.reference,
            details={"count": len(cleaned)},  # the names themselves stay out of the log
        )
        return cleaned


FOUND, DISMISSED = "found", "dismissed"


@dataclass(frozen=True)
class FoundEntry:
    """A name, place or number found in the incident's transcripts, not yet confirmed."""

    text: str
    kind: str  # "name", "place", "address", "phone", ...
    state: str  # FOUND (bleeped until dismissed) or DISMISSED


def found_people_and_places(db: Database, recording_id: int) -> list[FoundEntry]:
    """What was found for the recording's incident and is not on the reviewer's list."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        if recording.incident is None:
            return []
        return [FoundEntry(**e) for e in recording.incident.people_places_found or []]


def add_found_people_and_places(
    db: Database, recording_id: int, found: Sequence[tuple[str, str]], actor: str
) -> int:
    """Add (text, kind) entries found in a transcript as unconfirmed; returns how many
    were new (an entry already listed, found or dismissed is left as it is)."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        if recording.incident is None:
            recording.incident = models.Incident(reference=f"recording-{recording_id}")
        incident = recording.incident
        entries = list(incident.people_places_found or [])
        known = {e["text"].casefold() for e in entries}
        known |= {item.casefold() for item in incident.people_places or []}
        added = 0
        for text, kind in found:
            if text.strip() and text.casefold() not in known:
                entries.append({"text": text.strip(), "kind": kind, "state": FOUND})
                known.add(text.casefold())
                added += 1
        if added:
            incident.people_places_found = entries
            record_event(session, actor=actor, action="incident.people_places_found",
                         object_type="incident", object_id=incident.reference,
                         details={"added": added})  # fmt: skip
        return added


def dismiss_found(db: Database, recording_id: int, texts: Sequence[str], actor: str) -> None:
    """The reviewer says these found entries are not personal data: no longer bleeped
    wherever they are said (a detection in a span is still shown for its own tick)."""
    require(db.principal, REVIEW)
    wanted = {t.casefold() for t in texts}
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        if recording.incident is None:
            return
        recording.incident.people_places_found = [
            {**e, "state": DISMISSED} if e["text"].casefold() in wanted else e
            for e in recording.incident.people_places_found or []
        ]
        record_event(session, actor=actor, action="incident.people_places_dismissed",
                     object_type="incident", object_id=recording.incident.reference,
                     details={"count": len(wanted)})  # fmt: skip
