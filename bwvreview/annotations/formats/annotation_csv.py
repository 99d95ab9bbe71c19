"""CSV export of a recording's annotations, for spreadsheets.

UTF-8 with a byte-order mark, so Excel reads accents and quotes correctly; one row per
annotation in time order. A cell that a spreadsheet would run as a formula (one starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading ``'``,
so a note such as ``=HYPERLINK(...)`` stays text (CSV injection).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bwvreview.annotations.formats.elan import ExportSource, export_source, write_atomically
from bwvreview.annotations.store.db import Database
from bwvreview.timecode import precise

COLUMNS = (
    "id",
    "recording_sha256",
    "start",
    "end",
    "start_ms",
    "end_ms",
    "category",
    "label",
    "principles",
    "polarity",
    "severity",
    "status",
    "note",
    "quote",
    "suggested_wording",
    "author",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should show it: text that looks like a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def rows(source: ExportSource) -> list[dict[str, object]]:
    """One dict per annotation, keyed by ``COLUMNS`` (not yet made formula-safe)."""
    return [
        {
            "id": a.id,
            "recording_sha256": source.recording_sha256,
            "start": precise(a.start_ms, "."),
            "end": precise(a.end_ms, "."),
            "start_ms": a.start_ms,
            "end_ms": a.end_ms,
            "category": a.category_key,
            "label": a.category_label,
            "principles": ";".join(a.principles),
            "polarity": a.polarity,
            "severity": "" if a.severity is None else a.severity,
            "status": a.status,
            "note": a.note,
            "quote": a.quote,
            "suggested_wording": a.suggested_wording,
            "author": source.authors.get(a.author_id, "") if a.author_id else "",
        }
        for a in source.annotations
    ]


def to_csv(source: ExportSource) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(source):
        writer.writerow({name: safe_cell(value) for name, value in row.items()})
    return out.getvalue()


def export_csv(
    db: Database, recording_id: int, out_path: Path, codebook_id: int, author: str | None = None
) -> int:
    """Write the recording's annotations (all, or one ``author``'s) as CSV; return how many
    rows. Needs READ_FOOTAGE."""
    source = export_source(db, recording_id, codebook_id, author)
    write_atomically(Path(out_path), to_csv(source).encode("utf-8-sig"))
    return len(source.annotations)
