"""Progress generators: long work yields progress and *returns* its result.

``drain`` runs one to the end where nobody watches the progress; ``Cancelled`` is what one
raises when its cancel flag is set (each kind of work names its own subclass). They live
outside the layered packages so that ``media``, ``app``, the window and the tests share one
copy.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

T = TypeVar("T")


class Cancelled(Exception):
    """Long work stopped because someone asked it to: not a failure, nothing to report."""


def drain(steps: Generator[object, None, T]) -> T:
    """Run a progress generator to the end, ignoring its progress, and return its result."""
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value
