"""Reflective practice sessions: the record of a debrief — one officer, a pair or a team,
with the TIP; the incidents and moments discussed; what went well; the learning points
agreed; notes added afterwards; follow-ups with an owner and a date, listed until done.

The officers who attended read the record and may add notes to it; follow-ups (and who
may mark them done) are in ``follow_ups``. A team session shows de-personalised material
only: the moments discussed appear by category, principle and suggested wording, the
incidents by their type, never by reference, note or quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import REFLECT
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.practice.follow_ups import (
    FollowUp,
    children,
    follow_up_record,
    reindex_session,
)
from bwvreview.annotations.practice.rules import (
    SESSION,
    clean_text,
    incident_row,
    user_row,
    writer,
)
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models.practice import SESSION_STARTS

MAX_ATTENDEES = 60


@dataclass(frozen=True)
class Attendee:
    id: int
    name: str
    collar_number: str | None
    role: str


@dataclass(frozen=True)
class Topic:
    """An incident or a moment discussed (in a team session: de-personalised)."""

    id: int
    incident_id: int | None
    incident_reference: str | None  # None in a team session
    incident_type: str | None
    annotation_id: int | None
    recording_id: int | None
    start_ms: int | None
    category_label: str | None
    polarity: str | None
    principles: tuple[str, ...]
    note: str  # "" in a team session
    suggested_wording: str


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str  # "learning" | "note"
    text: str
    author_id: int | None
    author_name: str
    created_at: dt.datetime


@dataclass(frozen=True)
class PracticeSession:
    id: int
    held_on: dt.date
    tip_name: str
    kind: str  # individual | pair | team
    team: str | None
    started_from: str  # debrief | scratch
    went_well: str
    attendees: tuple[Attendee, ...]
    topics: tuple[Topic, ...]
    learning_points: tuple[Entry, ...]
    notes: tuple[Entry, ...]
    follow_ups: tuple[FollowUp, ...]

    @property
    def depersonalised(self) -> bool:
        return self.kind == "team"

    def to_json(self) -> dict[str, object]:
        """The JSON shape of ``bwvreview session show --json``."""
        return {
            "id": self.id,
            "date": self.held_on.isoformat(),
            "tip": self.tip_name,
            "kind": self.kind,
            "team": self.team,
            "started_from": self.started_from,
            "went_well": self.went_well,
            "attendees": [
                {"name": a.name, "collar": a.collar_number, "role": a.role} for a in self.attendees
            ],
            "topics": [_topic_json(t) for t in self.topics],
            "learning_points": [e.text for e in self.learning_points],
            "notes": [{"author": e.author_name, "text": e.text} for e in self.notes],
            "follow_ups": [f.to_json() for f in self.follow_ups],
        }


def _topic_json(topic: Topic) -> dict[str, object]:
    data = asdict(topic)
    data["principles"] = list(topic.principles)
    start = data.pop("start_ms")
    data["start"] = start / 1000 if start is not None else None
    return data


# --- reading --------------------------------------------------------------------------------
def _topic(session: Session, row: models.SessionTopic, team: bool) -> Topic:
    if row.incident_id is not None:
        incident = incident_row(session, row.incident_id)
        return Topic(
            row.id,
            incident.id,
            None if team else incident.reference,
            incident.incident_type,
            None,
            None,
            None,
            None,
            None,
            (),
            "",
            "",
        )
    moment = session.get(models.Annotation, row.annotation_id)
    assert moment is not None  # the topic goes with its moment (ON DELETE CASCADE)
    recording = session.get(models.Recording, moment.recording_id)
    incident = (
        session.get(models.Incident, recording.incident_id)
        if recording and recording.incident_id
        else None
    )
    return Topic(
        row.id,
        incident.id if incident else None,
        None if team or incident is None else incident.reference,
        incident.incident_type if incident else None,
        moment.id,
        moment.recording_id,
        moment.start_ms,
        moment.category.label,
        moment.category.polarity,
        tuple(moment.category.principles),
        "" if team else moment.note,
        moment.suggested_wording,
    )


def _entry(session: Session, row: models.SessionEntry) -> Entry:
    return Entry(row.id, row.kind, row.text, row.author_id, row.author_name, row.created_at)


def _record(session: Session, row: models.PracticeSession) -> PracticeSession:
    attendees = session.scalars(
        select(models.User)
        .join(models.session_attendees, models.session_attendees.c.user_id == models.User.id)
        .where(models.session_attendees.c.session_id == row.id)
        .order_by(models.User.name)
    )
    topics = children(session, models.SessionTopic, row.id, [models.SessionTopic.position])
    entries = [
        _entry(session, e)
        for e in children(
            session,
            models.SessionEntry,
            row.id,
            [models.SessionEntry.created_at, models.SessionEntry.id],
        )
    ]
    follow_ups = children(session, models.FollowUp, row.id, [models.FollowUp.id])
    team = row.kind == "team"
    return PracticeSession(
        row.id,
        row.held_on,
        row.tip_name,
        row.kind,
        row.team,
        row.started_from,
        row.went_well,
        tuple(Attendee(u.id, u.name, u.collar_number, u.role) for u in attendees),
        tuple(_topic(session, t, team) for t in topics),
        tuple(e for e in entries if e.kind == "learning"),
        tuple(e for e in entries if e.kind == "note"),
        tuple(follow_up_record(f) for f in follow_ups),
    )


def get_session(db: Database, session_id: int) -> PracticeSession:
    """One session's record, if the reader may see it (an officer: one they attended)."""
    with db.begin() as session:
        return _record(session, SESSION.readable(session, db.principal, session_id))


def list_sessions(db: Database) -> list[PracticeSession]:
    """The sessions the reader may see, newest first."""
    with db.begin() as session:
        rows = SESSION.visible(session, db.principal, models.PracticeSession.held_on)
        return [_record(session, row) for row in rows]


# --- writing --------------------------------------------------------------------------------


def _kind(officers: int, team: str | None) -> str:
    if team is not None or officers > 2:
        return "team"
    if officers == 0:
        raise DomainError("a session needs at least one officer who attended, or a team")
    return "individual" if officers == 1 else "pair"


def _add_topics(
    session: Session,
    row: models.PracticeSession,
    incident_ids: Iterable[int],
    annotation_ids: Iterable[int],
) -> None:
    position = len(children(session, models.SessionTopic, row.id, [models.SessionTopic.id]))
    for incident_id in incident_ids:
        incident_row(session, incident_id)
        session.add(
            models.SessionTopic(session_id=row.id, position=position, incident_id=incident_id)
        )
        position += 1
    for annotation_id in annotation_ids:
        moment = session.get(models.Annotation, annotation_id)
        if moment is None or moment.recording_id is None:
            raise NotFoundError(f"no recording moment with id {annotation_id}")
        session.add(
            models.SessionTopic(session_id=row.id, position=position, annotation_id=annotation_id)
        )
        position += 1


def create_session(
    db: Database,
    *,
    held_on: dt.date,
    attendee_ids: Iterable[int],
    actor: str,
    team: str | None = None,
    started_from: str = "scratch",
    went_well: str = "",
    incident_ids: Iterable[int] = (),
    annotation_ids: Iterable[int] = (),
    learning_points: Iterable[str] = (),
) -> PracticeSession:
    """Record a session (a debrief): one officer, a pair, or a team. Audited."""
    principal = writer(db.principal)
    if started_from not in SESSION_STARTS:
        raise DomainError(f"a session starts from one of {', '.join(SESSION_STARTS)}")
    attendee_ids = list(dict.fromkeys(attendee_ids))
    if len(attendee_ids) > MAX_ATTENDEES:
        raise DomainError(f"a session has at most {MAX_ATTENDEES} attendees")
    team = " ".join((team or "").split()) or None
    with db.begin() as session:
        people = [user_row(session, user_id) for user_id in attendee_ids]
        row = models.PracticeSession(
            held_on=held_on,
            tip_id=principal.user_id,
            tip_name=principal.name,
            kind=_kind(sum(p.role == "officer" for p in people), team),
            team=team,
            started_from=started_from,
            went_well=clean_text(went_well, "what went well"),
        )
        session.add(row)
        session.flush()
        for user in people:
            session.execute(
                models.session_attendees.insert().values(session_id=row.id, user_id=user.id)
            )
        _add_topics(session, row, incident_ids, annotation_ids)
        for text in learning_points:
            _add_entry(
                session,
                row,
                "learning",
                clean_text(text, "a learning point", required=True),
                principal,
            )
        session.flush()
        reindex_session(session, row)
        SESSION.audit(
            session,
            actor,
            "session-create",
            row.id,
            kind=row.kind,
            attendees=attendee_ids,
            started_from=started_from,
        )
        return _record(session, row)


def update_session(
    db: Database,
    session_id: int,
    *,
    actor: str,
    went_well: str | None = None,
    held_on: dt.date | None = None,
    incident_ids: Iterable[int] = (),
    annotation_ids: Iterable[int] = (),
) -> PracticeSession:
    """Change what went well or the date, or add incidents and moments discussed."""
    with SESSION.writing(db, session_id) as (session, row):
        if went_well is not None:
            row.went_well = clean_text(went_well, "what went well")
        if held_on is not None:
            row.held_on = held_on
        _add_topics(session, row, incident_ids, annotation_ids)
        session.flush()
        reindex_session(session, row)
        SESSION.audit(session, actor, "session-change", row.id)
        return _record(session, row)


def remove_topic(db: Database, topic_id: int, *, actor: str) -> PracticeSession:
    writer(db.principal)
    with db.begin() as session:
        topic = session.get(models.SessionTopic, topic_id)
        if topic is None:
            raise NotFoundError(f"no session topic with id {topic_id}")
        row = SESSION.row(session, topic.session_id)
        session.delete(topic)
        session.flush()
        SESSION.audit(session, actor, "session-change", row.id, topic_removed=topic_id)
        return _record(session, row)


def _add_entry(
    session: Session, row: models.PracticeSession, kind: str, text: str, principal
) -> models.SessionEntry:
    entry = models.SessionEntry(
        session_id=row.id,
        kind=kind,
        text=text,
        author_id=principal.user_id,
        author_name=principal.name,
    )
    session.add(entry)
    session.flush()
    return entry


def add_learning_point(db: Database, session_id: int, text: str, *, actor: str) -> Entry:
    """A learning point agreed in the session (the TIP records it)."""
    principal = writer(db.principal)
    text = clean_text(text, "a learning point", required=True)
    with db.begin() as session:
        row = SESSION.row(session, session_id)
        entry = _add_entry(session, row, "learning", text, principal)
        reindex_session(session, row)
        SESSION.audit(session, actor, "session-learning-point", row.id, entry=entry.id)
        return _entry(session, entry)


def add_session_note(db: Database, session_id: int, text: str, *, actor: str) -> Entry:
    """A note added to a session's record: by its TIP, or by an officer who attended."""
    principal = db.principal
    text = clean_text(text, "a note", required=True)
    with db.begin() as session:
        if principal.is_officer and principal.can(REFLECT):
            row = SESSION.readable(
                session, db.principal, session_id
            )  # only a session they attended
        else:
            writer(principal)
            row = SESSION.row(session, session_id)
        entry = _add_entry(session, row, "note", text, principal)
        reindex_session(session, row)
        SESSION.audit(session, actor, "session-note", row.id, entry=entry.id)
        return _entry(session, entry)


def delete_entry(db: Database, entry_id: int, *, actor: str) -> Entry:
    """Remove a learning point or note (the TIP, or the officer who wrote a note)."""
    principal = db.principal
    with db.begin() as session:
        entry = session.get(models.SessionEntry, entry_id)
        own_note = (
            entry is not None
            and principal.is_officer
            and entry.kind == "note"
            and entry.author_id == principal.user_id
        )
        if not own_note:
            writer(principal)
        if entry is None:
            raise NotFoundError(f"no session entry with id {entry_id}")
        gone = _entry(session, entry)
        row = SESSION.row(session, entry.session_id)
        session.delete(entry)
        session.flush()
        reindex_session(session, row)
        SESSION.audit(session, actor, "session-entry-delete", row.id, entry=entry_id)
        return gone


def sessions_about(db: Database, *, incident_id: int) -> list[PracticeSession]:
    """Sessions that discussed an incident or one of its moments (TIPs and admins)."""
    writer(db.principal)
    T, A, R = models.SessionTopic, models.Annotation, models.Recording  # noqa: N806
    ids = (
        select(T.session_id)
        .outerjoin(A, A.id == T.annotation_id)
        .outerjoin(R, R.id == A.recording_id)
        .where(or_(T.incident_id == incident_id, R.incident_id == incident_id))
    )
    with db.begin() as session:
        rows = session.scalars(
            select(models.PracticeSession)
            .where(models.PracticeSession.id.in_(ids))
            .order_by(models.PracticeSession.held_on)
        ).all()
        return [_record(session, row) for row in rows]
