"""The errors the window and the command line may meet, from one place (the funnel).

Everything a person can fix is a ``DomainError`` (the library) or a ``MediaError`` (a media
file); ``BAD_INPUT`` is both, which the command line maps to exit code 3 and the window to a
readable dialog. The window and the command line import errors from here, never from the
packages below ``app``.
"""

from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.access.users import SignInError
from bwvreview.annotations.errors import (
    CodebookError,
    CueLexiconError,
    DatabaseError,
    DomainError,
    NotFoundError,
)
from bwvreview.annotations.review import ConflictError
from bwvreview.media.errors import MediaError

BAD_INPUT = (DomainError, MediaError)

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
