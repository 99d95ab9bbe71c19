"""Users, sign-in and which officers an incident belongs to.

Passwords are hashed with argon2 (argon2-cffi's defaults). On a single-user SQLite library a
user may have no password and signs in by choosing their name; in team mode (PostgreSQL)
every user needs one. Managing users needs the admin's MANAGE_USERS permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select

from bwvreview.annotations import access, models
from bwvreview.annotations.access import MANAGE_USERS, ROLES, Principal, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.db import Database
from bwvreview.annotations.errors import DomainError, NotFoundError

_hasher = PasswordHasher()


class SignInError(DomainError):
    """Wrong password, unknown or inactive user."""


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    role: str
    collar_number: str | None
    team: str | None
    has_password: bool
    active: bool

    @property
    def label(self) -> str:
        role = access.ROLE_LABELS.get(self.role, self.role)
        collar = f" ({self.collar_number})" if self.collar_number else ""
        return f"{self.name}{collar} · {role}"


def _to_record(row: models.User) -> UserRecord:
    return UserRecord(
        id=row.id,
        name=row.name,
        role=row.role,
        collar_number=row.collar_number,
        team=row.team,
        has_password=bool(row.password_hash),
        active=row.active,
    )


def _check_password(db: Database, password: str | None) -> None:
    if password is not None and len(password) < 8:
        raise DomainError("a password needs at least 8 characters")
    if password is None and db.dialect != "sqlite":
        raise DomainError("in team mode every user needs a password")


def create_user(
    db: Database,
    name: str,
    role: str,
    *,
    collar_number: str | None = None,
    password: str | None = None,
    team: str | None = None,
) -> UserRecord:
    """Add a user (admin only)."""
    principal = require(db.principal, MANAGE_USERS)
    name = name.strip()
    if not name:
        raise DomainError("a user needs a name")
    if role not in ROLES:
        raise DomainError(f"role must be one of {', '.join(ROLES)}")
    _check_password(db, password)
    with db.begin() as session:
        if collar_number and session.scalar(
            select(models.User.id).where(models.User.collar_number == collar_number)
        ):
            raise DomainError(f"collar number {collar_number} is already taken")
        row = models.User(
            name=name,
            role=role,
            collar_number=collar_number or None,
            password_hash=_hasher.hash(password) if password else None,
            team=team or None,
        )
        session.add(row)
        session.flush()
        record_event(session, actor=principal.name, action="user-create", object_type="user",
                     object_id=row.id, details={"role": role})  # fmt: skip
        return _to_record(row)


def list_users(db: Database, *, include_inactive: bool = False) -> list[UserRecord]:
    """Everyone who can sign in (names and roles only: the sign-in screen shows these)."""
    with db.begin() as session:
        query = select(models.User).order_by(models.User.name, models.User.id)
        if not include_inactive:
            query = query.where(models.User.active.is_(True))
        return [_to_record(row) for row in session.scalars(query)]


def has_users(db: Database) -> bool:
    with db.begin() as session:
        return session.scalar(select(models.User.id).limit(1)) is not None


def sign_in(db: Database, user_id: int, password: str | None) -> Principal:
    """Check the password and return who is now acting; the attempt is audited."""
    with db.begin() as session:
        row = session.get(models.User, user_id)
        if row is None or not row.active:
            raise SignInError("that user cannot sign in")
        ok = _password_matches(row.password_hash, password, team=db.dialect != "sqlite")
        record_event(session, actor=row.name, action="sign-in" if ok else "sign-in-failed",
                     object_type="user", object_id=row.id)  # fmt: skip
    if not ok:
        raise SignInError("the password is not right; please try again")
    return Principal(user_id=row.id, name=row.name, role=row.role)


def _password_matches(stored: str | None, given: str | None, *, team: bool) -> bool:
    if not stored:
        return not team
    try:
        return _hasher.verify(stored, given or "")
    except (VerificationError, InvalidHashError):
        return False


def find_user(db: Database, key: str) -> UserRecord:
    """A user by collar number or exact name (for the command line's BWVREVIEW_USER)."""
    with db.begin() as session:
        row = session.scalar(select(models.User).where(models.User.collar_number == key))
        if row is None:
            row = session.scalar(select(models.User).where(models.User.name == key).limit(1))
        if row is None:
            raise NotFoundError(f"no user called {key!r}")
        return _to_record(row)


def set_password(db: Database, user_id: int, password: str | None) -> None:
    """Set or clear a password: an admin for anyone, a user for themself."""
    if db.principal.user_id != user_id:
        require(db.principal, MANAGE_USERS)
    _check_password(db, password)
    with db.begin() as session:
        row = session.get(models.User, user_id)
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        row.password_hash = _hasher.hash(password) if password else None
        record_event(session, actor=db.principal.name, action="password-change",
                     object_type="user", object_id=user_id)  # fmt: skip


def set_active(db: Database, user_id: int, active: bool) -> None:
    principal = require(db.principal, MANAGE_USERS)
    with db.begin() as session:
        row = session.get(models.User, user_id)
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        row.active = active
        record_event(session, actor=principal.name, action="user-activate" if active
                     else "user-deactivate", object_type="user", object_id=user_id)  # fmt: skip


def link_officer(db: Database, incident_id: int, user_id: int, *, linked: bool = True) -> None:
    """Link (or unlink) an officer to an incident: what decides what they may read."""
    principal = require(db.principal, access.REVIEW)
    with db.begin() as session:
        user = session.get(models.User, user_id)
        if user is None or session.get(models.Incident, incident_id) is None:
            raise NotFoundError(f"no incident {incident_id} or user {user_id}")
        if user.role != "officer":
            raise DomainError(f"{user.name} is not an officer")
        table = models.incident_officers
        where = (table.c.incident_id == incident_id) & (table.c.user_id == user_id)
        session.execute(delete(table).where(where))
        if linked:
            session.execute(insert(table).values(incident_id=incident_id, user_id=user_id))
        record_event(session, actor=principal.name, action="officer-link" if linked
                     else "officer-unlink", object_type="incident", object_id=incident_id,
                     details={"user": user_id})  # fmt: skip
