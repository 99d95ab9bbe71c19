"""People, permissions, sign-in and the audit log: what an admin manages and what decides
which windows a person may open."""

from bwvreview.annotations.access import (
    DASHBOARD,
    EXPORT,
    MANAGE_USERS,
    READ_AUDIT,
    READ_FOOTAGE,
    ROLE_LABELS,
    ROLES,
    Principal,
)
from bwvreview.annotations.access.users import (
    UserRecord,
    check_first_to_sign_in,
    create_user,
    link_officer,
    list_users,
    needs_sign_in,
    set_active,
    set_password,
    sign_in,
    sign_in_choices,
)
from bwvreview.annotations.audit.entries import (
    PAGE_SIZE,
    AuditEntry,
    AuditFilter,
    ChainReport,
    facets,
    list_events,
    offset_of,
    verify,
)

__all__ = [
    "DASHBOARD",
    "EXPORT",
    "MANAGE_USERS",
    "PAGE_SIZE",
    "READ_AUDIT",
    "READ_FOOTAGE",
    "ROLES",
    "ROLE_LABELS",
    "AuditEntry",
    "AuditFilter",
    "ChainReport",
    "Principal",
    "UserRecord",
    "check_first_to_sign_in",
    "create_user",
    "facets",
    "link_officer",
    "list_events",
    "list_users",
    "needs_sign_in",
    "offset_of",
    "set_active",
    "set_password",
    "sign_in",
    "sign_in_choices",
    "verify",
]
