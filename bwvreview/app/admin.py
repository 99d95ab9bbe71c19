"""What an admin does, for the window and the command line alike: people and sign-in, the
codebook in force, the audit log; and the permissions that decide which windows open.

One function per job, called by both: the people window holds a user's id, the command
line a name or collar number, which ``find_user`` turns into the same record first. The
plain types these take and return (``UserRecord``, ``AuditFilter``, ...) are in ``records``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bwvreview.annotations.access import (
    DASHBOARD,
    EXPORT,
    MANAGE_USERS,
    READ_AUDIT,
    READ_FOOTAGE,
    users,
)
from bwvreview.annotations.access.users import (
    find_user,
    list_users,
    needs_sign_in,
    set_active,
    set_password,
    sign_in,
    sign_in_choices,
)
from bwvreview.annotations.audit.entries import PAGE_SIZE
from bwvreview.annotations.audit.entries import facets as audit_facets
from bwvreview.annotations.audit.entries import list_events as audit_events
from bwvreview.annotations.audit.entries import offset_of as audit_offset_of
from bwvreview.annotations.audit.entries import verify as verify_audit
from bwvreview.annotations.codebook import install_codebook
from bwvreview.annotations.review.library import incident_id

if TYPE_CHECKING:
    from bwvreview.annotations.access.users import UserRecord
    from bwvreview.annotations.store.db import Database

__all__ = [
    "DASHBOARD",
    "EXPORT",
    "MANAGE_USERS",
    "PAGE_SIZE",
    "READ_AUDIT",
    "READ_FOOTAGE",
    "add_user",
    "audit_events",
    "audit_facets",
    "audit_offset_of",
    "find_user",
    "install_codebook",
    "link_officer",
    "list_users",
    "needs_sign_in",
    "set_active",
    "set_password",
    "sign_in",
    "sign_in_choices",
    "verify_audit",
]


def add_user(
    db: Database,
    name: str,
    role: str,
    *,
    collar_number: str | None = None,
    password: str | None = None,
    team: str | None = None,
) -> UserRecord:
    """Add a user; the first who will sign in on a machine must be an admin
    (``users.check_first_to_sign_in``), and a name or collar number that clashes is refused."""
    users.check_first_to_sign_in(db, role, password)
    return users.create_user(db, name, role, collar_number=collar_number,
                             password=password, team=team)  # fmt: skip


def link_officer(db: Database, reference: str, user_id: int, *, linked: bool = True) -> None:
    """Link (or unlink) an officer to the incident with this reference: what they may read."""
    users.link_officer(db, incident_id(db, reference), user_id, linked=linked)
