"""Who may read which practice record, and what every practice service shares: the names
of the people on a record, the search text kept beside each record, and the audit trail.

Reading, as SQL conditions the services (and search) put in their queries:

- a TIP or admin (READ_FOOTAGE) reads every record;
- an officer reads an observation *of them* and a review of *their* PPN1 once shared, and
  the sessions they attended (from the moment they are recorded: they were there);
- anyone else (a trainer) reads none: "not found", as for a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, select, true
from sqlalchemy.orm import Session

from bwvreview.annotations.access import READ_FOOTAGE, RECORD_PRACTICE, Principal, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

MAX_TEXT = 20_000  # characters in one note, point or entry


def _officer(principal: Principal) -> int | None:
    return principal.user_id if principal.is_officer else None


def observation_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.can(READ_FOOTAGE):
        return true()
    me = _officer(principal)
    if me is None:
        return false()
    Obs = models.Observation
    return and_(Obs.officer_id == me, Obs.status == "shared")


def ppn1_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.can(READ_FOOTAGE):
        return true()
    me = _officer(principal)
    if me is None:
        return false()
    P = models.Ppn1Review  # noqa: N806
    return and_(P.officer_id == me, P.status == "shared")


def session_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.can(READ_FOOTAGE):
        return true()
    me = _officer(principal)
    if me is None:
        return false()
    table = models.session_attendees
    return exists(
        select(table.c.user_id).where(
            table.c.session_id == models.PracticeSession.id, table.c.user_id == me
        )
    )


class Kind:
    """One kind of practice record: its table, what a person calls it, who may read it,
    and the table of the points copied into it (with the column naming the record), if any.
    ``readable`` and ``row`` say "not found" in the same words whether the record does not
    exist or is someone else's; ``audit`` logs ids and facts, never the words."""

    def __init__(
        self,
        model: type,
        words: str,
        object_type: str,
        can_read: object,
        points: tuple[Any, str] | None = None,
    ) -> None:
        self.model, self.words, self.object_type, self.can_read = (
            model,
            words,
            object_type,
            can_read,
        )
        self.point_model, self.point_parent = points or (None, "")

    def row(self, session: Session, row_id: int) -> Any:
        found = session.get(self.model, row_id)
        if found is None:
            raise NotFoundError(f"no {self.words} with id {row_id}")
        return found

    def _points_of(self, record_id: int) -> Any:
        return select(self.point_model).where(
            getattr(self.point_model, self.point_parent) == record_id
        )

    def points(self, session: Session, record_id: int) -> list[Any]:
        """The points copied into a record (a template's, the PPN1's), in their order."""
        ordered = self._points_of(record_id).order_by(self.point_model.position)
        return list(session.scalars(ordered))

    def point(self, session: Session, record_id: int, point_key: str) -> Any:
        """One of a record's points by its key ("observation 3 has no point 'x'" if none)."""
        found = session.scalar(
            self._points_of(record_id).where(self.point_model.point_key == point_key)
        )
        if found is None:
            raise NotFoundError(f"{self.words} {record_id} has no point {point_key!r}")
        return found

    def readable(self, session: Session, principal: Principal, row_id: int) -> Any:
        found = session.scalar(
            select(self.model).where(self.model.id == row_id, self.can_read(principal))
        )
        if found is None:
            raise NotFoundError(f"no {self.words} with id {row_id}")
        return found

    def audit(
        self, session: Session, actor: str, action: str, row_id: int, **details: object
    ) -> None:
        record_event(
            session,
            actor=actor,
            action=action,
            object_type=self.object_type,
            object_id=row_id,
            details=details or None,
        )

    def visible(
        self, session: Session, principal: Principal, newest: Any, incident_id: int | None = None
    ) -> list[Any]:
        """The rows the reader may see (of one incident, if given), newest first by the
        ``newest`` column, then by id."""
        statement = select(self.model).where(self.can_read(principal))
        if incident_id is not None:
            statement = statement.where(self.model.incident_id == incident_id)
        return list(session.scalars(statement.order_by(newest.desc(), self.model.id.desc())))

    @contextmanager
    def writing(self, db: Database, row_id: int) -> Iterator[tuple[Session, Any]]:
        """A change to one record by who records practice: the permission is checked
        first, then the row is read in the change's transaction ("not found" if none)."""
        writer(db.principal)
        with db.begin() as session:
            yield session, self.row(session, row_id)

    @contextmanager
    def answering(
        self,
        db: Database,
        record_id: int,
        point_key: str,
        answer: str | None,
        choices: tuple[str, ...],
        what: str,
    ) -> Iterator[tuple[Session, Any, Any]]:
        """A point of a record answered (met, partly, not; None: not yet): the writer's
        permission, the answer one of ``choices`` ("a rating is one of …"), then the record
        and its point in the change's transaction."""
        writer(db.principal)
        if answer is not None and answer not in choices:
            raise DomainError(f"{what} is one of {', '.join(choices)}")
        with db.begin() as session:
            record = self.row(session, record_id)
            yield session, record, self.point(session, record_id, point_key)

    def share(self, session: Session, actor: str, row: Any, shared: bool, action: str) -> None:
        """Share a record with its officer, or take it back to a draft; audited as
        ``{action}-share`` or ``{action}-unshare``."""
        row.status = "shared" if shared else "draft"
        row.shared_at = models.utcnow() if shared else None
        self.audit(session, actor, f"{action}-share" if shared else f"{action}-unshare", row.id)


def writer(db_principal: Principal) -> Principal:
    """A TIP or admin: who records practice."""
    return require(db_principal, RECORD_PRACTICE)


def clean_text(text: str | None, what: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError(f"{what} needs some words")
    if len(text) > MAX_TEXT:
        raise DomainError(f"{what} can be up to {MAX_TEXT:,} characters")
    return text


def user_row(session: Session, user_id: int | None, *, role: str | None = None) -> models.User:
    row = session.get(models.User, user_id) if user_id is not None else None
    if row is None or (role is not None and row.role != role):
        raise NotFoundError(f"no {role or 'user'} with id {user_id}")
    return row


def person(session: Session, user_id: int | None) -> tuple[str, str | None]:
    """(name, collar number) of a user, for a record; a removed user reads "someone"."""
    row = session.get(models.User, user_id) if user_id is not None else None
    return (row.name, row.collar_number) if row else ("someone", None)


def record_heading(
    session: Session, row: Any
) -> tuple[int, str, str | None, int | None, str | None, str | None]:
    """What an observation or a PPN1 review starts with, after its id: the incident's id,
    reference and type, then its officer's id, name and collar number (all None for a
    record that names no officer)."""
    incident = incident_row(session, row.incident_id)
    name, collar = person(session, row.officer_id) if row.officer_id else (None, None)
    return row.incident_id, incident.reference, incident.incident_type, row.officer_id, name, collar


def point_words(position: int, point: Any) -> dict[str, Any]:
    """The columns a record copies from a template's point or a PPN1 quality point, so an
    edited templates file never changes what an old record said."""
    return {"position": position, "point_key": point.key, "label": point.label,
            "prompt": point.prompt}  # fmt: skip


def incident_row(session: Session, incident_id: int) -> models.Incident:
    row = session.get(models.Incident, incident_id)
    if row is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    return row


def link_officer(session: Session, incident_id: int, officer_id: int, actor: str) -> None:
    """An officer observed at, or writing the PPN1 of, an incident is one of its officers
    (a user who is not an officer: "no officer with id")."""
    officer_id = user_row(session, officer_id, role="officer").id
    table = models.incident_officers
    linked = session.scalar(
        select(table.c.user_id).where(
            table.c.incident_id == incident_id, table.c.user_id == officer_id
        )
    )
    if linked is None:
        session.execute(table.insert().values(incident_id=incident_id, user_id=officer_id))
        record_event(
            session,
            actor=actor,
            action="link-officer",
            object_type="incident",
            object_id=incident_id,
            details={"user": officer_id},
        )


def index_text(session: Session, kind: str, record_id: int, parts: list[str]) -> None:
    """Keep the words a record is found by (one row per record and kind)."""
    text = "\n".join(p for p in parts if p)
    row = session.scalar(
        select(models.PracticeText).where(
            models.PracticeText.kind == kind, models.PracticeText.record_id == record_id
        )
    )
    if row is None:
        link = {
            "observation": "observation_id",
            "ppn1": "ppn1_review_id",
            "ppn1_text": "ppn1_review_id",
            "session": "session_id",
        }[kind]
        session.add(
            models.PracticeText(kind=kind, record_id=record_id, text=text, **{link: record_id})
        )
    elif row.text != text:
        row.text = text


OBSERVATION = Kind(
    models.Observation,
    "observation",
    "observation",
    observation_filter,
    points=(models.ObservationCheck, "observation_id"),
)
PPN1_REVIEW = Kind(
    models.Ppn1Review,
    "PPN1 review",
    "ppn1_review",
    ppn1_filter,
    points=(models.Ppn1Point, "review_id"),
)
SESSION = Kind(models.PracticeSession, "practice session", "practice_session", session_filter)
