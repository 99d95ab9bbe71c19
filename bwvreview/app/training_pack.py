"""Export a training pack as a self-contained folder a trainer can carry to a session.

The folder holds the clips (``clips/NN-slug.mp4``, byte copies of the verified exports a
second person approved for trainers, checked against their recorded SHA-256), redacted
WebVTT captions beside each clip, an offline ``index.html`` that plays the clips in order
with the facilitator's notes and the discussion prompts (no network, nothing loaded from
outside), a ``pack.json`` manifest and, if asked, a printable PDF handout. It is built in
a hidden folder beside the target and renamed into place when complete, so a half-written
pack never sits under its final name.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning import clip_library, clips, packs
from bwvreview.annotations.learning.clip_library import LibraryClip
from bwvreview.app import Library
from bwvreview.app.handout_pdf import write_handout
from bwvreview.app.pack_html import render_index
from bwvreview.app.packs import clip_length_ms
from bwvreview.app.redacted_text import joined, redact_text, redact_words
from bwvreview.media.hashing import iter_sha256_cancellable
from bwvreview.personal_data.finder import TimedWord
from bwvreview.steps import Cancelled, drain
from bwvreview.timecode import precise

PACK_FORMAT = "bwvreview-training-pack/1"
_CUE_GAP_MS = 700  # a pause this long starts a new caption
_CUE_CHARS = 64  # a caption longer than this is split at the next word


class PackRefused(DomainError):
    """The pack cannot be exported as it stands (a clip is missing, changed or not verified)."""


class ClipChanged(PackRefused):
    """A clip's bytes differ from the verified export it was recorded as."""


class PackCancelled(Cancelled):
    """The export was cancelled; nothing was left behind."""


@dataclass(frozen=True)
class PackExport:
    folder: Path
    clips: int
    pdf: Path | None
    notices: tuple[str, ...]  # e.g. a clip that is in the library by override
    seconds: float


def slug(text: str, fallback: str = "clip") -> str:
    """``Triggering language`` → ``triggering-language`` (ASCII, for portable file names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:40].strip("-") or fallback


def check_clip(
    clip: LibraryClip, cancel: threading.Event | None = None
) -> Generator[float, None, None]:
    """Refuse a clip whose file is gone or differs from what was verified and recorded."""
    path = Path(clip.clip_path)
    if not path.is_file():
        raise PackRefused(f"clip {clip.clip_id} is not at {path}; the pack cannot include it")
    digest = yield from iter_sha256_cancellable(path, cancel)
    if digest is None:
        raise PackCancelled()
    if digest != clip.sha256:
        raise ClipChanged(
            f"clip {clip.clip_id} ({path.name}) has changed since it was exported and verified"
            " (SHA-256 differs); export it again"
        )
    if clip.release_state != clips.APPROVED:
        raise PackRefused(f"clip {clip.clip_id} is not approved for trainers ({clip.state_words})")


def caption_cues(lib: Library, clip: LibraryClip) -> list[tuple[int, int, str]]:
    """Redacted captions for a clip: ``(start_ms, end_ms, text)`` in the clip's own time."""
    source = clip_library.caption_source(lib.db, clip.clip_id)
    if not source.words:
        return []
    words = [TimedWord(t, s, e) for t, s, e in source.words]
    shown = redact_words(words, source.people_places)
    offset = clip.start_ms - int(clip.report_summary.get("opening_card_ms") or 0)
    cues: list[list[TimedWord]] = []
    for word in shown:
        current = cues[-1] if cues else None
        if (
            current is None
            or word.start_ms - current[-1].end_ms > _CUE_GAP_MS
            or len(joined(current)) > _CUE_CHARS
            or current[-1].text.rstrip().endswith((".", "?", "!"))
        ):
            cues.append([word])
        else:
            current.append(word)
    limit = clip.duration_ms + int(clip.report_summary.get("opening_card_ms") or 0)
    out = []
    for cue in cues:
        start = max(0, cue[0].start_ms - offset)
        end = min(limit, max(start + 300, cue[-1].end_ms - offset))
        if end > start:
            out.append((start, end, joined(cue)))
    return out


def webvtt(cues: Sequence[tuple[int, int, str]]) -> str:
    lines = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(cues, start=1):
        safe = text.replace("-->", "→").replace("&", "&amp;").replace("<", "&lt;")
        lines += [str(number), f"{precise(start)} --> {precise(end)}", safe, ""]
    return "\n".join(lines)


def _entry(
    lib: Library, position: int, item: packs.PackItem, clip: LibraryClip
) -> tuple[dict[str, Any], str]:
    listed = clip_library.caption_source(lib.db, clip.clip_id).people_places
    stem = f"{position:02d}-{slug(clip.category_label)}"
    cues = caption_cues(lib, clip)
    entry = {
        "position": position,
        "file": f"clips/{stem}.mp4",
        "captions": f"clips/{stem}.vtt",
        "cues": [{"start_ms": s, "end_ms": e, "text": t} for s, e, t in cues],
        "sha256": clip.sha256,
        "duration_ms": clip_length_ms(clip),
        "discussion_minutes": item.discussion_minutes,
        "category": clip.category_key,
        "category_label": clip.category_label,
        "polarity": clip.polarity,
        "principles": list(clip.principles),
        "learning_point": redact_text(clip.note, listed),
        "suggested_wording": redact_text(clip.suggested_wording, listed),
        "facilitator_notes": redact_text(item.facilitator_notes, listed),
        "prompts": [redact_text(p, listed) for p in item.prompts],
        "verdict": clip.verdict,
        "overridden": clip.overridden,
        # the picture already carries captions: the page offers its own but does not show them
        "captions_burned_in": bool(clip.report_summary.get("captions_burned_in")),
        "anonymisation": clip.report_summary,
    }
    return entry, webvtt(cues)


def iter_export_pack(
    lib: Library,
    pack_id: int,
    out: Path,
    *,
    pdf: bool = True,
    cancel: threading.Event | None = None,
) -> Generator[float, None, PackExport]:
    """Build the pack folder at ``out`` (which must not exist), yielding the fraction done."""
    began = time.perf_counter()
    out = Path(out)
    pack = packs.get_pack(lib.db, pack_id)
    if not pack.items:
        raise PackRefused(f"training pack {pack_id} has no clips yet")
    if out.exists():
        raise PackRefused(f"{out} already exists; choose a new folder name")
    if not out.parent.is_dir():
        raise PackRefused(f"{out.parent} is not a folder")
    found = clip_library.library_clips_by_id(lib.db, [i.clip_id for i in pack.items])
    missing = [i.clip_id for i in pack.items if i.clip_id not in found]
    if missing:
        which = ", ".join(map(str, missing))
        raise PackRefused(
            f"clip{'s' if len(missing) > 1 else ''} {which} in this pack"
            f" {'are' if len(missing) > 1 else 'is'} no longer approved for trainers;"
            " remove it from the pack to export it"
        )
    building = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    (building / "clips").mkdir(parents=True)
    try:
        entries, notices = [], []
        total = len(pack.items) + 1
        for number, item in enumerate(pack.items, start=1):
            clip = found[item.clip_id]
            for fraction in check_clip(clip, cancel):
                yield (number - 1 + 0.5 * fraction) / total
            if clip.overridden:
                notices.append(
                    f"clip {number} ({clip.category_label}) did not pass verification; it is in"
                    " the library by a recorded override"
                )
            entry, vtt = _entry(lib, number, item, clip)
            shutil.copyfile(clip.clip_path, building / entry["file"])
            (building / entry["captions"]).write_text(vtt, encoding="utf-8")
            entries.append(entry)
            yield (number - 0.1) / total
        manifest = {
            "format": PACK_FORMAT,
            "title": pack.title,
            "description": pack.description,
            "session_minutes": pack.session_minutes,
            "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "exported_by": lib.db.principal.name,
            "notices": notices,
            "clips": entries,
        }
        (building / "pack.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (building / "index.html").write_text(render_index(manifest), encoding="utf-8")
        handout = None
        if pdf:
            write_handout(building / "handout.pdf", manifest)
            handout = out / "handout.pdf"
        if cancel is not None and cancel.is_set():
            raise PackCancelled()
        os.rename(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    yield 1.0
    return PackExport(out, len(entries), handout, tuple(notices), time.perf_counter() - began)


def export_pack(lib: Library, pack_id: int, out: Path, *, pdf: bool = True) -> PackExport:
    """``iter_export_pack`` without progress: for the command line and tests."""
    return drain(iter_export_pack(lib, pack_id, out, pdf=pdf))
