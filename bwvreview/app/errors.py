"""The errors the window and the command line may meet, from one place (the funnel).

Everything a person can fix is a ``DomainError`` (the library) or a ``MediaError`` (a media
file); ``BAD_INPUT`` is both, which the command line maps to exit code 3 and the window to a
readable dialog. The window and the command line import errors from here, never from the
packages below ``app``. Those two are plain classes; the errors of the services that need
the database are imported when first used (see ``app.lazy``), so a caller that only catches
``BAD_INPUT`` starts quickly.
"""

# ruff: noqa: F401 (the imports below are re-exported through _HOMES, not used here)
from __future__ import annotations

from typing import TYPE_CHECKING

from bwvreview.annotations.errors import (
    CodebookError,
    CueLexiconError,
    DatabaseError,
    DomainError,
    NotFoundError,
)
from bwvreview.app.lazy import lazy_exports
from bwvreview.media.errors import MediaError

if TYPE_CHECKING:
    from bwvreview.annotations.access import PermissionDenied
    from bwvreview.annotations.access.users import SignInError
    from bwvreview.annotations.review import ConflictError

BAD_INPUT = (DomainError, MediaError)

_HOMES = {
    "bwvreview.annotations.access": ("PermissionDenied",),
    "bwvreview.annotations.access.users": ("SignInError",),
    "bwvreview.annotations.review": ("ConflictError",),
}
_lazy, __getattr__, __dir__ = lazy_exports(globals(), _HOMES)

__all__ = [
    "BAD_INPUT",
    "CodebookError",
    "ConflictError",
    "CueLexiconError",
    "DatabaseError",
    "DomainError",
    "MediaError",
    "NotFoundError",
    "PermissionDenied",
    "SignInError",
]
