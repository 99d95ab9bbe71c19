"""SHA-256 of a file, streamed in chunks so hour-long footage never sits in memory."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Generator
from pathlib import Path

CHUNK_BYTES = 1 << 20
_YIELD_EVERY = 64  # chunks between progress reports (64 MiB)


def iter_sha256(path: Path) -> Generator[float, None, str]:
    """Hash ``path`` read-only, yielding the fraction done; the digest is the return value.

    Use as ``digest = yield from iter_sha256(path)`` inside another progress generator.
    """
    total = max(path.stat().st_size, 1)
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as handle:
        for count, chunk in enumerate(iter(lambda: handle.read(CHUNK_BYTES), b""), start=1):
            digest.update(chunk)
            done += len(chunk)
            if count % _YIELD_EVERY == 0:
                yield done / total
    yield 1.0
    return digest.hexdigest()


def iter_sha256_cancellable(
    path: Path, cancel: threading.Event | None
) -> Generator[float, None, str | None]:
    """``iter_sha256`` that stops between its progress steps once ``cancel`` is set.

    Returns the digest, or None when cancelled: the caller raises its own kind of cancel.
    """
    hashing = iter_sha256(path)
    while True:
        if cancel is not None and cancel.is_set():
            hashing.close()
            return None
        try:
            yield next(hashing)
        except StopIteration as finished:
            return finished.value
