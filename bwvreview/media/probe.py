"""Probe a media file with PyAV: what it is, how long, and whether it is whole.

imageio-ffmpeg ships no ffprobe, so the container is opened with PyAV (already installed
with faster-whisper). The file is only ever opened for reading. Anything unusable raises
``MediaError`` with a one-line message naming the file.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from bwvreview.media.errors import MediaError
from bwvreview.recording_facts import RecordingFacts

log = logging.getLogger(__name__)

_VFR_PACKETS = 300  # enough packets to see a changing frame interval, cheap to demux
_VFR_TOLERANCE = 0.10
# Frame rates outside this range are a broken time base (a zero or garbage timescale), not
# a camera setting: the player and the export would step through such a file wrongly.
_MIN_FPS, _MAX_FPS = 0.5, 300.0
_STILL_IMAGE_CODECS = {"png", "mjpeg", "bmp", "gif", "webp", "tiff", "jpeg2000"}
_BROKEN_TIMING = "the video's frame timing is broken"
# Limits that admit any real body-worn video (cameras record up to 4K, shifts last under
# 24 hours) and refuse, before a frame is decoded, files that would take gigabytes of memory
# to decode or days to process: a two-frame 16384 x 8192 clip took 14.4 GB at import.
MAX_SIDE_PX = 8192
MAX_PIXELS = 8192 * 4320  # "8K" (DCI width, UHD height); 4K UHD is a quarter of this
MAX_DURATION_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class MediaInfo(RecordingFacts):
    """The facts about a file, and which file."""

    path: Path


def _parse_creation_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed


def _duration_ms(container: av.container.InputContainer) -> int:
    if container.duration:
        return round(container.duration / 1000)  # container.duration is in microseconds
    best = 0.0
    for stream in container.streams:
        if stream.duration and stream.time_base:
            best = max(best, float(stream.duration * stream.time_base))
    return round(best * 1000)


def _is_variable_rate(container: av.container.InputContainer, stream: av.VideoStream) -> bool:
    """True when the interval between frames changes by more than 10 % in the first packets.

    Frames that mostly share one timestamp (a zeroed frame-duration table) cannot be placed
    in time at all and raise ``MediaError``.
    """
    stamps = []
    packets = 0
    for packet in container.demux(stream):
        if packet.size == 0:  # the demuxer's end-of-stream flush packet
            continue
        packets += 1
        if packet.pts is not None:
            stamps.append(packet.pts)
        if packets >= _VFR_PACKETS:
            break
    if packets >= 10 and len(set(stamps)) < packets / 2:
        raise MediaError(f"{_BROKEN_TIMING} (frames share one time stamp)")
    stamps.sort()
    deltas = [b - a for a, b in zip(stamps, stamps[1:], strict=False) if b > a]
    if len(deltas) < 3:
        return False
    return max(deltas) > min(deltas) * (1 + _VFR_TOLERANCE)


def _first_frame_rotation(container: av.container.InputContainer, stream: av.VideoStream) -> int:
    """Decode the first frame (proving the video decodes) and read its display rotation."""
    container.seek(0)
    for frame in container.decode(stream):
        _check_frame_size(frame.width, frame.height)  # the stream may differ from its header
        return int(round(getattr(frame, "rotation", 0) or 0)) % 360
    raise MediaError("no video frame could be decoded")


def _hours_minutes(ms: int) -> str:
    hours, minutes = divmod(ms // 60_000, 60)
    return f"{hours} h {minutes:02d} min"


def _check_frame_size(width: int | None, height: int | None) -> None:
    width, height = width or 0, height or 0
    if max(width, height) > MAX_SIDE_PX or width * height > MAX_PIXELS:
        raise MediaError(
            f"its picture is {width} x {height} pixels, larger than bwvreview reads (up to "
            f"8K: {MAX_SIDE_PX} x {MAX_PIXELS // MAX_SIDE_PX}); refused before decoding it"
        )


def _check_limits(video: av.VideoStream, duration_ms: int) -> None:
    """Refuse, before any frame is decoded, a picture or a length no body-worn camera makes."""
    _check_frame_size(video.codec_context.width, video.codec_context.height)
    if duration_ms > MAX_DURATION_MS:
        raise MediaError(
            f"is {_hours_minutes(duration_ms)} long; bwvreview takes recordings up to "
            f"{MAX_DURATION_MS // 3_600_000} hours (split longer footage into parts)"
        )


def _check_complete(container: av.container.InputContainer, size: int, duration_ms: int) -> None:
    """Refuse a truncated file: its index (or its last packets) promise data it lacks.

    MP4 and MOV carry a full index, checked against the file size without reading any
    media; other containers are demuxed from a seek near the end (packets only, no decoding).
    """
    for stream in container.streams:
        entries = stream.index_entries
        if len(entries):
            last = entries[len(entries) - 1]
            if last.pos + last.size > size:
                raise MediaError("the end of the file is missing (truncated or damaged)")
    if "mp4" in container.format.name.split(","):
        return
    stream = container.streams.video[0]
    end_s = duration_ms / 1000
    container.seek(int(max(0.0, end_s - 3.0) / float(stream.time_base)), stream=stream)
    last_s = 0.0
    for packet in container.demux():
        if packet.pts is not None and packet.stream.time_base:
            last_s = max(last_s, float(packet.pts * packet.stream.time_base))
    if last_s < end_s - 1.0:
        raise MediaError("the end of the file is missing (truncated or damaged)")


def probe(path: Path) -> MediaInfo:
    """Describe the media file at ``path``; raise ``MediaError`` if it cannot be used.

    Checks that the file exists, is not empty, opens as media, is within the limits (up to
    8K pictures, up to 24 hours; checked before decoding), has a decodable first frame and
    a readable end (so truncated copies are caught), and reads duration, frame rate
    (and whether it varies), size, rotation, codecs, audio channels and creation time.
    """
    name = path.name
    if not path.exists():
        raise MediaError(f"{path}: file not found")
    if not path.is_file():
        raise MediaError(f"{path}: not a file")
    if not os.access(path, os.R_OK):
        raise MediaError(f"{name}: cannot be read (permission denied)")
    size = path.stat().st_size
    if size == 0:
        raise MediaError(f"{name}: the file is empty (0 bytes)")
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, UnicodeDecodeError, OSError) as exc:
        raise MediaError(
            f"{name}: not a video file that can be read: damaged, cut short, or another kind "
            f"of file ({_reason(exc)})"
        ) from exc
    try:
        return _describe(path, size, container)
    except MediaError as exc:
        raise MediaError(f"{name}: {exc}") from exc
    except (av.FFmpegError, OSError, ValueError, StopIteration) as exc:
        raise MediaError(f"{name}: the file is damaged ({_reason(exc)})") from exc
    finally:
        container.close()


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:120]


def _describe(path: Path, size: int, container: av.container.InputContainer) -> MediaInfo:
    videos = container.streams.video
    audios = container.streams.audio
    if not videos and not audios:
        raise MediaError("holds no video or sound (damaged, cut short, or not a video file)")
    if not videos:
        raise MediaError("has no video stream (audio-only files are not body-worn video)")
    video = videos[0]
    audio = audios[0] if audios else None
    duration_ms = _duration_ms(container)
    if duration_ms <= 0 and not audio and video.codec_context.name in _STILL_IMAGE_CODECS:
        raise MediaError("is a still picture, not a video")
    if duration_ms <= 0:
        raise MediaError("has no duration (empty or damaged)")
    _check_limits(video, duration_ms)
    rate: Fraction | None = video.average_rate or video.guessed_rate
    fps = float(rate) if rate else None
    if fps is not None and fps <= 0:
        fps = None
    if fps is not None and not _MIN_FPS <= fps <= _MAX_FPS:
        raise MediaError(f"{_BROKEN_TIMING} ({fps:.3g} frames a second)")
    rotation = _first_frame_rotation(container, video)
    _check_complete(container, size, duration_ms)
    container.seek(0)
    variable = _is_variable_rate(container, video)
    return MediaInfo(
        path=path,
        size_bytes=size,
        duration_ms=duration_ms,
        container=container.format.name,
        fps=round(fps, 3) if fps else None,
        variable_frame_rate=variable,
        width=video.codec_context.width or None,
        height=video.codec_context.height or None,
        rotation=rotation,
        video_codec=video.codec_context.name,
        audio_codec=audio.codec_context.name if audio else None,
        audio_channels=audio.codec_context.channels if audio else 0,
        recorded_at=_parse_creation_time(container.metadata.get("creation_time")),
    )
