"""Decode the sound of a recording to mono 16 kHz float32 samples, in memory.

The container is read with PyAV and resampled with an ``AudioResampler`` exactly as
``faster_whisper.decode_audio`` does (signed 16-bit mono, then scaled to [-1, 1)), so the
samples are identical to what faster-whisper would decode itself. No temporary WAV is
written. The file is only opened for reading.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import av
import numpy as np

from bwvreview.media.errors import MediaError
from bwvreview.steps import Cancelled, drain

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
_GROUP_SAMPLES = 500_000  # source samples per resampler call, as faster-whisper groups them


class DecodeCancelled(Cancelled):
    """Decoding stopped because the caller's cancel flag was set."""


def iter_audio_blocks(
    path: Path,
    *,
    sample_rate: int = SAMPLE_RATE,
    cancel: threading.Event | None = None,
) -> Iterator[tuple[np.ndarray, float]]:
    """Decode the first audio stream of ``path`` block by block, as mono int16 samples at
    ``sample_rate``, each with the fraction of the file done.

    The one place that opens, resamples and cleans up audio: ``iter_decode_audio`` keeps
    the blocks, ``media.waveform`` reduces them to peaks. ``cancel`` is checked after each
    group of decoded frames and raises ``DecodeCancelled``. A missing or unreadable file, or
    one with no audio stream, raises ``MediaError`` with a one-line message naming the file.
    """
    path = Path(path)
    if not path.is_file():
        raise MediaError(f"{path}: file not found")
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, OSError) as exc:
        raise MediaError(f"{path.name}: not a media file that can be read ({exc})") from exc
    try:
        if not container.streams.audio:
            raise MediaError(f"{path.name}: this recording has no audio")
        stream = container.streams.audio[0]
        duration_s = _duration_s(container, stream)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
        try:
            for group, reached_s in _grouped(container, stream, path.name):
                if cancel is not None and cancel.is_set():
                    raise DecodeCancelled(path.name)
                fraction = min(reached_s / duration_s, 1.0) if duration_s > 0 else 0.0
                yield _samples(resampler.resample(group)), fraction
            yield _samples(resampler.resample(None)), 1.0
        except av.FFmpegError as exc:
            raise MediaError(f"{path.name}: the audio could not be decoded ({exc})") from exc
        finally:
            # PyAV keeps resampler buffers alive until a collection (faster-whisper #390).
            del resampler
            gc.collect()
    finally:
        container.close()


def _samples(frames: list[av.AudioFrame]) -> np.ndarray:
    if not frames:
        return np.zeros(0, dtype=np.int16)
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames])


def iter_decode_audio(
    path: Path,
    *,
    sample_rate: int = SAMPLE_RATE,
    cancel: threading.Event | None = None,
) -> Generator[float, None, np.ndarray]:
    """Decode the first audio stream of ``path``, yielding the fraction done.

    The return value (``samples = yield from iter_decode_audio(path)``) is a 1-D float32
    array of mono samples at ``sample_rate``. Errors and cancelling are as for
    ``iter_audio_blocks``.
    """
    chunks: list[np.ndarray] = []
    for block, fraction in iter_audio_blocks(path, sample_rate=sample_rate, cancel=cancel):
        chunks.append(block)
        yield fraction
    yield 1.0
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def decode_audio(
    path: Path, *, sample_rate: int = SAMPLE_RATE, cancel: threading.Event | None = None
) -> np.ndarray:
    """Return the audio of ``path`` as mono float32 samples at ``sample_rate`` (16 kHz).

    A convenience wrapper that drains ``iter_decode_audio``; it raises the same errors
    (``MediaError`` for unusable input, ``DecodeCancelled`` when ``cancel`` is set).
    """
    return drain(iter_decode_audio(path, sample_rate=sample_rate, cancel=cancel))


def _duration_s(container: av.container.InputContainer, stream: av.AudioStream) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000
    return 0.0


def _grouped(
    container: av.container.InputContainer, stream: av.AudioStream, name: str
) -> Iterator[tuple[av.AudioFrame, float]]:
    """Yield (frames merged to about 500k samples, stream time reached in seconds)."""
    fifo = av.AudioFifo()
    reached_s = 0.0
    tally = _Tally()
    for frame in _valid_frames(container.demux(stream), tally):
        if frame.time is not None:
            reached_s = frame.time + frame.samples / max(frame.sample_rate, 1)
        frame.pts = None  # the fifo checks timestamps; gaps in them are not our problem
        fifo.write(frame)
        if fifo.samples >= _GROUP_SAMPLES:
            yield fifo.read(), reached_s
    if fifo.samples > 0:
        yield fifo.read(), reached_s
    tally.check(name)


class _Tally:
    """How many sound frames decoded and how many the decoder rejected."""

    def __init__(self) -> None:
        self.good = 0
        self.bad = 0

    def check(self, name: str) -> None:
        """A track that is mostly undecodable is damaged, not silent: say so.

        A few bad frames (a glitch) are skipped, as faster-whisper does; but if most are
        rejected, transcribing what is left would show a reviewer "nobody spoke".
        """
        if self.bad >= _DAMAGED_MIN_BAD and self.bad > self.good:
            raise MediaError(
                f"{name}: the sound track is damaged: {self.bad} of {self.bad + self.good} pieces "
                "of it cannot be decoded, so what was said cannot be heard"
            )


_DAMAGED_MIN_BAD = 5


def _valid_frames(packets: Iterator[av.Packet], tally: _Tally) -> Iterator[av.AudioFrame]:
    """Decode packet by packet, skipping those the decoder rejects (as faster-whisper does)
    and counting both: a rejected packet must not end the decoding of everything after it."""
    for packet in packets:
        try:
            frames = packet.decode()
        except av.FFmpegError:
            tally.bad += 1
            log.debug("skipped an invalid audio packet")
            continue
        tally.good += 1
        yield from frames
