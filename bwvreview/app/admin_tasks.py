"""What an admin does from the command line, by name: add users and link officers to
incidents, set passwords, put a codebook in force, read and check the audit log
(``app.admin`` names the rules and records these use)."""

from __future__ import annotations

from pathlib import Path

from bwvreview.annotations import codebook
from bwvreview.annotations.access import ROLES, users
from bwvreview.annotations.access.users import UserRecord
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.audit.entries import AuditFilter, AuditPage, ChainReport
from bwvreview.annotations.codebook import Codebook
from bwvreview.annotations.review import library
from bwvreview.app import Library

__all__ = ["ROLES", "AuditFilter", "UserRecord"]


def list_users(lib: Library) -> list[UserRecord]:
    """Everyone who can sign in, and those who no longer can."""
    return users.list_users(lib.db, include_inactive=True)


def add_user(
    lib: Library,
    name: str,
    role: str,
    *,
    collar_number: str | None = None,
    password: str | None = None,
    team: str | None = None,
) -> UserRecord:
    """Add a user; the first to sign in on a machine must be an admin with a password."""
    users.check_first_to_sign_in(lib.db, role, password)
    return users.create_user(lib.db, name, role, collar_number=collar_number,
                             password=password, team=team)  # fmt: skip


def link_officer(lib: Library, incident: str, user: str, *, linked: bool = True) -> None:
    """Link (or unlink) an officer, by name or collar number, to an incident by reference."""
    user_id = users.find_user(lib.db, user).id
    users.link_officer(lib.db, library.incident_id(lib.db, incident), user_id, linked=linked)


def set_password(lib: Library, user: str, password: str | None) -> None:
    users.set_password(lib.db, users.find_user(lib.db, user).id, password)


def set_active(lib: Library, user: str, active: bool) -> None:
    users.set_active(lib.db, users.find_user(lib.db, user).id, active)


def install_codebook(lib: Library, path: Path) -> Codebook:
    """Validate a codebook YAML and put it in force."""
    return codebook.install_codebook(lib.db, path)


def verify_audit(lib: Library) -> ChainReport:
    """Check the keyed hash chain of the audit log and its signed checkpoint."""
    return audit_log.verify(lib.db)


def audit_events(lib: Library, filters: AuditFilter, *, limit: int) -> AuditPage:
    """The newest ``limit`` audit events that pass ``filters``."""
    return audit_log.list_events(lib.db, filters, limit=limit)
