"""Observations: a TIP's time-stamped field notes on an encounter, without footage.

A note is an annotation whose source is the observation (``observation_id``) rather than a
recording: its time is milliseconds since the observation started, and it is coded with the
same codebook categories as a recording moment (uncoded notes are the codebook's ``note``).
The template's points are copied into the observation as checks, each answered met, partly,
not or not applicable. The observed officer reads it once the TIP shares it; every change
is audited (ids and keys only, never the words).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.practice.rules import (
    OBSERVATION,
    clean_text,
    incident_row,
    index_text,
    link_officer,
    point_words,
    record_heading,
    writer,
)
from bwvreview.annotations.practice.templates import Template
from bwvreview.annotations.review import category_row
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models.practice import CHECK_ANSWERS
from bwvreview.annotations.store.rows import category_fields

UNCODED = "note"  # the codebook's free observation


def local_now() -> dt.datetime:
    """An observation's clock: the wall-clock time where the TIP is (notes are timed from it)."""
    return dt.datetime.now().replace(microsecond=0)


def elapsed_ms(started_at: dt.datetime, now: dt.datetime | None = None) -> int:
    """Milliseconds since an observation started (0 before it did), for the next note."""
    return max(0, round(((now or local_now()) - started_at).total_seconds() * 1000))


MAX_AT_MS = 24 * 3600 * 1000  # an observation covers a shift at most


@dataclass(frozen=True)
class Check:
    id: int
    position: int
    group_label: str
    point_key: str
    label: str
    prompt: str
    category_key: str | None
    answer: str | None
    note: str


@dataclass(frozen=True)
class Note:
    id: int
    observation_id: int
    at_ms: int
    category_key: str
    category_label: str
    polarity: str
    principles: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Observation:
    id: int
    incident_id: int
    incident_reference: str
    incident_type: str | None
    officer_id: int | None
    officer_name: str | None
    officer_collar: str | None
    observer_name: str
    started_at: dt.datetime
    context: str
    template_key: str
    template_version: str
    status: str
    shared_at: dt.datetime | None
    checks: tuple[Check, ...]
    notes: tuple[Note, ...]

    def to_json(self) -> dict[str, object]:
        """The JSON shape of ``bwvreview observe show --json`` (times in seconds)."""
        data = asdict(self)
        for key in ("started_at", "shared_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["notes"] = [
            {
                "id": n.id,
                "at": n.at_ms / 1000,
                "category": n.category_key,
                "polarity": n.polarity,
                "principles": list(n.principles),
                "note": n.note,
            }
            for n in self.notes
        ]
        return data


# --- reading --------------------------------------------------------------------------------
def _note(row: models.Annotation) -> Note:
    fields = category_fields(row.category)
    return Note(
        row.id,
        row.observation_id or 0,
        row.start_ms,
        fields["category_key"],
        fields["category_label"],
        fields["polarity"],
        fields["principles"],
        row.note,
    )


def _checks(session: Session, observation_id: int) -> tuple[Check, ...]:
    rows = OBSERVATION.points(session, observation_id)
    return tuple(
        Check(
            r.id,
            r.position,
            r.group_label,
            r.point_key,
            r.label,
            r.prompt,
            r.category_key,
            r.answer,
            r.note,
        )
        for r in rows
    )


def _note_rows(session: Session, observation_id: int) -> list[models.Annotation]:
    A = models.Annotation  # noqa: N806
    return list(
        session.scalars(
            select(A)
            .where(A.observation_id == observation_id)
            .order_by(A.start_ms, A.id)
            .options(selectinload(A.category))
        )
    )


def _record(session: Session, row: models.Observation) -> Observation:
    return Observation(
        row.id,
        *record_heading(session, row),
        row.observer_name,
        row.started_at,
        row.context,
        row.template_key,
        row.template_version,
        row.status,
        row.shared_at,
        _checks(session, row.id),
        tuple(_note(n) for n in _note_rows(session, row.id)),
    )


def get_observation(db: Database, observation_id: int) -> Observation:
    """One observation with its checks and notes, if the reader may see it."""
    with db.begin() as session:
        return _record(session, OBSERVATION.readable(session, db.principal, observation_id))


def list_observations(db: Database, *, incident_id: int | None = None) -> list[Observation]:
    """The observations the reader may see, newest first (an officer: theirs, once shared)."""
    with db.begin() as session:
        rows = OBSERVATION.visible(
            session, db.principal, models.Observation.started_at, incident_id
        )
        return [_record(session, row) for row in rows]


# --- writing --------------------------------------------------------------------------------
def _reindex(session: Session, row: models.Observation) -> None:
    checks = [f"{c.label}: {c.note}" for c in _checks(session, row.id) if c.note]
    notes = [n.note for n in _note_rows(session, row.id)]
    index_text(session, "observation", row.id, [row.context, *notes, *checks])


def create_observation(
    db: Database,
    *,
    incident_id: int,
    template: Template,
    template_version: str,
    actor: str,
    officer_id: int | None = None,
    started_at: dt.datetime | None = None,
    context: str = "",
) -> Observation:
    """Start an observation of an incident from a template (its points become the checks).
    The officer observed is linked to the incident. Audited."""
    principal = writer(db.principal)
    context = clean_text(context, "the context")
    with db.begin() as session:
        incident_row(session, incident_id)
        if officer_id is not None:
            link_officer(session, incident_id, officer_id, actor)
        row = models.Observation(
            incident_id=incident_id,
            officer_id=officer_id,
            observer_id=principal.user_id,
            observer_name=principal.name,
            started_at=started_at or models.utcnow(),
            context=context,
            template_key=template.key,
            template_version=template_version,
        )
        session.add(row)
        session.flush()
        for n, point in enumerate(template.points):
            session.add(
                models.ObservationCheck(
                    observation_id=row.id,
                    group_label=point.group,
                    category_key=point.category,
                    **point_words(n, point),
                )
            )
        session.flush()
        _reindex(session, row)
        OBSERVATION.audit(
            session,
            actor,
            "observation-create",
            row.id,
            incident=incident_id,
            template=template.key,
        )
        return _record(session, row)


def update_observation(
    db: Database,
    observation_id: int,
    *,
    actor: str,
    context: str | None = None,
    started_at: dt.datetime | None = None,
) -> Observation:
    """Change the context written for the observation, or when it started."""
    with OBSERVATION.writing(db, observation_id) as (session, row):
        if context is not None:
            row.context = clean_text(context, "the context")
        if started_at is not None:
            row.started_at = started_at
        _reindex(session, row)
        OBSERVATION.audit(session, actor, "observation-change", row.id)
        return _record(session, row)


def _check_at(at_ms: int) -> int:
    if not 0 <= at_ms <= MAX_AT_MS:
        raise DomainError("a note's time is from 0 to 24 hours after the observation started")
    return int(at_ms)


def add_note(
    db: Database,
    observation_id: int,
    *,
    at_ms: int,
    text: str,
    codebook_id: int,
    actor: str,
    category_key: str = UNCODED,
) -> Note:
    """A time-stamped note (``at_ms`` after the observation started), coded or not."""
    principal = writer(db.principal)
    text = clean_text(text, "a note", required=True)
    with db.begin() as session:
        observation = OBSERVATION.row(session, observation_id)
        row = models.Annotation(
            observation_id=observation.id,
            category=category_row(session, codebook_id, category_key),
            start_ms=_check_at(at_ms),
            end_ms=_check_at(at_ms),
            note=text,
            status="shared" if observation.status == "shared" else "final",
            author_id=principal.user_id,
        )
        session.add(row)
        session.flush()
        _reindex(session, observation)
        OBSERVATION.audit(
            session, actor, "observation-note", observation.id, note=row.id, category=category_key
        )
        return _note(row)


def _note_row(session: Session, note_id: int) -> models.Annotation:
    row = session.get(models.Annotation, note_id)
    if row is None or row.observation_id is None:
        raise NotFoundError(f"no observation note with id {note_id}")
    return row


def update_note(
    db: Database,
    note_id: int,
    *,
    actor: str,
    text: str | None = None,
    at_ms: int | None = None,
    category_key: str | None = None,
    codebook_id: int | None = None,
) -> Note:
    """Re-word, re-time or code a note (``category_key`` with the codebook's id)."""
    writer(db.principal)
    with db.begin() as session:
        row = _note_row(session, note_id)
        if text is not None:
            row.note = clean_text(text, "a note", required=True)
        if at_ms is not None:
            row.start_ms = row.end_ms = _check_at(at_ms)
        if category_key is not None:
            if codebook_id is None:
                raise DomainError("coding a note needs the codebook in force")
            row.category = category_row(session, codebook_id, category_key)
        session.flush()
        _reindex(session, OBSERVATION.row(session, row.observation_id or 0))
        OBSERVATION.audit(
            session,
            actor,
            "observation-note-change",
            row.observation_id or 0,
            note=row.id,
            category=row.category.key,
        )
        return _note(row)


def delete_note(db: Database, note_id: int, *, actor: str) -> Note:
    """Remove a note; returns what it was."""
    writer(db.principal)
    with db.begin() as session:
        row = _note_row(session, note_id)
        gone, observation = _note(row), OBSERVATION.row(session, row.observation_id or 0)
        session.delete(row)
        session.flush()
        _reindex(session, observation)
        OBSERVATION.audit(session, actor, "observation-note-delete", observation.id, note=note_id)
        return gone


def answer_check(
    db: Database,
    observation_id: int,
    point_key: str,
    *,
    answer: str | None,
    actor: str,
    note: str | None = None,
) -> Check:
    """Say whether a template point was met, partly, not, or does not apply (None: unsaid)."""
    answering = OBSERVATION.answering(
        db, observation_id, point_key, answer, CHECK_ANSWERS, "an answer"
    )
    with answering as (session, observation, row):
        row.answer = answer
        if note is not None:
            row.note = clean_text(note, "a point's note")
        session.flush()
        _reindex(session, observation)
        OBSERVATION.audit(
            session, actor, "observation-check", observation_id, point=point_key, answer=answer
        )
        return Check(
            row.id,
            row.position,
            row.group_label,
            row.point_key,
            row.label,
            row.prompt,
            row.category_key,
            row.answer,
            row.note,
        )


def share_observation(
    db: Database, observation_id: int, *, actor: str, shared: bool = True
) -> Observation:
    """Share the observation with the officer observed (or take it back)."""
    with OBSERVATION.writing(db, observation_id) as (session, row):
        if shared and row.officer_id is None:
            raise DomainError("this observation names no officer to share it with")
        OBSERVATION.share(session, actor, row, shared, "observation")
        for note in _note_rows(session, row.id):
            note.status = "shared" if shared else "final"
        return _record(session, row)
