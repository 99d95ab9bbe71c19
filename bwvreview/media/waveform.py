"""Waveform peaks of a recording's sound: the lowest and highest sample of every 10 ms.

Peaks are computed while the sound is decoded, one block of about ten seconds at a time,
so an hour of footage never sits in memory as samples (that would be 230 MB of float32 at
16 kHz); only the peaks are kept, about 3 MB for an hour at 100 buckets a second. The
samples are the same mono 16 kHz signed 16-bit ones the transcriber hears
(``media.audio``), so a peak is exactly ``k / 32768`` and the cache stores it losslessly as
an int16. ``Peaks.slice`` reduces the buckets to one min/max per pixel column for drawing.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import zipfile
import zlib
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bwvreview.media.audio import SAMPLE_RATE, iter_audio_blocks

log = logging.getLogger(__name__)

FORMAT_VERSION = 1  # bump when the cache layout changes: older files are then recomputed
_FULL_SCALE = 32768.0


@dataclass(frozen=True, eq=False)
class Peaks:
    """Per-bucket minimum and maximum sample, in [-1, 1], of ``bucket_ms`` each."""

    bucket_ms: int
    mins: np.ndarray  # float32
    maxs: np.ndarray  # float32

    def __post_init__(self) -> None:
        if self.bucket_ms <= 0 or self.mins.shape != self.maxs.shape or self.mins.ndim != 1:
            raise ValueError("peaks need a positive bucket and two 1-D arrays of one length")
        self.mins.setflags(write=False)
        self.maxs.setflags(write=False)

    @property
    def duration_ms(self) -> int:
        return len(self.mins) * self.bucket_ms

    def slice(self, start_ms: float, end_ms: float, columns: int) -> tuple[np.ndarray, np.ndarray]:
        """One (min, max) per column for ``columns`` equal columns from start to end.

        A column narrower than a bucket shows the bucket it falls in; a column outside the
        recording is 0. One ``np.minimum.reduceat`` over the buckets in view, so it takes
        well under a millisecond for an hour at any zoom.
        """
        out_min = np.zeros(max(columns, 0), dtype=np.float32)
        out_max = np.zeros(max(columns, 0), dtype=np.float32)
        count = len(self.mins)
        if columns <= 0 or count == 0 or end_ms <= start_ms:
            return out_min, out_max
        times = np.linspace(start_ms, end_ms, columns + 1)
        edges = np.floor(times / self.bucket_ms).astype(np.int64)
        firsts = np.maximum(edges[:-1], 0)
        shown = np.flatnonzero((times[1:] > 0) & (firsts < count))
        if shown.size == 0:
            return out_min, out_max
        first = firsts[shown]
        stop = int(min(max(edges[shown[-1] + 1], first[-1] + 1), count))
        base = int(first[0])
        out_min[shown] = np.minimum.reduceat(self.mins[base:stop], first - base)
        out_max[shown] = np.maximum.reduceat(self.maxs[base:stop], first - base)
        return out_min, out_max


class _Buckets:
    """Folds a stream of int16 samples into per-bucket minima and maxima."""

    def __init__(self, samples_per_bucket: int) -> None:
        self.per = samples_per_bucket
        self.carry = np.zeros(0, dtype=np.int16)
        self.mins: list[np.ndarray] = []
        self.maxs: list[np.ndarray] = []

    def add(self, samples: np.ndarray) -> None:
        if self.carry.size:
            samples = np.concatenate([self.carry, samples])
        full = samples.size - samples.size % self.per
        if full:
            block = samples[:full].reshape(-1, self.per)
            self.mins.append(block.min(axis=1))
            self.maxs.append(block.max(axis=1))
        self.carry = samples[full:].copy()

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        if self.carry.size:  # the last, shorter bucket
            self.mins.append(self.carry.min(keepdims=True))
            self.maxs.append(self.carry.max(keepdims=True))
        if not self.mins:
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        mins = np.concatenate(self.mins).astype(np.float32) / np.float32(_FULL_SCALE)
        maxs = np.concatenate(self.maxs).astype(np.float32) / np.float32(_FULL_SCALE)
        return mins, maxs


def iter_peaks(
    media_path: Path,
    *,
    buckets_per_second: int = 100,
    cancel: threading.Event | None = None,
) -> Generator[float, None, Peaks]:
    """Decode the first audio stream of ``media_path`` into ``Peaks``, yielding the fraction done.

    ``buckets_per_second`` sets the finest detail kept (100 is 10 ms, finer than a pixel at
    2 s across a wide screen). ``cancel`` is checked after each block of about ten seconds
    and raises ``DecodeCancelled``; unusable input raises ``MediaError``, as
    ``media.audio.iter_decode_audio`` does.
    """
    if not 1 <= buckets_per_second <= 1000:
        raise ValueError("buckets_per_second must be between 1 and 1000")
    bucket_ms = max(1, round(1000 / buckets_per_second))
    buckets = _Buckets(SAMPLE_RATE * bucket_ms // 1000)
    for block, fraction in iter_audio_blocks(Path(media_path), cancel=cancel):
        buckets.add(block)
        yield fraction
    mins, maxs = buckets.finish()
    yield 1.0
    return Peaks(bucket_ms=bucket_ms, mins=mins, maxs=maxs)


def peaks_cache_path(cache_dir: Path, sha256: str) -> Path:
    """Where the peaks of the recording with this SHA-256 are cached in ``cache_dir``."""
    digest = sha256.lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(f"not a SHA-256 digest: {sha256!r}")
    return Path(cache_dir) / f"{digest}.peaks.npz"


def save_peaks(peaks: Peaks, path: Path) -> None:
    """Write ``peaks`` to ``path`` (a compressed .npz), via ``*.part`` and a rename.

    A reader never sees a half-written cache: the file appears complete or not at all.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    with open(part, "wb") as out:
        np.savez_compressed(
            out,
            version=np.int32(FORMAT_VERSION),
            bucket_ms=np.int32(peaks.bucket_ms),
            mins=_to_int16(peaks.mins),
            maxs=_to_int16(peaks.maxs),
        )
    os.replace(part, path)


def load_peaks(path: Path) -> Peaks | None:
    """The peaks cached at ``path``, or None when missing, corrupt or of an older format."""
    try:
        with np.load(Path(path), allow_pickle=False) as data:
            if int(data["version"]) != FORMAT_VERSION:
                return None
            bucket_ms = int(data["bucket_ms"])
            mins, maxs = data["mins"], data["maxs"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile, zlib.error):
        log.info("ignored an unreadable waveform cache %s", Path(path).name)
        return None
    if mins.dtype != np.int16 or maxs.dtype != np.int16:
        return None
    try:
        return Peaks(
            bucket_ms=bucket_ms,
            mins=mins.astype(np.float32) / np.float32(_FULL_SCALE),
            maxs=maxs.astype(np.float32) / np.float32(_FULL_SCALE),
        )
    except ValueError:
        return None


def iter_cached_peaks(
    media_path: Path, cache_path: Path, *, cancel: threading.Event | None = None
) -> Generator[float, None, Peaks]:
    """The cached peaks at ``cache_path`` if usable, else ``iter_peaks`` and save them."""
    cached = load_peaks(cache_path)
    if cached is not None:
        yield 1.0
        return cached
    peaks = yield from iter_peaks(media_path, cancel=cancel)
    save_peaks(peaks, cache_path)
    return peaks


def _to_int16(values: np.ndarray) -> np.ndarray:
    return np.clip(np.round(values * _FULL_SCALE), -32768, 32767).astype(np.int16)
