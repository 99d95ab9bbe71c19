"""Who attended a session: officers and staff by name and collar number.

The register is the trainer's (``MANAGE_PROGRAMME``): names are personal data, so nobody
else lists it, and no report prints it. Someone whose collar number (or, without one, whose
name) is a user's is linked to that user, so they can see their own attendance
(``my_attendance``) and nobody else's. A sign-in list is imported whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import MANAGE_PROGRAMME, require
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.formats.sign_in_csv import NAME_MAX, SignInListError, SignInRow
from bwvreview.annotations.programme.documents import Curriculum
from bwvreview.annotations.programme.sessions import audit, module_of, training_session
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models import user_name_key
from bwvreview.annotations.store.rows import record_from_row


@dataclass(frozen=True)
class Attendee:
    id: int
    session_id: int
    name: str
    collar_number: str | None
    kind: str  # "officer" | "staff"
    user_id: int | None


@dataclass(frozen=True)
class ImportResult:
    added: int
    already: int  # on the register before
    linked: int  # of those added, matched to a user (they can see their attendance)


@dataclass(frozen=True)
class MyAttendance:
    """A session the signed-in person attended, as they see it."""

    session_id: int
    held_on: dt.date
    title: str
    team: str
    length_minutes: int
    module_number: int = 0  # its place in the curriculum it was held under
    topics: tuple[str, ...] = ()


def person_key(name: str, collar_number: str | None) -> str:
    return collar_number.casefold() if collar_number else f"name:{user_name_key(name)}"


def _to_record(row: models.TrainingAttendance) -> Attendee:
    return record_from_row(Attendee, row)


def _user_for(session: Session, name: str, collar: str | None) -> models.User | None:
    U = models.User  # noqa: N806
    if collar:
        return session.scalar(select(U).where(func.lower(U.collar_number) == collar.lower()))
    return session.scalar(select(U).where(U.name_key == user_name_key(name)))


def _resolve(session: Session, row: SignInRow) -> tuple[str, models.User | None]:
    user = _user_for(session, row.name, row.collar_number)
    name = row.name or (user.name if user is not None else "")
    if not name:
        problem = f"row {row.row}: collar number {row.collar_number} is nobody's here; add a name"
        raise SignInListError("sign-in list", [problem])
    return name, user


def _add(session: Session, db: Database, session_id: int, row: SignInRow) -> tuple[bool, bool]:
    """(added, linked); not added when the person is on the register already."""
    name, user = _resolve(session, row)
    key = person_key(name, row.collar_number)
    exists = session.scalar(
        select(models.TrainingAttendance.id).where(
            models.TrainingAttendance.session_id == session_id,
            models.TrainingAttendance.person_key == key,
        )
    )
    if exists is not None:
        return False, False
    session.add(
        models.TrainingAttendance(
            session_id=session_id,
            name=name,
            collar_number=row.collar_number,
            person_key=key,
            kind=row.kind,
            user_id=user.id if user is not None else None,
            added_by=db.principal.name,
        )
    )
    session.flush()
    return True, user is not None


def add_attendee(
    db: Database,
    session_id: int,
    name: str,
    collar_number: str | None = None,
    kind: str = "officer",
) -> Attendee:
    """Put one person on the register (refused if they are on it already)."""
    require(db.principal, MANAGE_PROGRAMME)
    name = " ".join((name or "").split())
    collar = (collar_number or "").strip() or None
    if kind not in models.ATTENDEE_KINDS:
        raise DomainError(f"an attendee is an officer or staff, not {kind!r}")
    if len(name) > NAME_MAX:
        raise DomainError(f"a name has at most {NAME_MAX} characters")
    if not name and not collar:
        raise DomainError("an attendee needs a name or a collar number")
    if collar and not (collar.isalnum() and any(c.isdigit() for c in collar) and len(collar) <= 12):
        raise DomainError(f"{collar!r} is not a collar number (letters and digits, up to 12)")
    with db.begin() as session:
        training_session(session, session_id)
        try:
            added, _linked = _add(session, db, session_id, SignInRow(0, name, collar, kind))
        except SignInListError as exc:
            raise DomainError("that collar number is nobody's here; add the person's name") from exc
        if not added:
            raise DomainError("that person is on this session's register already")
        row = session.scalars(
            select(models.TrainingAttendance)
            .where(models.TrainingAttendance.session_id == session_id)
            .order_by(models.TrainingAttendance.id.desc())
            .limit(1)
        ).one()
        audit(session, db, "attendee_added", session_id, attendee=row.id)
        return _to_record(row)


def remove_attendee(db: Database, session_id: int, attendee_id: int) -> None:
    require(db.principal, MANAGE_PROGRAMME)
    with db.begin() as session:
        row = session.get(models.TrainingAttendance, attendee_id)
        if row is None or row.session_id != session_id:
            raise NotFoundError(f"training session {session_id} has no attendee {attendee_id}")
        session.delete(row)
        audit(session, db, "attendee_removed", session_id, attendee=attendee_id)


def import_sign_in(db: Database, session_id: int, rows: Sequence[SignInRow]) -> ImportResult:
    """Add everyone on a sign-in list (``formats.sign_in_csv``); those already on the
    register are counted, not doubled. All or nothing."""
    require(db.principal, MANAGE_PROGRAMME)
    added = already = linked = 0
    with db.begin() as session:
        training_session(session, session_id)
        problems = []
        for row in rows:
            try:
                new, matched = _add(session, db, session_id, row)
            except SignInListError as exc:
                problems += exc.problems
                continue
            added += new
            already += not new
            linked += matched
        if problems:
            raise SignInListError("sign-in list", problems)  # rolls back what was added
        audit(session, db, "sign_in_imported", session_id, added=added, already=already)
    return ImportResult(added, already, linked)


def list_attendance(db: Database, session_id: int) -> list[Attendee]:
    """The register, in the order people were added."""
    require(db.principal, MANAGE_PROGRAMME)
    with db.begin() as session:
        return [_to_record(r) for r in training_session(session, session_id).attendance]


def my_attendance(db: Database) -> list[MyAttendance]:
    """The sessions the signed-in person is on the register of (anyone signed in; only
    their own rows, matched by their user id)."""
    user_id = db.principal.user_id
    if user_id is None:
        return []
    A, S = models.TrainingAttendance, models.TrainingSession  # noqa: N806
    with db.begin() as session:
        rows = session.scalars(
            select(S)
            .join(A, A.session_id == S.id)
            .where(A.user_id == user_id)
            .order_by(S.held_on, S.id)
        )
        curricula: dict[int, Curriculum] = {}
        found = []
        for row in rows:
            module = module_of(session, row, curricula)[1]
            found.append(
                MyAttendance(
                    row.id,
                    row.held_on,
                    module.title,
                    row.team,
                    row.length_minutes,
                    module.number,
                    module.topics,
                )
            )
        return found
