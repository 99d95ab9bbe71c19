"""Iterate a slow producer on a helper thread so the consumer can stop waiting at once.

A CTranslate2 decoding call cannot be interrupted and may run for seconds. Running the
producer on a helper thread lets the consumer notice a cancel flag (or Ctrl-C, which
Python delivers only to the main thread between bytecodes) within ``POLL_S``; the
abandoned producer is told to stop and finishes its current item in the background.
The thread is not a daemon on purpose: at exit Python waits for it to finish that item,
because tearing down native code mid-call aborts the process.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

POLL_S = 0.05
_END = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def iterate_in_background(
    produce: Callable[[], Iterator[T]],
    cancel: threading.Event | None,
    on_cancel: Callable[[], BaseException],
) -> Iterator[T]:
    """Yield what ``produce()`` yields, produced on a helper thread.

    When ``cancel`` is set the wait ends within ``POLL_S`` and ``on_cancel()`` is raised;
    an exception inside the producer is re-raised here. Closing this generator early also
    tells the producer to stop.
    """
    items: queue.Queue[object] = queue.Queue(maxsize=8)
    stop = threading.Event()

    def offer(item: object) -> bool:
        """Hand one item over, or give up once the consumer has left (never block on a
        full queue nobody reads: this thread is not a daemon, so the process would hang)."""
        while not stop.is_set():
            try:
                items.put(item, timeout=POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in produce():
                if not offer(item):
                    return
            offer(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            offer(_Failure(exc))

    worker = threading.Thread(target=run, name="bwvreview-producer", daemon=False)
    worker.start()
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise on_cancel()
            try:
                item = items.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()
