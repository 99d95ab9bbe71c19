"""Transcripts and annotations in and out of other tools: transcripts as JSON, SRT, WebVTT
or text; a recording's annotations as ELAN (.eaf) or CSV, and an ELAN file's coded moments
added to a recording."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.formats import annotation_csv, elan, elan_import, interchange
from bwvreview.annotations.formats.elan_import import ImportResult
from bwvreview.annotations.formats.interchange import speaker_label
from bwvreview.annotations.records import Recording
from bwvreview.annotations.review.transcripts import Transcript
from bwvreview.app import Library

__all__ = ["ImportResult", "speaker_label"]

TRANSCRIPT_FORMATS = ("srt", "vtt", "txt", "json")
ANNOTATION_FORMATS = ("eaf", "csv")


def transcript_json(transcript: Transcript, recording: Recording) -> dict[str, Any]:
    return interchange.to_json(transcript, recording.duration_ms)


def render_transcript(transcript: Transcript, recording: Recording, fmt: str) -> str:
    """The transcript as one of ``TRANSCRIPT_FORMATS``, without a trailing newline."""
    if fmt == "json":
        return json.dumps(transcript_json(transcript, recording), indent=2, ensure_ascii=False)
    render = {"srt": interchange.to_srt, "vtt": interchange.to_vtt, "txt": interchange.to_txt}
    return render[fmt](transcript).rstrip("\n")


def annotation_format(out: str, fmt: str | None) -> str:
    """The format asked for, else the one the file name's suffix says."""
    chosen = fmt or Path(out).suffix.lower().lstrip(".")
    if chosen not in ANNOTATION_FORMATS:
        raise DomainError(f"{out}: say --format eaf or --format csv")
    return chosen


def export_annotations(
    lib: Library, recording_id: int, out: Path, fmt: str, author: str | None = None
) -> int:
    """Write a recording's annotations (only ``author``'s, if given); returns how many."""
    export = elan.export_eaf if fmt == "eaf" else annotation_csv.export_csv
    return export(lib.db, recording_id, out, lib.codebook_id, author)


def check_eaf(path: Path) -> None:
    """Refuse a file that is not a readable ELAN document (before anything is imported)."""
    elan.read_eaf(path)


def import_annotations(
    lib: Library, recording_id: int, path: Path, author: str | None = None
) -> ImportResult:
    """Add the coded moments of an ELAN file to a recording, by ``author`` (made if new)."""
    return elan_import.import_eaf(lib.db, recording_id, path, codebook_id=lib.codebook_id,
                                  actor=lib.actor, author=author)  # fmt: skip
