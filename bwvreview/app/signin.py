"""Who the command line acts as: the user BWVREVIEW_USER names, or, on a library with nobody
who signs in yet, the machine's owner.

Sign-in fails closed. Once a library has people who sign in (``users.needs_sign_in``: on
SQLite anyone but an officer recorded by an import without a password; in team mode anyone),
every command needs ``BWVREVIEW_USER`` (a name or collar number) naming exactly one active
user, and ``BWVREVIEW_PASSWORD`` when that user has a password (always in team mode). No
user, an unknown one or a wrong password is refused (``SignInRequired``, exit 3) before
anything is done; the owner acts only on a library with no such people yet (first run). A
``BWVREVIEW_USER`` that names nobody is refused even then: the person meant someone.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.app import demo

if TYPE_CHECKING:
    from bwvreview.app import Library

HOW_TO_SIGN_IN = (
    "this library has users: set BWVREVIEW_USER to your name or collar number "
    "(and BWVREVIEW_PASSWORD if you have a password)"
)


class SignInRequired(DomainError):
    """Nobody valid is signed in on a library that needs it."""


def signed_in(lib: Library, principal: Principal) -> Library:
    """The same library, acting as ``principal`` (sharing the open database)."""
    return replace(lib, db=lib.db.as_user(principal), actor=principal.name)


def sign_in_from_environment(lib: Library, *, demo_tip: bool = False) -> Library:
    """The library acting as whoever ``BWVREVIEW_USER`` names; see the module docstring.

    ``demo_tip`` (``bwvreview demo``): with nobody named, the demo signs in as its own TIP,
    when the only people who sign in are the demo's own (its TIP and trainer), so the
    one-command quick start never asks; a library with anyone else still needs a name."""
    key = os.environ.get("BWVREVIEW_USER", "").strip()
    if key:
        return signed_in(lib, _sign_in_as(lib, key))
    if not users.sign_in_required(lib.db):
        return lib  # nobody signs in yet: the machine's owner (first run, the demo)
    if demo_tip and _only_demo_people(lib):
        return signed_in(lib, demo.demo_tip(lib))
    raise SignInRequired(HOW_TO_SIGN_IN)


def _sign_in_as(lib: Library, key: str) -> Principal:
    try:
        user = users.find_user(lib.db, key)
    except NotFoundError:
        raise SignInRequired(f"no user called {key[:80]!r}: {HOW_TO_SIGN_IN}") from None
    except DomainError as exc:
        raise SignInRequired(str(exc)) from None
    try:
        return users.sign_in(lib.db, user.id, os.environ.get("BWVREVIEW_PASSWORD"))
    except DomainError as exc:
        raise SignInRequired(str(exc)) from None


def _only_demo_people(lib: Library) -> bool:
    people = users.sign_in_choices(lib.db)
    signing_in = [u for u in people if u.role != "officer" or u.has_password]
    return bool(signing_in) and all(u.name in demo.DEMO_PEOPLE for u in signing_in)
