"""Decode a span of a video as frames on a constant-rate grid.

A clip must keep picture and sound in step and start on the exact millisecond asked for.
Body-worn cameras often record at a variable frame rate, so frames are not copied one for
one: output frame ``k`` shows the latest source frame whose time is at or before
``start + k / fps`` (a frame is held when the source skipped, dropped when it doubled).
The audio is cut at the same millisecond, so the two line up by construction.
"""

from __future__ import annotations

import bisect
import contextlib
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

import av
import numpy as np

from bwvreview.media.errors import MediaError

# A frame stamped up to this much after a grid time still counts as on it: rounding in
# container time bases puts "exactly 40 ms" at 39.99 or 40.01.
_TOLERANCE_S = 0.002


def frame_count(start_ms: int, end_ms: int, fps: float) -> int:
    """How many frames a span of ``end_ms - start_ms`` holds at ``fps`` (at least one)."""
    return max(1, round((end_ms - start_ms) * fps / 1000))


def iter_span_frames(
    path: Path, start_ms: int, end_ms: int, fps: float, rotation: int = 0
) -> Iterator[np.ndarray]:
    """Yield BGR frames (H×W×3 uint8) for ``[start_ms, end_ms)`` on a grid of ``fps``.

    Exactly ``frame_count(start_ms, end_ms, fps)`` frames come out, rotated upright when
    the file carries a display rotation (``rotation`` degrees, as ``probe`` reports it).
    """
    wanted = frame_count(start_ms, end_ms, fps)
    start_s = start_ms / 1000
    with open_video(path) as (container, stream):
        if start_s > 0 and stream.time_base is not None:
            container.seek(int(start_s / stream.time_base), stream=stream, backward=True)

        def grid(index: int) -> float:
            return start_s + index / fps + _TOLERANCE_S

        emitted = 0
        held: av.VideoFrame | None = None
        image: np.ndarray | None = None  # ``held`` converted, once, when first shown
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            # Every grid time before this frame shows the frame held until now.
            while held is not None and emitted < wanted and frame.time > grid(emitted):
                if image is None:
                    image = _upright(held.to_ndarray(format="bgr24"), rotation)
                yield image
                emitted += 1
            if emitted >= wanted:
                return
            held, image = frame, None
        if held is None:
            raise MediaError(f"{path.name} has no video frames after {start_ms / 1000:.3f} s")
        image = image if image is not None else _upright(held.to_ndarray(format="bgr24"), rotation)
        while emitted < wanted:  # the source ended early: hold its last frame
            yield image
            emitted += 1


# Between two samples further apart than this a seek is cheaper than decoding the way
# there (body-worn cameras put a keyframe every second or two). Used when the keyframes
# are not known; when they are, a seek is made whenever one lies between two samples.
SEEK_GAP_S = 4.0
# Samples in a run after a keyframe are this far apart (at most): far enough for a moving
# camera to show something new, near enough that a run costs a second or two of decoding.
CHEAP_STEP_MS = 500


def keyframe_times(path: Path, start_ms: int, end_ms: int) -> list[int]:
    """The times (ms) of the keyframes in ``[start_ms, end_ms)``, read from the file's
    packets without decoding any (a few hundredths of a second for a minute of video)."""
    keys: list[int] = []
    with open_video(path) as (container, stream):
        base = stream.time_base
        if base is None:
            return keys
        if start_ms > 0:
            container.seek(int(start_ms / 1000 / base), stream=stream, backward=True)
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            at_ms = round(float(packet.pts * base) * 1000)
            if packet.dts is not None and float(packet.dts * base) * 1000 >= end_ms:
                break  # packets come in decoding order: nothing later starts in the span
            if packet.is_keyframe and start_ms <= at_ms < end_ms:
                keys.append(at_ms)
    return sorted(set(keys))


def cheap_sample_times(
    start_ms: int,
    end_ms: int,
    keyframes_ms: Sequence[int],
    wanted: int,
    step_ms: int = CHEAP_STEP_MS,
) -> list[int]:
    """About ``wanted`` times spread over ``[start_ms, end_ms)`` where frames are cheap to
    decode: a frame costs the decoding of every frame from the keyframe before it.

    With ``wanted`` keyframes in the span, the samples are keyframes spread over it. With
    fewer, each keyframe starts a short run of samples ``step_ms`` apart (closer when the
    next keyframe or the span's end comes sooner), so a long group of pictures costs a
    second or two of decoding instead of all of it. With none, decoding the span is the
    only way, and the samples are spread evenly.
    """
    keys = sorted({k for k in keyframes_ms if start_ms <= k < end_ms})
    if not keys:
        step = max(1, (end_ms - start_ms) // wanted)
        return list(range(start_ms, end_ms, step))[:wanted]
    if len(keys) >= wanted:
        return _thinned(keys, wanted)
    per = math.ceil(wanted / len(keys))
    times: list[int] = []
    for key, stop in zip(keys, [*keys[1:], end_ms], strict=True):
        step = max(1, min(step_ms, (stop - key) // per))
        times.extend(t for t in range(key, key + per * step, step) if t < stop)
    return _thinned(times, wanted)


def _thinned(times: list[int], wanted: int) -> list[int]:
    """``wanted`` of ``times`` (sorted) spread evenly, the first and the last kept."""
    if len(times) <= wanted:
        return times
    picks = np.linspace(0, len(times) - 1, wanted).round().astype(int)
    return [times[i] for i in sorted(set(picks.tolist()))]


def sample_frames(
    path: Path,
    times_ms: Sequence[int],
    rotation: int = 0,
    keyframes_ms: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """The frame on screen at each of ``times_ms`` (ascending), upright, in one pass.

    A frame is what ``iter_span_frames`` would show at that time. Samples close together
    are decoded on the way from one to the next. Given the file's ``keyframes_ms``
    (``keyframe_times``), it seeks whenever a keyframe lies between one sample and the
    next; without them, only across a gap of more than ``SEEK_GAP_S``. Either way a dozen
    samples over a short span cost one decode of the span, not a dozen decodes from the
    nearest keyframe.
    """
    if list(times_ms) != sorted(times_ms):
        raise ValueError("sample times must be in ascending order")
    keys = sorted(k / 1000 for k in keyframes_ms) if keyframes_ms is not None else None
    shown: list[np.ndarray] = []
    # The latest frame shown and its image: two samples on one frame convert it once. The
    # frame itself is kept (not its id, which a later frame could be given once it is freed).
    last: tuple[av.VideoFrame, np.ndarray] | None = None

    def image(frame: av.VideoFrame) -> np.ndarray:
        nonlocal last
        if last is None or last[0] is not frame:
            last = (frame, _upright(frame.to_ndarray(format="bgr24"), rotation))
        return last[1]

    def worth_a_seek(now: float, at: float) -> bool:
        if keys is None:
            return at - now > SEEK_GAP_S
        following = bisect.bisect_right(keys, now + _TOLERANCE_S)
        return following < len(keys) and keys[following] <= at

    with open_video(path) as (container, stream):
        frames: Iterator[av.VideoFrame] | None = None
        held: av.VideoFrame | None = None  # the latest frame at or before the last sample
        ahead: av.VideoFrame | None = None  # the first frame after it
        ended = False
        for at_ms in times_ms:
            at = at_ms / 1000 + _TOLERANCE_S
            far = ahead is not None and worth_a_seek(float(ahead.time), at)
            if frames is None or (far and not ended):
                if at_ms > 0 and stream.time_base is not None:
                    target = int(at_ms / 1000 / stream.time_base)
                    container.seek(target, stream=stream, backward=True)
                frames = _decoding(container, stream)
                held = ahead = None
                ended = False
            while not ended and (ahead is None or float(ahead.time) <= at):
                held = ahead if ahead is not None else held
                ahead = next(frames, None)
                ended = ahead is None
            first = held if held is not None else ahead
            if first is None:
                raise MediaError(f"{path.name} has no video frames after {at_ms / 1000:.3f} s")
            shown.append(image(first))
    return shown


def _decoding(
    container: av.container.InputContainer, stream: av.VideoStream
) -> Iterator[av.VideoFrame]:
    """The stream's frames from where the container stands (those with a time)."""
    return (f for f in container.decode(stream) if f.time is not None)


def _upright(image: np.ndarray, rotation: int) -> np.ndarray:
    """Undo a display rotation (degrees counter-clockwise, as FFmpeg's display matrix says)."""
    turns = (round(rotation / 90) % 4) if rotation else 0
    return np.ascontiguousarray(np.rot90(image, turns)) if turns else image


@contextlib.contextmanager
def open_video(path: Path) -> Iterator[tuple[av.container.InputContainer, av.VideoStream]]:
    """Open ``path`` for its first video stream (decoded on all cores), or say why not."""
    check_readable_file(path)
    try:
        container = av.open(str(path))
    except av.error.FFmpegError as exc:
        # FFmpeg's own words carry an errno and the path ("[Errno 1094995529] Invalid data
        # found when processing input: '...'"): one plain line is what a person needs.
        raise MediaError(
            f"{path.name} is not a video file FFmpeg can read, or it is damaged"
            f" ({(exc.strerror or 'unreadable').lower()})"
        ) from exc
    with container:
        if not container.streams.video:
            raise MediaError(f"{path.name} has no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        yield container, stream


def check_readable_file(path: Path) -> None:
    """Refuse, in one line, a path that is missing, a folder, empty or unreadable."""
    if path.is_dir():
        raise MediaError(f"{path} is a directory, not a video file")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaError(f"{path} does not exist") from None
    except OSError as exc:
        raise MediaError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if size == 0:
        raise MediaError(f"{path.name} is empty (0 bytes): not a video file")


def output_size(width: int, height: int, rotation: int) -> tuple[int, int]:
    """The upright frame size for a stream of ``width``×``height`` with ``rotation``."""
    return (height, width) if math.isclose(abs(rotation) % 180, 90) else (width, height)
