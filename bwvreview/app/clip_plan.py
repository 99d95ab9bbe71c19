"""What a clip must hide, found before it is cut: personal data heard in the span, masks
drawn on the recording, the camera banner, and the people whose faces appear. The export
dialog asks these before an export (with a preview of the result), so it needs nothing
below ``app``."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bwvreview.annotations.learning import clips
from bwvreview.annotations.learning.clips import ClipRecord
from bwvreview.annotations.records import Recording
from bwvreview.annotations.review import library, redactions, transcripts
from bwvreview.annotations.review.redactions import RegionMask
from bwvreview.app import Library
from bwvreview.app.clip_speech import (  # noqa: F401 - the export dialog's people list
    dismiss_found,
    found_people_and_places,
    speech_plan,
    words_in,
)
from bwvreview.app.relay import relay
from bwvreview.media.banner import PRESETS, BannerRegion, detect_banner, preset
from bwvreview.media.clip_export import preview_frames
from bwvreview.media.frames import (
    cheap_sample_times,
    frame_count,
    iter_span_frames,
    keyframe_times,
    sample_frames,
)
from bwvreview.media.masks import ManualMask
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings, iter_scan_tracks
from bwvreview.personal_data.finder import PersonalDataHit, TimedWord

_BANNER_SAMPLES = 12

BANNER_PRESETS = tuple(PRESETS)  # where a banner may be said to be, instead of found


def get_recording(lib: Library, recording_id: int) -> Recording:
    return library.get_recording(lib.db, recording_id)


def has_transcript(lib: Library, recording_id: int) -> bool:
    return transcripts.current_transcript(lib.db, recording_id) is not None


def people_and_places(lib: Library, recording_id: int) -> list[str]:
    """The names and places listed for the recording's incident: always bleeped."""
    return clips.people_and_places(lib.db, recording_id)


def set_people_and_places(lib: Library, recording_id: int, items: list[str]) -> None:
    clips.set_people_and_places(lib.db, recording_id, items, lib.actor)


def region_masks(lib: Library, recording_id: int) -> list[RegionMask]:
    """The masks drawn on a recording, as stored (with their ids, to change them)."""
    return redactions.list_region_masks(lib.db, recording_id)


def save_region_mask(
    lib: Library,
    recording_id: int,
    keyframes: list[tuple[int, float, float, float, float]],
    *,
    label: str,
    mode: str,
    mask_id: int | None = None,
) -> RegionMask:
    """Draw a new mask (or, with ``mask_id``, replace that mask's keyframes)."""
    return redactions.save_region_mask(lib.db, recording_id, keyframes, actor=lib.actor,
                                       label=label, mode=mode, mask_id=mask_id)  # fmt: skip


def delete_region_mask(lib: Library, mask_id: int) -> None:
    redactions.delete_region_mask(lib.db, mask_id, actor=lib.actor)


def preview(
    recording: Recording,
    span_ms: tuple[int, int],
    faces: str,
    *,
    cover_banner: bool,
    banner_preset: str | None,
) -> tuple[np.ndarray, np.ndarray]:
    """The frame in the middle of the span before and after anonymising (for a preview)."""
    start_ms, end_ms = span_ms
    banner = None
    if cover_banner:
        banner = preset(banner_preset) if banner_preset else find_banner(recording, *span_ms)
    settings = VideoRedactionSettings(faces=faces, banner=banner)
    return preview_frames(probe(Path(recording.path)), (start_ms + end_ms) // 2, settings)


def send_for_approval(lib: Library, clip_id: int, reason: str) -> ClipRecord:
    """A clip that failed verification, sent for a second person's approval anyway."""
    return clips.add_to_library(lib.db, clip_id, lib.actor, reason)


def personal_data_in_span(
    lib: Library, recording_id: int, start_ms: int, end_ms: int
) -> list[PersonalDataHit]:
    """Personal data heard in the span, read with the conversation before it and the
    incident's people & places, listed and found: what the export bleeps (``clip_speech``)."""
    return list(speech_plan(lib, recording_id, start_ms, end_ms).hits)


def span_words(lib: Library, recording_id: int, start_ms: int, end_ms: int) -> list[TimedWord]:
    transcript = transcripts.current_transcript(lib.db, recording_id)
    return words_in(transcript, start_ms, end_ms)


def drawn_masks(lib: Library, recording_id: int) -> list[ManualMask]:
    """The masks drawn on this recording: every clip cut from it hides the same things."""
    return [
        ManualMask(keyframes=m.keyframes, mode=m.mode, label=m.label)
        for m in redactions.list_region_masks(lib.db, recording_id)
    ]


def frame_at(recording: Recording, at_ms: int) -> np.ndarray:
    """The upright frame on screen at ``at_ms`` (for drawing masks on)."""
    at = min(max(0, at_ms), max(0, recording.duration_ms - 1))
    return sample_frames(Path(recording.path), [at], recording.rotation)[0]


def find_banner(recording: Recording, start_ms: int, end_ms: int) -> BannerRegion | None:
    """Look for the burned-in banner in frames sampled across the span where they are cheap
    to decode (``cheap_sample_times``): on keyframes, or in short runs after them. The
    verifier's banner check looks again in frames spread evenly over the clip."""
    path = Path(recording.path)
    last = max(0, recording.duration_ms - 1)
    end_ms = min(end_ms, last + 1)
    keys = keyframe_times(path, start_ms, end_ms)
    times = cheap_sample_times(start_ms, end_ms, keys, _BANNER_SAMPLES)
    return detect_banner(sample_frames(path, times, recording.rotation, keyframes_ms=keys))


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
    tracks = yield from relay(
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
