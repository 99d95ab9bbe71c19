"""Errors the domain raises for things a person can fix; the CLI maps them to exit code 3."""


class DomainError(ValueError):
    """Bad input to a domain service (unknown id, broken codebook file, …)."""


class NotFoundError(DomainError):
    """An id or reference that names nothing in the library."""


class CodebookError(DomainError):
    """The codebook file is missing or malformed; the message names the file and line."""


class DatabaseError(DomainError):
    """The database cannot be opened or is newer than this version of bwvreview."""


class CueLexiconError(DomainError):
    """The cue lexicon (cues.yaml) is missing or malformed; the message names the file and line."""
