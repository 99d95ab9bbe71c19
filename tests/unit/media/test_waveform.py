"""Waveform peaks: computed while decoding, cached as a small .npz, reduced per pixel column."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from bwvreview.media.audio import DecodeCancelled
from bwvreview.media.errors import MediaError
from bwvreview.media.waveform import (
    Peaks,
    iter_cached_peaks,
    iter_peaks,
    load_peaks,
    peaks_cache_path,
    save_peaks,
)
from tests.mediafactory import make_clip, run_ffmpeg


def _drain(steps):
    fractions = []
    while True:
        try:
            fractions.append(next(steps))
        except StopIteration as done:
            return done.value, fractions


@pytest.fixture(scope="session")
def half_tone(media_dir: Path) -> Path:
    """3 s: 1 s of a 0.5-amplitude 440 Hz tone, 1 s of silence, 1 s of the tone."""
    path = media_dir / "half_tone.wav"
    run_ffmpeg(
        "-f", "lavfi",
        "-i", "aevalsrc=0.5*sin(2*PI*440*t)*not(between(t\\,1\\,2)):s=16000:d=3",
        "-c:a", "pcm_s16le", str(path),
    )  # fmt: skip
    return path


def test_a_tone_peaks_near_its_amplitude_and_silence_near_zero(half_tone: Path) -> None:
    peaks, fractions = _drain(iter_peaks(half_tone))
    assert peaks.bucket_ms == 10
    assert abs(len(peaks.mins) - 300) <= 1
    assert peaks.mins.dtype == np.float32 and peaks.maxs.dtype == np.float32
    tone = slice(5, 95)  # 50-950 ms, away from the switching edges
    assert peaks.maxs[tone] == pytest.approx(0.5, abs=0.02)
    assert peaks.mins[tone] == pytest.approx(-0.5, abs=0.02)
    silent = slice(110, 190)
    assert np.abs(peaks.maxs[silent]).max() < 0.01
    assert np.abs(peaks.mins[silent]).max() < 0.01
    assert fractions[-1] == 1.0 and fractions == sorted(fractions)


def test_compressed_video_audio_gives_peaks_too(clip_path: Path) -> None:
    peaks, _ = _drain(iter_peaks(clip_path, buckets_per_second=50))
    assert peaks.bucket_ms == 20
    assert abs(peaks.duration_ms - 2000) <= 100
    assert 0.08 < float(np.median(peaks.maxs)) < 0.2  # lavfi's sine is 1/8 of full scale
    assert (peaks.mins <= peaks.maxs).all()


def test_cancel_stops_decoding(half_tone: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DecodeCancelled):
        _drain(iter_peaks(half_tone, cancel=cancel))


def test_unusable_input_is_a_media_error(tmp_path: Path, media_dir: Path) -> None:
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    with pytest.raises(MediaError, match="notes.mp4"):
        _drain(iter_peaks(bad))
    silent_film = make_clip(media_dir / "no_audio.mp4", audio=False, seconds=1)
    with pytest.raises(MediaError, match="no audio"):
        _drain(iter_peaks(silent_film))


def test_cache_round_trip_is_exact(half_tone: Path, tmp_path: Path) -> None:
    peaks, _ = _drain(iter_peaks(half_tone))
    path = peaks_cache_path(tmp_path / "cache", "AB" * 32)
    assert path.name == "ab" * 32 + ".peaks.npz"
    save_peaks(peaks, path)
    assert not path.with_suffix(".part").exists()
    assert path.stat().st_size < 4000
    loaded = load_peaks(path)
    assert loaded is not None and loaded.bucket_ms == peaks.bucket_ms
    assert np.array_equal(loaded.mins, peaks.mins)
    assert np.array_equal(loaded.maxs, peaks.maxs)


def test_a_missing_corrupt_or_old_cache_is_none(tmp_path: Path) -> None:
    assert load_peaks(tmp_path / "missing.npz") is None
    garbage = tmp_path / "garbage.peaks.npz"
    garbage.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert load_peaks(garbage) is None
    good = tmp_path / "good.peaks.npz"
    save_peaks(Peaks(10, np.zeros(1000, np.float32), np.ones(1000, np.float32) / 2), good)
    truncated = tmp_path / "truncated.peaks.npz"
    truncated.write_bytes(good.read_bytes()[:200])
    assert load_peaks(truncated) is None
    old = tmp_path / "old.peaks.npz"
    np.savez(old, version=np.int32(0), bucket_ms=np.int32(10),
             mins=np.zeros(3, np.int16), maxs=np.zeros(3, np.int16))  # fmt: skip
    assert load_peaks(old) is None


def test_not_a_digest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        peaks_cache_path(tmp_path, "../../etc/passwd")


def test_cached_peaks_are_computed_once(half_tone: Path, tmp_path: Path) -> None:
    cache = tmp_path / ("0" * 64 + ".peaks.npz")
    first, _ = _drain(iter_cached_peaks(half_tone, cache))
    assert cache.exists()
    second, fractions = _drain(iter_cached_peaks(Path("gone.mp4"), cache))
    assert fractions == [1.0]
    assert np.array_equal(first.maxs, second.maxs)


def _ramp_peaks(buckets: int = 360_000) -> Peaks:
    """An hour at 10 ms a bucket: bucket i has min -i/n and max +i/n."""
    ramp = np.arange(buckets, dtype=np.float32) / buckets
    return Peaks(10, -ramp, ramp)


def test_slice_gives_the_extremes_of_each_column() -> None:
    peaks = _ramp_peaks()
    mins, maxs = peaks.slice(0, 3_600_000, 1000)
    assert mins.shape == maxs.shape == (1000,)
    # column c covers buckets 360c .. 360c+359; the ramp's max is at the column's end
    assert maxs[0] == pytest.approx(359 / 360_000)
    assert maxs[-1] == pytest.approx(359_999 / 360_000)
    assert mins[10] == pytest.approx(-(3959 / 360_000))


def test_slice_zoomed_past_the_buckets_repeats_them_and_blanks_outside() -> None:
    peaks = Peaks(10, np.array([-0.1, -0.2], np.float32), np.array([0.1, 0.2], np.float32))
    mins, maxs = peaks.slice(-20, 40, 6)  # 10 ms a column, two before and two after
    assert maxs.tolist() == pytest.approx([0, 0, 0.1, 0.2, 0, 0])
    mins, maxs = peaks.slice(0, 20, 8)
    assert maxs.tolist() == pytest.approx([0.1] * 4 + [0.2] * 4)
    assert peaks.slice(0, 20, 0)[0].size == 0


def test_slice_is_fast_for_an_hour_at_any_zoom() -> None:
    import time

    peaks = _ramp_peaks()
    for start_ms, end_ms in ((0, 3_600_000), (1_800_000, 1_830_000), (1_800_000, 1_802_000)):
        began = time.perf_counter()
        for _ in range(20):
            peaks.slice(start_ms, end_ms, 1600)
        assert (time.perf_counter() - began) / 20 < 0.005
