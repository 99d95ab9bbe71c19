"""The metadata check: every tag in the file and any encoder comment in its bitstream; only
the tags a neutral MP4 carries whoever made it may remain."""

from __future__ import annotations

from pathlib import Path

from bwvreview.media.clip_verify.verdict import Check
from bwvreview.media.clip_writer import NEUTRAL_ENCODER

# Tags a neutral MP4 carries whoever made it: the file type, and the track handlers.
NEUTRAL_TAGS = {
    "major_brand",
    "minor_version",
    "compatible_brands",
    "title",
    "handler_name",
    "vendor_id",
    "language",
    "encoder",
}
NEUTRAL_VALUES = {
    "handler_name": {"VideoHandler", "SoundHandler"},
    "encoder": {NEUTRAL_ENCODER},  # what clip_writer names the picture's encoder
}
ENCODER_MARKERS = (b"x264 - core", b"x265 (build", b"Lavc", b"Lavf")


def metadata_check(path: Path, tags: dict[str, dict[str, str]]) -> Check:
    """Fail on any tag a neutral MP4 would not carry, or an encoder comment in the first 4 MiB."""
    findings = [
        {"where": where, "tag": key, "value": value}
        for where, pairs in tags.items()
        for key, value in pairs.items()
        if key not in NEUTRAL_TAGS or value not in NEUTRAL_VALUES.get(key, {value})
    ]
    head = path.read_bytes()[: 4 * 1024 * 1024]
    findings += [
        {"where": "bitstream", "tag": "encoder comment", "value": marker.decode()}
        for marker in ENCODER_MARKERS
        if marker in head
    ]
    present = sorted({key for pairs in tags.values() for key in pairs})
    if findings:
        names = ", ".join(sorted({f["tag"] for f in findings}))
        summary = f"identifying or unexpected tags present: {names}"
        return Check("metadata", False, summary, findings)
    return Check("metadata", True, f"only neutral tags: {', '.join(present) or 'none'}")
