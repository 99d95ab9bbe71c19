"""Export-and-record: the one clip workflow that the command line and the window share.

Anonymisation is the default. Faces are blurred, the burned-in banner is boxed out,
every personal-data hit in the span is bleeped, and the metadata is stripped. Each
opt-out is a named option, and the report and the audit log both record it. After
writing, the clip is verified from the file alone. The report beside the clip says what
was done and what the checks found. It never quotes the personal data itself: that stays
in the local database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import threading
import uuid
from collections.abc import Callable, Generator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bwvreview.annotations import clips, library, redactions, review, transcripts
from bwvreview.annotations.clips import ClipRecord, NewClip
from bwvreview.annotations.records import Recording
from bwvreview.app import Library, drain
from bwvreview.media.banner import BannerRegion, detect_banner, preset
from bwvreview.media.captions import CaptionWord, OpeningCard
from bwvreview.media.clip_export import (
    ClipRequest,
    ExportCancelled,
    check_destination,
    check_span,
    iter_export_clip,
)
from bwvreview.media.clip_verify import (  # noqa: F401 - summary_lines is for the CLI
    Verification,
    VerifyOptions,
    iter_verify_clip,
    summary_lines,
)
from bwvreview.media.errors import MediaError
from bwvreview.media.frames import frame_count, iter_span_frames
from bwvreview.media.hashing import iter_sha256
from bwvreview.media.masks import ManualMask
from bwvreview.media.personal_data import (
    PersonalDataHit,
    TimedWord,
    audio_spans,
    find_personal_data,
)
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings, iter_scan_tracks

T = TypeVar("T")
REPORT_FORMAT = "bwvreview-clip-report/1"
_BANNER_SAMPLES = 12
# How much of the overall progress bar each stage fills.
_STAGES = {"source": 0.05, "personal data": 0.05, "banner": 0.02, "export": 0.55, "verify": 0.33}


@dataclass(frozen=True)
class ExportOptions:
    faces: str = "blur"  # "blur" | "pixelate" | "box" | "none"
    keep_overlay: bool = False  # keep the burned-in banner readable
    banner_preset: str | None = None  # None: find the banner automatically
    bleep: str = "auto"  # "auto": every personal-data hit in the span; "none"
    audio_mode: str = "bleep"  # "bleep" (1 kHz tone) or "mute"
    voice_disguise: bool = False
    keep_metadata: bool = False
    captions: bool = False
    opening_card: bool = False
    padding_ms: int = 0
    annotation_id: int | None = None
    keep_visible_tracks: frozenset[int] = frozenset()  # people who consented to be seen
    kept_audible: frozenset[int] = frozenset()  # hit indexes the reviewer chose not to bleep
    manual_masks: tuple[ManualMask, ...] = ()
    report_path: Path | None = None
    verify: bool = True


@dataclass(frozen=True)
class ClipProgress:
    stage: str
    fraction: float  # of the whole workflow, 0..1
    eta_s: float | None = None


@dataclass(frozen=True)
class ClipOutcome:
    new_clip: NewClip  # recorded by ``store_export``
    path: Path
    report_path: Path
    verification: Verification | None
    report: dict[str, Any] = field(default_factory=dict)


def report_path_for(clip: Path) -> Path:
    """``clip.mp4`` → ``clip.report.json``, beside the clip."""
    return clip.with_name(f"{clip.stem}.report.json")


def span_with_padding(
    recording: Recording, start_ms: int, end_ms: int, padding_ms: int
) -> tuple[int, int]:
    """The span widened by ``padding_ms`` each side; only the padding is cut to fit.

    A span that is itself outside the recording is left as it is, to be refused.
    """
    start = max(0, start_ms - padding_ms) if start_ms >= 0 else start_ms
    end = (
        min(recording.duration_ms, end_ms + padding_ms)
        if end_ms <= recording.duration_ms
        else end_ms
    )
    return start, end


def personal_data_in_span(
    lib: Library, recording_id: int, start_ms: int, end_ms: int
) -> list[PersonalDataHit]:
    """Personal data heard in the span: the transcript, plus the incident's people & places."""
    words = _span_words(lib, recording_id, start_ms, end_ms)
    return find_personal_data(words, clips.people_and_places(lib.db, recording_id))


def _span_words(lib: Library, recording_id: int, start_ms: int, end_ms: int) -> list[TimedWord]:
    transcript = transcripts.current_transcript(lib.db, recording_id)
    if transcript is None:
        return []
    return [
        TimedWord(w.text, w.start_ms, w.end_ms)
        for w in transcript.words
        if w.end_ms > start_ms and w.start_ms < end_ms
    ]


def drawn_masks(lib: Library, recording_id: int) -> list[ManualMask]:
    """The masks drawn on this recording: every clip cut from it hides the same things."""
    return [
        ManualMask(keyframes=m.keyframes, mode=m.mode, label=m.label)
        for m in redactions.list_region_masks(lib.db, recording_id)
    ]


def frame_at(recording: Recording, at_ms: int) -> np.ndarray:
    """The upright frame on screen at ``at_ms`` (for drawing masks on)."""
    fps = recording.fps or 25.0
    at = min(max(0, at_ms), max(0, recording.duration_ms - 1))
    return next(iter_span_frames(Path(recording.path), at, at + 1, fps, recording.rotation))


def find_banner(recording: Recording, start_ms: int, end_ms: int) -> BannerRegion | None:
    """Look for the burned-in banner in frames sampled across the span."""
    step = max(1, (end_ms - start_ms) // _BANNER_SAMPLES)
    samples = [frame_at(recording, t) for t in range(start_ms, end_ms, step)][:_BANNER_SAMPLES]
    return detect_banner(samples)


@dataclass(frozen=True)
class PersonInSpan:
    """A tracked face, for "keep this person visible": its id, when, and a thumbnail."""

    track_id: int
    first_ms: int
    last_ms: int
    thumbnail: np.ndarray  # BGR crop of the face where the detector was surest


def iter_people_in_span(
    recording: Recording, start_ms: int, end_ms: int, cancel: threading.Event | None = None
) -> Generator[float, None, list[PersonInSpan]]:
    """Find the people (face tracks) in a span, with the ids the export will use."""
    path, fps = Path(recording.path), recording.fps or 25.0
    total = frame_count(start_ms, end_ms, fps)
    frames = iter_span_frames(path, start_ms, end_ms, fps, recording.rotation)
    first = next(frames)
    height, width = first.shape[:2]
    scanning = iter_scan_tracks(
        itertools.chain([first], frames), VideoRedactionSettings(), width, height, fps
    )
    tracks = yield from _relay(
        scanning, cancel, lambda seen: seen / total if seen % 10 == 0 else None
    )
    people = []
    for track in tracks:
        at = start_ms + round(track.best_frame * 1000 / fps)
        image = next(iter_span_frames(path, at, at + 1, fps, recording.rotation))
        x0, y0, x1, y1 = (int(max(0, v)) for v in track.best_box)
        people.append(
            PersonInSpan(
                track.track_id,
                start_ms + round(track.first_frame * 1000 / fps),
                start_ms + round(track.last_frame * 1000 / fps),
                image[y0:y1, x0:x1].copy(),
            )
        )
    return people


def iter_export(
    lib: Library,
    recording_id: int,
    start_ms: int,
    end_ms: int,
    out: Path,
    options: ExportOptions | None = None,
    cancel: threading.Event | None = None,
) -> Generator[ClipProgress, None, ClipOutcome]:
    """Export and verify one clip, yielding overall progress; ``store_export`` records it.

    Reads the database (transcript, people & places) but does not write it, so the window
    can run this on a worker thread.
    """
    options = options or ExportOptions()
    recording = library.get_recording(lib.db, recording_id)
    start_ms, end_ms = span_with_padding(recording, start_ms, end_ms, options.padding_ms)
    source = Path(recording.path)
    report_path = options.report_path or report_path_for(out)
    _check_inputs(recording, start_ms, end_ms, out, report_path)
    yield from _confirm_source(source, recording.sha256, cancel)
    info = probe(source)
    notes: list[str] = []
    hits = personal_data_in_span(lib, recording_id, start_ms, end_ms)
    bleeped = [h for i, h in enumerate(hits) if i not in options.kept_audible]
    if options.bleep == "none" or not info.has_audio:
        bleeped = []
    if not info.has_audio:
        notes.append("the recording has no sound: captions and bleeps were skipped")
    yield ClipProgress("personal data", _done("source", "personal data"))
    banner = None
    if not options.keep_overlay:
        banner = (
            preset(options.banner_preset)
            if options.banner_preset
            else find_banner(recording, start_ms, end_ms)
        )
        if banner is None:
            notes.append("no burned-in banner was found in the span")
    yield ClipProgress("banner", _done("source", "personal data", "banner"))
    request = ClipRequest(
        source=info,
        start_ms=start_ms,
        end_ms=end_ms,
        out=out,
        video=VideoRedactionSettings(
            faces=options.faces,
            keep_visible_tracks=options.keep_visible_tracks,
            manual_masks=(*drawn_masks(lib, recording_id), *options.manual_masks),
            banner=banner,
        ),
        audio_spans_ms=tuple(audio_spans(bleeped, duration_ms=recording.duration_ms)),
        audio_mode=options.audio_mode,
        voice_disguise=options.voice_disguise,
        captions=_captions(lib, recording_id, start_ms, end_ms, bleeped)
        if options.captions and info.has_audio
        else None,
        card=_card(lib, options.annotation_id) if options.opening_card else None,
        keep_metadata=options.keep_metadata,
    )
    base = _done("source", "personal data", "banner")
    result = yield from _relay(
        iter_export_clip(request, cancel),
        cancel,
        lambda step: ClipProgress("export", base + _STAGES["export"] * step.fraction, step.eta_s),
    )
    written = Path(result.path)
    items = _redacted_items(bleeped, clips.people_and_places(lib.db, recording_id))
    expect = verify_options(
        items,
        result.card_ms,
        result.kept_faces,
        result.masked_faces,
        banner_redacted=banner is not None,
        captions=request.captions is not None,
    )
    try:
        verification = None
        if options.verify:
            verification = yield from _verify(written, expect, cancel)
        clip_sha = drain(iter_sha256(written))
        report = _report(
            lib,
            recording,
            (start_ms, end_ms),
            written,
            clip_sha,
            result,
            options,
            hits,
            bleeped,
            banner,
            notes,
            verification,
        )
        _write_report(report_path, report, verification)
    except BaseException:
        written.unlink(missing_ok=True)  # no clip without its report and its record
        raise
    new_clip = NewClip(
        recording_id=recording_id,
        annotation_id=options.annotation_id,
        start_ms=start_ms,
        end_ms=end_ms,
        output_path=str(written.resolve()),
        sha256=clip_sha,
        source_sha256=recording.sha256,
        options={
            **report["settings"],
            "opt_outs": report["opt_outs"],
            "report_path": str(report_path.resolve()),
            "verify": asdict(expect),  # what verify-clip should expect of this clip
        },
        report=report,
        verified=verification is not None and verification.passed,
    )
    yield ClipProgress("done", 1.0, 0.0)
    return ClipOutcome(new_clip, written, report_path, verification, report)


def store_export(lib: Library, outcome: ClipOutcome) -> ClipRecord:
    """Record an exported clip (on the caller's thread: the window stores on the main one)."""
    return clips.record_clip(lib.db, outcome.new_clip, lib.actor)


def export_clip(
    lib: Library,
    recording_id: int,
    start_ms: int,
    end_ms: int,
    out: Path,
    options: ExportOptions | None = None,
) -> tuple[ClipOutcome, ClipRecord]:
    """Export, verify and record in one call (no progress): for scripts and tests."""
    outcome = drain(iter_export(lib, recording_id, start_ms, end_ms, out, options))
    return outcome, store_export(lib, outcome)


def _check_inputs(
    recording: Recording, start_ms: int, end_ms: int, out: Path, report_path: Path
) -> None:
    if not Path(recording.path).is_file():
        raise MediaError(
            f"the footage is not at {recording.path}; locate it in the library before exporting"
        )
    check_span(recording.duration_ms, start_ms, end_ms)
    check_destination(out)
    if report_path.exists():
        raise MediaError(f"{report_path} already exists; choose another name")


def _confirm_source(
    source: Path, expected: str, cancel: threading.Event | None
) -> Generator[ClipProgress, None, None]:
    """The footage must be the file that was imported: the clip's report vouches for it."""
    digest = yield from _relay(
        iter_sha256(source), cancel, lambda f: ClipProgress("source", _STAGES["source"] * f)
    )
    if digest != expected:
        raise MediaError(
            f"{source.name} has changed since it was imported (SHA-256 differs); nothing exported"
        )


def _relay(
    steps: Generator[Any, None, T], cancel: threading.Event | None, show: Callable[[Any], Any]
) -> Generator[Any, None, T]:
    """Pass on a stage's progress as ``show`` maps it (None: nothing to show); return its result."""
    while True:
        try:
            step = next(steps)
        except StopIteration as finished:
            return finished.value
        if cancel is not None and cancel.is_set():
            steps.close()
            raise ExportCancelled()
        shown = show(step)
        if shown is not None:
            yield shown


def _done(*stages: str) -> float:
    return sum(_STAGES[s] for s in stages)


def _captions(
    lib: Library, recording_id: int, start_ms: int, end_ms: int, bleeped: Sequence[PersonalDataHit]
) -> tuple[CaptionWord, ...]:
    spans = audio_spans(bleeped, margin_ms=0)
    words = _span_words(lib, recording_id, start_ms, end_ms)

    def hidden(word: TimedWord) -> bool:
        return any(word.start_ms < b and word.end_ms > a for a, b in spans)

    return tuple(CaptionWord(w.text, w.start_ms, w.end_ms, hidden(w)) for w in words)


def _card(lib: Library, annotation_id: int | None) -> OpeningCard | None:
    if annotation_id is None:
        return None
    annotation = review.get_annotation(lib.db, annotation_id)
    principles = ", ".join(p.replace("_", " ").capitalize() for p in annotation.principles)
    return OpeningCard(
        heading=annotation.category_label,
        principle=principles,
        note=annotation.note,
        alternative=annotation.suggested_wording,
    )


def _redacted_items(bleeped: Sequence[PersonalDataHit], listed: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*(h.text.strip() for h in bleeped), *listed]))


def _verify(
    written: Path, options: VerifyOptions, cancel: threading.Event | None
) -> Generator[ClipProgress, None, Verification]:
    base = 1.0 - _STAGES["verify"]
    return (
        yield from _relay(
            iter_verify_clip(written, options, cancel),
            cancel,
            lambda step: ClipProgress("verify", base + _STAGES["verify"] * step.fraction),
        )
    )


def verify_options(
    items: Sequence[str],
    card_ms: int,
    kept_faces: Sequence[tuple[int, tuple[float, float, float, float]]],
    masked_faces: Sequence[tuple[int, tuple[float, float, float, float]]] = (),
    *,
    banner_redacted: bool,
    captions: bool = False,
) -> VerifyOptions:
    """What the verifier should expect of a clip, from how it was exported."""
    return VerifyOptions(
        redacted_items=tuple(items),
        skip_before_ms=card_ms,
        faces_expected=tuple(kept_faces),
        faces_masked=tuple(masked_faces),
        banner_redacted=banner_redacted,
        captions=captions,
    )


def _report(
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
        },
        "notes": notes,
        "timings_s": {
            "export": round(result.seconds, 2),
            "verify": round(verification.seconds, 2) if verification is not None else None,
        },
        "verification": verification.to_json() if verification is not None else None,
    }


def _write_report(path: Path, report: dict[str, Any], verification: Verification | None) -> None:
    text_lines = summary_lines(verification) if verification else ["not verified"]
    _atomic_write(path, json.dumps(report, indent=2, default=_jsonable) + "\n")
    _atomic_write(path.with_suffix(".txt"), "\n".join(text_lines) + "\n")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} in a report")


def _atomic_write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


def iter_verify_file(
    lib: Library, path: Path, cancel: threading.Event | None = None
) -> Generator[object, None, Verification]:
    """``verify-clip``: check any clip; one exported here is checked against its own record."""
    if not path.is_file():
        raise MediaError(f"{path} does not exist")
    digest = drain(iter_sha256(path))
    record = clips.find_clip_by_sha256(lib.db, digest)
    options = VerifyOptions()
    if record is not None and "verify" in record.options:
        options = _restore(record.options["verify"])
    return (yield from iter_verify_clip(path, options, cancel))


def _restore(stored: dict[str, Any]) -> VerifyOptions:
    """``VerifyOptions`` back from the JSON it was stored as."""
    return VerifyOptions(
        redacted_items=tuple(stored.get("redacted_items", ())),
        skip_before_ms=int(stored.get("skip_before_ms", 0)),
        faces_expected=_frame_boxes(stored.get("faces_expected", ())),
        faces_masked=_frame_boxes(stored.get("faces_masked", ())),
        banner_redacted=bool(stored.get("banner_redacted", True)),
        captions=bool(stored.get("captions", False)),
        model=stored.get("model"),
    )


def _frame_boxes(
    stored: Sequence[Any],
) -> tuple[tuple[int, tuple[float, float, float, float]], ...]:
    return tuple((int(frame), tuple(float(v) for v in box)) for frame, box in stored)  # type: ignore[misc]
