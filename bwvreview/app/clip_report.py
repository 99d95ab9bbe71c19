"""The clip's report (what was done, what the checks found) and what verification expects.

The report sits beside the clip, so it never quotes the personal data: kinds and times only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bwvreview.annotations.records import Recording
from bwvreview.app import Library
from bwvreview.app.export_options import ExportOptions
from bwvreview.media.banner import BannerRegion
from bwvreview.media.clip_verify import Verification, VerifyOptions, summary_lines
from bwvreview.personal_data.finder import PersonalDataHit

REPORT_FORMAT = "bwvreview-clip-report/1"


def report_path_for(clip: Path) -> Path:
    """``clip.mp4`` → ``clip.report.json``, beside the clip."""
    return clip.with_name(f"{clip.stem}.report.json")


def verify_options(
    items: Sequence[str],
    card_ms: int,
    kept_faces: Sequence[tuple[int, tuple[float, float, float, float]]],
    masked_faces: Sequence[tuple[int, tuple[float, float, float, float]]] = (),
    *,
    banner_redacted: bool,
    captions: bool = False,
    context_before: Sequence[str] = (),
) -> VerifyOptions:
    """What the verifier should expect of a clip, from how it was exported."""
    return VerifyOptions(
        redacted_items=tuple(items),
        skip_before_ms=card_ms,
        faces_expected=tuple(kept_faces),
        faces_masked=tuple(masked_faces),
        banner_redacted=banner_redacted,
        captions=captions,
        context_before=tuple(context_before),
    )


def build_report(
    lib: Library,
    recording: Recording,
    span_ms: tuple[int, int],
    written: Path,
    clip_sha: str,
    result: Any,
    options: ExportOptions,
    hits: Sequence[PersonalDataHit],
    bleeped: Sequence[PersonalDataHit],
    banner: BannerRegion | None,
    notes: list[str],
    verification: Verification | None,
    repairs: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    kept = [h for h in hits if h not in bleeped]
    verdict = "unverified" if verification is None else verification.verdict
    return {
        "format": REPORT_FORMAT,
        "verdict": verdict,
        "clip": {
            "file": written.name,
            "sha256": clip_sha,
            "duration_ms": result.duration_ms,
            "frames": result.frames,
            "fps": result.fps,
            "opening_card_ms": result.card_ms,
        },
        "source": {
            "recording_id": recording.id,
            "file": Path(recording.path).name,
            "sha256": recording.sha256,
            "span_ms": list(span_ms),
        },
        "exported_by": lib.actor,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "settings": {
            "faces": options.faces,
            "banner": "kept" if options.keep_overlay else (options.banner_preset or "auto"),
            "bleep": options.bleep,
            "audio_mode": options.audio_mode,
            "voice_disguise": options.voice_disguise,
            "captions": options.captions,
            "opening_card": options.opening_card,
            "padding_ms": options.padding_ms,
            "keep_metadata": options.keep_metadata,
            "annotation_id": options.annotation_id,
        },
        "opt_outs": {
            "faces": options.faces == "none",
            "banner": options.keep_overlay,
            "bleep": options.bleep == "none",
            "metadata": options.keep_metadata,
            "people_kept_visible": sorted(options.keep_visible_tracks),
            "personal_data_kept_audible": len(kept),
        },
        "redaction": {
            "video": result.video,
            "banner": banner.to_dict() if banner is not None else None,
            # Kinds and times only: the words themselves stay in the local database.
            "audio": [
                {"kind": h.kind, "start_ms": h.start_ms, "end_ms": h.end_ms} for h in bleeped
            ],
            "kept_audible": [
                {"kind": h.kind, "start_ms": h.start_ms, "end_ms": h.end_ms} for h in kept
            ],
            "bleeped_spans_ms": [list(s) for s in result.audio_spans_ms],
            # What verification still found and a second pass hid (verify-then-repair):
            # {"pass", "check", "kind", "start_ms", "end_ms"}, in the recording's time.
            "repaired": list(repairs),
        },
        "notes": notes,
        "timings_s": {
            "export": round(result.seconds, 2),
            "verify": round(verification.seconds, 2) if verification is not None else None,
        },
        "verification": verification.to_json() if verification is not None else None,
    }


def report_texts(report: dict[str, Any], verification: Verification | None) -> tuple[str, str]:
    """The report as JSON and its readable copy, ready to write (``clip_outputs``)."""
    text_lines = summary_lines(verification) if verification else ["not verified"]
    repaired = report.get("redaction", {}).get("repaired", [])
    if repaired:
        passes = max(r["pass"] for r in repaired)
        kinds = ", ".join(sorted({r["kind"].replace("_", " ") for r in repaired}))
        text_lines.append(
            f"repaired after verification: {len(repaired)} moment(s) hidden in"
            f" {passes} more pass(es) ({kinds})"
        )
    return (
        json.dumps(report, indent=2, default=_jsonable) + "\n",
        "\n".join(text_lines) + "\n",
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} in a report")


def restore_verify_options(stored: dict[str, Any]) -> VerifyOptions:
    """``VerifyOptions`` back from the JSON it was stored as."""
    return VerifyOptions(
        redacted_items=tuple(stored.get("redacted_items", ())),
        skip_before_ms=int(stored.get("skip_before_ms", 0)),
        faces_expected=_frame_boxes(stored.get("faces_expected", ())),
        faces_masked=_frame_boxes(stored.get("faces_masked", ())),
        banner_redacted=bool(stored.get("banner_redacted", True)),
        captions=bool(stored.get("captions", False)),
        model=stored.get("model"),
        context_before=tuple(stored.get("context_before", ())),
    )


def _frame_boxes(
    stored: Sequence[Any],
) -> tuple[tuple[int, tuple[float, float, float, float]], ...]:
    return tuple((int(frame), tuple(float(v) for v in box)) for frame, box in stored)  # type: ignore[misc]
