"""Who may do what: roles, permissions and the read filters every service applies.

The rules live here, in the service layer, not in which buttons a window shows:

- a **TIP** reviews: footage, transcripts, annotations, exports, case studies;
- a **trainer** reads anonymised clips that are in the library, the annotations those clips
  were cut for and their reports, and builds training packs; never raw footage;
- an **officer** reads only incidents they are linked to, and on those only the annotations
  marked *shared*; they write reflections;
- an **admin** manages users and the codebook, reads the audit log, and may do everything;
- the **training programme** (sessions, registers, questionnaires) is a trainer's to manage;
  its outcomes reports are for TIPs and admins; an officer reads only their own attendance
  and the answers they put their name to.

Each service function calls ``require`` (for an action) or one of the ``*_filter`` helpers
(for a read), with the ``Principal`` bound to the ``Database`` it was given.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, exists, false, select, true
from sqlalchemy.orm import Session

from bwvreview.annotations.errors import DomainError, NotFoundError

if TYPE_CHECKING:
    from bwvreview.annotations.store.models import Recording

ROLES = ("tip", "trainer", "officer", "admin")

# Permissions are plain strings so they read well in messages and in the audit log.
READ_FOOTAGE = "read footage"  # raw recordings, their transcripts and every annotation
REVIEW = "review"  # import, transcribe, annotate, set review status, redact
EXPORT = "export clips"
READ_CLIPS = "read library clips"
BUILD_PACKS = "build training packs"
CASE_STUDY = "write case studies"
REFLECT = "write reflections"
READ_REFLECTIONS = "read reflections"
DASHBOARD = "read the insight dashboard"
MANAGE_USERS = "manage users"
MANAGE_CODEBOOK = "manage the codebook"
READ_AUDIT = "read the audit log"
MANAGE_PROGRAMME = "manage the training programme"
READ_REPORTS = "read outcomes reports"
# observations, PPN1 reviews and reflective practice sessions (annotations/practice/)
RECORD_PRACTICE = "record practice"

_TIP = frozenset(
    {READ_FOOTAGE, REVIEW, EXPORT, READ_CLIPS, BUILD_PACKS, CASE_STUDY, READ_REFLECTIONS,
     DASHBOARD, READ_REPORTS, RECORD_PRACTICE}
)  # fmt: skip
PERMISSIONS: dict[str, frozenset[str]] = {
    "tip": _TIP,
    "trainer": frozenset({READ_CLIPS, BUILD_PACKS, DASHBOARD, MANAGE_PROGRAMME}),
    "officer": frozenset({REFLECT}),
    "admin": _TIP | {MANAGE_USERS, MANAGE_CODEBOOK, READ_AUDIT, REFLECT, MANAGE_PROGRAMME},
}

ROLE_LABELS = {
    "tip": "Trauma Informed Practitioner",
    "trainer": "Trainer",
    "officer": "Officer",
    "admin": "Administrator",
}


class PermissionDenied(DomainError):
    """The signed-in user's role does not allow this."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a stored user, or the machine's own account on a single-user library."""

    user_id: int | None
    name: str
    role: str

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    @property
    def is_officer(self) -> bool:
        return self.role == "officer"


def os_account() -> str:
    """Who the machine says is using it (``BWVREVIEW_USER`` overrides), for the audit log."""
    configured = os.environ.get("BWVREVIEW_USER")
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# On a single-user machine nobody need sign in: the machine's owner acts with every right,
# as they could open the SQLite file anyway. Team mode always signs a stored user in.
LOCAL = Principal(user_id=None, name=os_account(), role="admin")


def require(principal: Principal, permission: str) -> Principal:
    if not principal.can(permission):
        label = ROLE_LABELS.get(principal.role, principal.role).lower()
        raise PermissionDenied(f"{principal.name} ({label}) may not {permission}")
    return principal


def recording_filter(principal: Principal) -> ColumnElement[bool]:
    """Which recordings the principal may read: all, their own incidents', or none."""
    from bwvreview.annotations.store import models

    if principal.can(READ_FOOTAGE):
        return true()
    if principal.is_officer and principal.user_id is not None:
        return exists(
            select(models.incident_officers.c.user_id).where(
                models.incident_officers.c.incident_id == models.Recording.incident_id,
                models.incident_officers.c.user_id == principal.user_id,
            )
        )
    return false()


def annotation_filter(principal: Principal) -> ColumnElement[bool]:
    """Which annotations the principal may read (join ``Recording`` on the annotation's)."""
    from bwvreview.annotations.store import models

    if principal.can(READ_FOOTAGE):
        return true()
    if principal.is_officer:
        return and_(models.Annotation.status == "shared", recording_filter(principal))
    if principal.can(READ_CLIPS):
        # a trainer sees the annotation a library clip was cut for, nothing else
        return exists(
            select(models.Clip.id).where(
                models.Clip.annotation_id == models.Annotation.id,
                models.Clip.in_library.is_(True),
            )
        )
    return false()


def readable_recording(session: Session, principal: Principal, recording_id: int) -> Recording:
    """The recording row if the principal may read it (an officer: only their incidents')."""
    from bwvreview.annotations.store import models

    if not (principal.can(READ_FOOTAGE) or principal.is_officer):
        raise PermissionDenied(f"{principal.name} may not open raw footage or its transcript")
    row = session.scalar(
        select(models.Recording).where(
            models.Recording.id == recording_id, recording_filter(principal)
        )
    )
    if row is None:
        # the same words whether it does not exist or belongs to someone else
        raise NotFoundError(f"no recording with id {recording_id}")
    return row
