"""Is the footage still the footage? The SHA-256 taken at import is the footage's fingerprint:
export and transcription vouch for what they derive from it, and the window checks it when
a review is opened or the file is located again.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path

from bwvreview.annotations.records import Recording
from bwvreview.media.errors import MediaError
from bwvreview.media.hashing import iter_sha256


def iter_fingerprint(path: Path) -> Generator[float, None, str]:
    """Hash a file read-only, yielding the fraction done; return its SHA-256 (hex)."""
    return (yield from iter_sha256(Path(path)))


def iter_confirm_footage(
    recording: Recording, doing: str, cancel: threading.Event | None = None
) -> Generator[float, None, None]:
    """The footage must still be the file that was imported, byte for byte: SHA-256 now
    against the one stored at import, yielding the fraction hashed. Export and
    transcription both vouch for what they derive from it, so both call this.

    Raises ``MediaError`` ("... nothing {doing}") when it is missing or has changed.
    """
    path = Path(recording.path)
    if not path.is_file():
        raise MediaError(
            f"{path}: the footage is no longer there (moved or on a disconnected drive);"
            f" nothing {doing}"
        )
    hashing = iter_sha256(path)
    while True:
        if cancel is not None and cancel.is_set():
            hashing.close()
            return  # the caller's own check of its flag raises its own kind of cancel
        try:
            yield next(hashing)
        except StopIteration as finished:
            digest = finished.value
            break
    if digest != recording.sha256:
        raise MediaError(
            f"{path.name} has changed since it was imported (SHA-256 differs); nothing {doing}"
        )
