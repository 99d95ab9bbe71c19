"""The incident as the unit of a TIP's work: its type (a key of the codebook's
``incident_types``) and its sources (recordings and observations), with what else was
recorded about it (PPN1 reviews, sessions that discussed it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bwvreview.annotations.access import READ_FOOTAGE, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.practice.rules import incident_row, link_officer, writer
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models.people import REFERENCE_LENGTH as MAX_REFERENCE


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    reference: str
    occurred_on: dt.date | None
    incident_type: str | None
    officers: tuple[str, ...]  # collar numbers (names for anyone without one)
    recordings: int
    observations: int
    ppn1_reviews: int
    sessions: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "reference": self.reference,
            "date": self.occurred_on.isoformat() if self.occurred_on else None,
            "type": self.incident_type,
            "officers": list(self.officers),
            "recordings": self.recordings,
            "observations": self.observations,
            "ppn1_reviews": self.ppn1_reviews,
            "sessions": self.sessions,
        }


@dataclass(frozen=True)
class Moment:
    """A recording moment of an incident, to link a PPN1 point or a session to."""

    annotation_id: int
    recording_id: int
    start_ms: int
    end_ms: int
    category_key: str
    category_label: str
    polarity: str
    note: str
    status: str


def _counts(session: Session, model: type, ids: list[int]) -> dict[int, int]:
    column = model.incident_id
    rows = session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    return dict(rows.all())


def _session_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """Sessions that discussed an incident, or a moment of one of its recordings."""
    T, A, R = models.SessionTopic, models.Annotation, models.Recording  # noqa: N806
    incident = func.coalesce(T.incident_id, R.incident_id)
    rows = session.execute(
        select(incident, func.count(func.distinct(T.session_id)))
        .outerjoin(A, A.id == T.annotation_id)
        .outerjoin(R, R.id == A.recording_id)
        .where(incident.in_(ids))
        .group_by(incident)
    )
    return dict(rows.all())


def _summaries(session: Session, rows: Iterable[models.Incident]) -> list[IncidentSummary]:
    rows = list(rows)
    ids = [r.id for r in rows]
    recordings = _counts(session, models.Recording, ids)
    observations = _counts(session, models.Observation, ids)
    reviews = _counts(session, models.Ppn1Review, ids)
    sessions = _session_counts(session, ids)
    return [
        IncidentSummary(
            r.id,
            r.reference,
            r.occurred_on,
            r.incident_type,
            tuple(o.collar_number or o.name for o in r.officers),
            recordings.get(r.id, 0),
            observations.get(r.id, 0),
            reviews.get(r.id, 0),
            sessions.get(r.id, 0),
        )
        for r in rows
    ]


def list_incidents(db: Database, *, incident_type: str | None = None) -> list[IncidentSummary]:
    """Every incident, newest first, with its type and how many of each source it has
    (TIPs and admins)."""
    require(db.principal, READ_FOOTAGE)
    statement = select(models.Incident).options(selectinload(models.Incident.officers))
    if incident_type is not None:
        statement = statement.where(models.Incident.incident_type == incident_type)
    statement = statement.order_by(
        models.Incident.occurred_on.desc().nulls_last(), models.Incident.id.desc()
    )
    with db.begin() as session:
        return _summaries(session, session.scalars(statement))


def get_incident(db: Database, reference: str) -> IncidentSummary:
    """One incident by its reference (TIPs and admins)."""
    require(db.principal, READ_FOOTAGE)
    with db.begin() as session:
        row = session.scalar(select(models.Incident).where(models.Incident.reference == reference))
        if row is None:
            raise NotFoundError(f"no incident {reference!r}")
        return _summaries(session, [row])[0]


def _check_type(incident_type: str | None, known_types: Collection[str]) -> None:
    if incident_type is not None and incident_type not in known_types:
        raise DomainError(
            f"no incident type {incident_type!r} in the codebook "
            f"(there are: {', '.join(known_types)})"
        )


def create_incident(
    db: Database,
    reference: str,
    *,
    incident_type: str | None,
    known_types: Collection[str],
    actor: str,
    occurred_on: dt.date | None = None,
    officer_ids: Iterable[int] = (),
) -> IncidentSummary:
    """A new incident (for an observation or a PPN1 with no footage), with its officers."""
    writer(db.principal)
    reference = " ".join((reference or "").split())
    if not reference or len(reference) > MAX_REFERENCE:
        raise DomainError(f"an incident reference is 1-{MAX_REFERENCE} characters")
    _check_type(incident_type, known_types)
    try:
        with db.begin() as session:
            row = models.Incident(
                reference=reference, occurred_on=occurred_on, incident_type=incident_type
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                actor=actor,
                action="incident-create",
                object_type="incident",
                object_id=row.id,
                details={"type": incident_type},
            )
            for officer_id in officer_ids:
                link_officer(session, row.id, officer_id, actor)
            session.flush()
            session.refresh(row)
            return _summaries(session, [row])[0]
    except IntegrityError as exc:
        raise DomainError(f"there is already an incident {reference!r}") from exc


def set_incident_type(
    db: Database,
    incident_id: int,
    incident_type: str | None,
    *,
    known_types: Collection[str],
    actor: str,
) -> IncidentSummary:
    """Say what kind of incident it was (``None``: not said). Audited."""
    writer(db.principal)
    _check_type(incident_type, known_types)
    with db.begin() as session:
        row = incident_row(session, incident_id)
        before, row.incident_type = row.incident_type, incident_type
        record_event(
            session,
            actor=actor,
            action="incident-type",
            object_type="incident",
            object_id=row.id,
            details={"from": before, "to": incident_type},
        )
        return _summaries(session, [row])[0]


def incident_moments(db: Database, incident_id: int) -> list[Moment]:
    """The annotated moments of an incident's recordings, in time order per recording
    (TIPs and admins: to link a PPN1 point or a session to)."""
    require(db.principal, READ_FOOTAGE)
    A, R = models.Annotation, models.Recording  # noqa: N806
    with db.begin() as session:
        incident_row(session, incident_id)
        rows = session.scalars(
            select(A)
            .join(R, R.id == A.recording_id)
            .where(R.incident_id == incident_id)
            .order_by(R.id, A.start_ms, A.id)
            .options(selectinload(A.category))
        )
        return [
            Moment(
                a.id,
                a.recording_id,
                a.start_ms,
                a.end_ms,
                a.category.key,
                a.category.label,
                a.category.polarity,
                a.note,
                a.status,
            )
            for a in rows
        ]
