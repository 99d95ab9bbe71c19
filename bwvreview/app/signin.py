"""Who the command line acts as: a stored user named by BWVREVIEW_USER, or the machine owner.

On a single-user SQLite library nobody need sign in. In team mode (PostgreSQL), once the
library has users, every command signs one in: ``BWVREVIEW_USER`` (a name or collar number)
and ``BWVREVIEW_PASSWORD``. An empty team library is set up by whoever creates it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from bwvreview.annotations import users
from bwvreview.annotations.access import Principal
from bwvreview.annotations.errors import DomainError, NotFoundError

if TYPE_CHECKING:
    from bwvreview.app import Library


def signed_in(lib: Library, principal: Principal) -> Library:
    """The same library, acting as ``principal`` (sharing the open database)."""
    return replace(lib, db=lib.db.as_user(principal), actor=principal.name)


def sign_in_from_environment(lib: Library) -> Library:
    key = os.environ.get("BWVREVIEW_USER", "").strip()
    team = lib.db.dialect != "sqlite"
    user = None
    if key:
        try:
            user = users.find_user(lib.db, key)
        except NotFoundError:
            user = None
    if user is None:
        if team and users.has_users(lib.db):
            raise DomainError(
                "team mode: sign in by setting BWVREVIEW_USER (your name or collar number) "
                "and BWVREVIEW_PASSWORD"
            )
        return lib
    principal = users.sign_in(lib.db, user.id, os.environ.get("BWVREVIEW_PASSWORD"))
    return signed_in(lib, principal)
