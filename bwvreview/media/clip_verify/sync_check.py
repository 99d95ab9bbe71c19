"""The sync check, and the decoding it rests on: the streams' declared lengths and starts, the
frames that actually decode, and whether picture and sound agree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np

from bwvreview.media.clip_verify.verdict import Check
from bwvreview.media.frames import open_video

SYNC_TOLERANCE_MS = 50


def read_streams(path: Path) -> dict[str, Any]:
    """The clip's tags, frame rate, and each stream's declared length and start."""
    with open_video(path) as (container, video):
        audio = container.streams.audio[0] if container.streams.audio else None
        tags: dict[str, dict[str, str]] = {"format": dict(container.metadata)}
        for stream in container.streams:
            tags[f"stream {stream.index} ({stream.type})"] = dict(stream.metadata)
        return {
            "tags": tags,
            "has_audio": audio is not None,
            "fps": float(video.average_rate or 25),
            "video_ms": _stream_ms(video),
            "video_start_ms": _start_ms(video),
            "audio_ms": _stream_ms(audio) if audio is not None else None,
            "audio_start_ms": _start_ms(audio) if audio is not None else None,
        }


def _stream_ms(stream: av.stream.Stream) -> int | None:
    if stream.duration is None or stream.time_base is None:
        return None
    return round(float(stream.duration * stream.time_base) * 1000)


def _start_ms(stream: av.stream.Stream) -> int:
    if stream.start_time is None or stream.time_base is None:
        return 0
    return round(float(stream.start_time * stream.time_base) * 1000)


def sync_check(streams: dict[str, Any], frames: int, sound_ms: int | None) -> Check:
    """Lengths as declared and as decoded: a clip cut short still declares its full length."""
    video_ms, audio_ms = streams["video_ms"], streams["audio_ms"]
    if video_ms is None:
        return Check("sync", False, "the picture's length cannot be read")
    frame_ms = 1000 / streams["fps"]
    allowed = max(SYNC_TOLERANCE_MS, frame_ms)
    declared = max(1, round(video_ms / frame_ms))
    short = []
    if frames * frame_ms < video_ms - allowed:
        short.append(f"only {frames} of its {declared} frames decode")
    if sound_ms is not None and audio_ms is not None and sound_ms < audio_ms - allowed:
        short.append(f"only {sound_ms / 1000:.2f} s of its {audio_ms / 1000:.2f} s of sound decode")
    if streams["has_audio"] and sound_ms == 0:
        short.append("none of its sound decodes")
    decoded = {"frames_declared": declared, "frames_decoded": frames, "audio_decoded_ms": sound_ms}
    if short:
        summary = f"the clip is cut short or damaged: {' and '.join(short)}"
        finding = {"video_ms": video_ms, "audio_ms": audio_ms, **decoded}
        return Check("sync", False, summary, [finding])
    if not streams["has_audio"]:
        summary = f"picture only, {video_ms / 1000:.2f} s, all {frames} frames decode"
        return Check("sync", True, summary, skipped=True)
    if audio_ms is None:
        return Check("sync", False, "the sound's length cannot be read")
    length_gap = abs(video_ms - audio_ms)
    start_gap = abs(streams["video_start_ms"] - streams["audio_start_ms"])
    finding = {
        "video_ms": video_ms,
        "audio_ms": audio_ms,
        "start_gap_ms": start_gap,
        "length_gap_ms": length_gap,
        **decoded,
    }
    if length_gap > allowed or start_gap > SYNC_TOLERANCE_MS:
        summary = (
            f"picture {video_ms / 1000:.3f} s and sound {audio_ms / 1000:.3f} s differ"
            f" (starts {start_gap} ms apart)"
        )
        return Check("sync", False, summary, [finding])
    summary = f"picture and sound agree ({video_ms / 1000:.2f} s, every frame and the sound decode)"
    return Check("sync", True, summary, [finding])


def iter_frames(path: Path) -> Iterator[tuple[int, int, np.ndarray]]:
    """Every frame that decodes; a damaged or cut-short file simply ends early (the sync
    check counts what came out against what the file declares)."""
    with open_video(path) as (container, stream):
        frames = container.decode(stream)
        index = 0
        while True:
            try:
                frame = next(frames)
            except (StopIteration, av.error.FFmpegError):
                return
            time_ms = round((frame.time or 0) * 1000)
            yield index, time_ms, frame.to_ndarray(format="bgr24")
            index += 1


def frame_total(path: Path) -> int:
    """How many frames the clip declares (from its length and rate when it does not say)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.frames:
            return int(stream.frames)
        seconds = float(container.duration or 0) / av.time_base
        return max(1, round(seconds * float(stream.average_rate or 25)))
