"""Sessions of the curriculum, scheduled or held: the day, the team, the trainer, and the
training packs used.

Trainers (and admins) manage sessions (``MANAGE_PROGRAMME``); TIPs may list them for the
outcomes report (``READ_REPORTS``). Every change is audited with ids and facts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import (
    MANAGE_PROGRAMME,
    READ_REPORTS,
    ROLE_LABELS,
    PermissionDenied,
    Principal,
    require,
)
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.programme.documents import (
    MAX_LENGTH_MINUTES,
    Curriculum,
    Module,
    document,
)
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

TEAM_MAX = 100
TRAINER_ROLES = ("trainer", "admin", "tip")  # who may be named as a session's trainer
_UNSET = object()


@dataclass(frozen=True)
class ScheduledSession:
    id: int
    curriculum_id: int
    curriculum_version: str
    module_key: str
    module_number: int
    title: str
    held_on: dt.date
    length_minutes: int
    team: str
    trainer_id: int | None
    trainer_name: str
    notes: str
    pack_ids: tuple[int, ...]
    attendees: int
    responses: int


def require_reader(principal: Principal) -> Principal:
    """Sessions and their results are read by those who run them and those who report."""
    if principal.can(MANAGE_PROGRAMME) or principal.can(READ_REPORTS):
        return principal
    label = ROLE_LABELS.get(principal.role, principal.role).lower()
    raise PermissionDenied(f"{principal.name} ({label}) may not read the training programme")


def audit(session: Session, db: Database, action: str, session_id: int, **details: object) -> None:
    record_event(
        session,
        actor=db.principal.name,
        action=f"programme.{action}",
        object_type="training_session",
        object_id=session_id,
        details=details,
    )


def training_session(session: Session, session_id: int) -> models.TrainingSession:
    row = session.get(models.TrainingSession, session_id)
    if row is None:
        raise NotFoundError(f"no training session with id {session_id}")
    return row


def module_of(
    session: Session, row: models.TrainingSession, curricula: dict[int, Curriculum] | None = None
) -> tuple[Curriculum, Module]:
    """The curriculum a session was scheduled under, and its module there."""
    curricula = {} if curricula is None else curricula
    if row.curriculum_id not in curricula:
        found = document(session, row.curriculum_id)
        assert isinstance(found, Curriculum)
        curricula[row.curriculum_id] = found
    curriculum = curricula[row.curriculum_id]
    return curriculum, curriculum.module(row.module_key)


def _to_record(
    session: Session, row: models.TrainingSession, curricula: dict[int, Curriculum]
) -> ScheduledSession:
    curriculum, module = module_of(session, row, curricula)
    number, title = module.number, module.title
    return ScheduledSession(
        row.id,
        row.curriculum_id,
        curriculum.version,
        row.module_key,
        number,
        title,
        row.held_on,
        row.length_minutes,
        row.team,
        row.trainer_id,
        row.trainer_name,
        row.notes or "",
        tuple(p.id for p in row.packs),
        len(row.attendance),
        len(row.responses),
    )


def clean_team(team: str) -> str:
    cleaned = " ".join((team or "").split())
    if not cleaned:
        raise DomainError("a session needs the team it is for")
    if len(cleaned) > TEAM_MAX:
        raise DomainError(f"a team's name has at most {TEAM_MAX} characters")
    return cleaned


def _trainer(
    session: Session, db: Database, trainer_id: int | None, trainer_name: str
) -> tuple[int | None, str]:
    if trainer_id is None and not trainer_name.strip():
        trainer_id = db.principal.user_id
        if trainer_id is None:
            return None, db.principal.name
    if trainer_id is None:
        return None, " ".join(trainer_name.split())[:200]
    user = session.get(models.User, trainer_id)
    if user is None or not user.active or user.role not in TRAINER_ROLES:
        raise NotFoundError(f"no active trainer with id {trainer_id}")
    return user.id, user.name


def _length(length_minutes: int) -> int:
    if not 0 < length_minutes <= MAX_LENGTH_MINUTES:
        raise DomainError("a session lasts between 1 minute and 24 hours")
    return length_minutes


def _packs(session: Session, pack_ids: Sequence[int]) -> list[models.TrainingPack]:
    rows = []
    for pack_id in dict.fromkeys(pack_ids):
        pack = session.get(models.TrainingPack, pack_id)
        if pack is None:
            raise NotFoundError(f"no training pack with id {pack_id}")
        rows.append(pack)
    return rows


def schedule_session(
    db: Database,
    *,
    curriculum_id: int,
    module_key: str,
    held_on: dt.date,
    team: str,
    trainer_id: int | None = None,
    trainer_name: str = "",
    length_minutes: int | None = None,
    pack_ids: Sequence[int] = (),
    notes: str = "",
) -> ScheduledSession:
    """A session of the curriculum's ``module_key`` (or its number) on ``held_on`` for a
    team; the trainer is the signed-in user unless another is named."""
    require(db.principal, MANAGE_PROGRAMME)
    with db.begin() as session:
        curriculum = document(session, curriculum_id)
        if not isinstance(curriculum, Curriculum):
            raise NotFoundError(f"no curriculum with id {curriculum_id}")
        module = curriculum.module(module_key)
        trainer = _trainer(session, db, trainer_id, trainer_name)
        row = models.TrainingSession(
            curriculum_id=curriculum_id,
            module_key=module.key,
            held_on=held_on,
            length_minutes=_length(length_minutes or module.length_minutes),
            team=clean_team(team),
            trainer_id=trainer[0],
            trainer_name=trainer[1],
            notes=notes.strip(),
            created_by=db.principal.name,
        )
        row.packs = _packs(session, pack_ids)
        session.add(row)
        session.flush()
        audit(
            session,
            db,
            "session_scheduled",
            row.id,
            module=module.key,
            held_on=held_on.isoformat(),
            packs=[p.id for p in row.packs],
        )
        return _to_record(session, row, {curriculum_id: curriculum})


def update_session(
    db: Database,
    session_id: int,
    *,
    held_on: dt.date | None = None,
    team: str | None = None,
    trainer_id: object = _UNSET,
    length_minutes: int | None = None,
    pack_ids: Sequence[int] | None = None,
    notes: str | None = None,
) -> ScheduledSession:
    """Change what is given (``trainer_id=None`` names the signed-in user)."""
    require(db.principal, MANAGE_PROGRAMME)
    with db.begin() as session:
        row = training_session(session, session_id)
        changed = []
        if held_on is not None:
            row.held_on = held_on
            changed.append("held_on")
        if team is not None:
            row.team = clean_team(team)
            changed.append("team")
        if trainer_id is not _UNSET:
            assert trainer_id is None or isinstance(trainer_id, int)
            row.trainer_id, row.trainer_name = _trainer(session, db, trainer_id, "")
            changed.append("trainer")
        if length_minutes is not None:
            row.length_minutes = _length(length_minutes)
            changed.append("length")
        if pack_ids is not None:
            row.packs = _packs(session, pack_ids)
            changed.append("packs")
        if notes is not None:
            row.notes = notes.strip()
            changed.append("notes")
        row.updated_at = models.utcnow()
        session.flush()
        audit(session, db, "session_changed", session_id, changed=changed)
        return _to_record(session, row, {})


def delete_session(db: Database, session_id: int) -> None:
    """Remove a session with its register and answers (a session entered by mistake)."""
    require(db.principal, MANAGE_PROGRAMME)
    with db.begin() as session:
        row = training_session(session, session_id)
        counts = {"attendees": len(row.attendance), "responses": len(row.responses)}
        session.delete(row)
        audit(session, db, "session_deleted", session_id, **counts)


def get_session(db: Database, session_id: int) -> ScheduledSession:
    require_reader(db.principal)
    with db.begin() as session:
        return _to_record(session, training_session(session, session_id), {})


def list_sessions(
    db: Database,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    team: str | None = None,
) -> list[ScheduledSession]:
    """Sessions between two days (inclusive), oldest first, for one team or all."""
    require_reader(db.principal)
    S = models.TrainingSession  # noqa: N806
    statement = select(S).order_by(S.held_on, S.id)
    if date_from is not None:
        statement = statement.where(S.held_on >= date_from)
    if date_to is not None:
        statement = statement.where(S.held_on <= date_to)
    if team is not None:
        statement = statement.where(S.team == team)
    with db.begin() as session:
        curricula: dict[int, Curriculum] = {}
        return [_to_record(session, r, curricula) for r in session.scalars(statement)]


def known_teams(db: Database) -> list[str]:
    """Team names to choose from: officers' teams and those sessions were held for."""
    require_reader(db.principal)
    with db.begin() as session:
        users = session.scalars(select(models.User.team).where(models.User.team.is_not(None)))
        held = session.scalars(select(models.TrainingSession.team))
        return sorted({t for t in [*users, *held] if t and t.strip()}, key=str.casefold)


@dataclass(frozen=True)
class Trainer:
    id: int
    name: str
    role: str


def list_trainers(db: Database) -> list[Trainer]:
    """Active people who may be named as a session's trainer."""
    require(db.principal, MANAGE_PROGRAMME)
    U = models.User  # noqa: N806
    with db.begin() as session:
        rows = session.execute(
            select(U.id, U.name, U.role)
            .where(U.active.is_(True), U.role.in_(TRAINER_ROLES))
            .order_by(func.lower(U.name))
        )
        return [Trainer(*r) for r in rows]
