"""Pass on one stage's progress inside a bigger workflow, with its cancel flag."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from bwvreview.media.clip_export import ExportCancelled

T = TypeVar("T")


def relay(
    steps: Generator[Any, None, T], cancel: threading.Event | None, show: Callable[[Any], Any]
) -> Generator[Any, None, T]:
    """Pass on a stage's progress as ``show`` maps it (None: nothing to show); return its result."""
    while True:
        try:
            step = next(steps)
        except StopIteration as finished:
            return finished.value
        if cancel is not None and cancel.is_set():
            steps.close()
            raise ExportCancelled()
        shown = show(step)
        if shown is not None:
            yield shown
