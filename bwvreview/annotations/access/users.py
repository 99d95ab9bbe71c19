"""Users, sign-in and which officers an incident belongs to.

Passwords are hashed with argon2 (argon2-cffi's defaults). On a single-user SQLite library a
user may have no password and signs in by choosing their name; in team mode (PostgreSQL)
every user needs one. Managing users needs the admin's MANAGE_USERS permission.

Sign-in by name or collar number must find exactly one person, so: names are unique once
case-folded and with runs of white space made one (``models.user_name_key``, a unique index
on both engines); a name is 1-80 characters, not all digits and not anyone's collar number;
a collar number is 1-12 letters and digits with at least one digit, unique in any case, and
every officer has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bwvreview.annotations import access
from bwvreview.annotations.access import MANAGE_USERS, ROLES, Principal, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models import user_name_key
from bwvreview.annotations.store.rows import record_from_row

_hasher = PasswordHasher()

NAME_MAX = 80
COLLAR_MAX = 12
_COLLAR = re.compile(rf"[A-Za-z0-9]{{1,{COLLAR_MAX}}}")


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
    return record_from_row(UserRecord, row, has_password=bool(row.password_hash))


def _check_password(db: Database, password: str | None) -> None:
    if password is not None and len(password) < 8:
        raise DomainError("a password needs at least 8 characters")
    if password is None and db.dialect != "sqlite":
        raise DomainError("in team mode every user needs a password")


def clean_name(name: str) -> str:
    """A name as stored: runs of white space made one space; refused if it cannot sign in."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("a user needs a name")
    if len(name) > NAME_MAX:
        raise DomainError(f"a name has at most {NAME_MAX} characters (this one has {len(name)})")
    if name.isdigit():
        raise DomainError(f"a name may not be only digits ({name!r} looks like a collar number)")
    return name


def clean_collar(collar_number: str | None, role: str) -> str | None:
    """A collar number as stored; officers must have one (it is how they sign in)."""
    collar = (collar_number or "").strip() or None
    if collar is None:
        if role == "officer":
            raise DomainError("an officer needs a collar number")
        return None
    if not _COLLAR.fullmatch(collar) or not any(c.isdigit() for c in collar):
        raise DomainError(
            f"a collar number is 1-{COLLAR_MAX} letters and digits, with at least one digit"
        )
    return collar


def _check_free(session: Session, name: str, collar: str | None) -> None:
    """Refuse a name or collar number that would make sign-in find two people."""
    key = user_name_key(name)
    if session.scalar(select(models.User.id).where(models.User.name_key == key)):
        raise DomainError(
            f"there is already a user called {name!r} (names ignore case and spacing)"
        )
    if session.scalar(select(models.User.id).where(func.lower(models.User.collar_number) == key)):
        raise DomainError(f"{name!r} is someone's collar number; choose another name")
    if collar is None:
        return
    folded = collar.casefold()
    if session.scalar(
        select(models.User.id).where(func.lower(models.User.collar_number) == folded)
    ):
        raise DomainError(f"collar number {collar} is already taken")
    if session.scalar(select(models.User.id).where(models.User.name_key == folded)):
        raise DomainError(f"collar number {collar} is someone's name")


def create_user(
    db: Database,
    name: str,
    role: str,
    *,
    collar_number: str | None = None,
    password: str | None = None,
    team: str | None = None,
) -> UserRecord:
    """Add a user (admin only); a name or collar number that would clash is refused."""
    principal = require(db.principal, MANAGE_USERS)
    name = clean_name(name)
    if role not in ROLES:
        raise DomainError(f"role must be one of {', '.join(ROLES)}")
    collar = clean_collar(collar_number, role)

    if team and len(team.strip()) > 100:
        raise DomainError("a team name has at most 100 characters")
    _check_password(db, password)
    try:
        with db.begin() as session:
            _check_free(session, name, collar)
            row = models.User(
                name=name,
                role=role,
                collar_number=collar,
                password_hash=_hasher.hash(password) if password else None,
                team=team.strip() or None if team else None,
            )
            session.add(row)
            session.flush()
            record_event(session, actor=principal.name, action="user-create",
                         object_type="user", object_id=row.id, details={"role": role})  # fmt: skip
            return _to_record(row)
    except IntegrityError as exc:  # someone else added the same name a moment ago
        raise DomainError(
            f"there is already a user called {name!r} or with that collar number"
        ) from exc


def check_first_to_sign_in(db: Database, role: str, password: str | None) -> None:
    """When the machine's owner adds people, the first who will sign in must be an admin:
    once anyone signs in the owner no longer acts, and without an admin nobody could add
    people again. (The demo's practice people and imports' records are added otherwise.)"""
    if role == "admin" or db.principal.user_id is not None or sign_in_required(db):
        return
    newcomer = UserRecord(id=0, name="", role=role, collar_number=None, team=None,
                          has_password=bool(password), active=True)  # fmt: skip
    if needs_sign_in([*sign_in_choices(db), newcomer], db.dialect):
        raise DomainError(
            "the first person who signs in must be an admin, who can then add everyone else:"
            " add an admin first (bwvreview users add NAME --role admin)"
        )


def list_users(db: Database, *, include_inactive: bool = False) -> list[UserRecord]:
    """The people the signed-in user may see: an admin everyone, anyone else only themself.

    A TIP links officers by collar number and needs no list of colleagues; a trainer or an
    officer has no business with anyone's role or collar number."""
    with db.begin() as session:
        query = select(models.User).order_by(models.User.name, models.User.id)
        if not db.principal.can(MANAGE_USERS):
            query = query.where(models.User.id == db.principal.user_id)
        if not include_inactive:
            query = query.where(models.User.active.is_(True))
        return [_to_record(row) for row in session.scalars(query)]


def sign_in_choices(db: Database) -> list[UserRecord]:
    """Who the sign-in screen offers (active users), read before anyone has signed in."""
    with db.begin() as session:
        query = select(models.User).where(models.User.active.is_(True))
        return [_to_record(row) for row in session.scalars(query.order_by(models.User.name))]


def has_users(db: Database) -> bool:
    with db.begin() as session:
        return session.scalar(select(models.User.id).limit(1)) is not None


def needs_sign_in(people: list[UserRecord], dialect: str) -> bool:
    """Whether a user must sign in, or the machine's owner may act.

    In team mode (PostgreSQL) everyone signs in once the library has an active user. On a
    single-user SQLite library, importing footage "for officer 4471" records that officer
    with no password (so feedback can reach them later); those records alone do not make it
    a shared library, so the owner still acts, as before there were users. Anyone else
    (a TIP, trainer or admin, or an officer given a password) means everyone signs in."""
    active = [u for u in people if u.active]
    if dialect != "sqlite":
        return bool(active)
    return any(u.role != "officer" or u.has_password for u in active)


def sign_in_required(db: Database) -> bool:
    """``needs_sign_in`` for this library."""
    return needs_sign_in(sign_in_choices(db), db.dialect)


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
    """The one user whose collar number or name (any case or spacing) is ``key``.

    Names and collar numbers cannot clash (``create_user`` refuses it), but a library made
    before that rule may still hold a clash an admin has not mended: then nobody is chosen."""
    folded = user_name_key(key or "")
    if not folded:
        raise NotFoundError("no user given")
    with db.begin() as session:
        rows = list(
            session.scalars(
                select(models.User)
                .where(
                    or_(
                        models.User.name_key == folded,
                        func.lower(models.User.collar_number) == folded,
                    )
                )  # fmt: skip
                .limit(2)
            )
        )
        if not rows:
            raise NotFoundError(f"no user called {key[:NAME_MAX]!r}")
        if len(rows) > 1:
            raise DomainError(
                f"{key[:NAME_MAX]!r} names more than one user; use a collar number, "
                "or ask an admin to rename one"
            )
        return _to_record(rows[0])


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
    """Activate or deactivate a user; the last active admin stays (else nobody manages users)."""
    principal = require(db.principal, MANAGE_USERS)
    with db.begin() as session:
        row = session.get(models.User, user_id)
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        if not active and row.role == "admin" and row.active and _active_admins(session) == 1:
            raise DomainError(f"{row.name} is the last active admin; add another admin first")
        row.active = active
        record_event(session, actor=principal.name, action="user-activate" if active
                     else "user-deactivate", object_type="user", object_id=user_id)  # fmt: skip


def _active_admins(session: Session) -> int:
    query = select(func.count(models.User.id)).where(
        models.User.role == "admin", models.User.active.is_(True)
    )
    return session.scalar(query) or 0


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
