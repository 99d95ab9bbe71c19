"""Cut a span of a recording into an anonymised MP4: the media half of export-clip.

Frames are decoded on a constant grid (``frames``), masked (faces, banner, manual masks:
``video_redaction``), captioned (``captions``) and piped to FFmpeg, which takes the sound
from the source with spans bleeped or muted (``audio_filter``) and writes the file whole or
not at all (``clip_writer``). Deciding *what* to redact is the caller's job; this module
only does it, and reports what it did.
"""

from __future__ import annotations

import functools
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bwvreview.media.audio_filter import AudioPlan, audio_filter
from bwvreview.media.background import iterate_in_background
from bwvreview.media.captions import (
    CaptionWord,
    OpeningCard,
    build_cues,
    cue_at,
    draw_cue,
    render_card,
)
from bwvreview.media.clip_splice import SpliceMiss, SpliceSource, SpliceWriter, touched_groups
from bwvreview.media.clip_writer import NEUTRAL_TITLE, ClipWriter, EncodeSettings, group_size
from bwvreview.media.errors import MediaError
from bwvreview.media.frames import frame_count, iter_span_frames, keyframe_times, output_size
from bwvreview.media.probe import MediaInfo
from bwvreview.media.video_redaction import (
    Detected,
    RedactedFrame,
    VideoRedactionSettings,
    VideoRedactor,
    repair_tracker_settings,
)
from bwvreview.steps import Cancelled


class ExportCancelled(Cancelled):
    """The caller's cancel flag was set; no clip was written."""


@dataclass(frozen=True)
class ClipRequest:
    source: MediaInfo
    start_ms: int
    end_ms: int
    out: Path
    video: VideoRedactionSettings = field(default_factory=VideoRedactionSettings)
    audio_spans_ms: tuple[tuple[int, int], ...] = ()  # in the recording's time
    audio_mode: str = "bleep"  # "bleep" | "mute"
    voice_disguise: bool = False
    captions: tuple[CaptionWord, ...] | None = None  # in the recording's time, redacted
    card: OpeningCard | None = None
    keep_metadata: bool = False
    title: str = NEUTRAL_TITLE
    # A hidden name to write to and leave the complete clip under, for a caller that checks
    # it before publishing it (``ClipWriter``); None: published to ``out`` when complete.
    partial: Path | None = None
    # What the face detector found on each frame of an earlier pass over the same span and
    # settings (``ExportResult.face_detections``): a repair pass reuses it.
    face_detections: tuple[Detected, ...] | None = None
    # The earlier clip of a repair of faces only: the groups of frames the repair does not
    # touch are copied from it, not encoded again (``clip_splice``).
    splice_from: SpliceSource | None = None


@dataclass(frozen=True)
class ExportProgress:
    fraction: float
    elapsed_s: float
    eta_s: float | None


@dataclass(frozen=True)
class ExportResult:
    path: Path
    frames: int
    fps: float
    duration_ms: int  # of the clip, opening card included
    card_ms: int
    has_audio: bool
    audio_spans_ms: tuple[tuple[int, int], ...]  # in the clip's time, as bleeped or muted
    video: dict[str, Any]  # the redactor's summary: tracks, banner, masks
    seconds: float
    # Faces left visible by the reviewer's choice: (clip frame index, (x0, y0, x1, y1)).
    kept_faces: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()
    # Faces masked, the same way: verification looks for faces *outside* these.
    masked_faces: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()
    face_detections: tuple[Detected, ...] = ()  # per frame of the span, for a repair pass


def check_span(duration_ms: int, start_ms: int, end_ms: int) -> None:
    """Refuse a span that is empty, reversed or outside the recording."""
    if start_ms < 0:
        raise MediaError(f"the start {start_ms / 1000:.3f} s is before the recording begins")
    if end_ms <= start_ms:
        raise MediaError(
            f"the end {end_ms / 1000:.3f} s is not after the start {start_ms / 1000:.3f} s"
        )
    if end_ms > duration_ms:
        raise MediaError(
            f"the end {end_ms / 1000:.3f} s is after the recording ends"
            f" ({duration_ms / 1000:.3f} s)"
        )


def check_destination(out: Path) -> None:
    """Refuse an output that exists, or a folder that is missing or cannot be written."""
    if out.exists():
        raise MediaError(f"{out} already exists; choose another name (nothing is overwritten)")
    if out.suffix.lower() != ".mp4":
        raise MediaError(f"{out.name}: a clip is written as MP4; use a name ending in .mp4")
    if not out.parent.is_dir():
        raise MediaError(f"the folder {out.parent} does not exist")
    try:
        with tempfile.TemporaryFile(dir=out.parent):
            pass
    except OSError as exc:
        raise MediaError(f"cannot write in {out.parent}: {exc.strerror or exc}") from exc


def iter_export_clip(
    request: ClipRequest, cancel: threading.Event | None = None
) -> Generator[ExportProgress, None, ExportResult]:
    """Write the clip, yielding progress; return what was done. Nothing half-written stays."""
    info = request.source
    if not info.has_video or not info.width or not info.height:
        raise MediaError(f"{info.path.name} has no video to cut a clip from")
    check_span(info.duration_ms, request.start_ms, request.end_ms)
    check_destination(request.out)
    started = time.perf_counter()
    fps = info.fps or 25.0
    width, height = output_size(info.width, info.height, info.rotation)
    span_ms = request.end_ms - request.start_ms
    total = frame_count(request.start_ms, request.end_ms, fps)
    card_frames = round(request.card.duration_ms * fps / 1000) if request.card else 0
    card_ms = round(card_frames * 1000 / fps)
    clip_spans = _clip_spans(request.audio_spans_ms, request.start_ms, request.end_ms)
    settings = _encode_settings(request, fps, width, height, clip_spans, card_ms, span_ms)
    writer: ClipWriter | SpliceWriter
    span = (request.start_ms, request.end_ms)
    produce: Callable[[], Iterator[np.ndarray]]
    # A repair by splicing decodes only the groups it writes again and hands this one
    # frame for the others: the redactor tracks it but draws nothing on it.
    blank: np.ndarray | None = None
    if request.splice_from is not None:
        groups = _repair_groups(request, fps, card_frames, card_frames + total, settings)
        writer = SpliceWriter(settings, request.out, request.partial, request.splice_from, groups)
        blank = np.zeros((height, width, 3), np.uint8)
        blank.flags.writeable = False
        produce = functools.partial(
            _frames_for_groups, info, span, fps, blank, card_frames, writer.gop, groups
        )
    else:
        writer = ClipWriter(settings, request.out, request.partial)
        produce = functools.partial(iter_span_frames, info.path, *span, fps, info.rotation)
    redactor = VideoRedactor(
        request.video, width, height, fps, request.start_ms, request.face_detections, blank
    )
    cues = build_cues(_shifted(request.captions, request.start_ms)) if request.captions else []
    frames = iterate_in_background(produce, cancel, ExportCancelled)
    written = 0
    kept: list[tuple[int, tuple[float, float, float, float]]] = []
    hidden: list[tuple[int, tuple[float, float, float, float]]] = []
    try:
        if request.card is not None:
            card = render_card(request.card, width, height)
            for _ in range(card_frames):
                writer.write(card)
        for done in _masked(frames, redactor, blank):
            masked = done.image
            at = card_frames + written
            kept += [(at, (b.x0, b.y0, b.x1, b.y1)) for b in done.kept_boxes]
            masks = tuple((b.x0, b.y0, b.x1, b.y1) for b in done.face_boxes)
            hidden += [(at, box) for box in masks]
            cue = cue_at(cues, round(written * 1000 / fps))
            if cue and masked is not blank:
                draw_cue(masked, cue)
            writer.write(masked, masks)
            written += 1
            if cancel is not None and cancel.is_set():
                raise ExportCancelled()
            if written % 10 == 0 or written == total:
                yield _progress(written / total, started)
        path = writer.finish()
    except BaseException:
        writer.abort()
        raise
    finally:
        frames.close()  # type: ignore[attr-defined]
    video = redactor.summary()
    if isinstance(writer, SpliceWriter) and "repaired_faces" in video:
        video["repaired_faces"]["groups_written_again"] = writer.groups_encoded
        video["repaired_faces"]["groups_in_clip"] = writer.group_count
    return ExportResult(
        path=path,
        frames=card_frames + written,
        fps=fps,
        duration_ms=card_ms + round(written * 1000 / fps),
        card_ms=card_ms,
        has_audio=info.has_audio,
        audio_spans_ms=clip_spans if info.has_audio else (),
        video=video,
        seconds=time.perf_counter() - started,
        kept_faces=tuple(kept),
        masked_faces=tuple(hidden),
        face_detections=tuple(redactor.detected),
    )


def _repair_groups(
    request: ClipRequest, fps: float, card_frames: int, total: int, settings: EncodeSettings
) -> set[int]:
    """The groups of frames a repair of ``request.video.found_faces`` may change: those
    around the faces not yet masked in the clip it is spliced from."""
    reach = repair_tracker_settings(request.video, fps).lookahead + 1
    before = set(request.splice_from.found) if request.splice_from is not None else set()
    found = (card_frames + i for i, box in request.video.found_faces if (i, box) not in before)
    return touched_groups(found, reach, group_size(settings), total)


def _frames_for_groups(
    info: MediaInfo,
    span: tuple[int, int],
    fps: float,
    blank: np.ndarray,
    card_frames: int,
    gop: int,
    groups: set[int],
) -> Iterator[np.ndarray]:
    """The span's frames for a repair written by splicing: decoded for the groups written
    again, ``blank`` itself for the others (the tracker still sees every frame's
    detections, nothing is drawn on it, and the writer skips those frames), so a repair
    decodes and draws only what it changes. Groups with no keyframe of the source between
    them are decoded in one run (a seek would decode the way from that keyframe again)."""
    start_ms, end_ms = span
    total = frame_count(start_ms, end_ms, fps)
    spans = [
        (max(0, g * gop - card_frames), min(total, (g + 1) * gop - card_frames))
        for g in sorted(groups)
    ]
    spans = [(first, stop) for first, stop in spans if stop > first]
    # The source's keyframes matter only between two spans: decode on through a gap that
    # holds none (a seek would decode the way there again from the keyframe before it).
    keys: list[int] = []
    if len(spans) > 1:
        keys = [_frame_of(k, start_ms, fps) for k in keyframe_times(info.path, start_ms, end_ms)]
    runs: list[tuple[int, int]] = []  # frames to decode, [first, stop) in the span
    for first, stop in spans:
        if runs and not any(runs[-1][1] <= key <= first for key in keys):
            runs[-1] = (runs[-1][0], stop)
        else:
            runs.append((first, stop))
    k = 0
    for first, stop in runs:
        yield from (blank for _ in range(first - k))
        first_ms, stop_ms = start_ms + first * 1000 / fps, start_ms + stop * 1000 / fps
        if first_ms != int(first_ms) or frame_count(int(first_ms), round(stop_ms), fps) != (
            stop - first
        ):
            raise SpliceMiss("the groups do not fall on whole milliseconds")
        decoded = iter_span_frames(info.path, int(first_ms), round(stop_ms), fps, info.rotation)
        for j, frame in zip(range(first, stop), decoded, strict=True):
            yield frame if (card_frames + j) // gop in groups else blank
        k = stop
    yield from (blank for _ in range(total - k))


def _frame_of(at_ms: int, start_ms: int, fps: float) -> int:
    """The span's frame on screen at ``at_ms``."""
    return int((at_ms - start_ms) * fps / 1000 + 1e-6)


def _masked(
    frames: Iterator[np.ndarray], redactor: VideoRedactor, blank: np.ndarray | None = None
) -> Iterator[RedactedFrame]:
    for frame in frames:
        yield from redactor.push_detailed(frame if frame is blank else frame.copy())
    yield from redactor.flush_detailed()


def _encode_settings(
    request: ClipRequest,
    fps: float,
    width: int,
    height: int,
    clip_spans: tuple[tuple[int, int], ...],
    card_ms: int,
    span_ms: int,
) -> EncodeSettings:
    has_audio = request.source.has_audio
    plan = AudioPlan(
        duration_ms=span_ms,
        spans_ms=clip_spans,
        mode=request.audio_mode,
        voice_disguise=request.voice_disguise,
        lead_in_ms=card_ms,
    )
    return EncodeSettings(
        width=width,
        height=height,
        fps=fps,
        audio_source=request.source.path if has_audio else None,
        audio_start_ms=request.start_ms,
        audio_duration_ms=span_ms,
        audio_graph=audio_filter(plan) if has_audio else "",
        keep_metadata=request.keep_metadata,
        title=request.title,
    )


def _clip_spans(
    spans_ms: tuple[tuple[int, int], ...], start_ms: int, end_ms: int
) -> tuple[tuple[int, int], ...]:
    """Spans in the recording's time, clamped to the clip and moved to the clip's time."""
    inside = [(max(a, start_ms), min(b, end_ms)) for a, b in spans_ms]
    return tuple((a - start_ms, b - start_ms) for a, b in inside if b > a)


def _shifted(words: tuple[CaptionWord, ...], start_ms: int) -> list[CaptionWord]:
    return [
        CaptionWord(w.text, w.start_ms - start_ms, w.end_ms - start_ms, w.redacted)
        for w in words
        if w.end_ms > start_ms
    ]


def _progress(fraction: float, started: float) -> ExportProgress:
    elapsed = time.perf_counter() - started
    eta = elapsed * (1 - fraction) / fraction if fraction > 0.02 else None
    return ExportProgress(fraction, elapsed, eta)


def preview_frames(
    info: MediaInfo, at_ms: int, settings: VideoRedactionSettings, window_ms: int = 800
) -> tuple[np.ndarray, np.ndarray]:
    """The frame at ``at_ms`` before and after redaction, for the export dialog's preview.

    A short window around the moment goes through a fresh redactor, so tracking and gap
    filling behave as they will in the export.
    """
    fps = info.fps or 25.0
    start = max(0, min(at_ms - window_ms // 2, info.duration_ms - window_ms))
    end = min(info.duration_ms, start + window_ms)
    frames = list(iter_span_frames(info.path, start, end, fps, info.rotation))
    height, width = frames[0].shape[:2]
    redactor = VideoRedactor(settings, width, height, fps, start_ms=start)
    masked = [out for frame in frames for out in redactor.push(frame.copy())]
    masked += redactor.flush()
    middle = min(len(frames) - 1, round((at_ms - start) * fps / 1000))
    return frames[middle], masked[middle]
