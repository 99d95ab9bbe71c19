"""Release needs a second person: the approve and not-approve workflows the command line and
the clip library window share.

The rules are in ``annotations.clips``; this module adds the one step that reads the file:
the clip's SHA-256 as it is now, checked there against the one recorded at verification.
"""

from __future__ import annotations

from pathlib import Path

from bwvreview.annotations.learning import clips
from bwvreview.annotations.learning.clips import ClipRecord
from bwvreview.app import Library
from bwvreview.media.hashing import iter_sha256
from bwvreview.steps import drain


def file_sha256(path: Path) -> str | None:
    """The file's SHA-256, or ``None`` when there is no readable file at ``path``."""
    try:
        return drain(iter_sha256(path)) if path.is_file() else None
    except OSError:
        return None


def approve(lib: Library, clip_id: int) -> ClipRecord:
    """The signed-in TIP or admin approves the clip for trainers (see ``clips.approve_clip``).

    Who may approve is checked before the file is read, so a refusal costs no hashing."""
    record = clips.check_approvable(lib.db, clip_id)
    return clips.approve_clip(lib.db, clip_id, file_sha256(Path(record.output_path)))


def reject(lib: Library, clip_id: int, reason: str) -> ClipRecord:
    """The clip is not approved (or is withdrawn), with the reason given."""
    return clips.reject_clip(lib.db, clip_id, reason)
