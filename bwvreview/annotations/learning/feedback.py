"""Feedback for officers and their reflections: what an officer sees of their own incidents.

An officer reads only the incidents they are linked to and, on those, only the annotations a
Trauma Informed Practitioner marked *shared*; a TIP or admin may open the same view to see
what the officer will see. The officer answers with reflections (reflective practice), on the
whole incident or on one moment; a TIP reads them, which marks them seen so the officer knows
they were read. The wording here is the officer-facing wording: it is framed for learning, not
blame, and says plainly that this is not a conduct process (see CODEBOOK.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from bwvreview.annotations.access import (
    READ_FOOTAGE,
    READ_REFLECTIONS,
    REFLECT,
    PermissionDenied,
    Principal,
    annotation_filter,
    readable_recording,
    require,
)
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.rows import category_fields, record_from_row

# --- the officer-facing words -------------------------------------------------------------
HEADINGS = {
    "good_practice": "What went well",
    "concern": "To reflect on",
    "observation": "Context",
}
ALTERNATIVE_HEADING = "An alternative you could try"
QUOTE_HEADING = "What was said"
# Purpose first: what the feedback is for (learning, strengths named first), then who it
# comes from. "Reflective practice" is also the name of a formal conduct process (the
# Reflective Practice Review Process), so a second, separate note says plainly that this is
# not it; it never opens the page.
LEARNING_NOTE = (
    "This feedback is here to help you learn from your own incident: what went well, so you "
    "can keep doing it, and a few moments you might reflect on. It comes from a Trauma "
    "Informed Practitioner who watched the footage with you in mind."
)
NOT_CONDUCT_NOTE = (
    "It is not part of any conduct or complaints process (it is not the Reflective Practice "
    "Review Process), and nothing here scores or ranks you."
)
NOTHING_SHARED = (
    "No feedback has been shared with you on this incident yet. "
    "Your reviewer will share it when it is ready."
)
CONSENT_LABEL = "I am happy for this reflection to be used, without my name, in training"
CONSENT_EXPLANATION = (
    "Your reflection is always read by your reviewer. Tick the box only if you are also happy "
    "for it to be quoted, with names and details removed, in de-personalised case studies "
    "used for training. You can leave it unticked; nothing changes for you either way."
)
MAX_REFLECTION_CHARS = 10_000
# good practice is shown first, then the moments to learn from, then the context
_ORDER = {"good_practice": 0, "concern": 1, "observation": 2}


@dataclass(frozen=True)
class FeedbackRecording:
    id: int
    path: str
    sha256: str
    duration_ms: int
    fps: float | None
    status: str
    recorded_at: dt.datetime | None
    shared_count: int


@dataclass(frozen=True)
class OfficerIncident:
    id: int
    reference: str
    occurred_on: dt.date | None
    recordings: tuple[FeedbackRecording, ...]

    @property
    def shared_count(self) -> int:
        return sum(r.shared_count for r in self.recordings)


@dataclass(frozen=True)
class FeedbackItem:
    """One shared moment as the officer sees it (no severity, no author: learning, not blame)."""

    annotation_id: int
    recording_id: int
    start_ms: int
    end_ms: int
    category_key: str
    category_label: str
    polarity: str
    principles: tuple[str, ...]
    note: str
    quote: str
    suggested_wording: str
    shared: bool
    officer_title: str  # the softened title the codebook gives officers (else the label)

    @property
    def heading(self) -> str:
        return HEADINGS.get(self.polarity, HEADINGS["observation"])


@dataclass(frozen=True)
class Reflection:
    id: int
    incident_id: int | None
    incident_reference: str | None
    annotation_id: int | None
    moment_label: str | None  # the category of the moment reflected on, if any
    moment_key: str | None  # that category's key (for the officer's title of it)
    author_id: int | None
    author_name: str
    text: str
    consent_to_share: bool
    created_at: dt.datetime
    seen_at: dt.datetime | None


# --- reading what the officer may see -----------------------------------------------------
def _linked_to(principal: Principal) -> ColumnElement[bool]:
    """Incidents the principal may open: all for a reviewer, their own for an officer."""
    if principal.can(READ_FOOTAGE):
        return true()
    if principal.is_officer and principal.user_id is not None:
        table = models.incident_officers
        return exists(
            select(table.c.user_id).where(
                table.c.incident_id == models.Incident.id, table.c.user_id == principal.user_id
            )
        )
    return false()


def _require_feedback_reader(principal: Principal) -> None:
    if not (principal.can(READ_FOOTAGE) or principal.can(REFLECT)):
        raise PermissionDenied(f"{principal.name} may not read officer feedback")


def _shared(principal: Principal) -> ColumnElement[bool]:
    return and_(models.Annotation.status == "shared", annotation_filter(principal))


def my_incidents(db: Database) -> list[OfficerIncident]:
    """The incidents the signed-in officer is linked to, newest first, with their recordings
    and how many moments were shared on each (a TIP or admin sees every incident)."""
    principal = db.principal
    _require_feedback_reader(principal)
    with db.begin() as session:
        incidents = session.scalars(
            select(models.Incident)
            .where(_linked_to(principal))
            .order_by(models.Incident.occurred_on.desc(), models.Incident.id.desc())
            .options(selectinload(models.Incident.recordings))
        ).all()
        counts = _shared_counts(session, principal, [i.id for i in incidents])
        result = []
        for incident in incidents:
            recordings = tuple(
                FeedbackRecording(
                    r.id,
                    r.path,
                    r.sha256,
                    r.duration_ms,
                    r.fps,
                    r.status,
                    r.recorded_at,
                    counts.get(r.id, 0),
                )
                for r in sorted(
                    incident.recordings, key=lambda r: (r.recorded_at or r.imported_at, r.id)
                )  # fmt: skip
            )
            if recordings:
                result.append(OfficerIncident(incident.id, incident.reference,
                                              incident.occurred_on, recordings))  # fmt: skip
        return result


def _shared_counts(
    session: Session, principal: Principal, incident_ids: list[int]
) -> dict[int, int]:
    if not incident_ids:
        return {}
    rows = session.execute(
        select(models.Annotation.recording_id, func.count(models.Annotation.id))
        .join(models.Recording, models.Recording.id == models.Annotation.recording_id)
        .where(models.Recording.incident_id.in_(incident_ids), _shared(principal))
        .group_by(models.Annotation.recording_id)
    )
    return {recording_id: count for recording_id, count in rows}


Titles = Mapping[str, str]  # category key -> the title an officer reads


def _to_item(row: models.Annotation, titles: Titles | None) -> FeedbackItem:
    category = row.category
    return record_from_row(
        FeedbackItem,
        row,
        annotation_id=row.id,
        **category_fields(category),
        shared=row.status == "shared",
        officer_title=(titles or {}).get(category.key) or category.label,
    )


def _annotations(session: Session, recording_id: int, where: ColumnElement[bool]) -> list:
    return list(
        session.scalars(
            select(models.Annotation)
            .join(models.Recording, models.Recording.id == models.Annotation.recording_id)
            .where(models.Annotation.recording_id == recording_id, where)
            .order_by(models.Annotation.start_ms, models.Annotation.id)
            .options(selectinload(models.Annotation.category))
        )
    )


def shared_feedback(
    db: Database, recording_id: int, officer_titles: Titles | None = None
) -> list[FeedbackItem]:
    """The moments shared with the officer on a recording: good practice first, then the
    moments to reflect on (each with its suggested alternative wording), then context; in
    time order within each. ``officer_titles`` (the codebook's, by category key) name each
    moment as the officer reads it. Raises ``NotFoundError`` for a recording the user may
    not open."""
    principal = db.principal
    _require_feedback_reader(principal)
    with db.begin() as session:
        readable_recording(session, principal, recording_id)
        rows = _annotations(session, recording_id, _shared(principal))
        items = [_to_item(row, officer_titles) for row in rows]
    return sorted(items, key=lambda i: (_ORDER.get(i.polarity, 3), i.start_ms, i.annotation_id))


def debrief_items(
    db: Database,
    recording_id: int,
    *,
    shared_only: bool = True,
    officer_titles: Titles | None = None,
) -> list[FeedbackItem]:
    """A recording's moments in time order, for stepping through them in a debrief.

    ``shared_only`` (the default) keeps to what was shared with the officer; a reviewer may
    include drafts and final notes too. An officer only ever gets their shared moments."""
    principal = db.principal
    _require_feedback_reader(principal)
    where = _shared(principal) if shared_only else annotation_filter(principal)
    if not shared_only:
        require(principal, READ_FOOTAGE)
    with db.begin() as session:
        readable_recording(session, principal, recording_id)
        rows = _annotations(session, recording_id, where)
        return [_to_item(row, officer_titles) for row in rows]


# --- reflections ----------------------------------------------------------------------------
def _incident_for_annotation(
    session: Session, principal: Principal, annotation_id: int
) -> models.Annotation:
    row = session.scalar(
        select(models.Annotation)
        .join(models.Recording, models.Recording.id == models.Annotation.recording_id)
        .where(models.Annotation.id == annotation_id, _shared(principal))
    )
    if row is None:
        raise NotFoundError(f"no shared moment with id {annotation_id} that you may open")
    return row


def _readable_incident(session: Session, principal: Principal, incident_id: int) -> None:
    found = session.scalar(
        select(models.Incident.id).where(models.Incident.id == incident_id, _linked_to(principal))
    )
    if found is None:
        raise NotFoundError(f"no incident with id {incident_id} that you may open")


def add_reflection(
    db: Database,
    *,
    incident_id: int | None = None,
    annotation_id: int | None = None,
    text: str,
    consent_to_share: bool = False,
) -> Reflection:
    """Save an officer's reflection on one of their incidents or on a moment shared on it.

    Saved at once and audited (ids and the consent flag only, never the words). The consent
    flag says whether the words may be quoted, de-personalised, in case studies."""
    principal = require(db.principal, REFLECT)
    text = text.strip()
    if not text:
        raise DomainError("a reflection needs some words")
    if len(text) > MAX_REFLECTION_CHARS:
        raise DomainError(f"a reflection can be up to {MAX_REFLECTION_CHARS:,} characters")
    if (incident_id is None) == (annotation_id is None):
        raise DomainError("reflect on either the incident or one moment")
    with db.begin() as session:
        if annotation_id is not None:
            annotation = _incident_for_annotation(session, principal, annotation_id)
            recording = session.get(models.Recording, annotation.recording_id)
            incident_id = recording.incident_id if recording else None
        else:
            assert incident_id is not None
            _readable_incident(session, principal, incident_id)
        row = models.Reflection(
            incident_id=incident_id,
            annotation_id=annotation_id,
            author_id=principal.user_id,
            text=text,
            consent_to_share=bool(consent_to_share),
        )
        session.add(row)
        session.flush()
        record_event(session, actor=principal.name, action="reflect", object_type="reflection",
                     object_id=row.id, details={"incident": incident_id,
                     "annotation": annotation_id, "consent": bool(consent_to_share)})  # fmt: skip
        return _reflection(session, row)


def set_reflection_consent(db: Database, reflection_id: int, consent_to_share: bool) -> Reflection:
    """The author changes their mind about sharing a reflection in training material."""
    principal = require(db.principal, REFLECT)
    with db.begin() as session:
        row = session.get(models.Reflection, reflection_id)
        if row is None or row.author_id != principal.user_id:
            raise NotFoundError(f"no reflection of yours with id {reflection_id}")
        row.consent_to_share = bool(consent_to_share)
        record_event(session, actor=principal.name, action="reflection-consent",
                     object_type="reflection", object_id=row.id,
                     details={"consent": bool(consent_to_share)})  # fmt: skip
        return _reflection(session, row)


def list_reflections(
    db: Database,
    *,
    incident_id: int | None = None,
    recording_id: int | None = None,
    mark_seen: bool = True,
) -> list[Reflection]:
    """Reflections, oldest first. An officer sees only their own (on incidents still theirs);
    a TIP or admin sees everyone's, and reading them marks them seen (the officer is shown
    that their reflection was read). ``recording_id`` narrows to the recording's incident and
    the moments on that recording."""
    principal = db.principal
    reader = principal.can(READ_REFLECTIONS)
    if not reader and not principal.can(REFLECT):
        raise PermissionDenied(f"{principal.name} may not read reflections")
    R = models.Reflection
    where: list[ColumnElement[bool]] = []
    if not reader:
        theirs = select(models.Incident.id).where(_linked_to(principal))
        where += [R.author_id == principal.user_id, R.incident_id.in_(theirs)]
    if incident_id is not None:
        where.append(R.incident_id == incident_id)
    with db.begin() as session:
        if recording_id is not None:
            incident = session.scalar(
                select(models.Recording.incident_id).where(models.Recording.id == recording_id)
            )
            on_recording = R.annotation_id.in_(
                select(models.Annotation.id).where(models.Annotation.recording_id == recording_id)
            )
            where.append(or_(on_recording, and_(R.annotation_id.is_(None),
                                                R.incident_id == incident)))  # fmt: skip
        rows = session.scalars(select(R).where(*where).order_by(R.created_at, R.id)).all()
        if reader and mark_seen:
            _mark_seen(session, principal, rows)
        return [_reflection(session, row) for row in rows]


def unread_reflections(db: Database, *, recording_id: int) -> int:
    """How many reflections on the recording (its incident or its moments) no TIP has read
    yet, for a reviewer's "new" count; reading none of them marks nothing."""
    principal = require(db.principal, READ_REFLECTIONS)
    unread = list_reflections(db, recording_id=recording_id, mark_seen=False)
    return sum(1 for r in unread if r.seen_at is None and r.author_id is not None
               and r.author_id != principal.user_id)  # fmt: skip


def _mark_seen(session: Session, principal: Principal, rows: Iterable[models.Reflection]) -> None:
    now = models.utcnow()
    seen = []
    for row in rows:
        if row.seen_at is None and row.author_id is not None and row.author_id != principal.user_id:
            row.seen_at = now
            seen.append(row.id)
    if seen:
        record_event(session, actor=principal.name, action="reflection-seen",
                     object_type="reflection", object_id=seen[0],
                     details={"reflections": seen})  # fmt: skip


def _reflection(session: Session, row: models.Reflection) -> Reflection:
    incident = session.get(models.Incident, row.incident_id) if row.incident_id else None
    author = session.get(models.User, row.author_id) if row.author_id else None
    category = row.annotation.category if row.annotation is not None else None
    return Reflection(
        id=row.id,
        incident_id=row.incident_id,
        incident_reference=incident.reference if incident else None,
        annotation_id=row.annotation_id,
        moment_label=category.label if category else None,
        moment_key=category.key if category else None,
        author_id=row.author_id,
        author_name=author.name if author else "the machine's owner",
        text=row.text,
        consent_to_share=row.consent_to_share,
        created_at=row.created_at,
        seen_at=row.seen_at,
    )
