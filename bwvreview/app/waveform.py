"""The waveform the timeline draws: peaks cached beside the database, keyed by SHA-256."""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path

from bwvreview.annotations.records import Recording
from bwvreview.app.opening import Library
from bwvreview.media.waveform import Peaks, iter_cached_peaks, peaks_cache_path


def iter_waveform(
    lib: Library, recording: Recording, cancel: threading.Event | None = None
) -> Generator[float, None, Peaks]:
    """The recording's waveform peaks: from the cache beside the database, else computed
    (yielding the fraction done) and cached, so re-opening is instant."""
    cache = peaks_cache_path(lib.data_dir / "cache" / "peaks", recording.sha256)
    return (yield from iter_cached_peaks(Path(recording.path), cache, cancel=cancel))
