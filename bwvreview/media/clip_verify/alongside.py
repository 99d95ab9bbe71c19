"""Run one check on a helper thread while another runs on this one.

Alone, the face check leaves a core idle part of the time (the decoder waits for the
detector and the other way round), and so does the speech check (Whisper's decoding is
mostly one thread). Run side by side they fill both cores (``benchmarks/verify_beside.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Generic, TypeVar

from bwvreview.media.clip_verify.verdict import VerifyProgress, check_cancel

T = TypeVar("T")
POLL_S = 0.1


class Alongside(Generic[T]):
    """``work(halt)`` run to its end on a helper thread; ``latest`` is its last progress.

    ``work`` gets an event of its own to stop on (its cancel flag): ``stop`` sets it. The
    thread is not a daemon, like ``media.background``'s: a native call under way is let
    finish rather than torn down at exit.
    """

    def __init__(self, work: Callable[[threading.Event], Generator[VerifyProgress, None, T]]):
        self._halt = threading.Event()
        self.latest: VerifyProgress | None = None
        self._result: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(work,), name="bwvreview-verify", daemon=False
        )
        self._thread.start()

    def _run(self, work: Callable[[threading.Event], Generator[VerifyProgress, None, T]]) -> None:
        try:
            steps = work(self._halt)
            while True:
                self.latest = next(steps)
        except StopIteration as done:
            self._result = done.value
        except BaseException as exc:  # noqa: BLE001 - raised again by ``result``
            self._error = exc

    def result(self, cancel: threading.Event | None) -> Generator[VerifyProgress, None, T]:
        """Wait for the work to end (its progress meanwhile); its result, or its exception
        raised here. The caller's ``cancel`` is honoured while waiting."""
        while self._thread.is_alive():
            check_cancel(cancel)
            self._thread.join(POLL_S)
            if self.latest is not None:
                yield self.latest
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]

    def stop(self) -> None:
        """Ask the work to stop at its next step; it finishes the step under way alone."""
        self._halt.set()
