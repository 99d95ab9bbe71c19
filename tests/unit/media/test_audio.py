"""Decoding a recording's sound to mono 16 kHz float32 samples, straight from the container."""

from __future__ import annotations

import threading
from pathlib import Path

import faster_whisper
import numpy as np
import pytest

from bwvreview.media.audio import (
    SAMPLE_RATE,
    DecodeCancelled,
    decode_audio,
    iter_decode_audio,
)
from bwvreview.media.errors import MediaError
from tests.mediafactory import make_clip, run_ffmpeg


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)[np.argmax(spectrum)])


def test_decodes_mono_16k_float32(clip_path: Path) -> None:
    samples = decode_audio(clip_path)
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert abs(len(samples) - 2 * SAMPLE_RATE) < SAMPLE_RATE // 10
    assert np.abs(samples).max() <= 1.0
    assert _dominant_hz(samples) == pytest.approx(440, abs=2)


def test_samples_match_faster_whisper_decoder(clip_path: Path) -> None:
    assert np.array_equal(decode_audio(clip_path), faster_whisper.decode_audio(str(clip_path)))


def test_stereo_48k_is_mixed_down_and_resampled(media_dir: Path) -> None:
    path = media_dir / "stereo.m4a"
    run_ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=1.5",
        "-ac", "2", "-c:a", "aac", str(path),
    )  # fmt: skip
    samples = decode_audio(path)
    assert abs(len(samples) - 1.5 * SAMPLE_RATE) < SAMPLE_RATE // 10
    assert _dominant_hz(samples) == pytest.approx(300, abs=2)


def test_progress_rises_to_one(clip_path: Path) -> None:
    steps = iter_decode_audio(clip_path)
    fractions = []
    while True:
        try:
            fractions.append(next(steps))
        except StopIteration as done:
            samples = done.value
            break
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert len(samples) > 0


def test_video_without_audio_is_refused_by_name(media_dir: Path) -> None:
    path = make_clip(media_dir / "silent_film.mp4", audio=False)
    with pytest.raises(MediaError, match=r"silent_film\.mp4: this recording has no audio"):
        decode_audio(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="not found"):
        decode_audio(tmp_path / "nowhere.mp4")


def test_non_media_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("this is not a video")
    with pytest.raises(MediaError, match="notes.mp4"):
        decode_audio(path)


def test_cancel_stops_decoding(clip_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DecodeCancelled):
        decode_audio(clip_path, cancel=cancel)


def _aac_with_scribbled_packets(path: Path, every: int) -> tuple[Path, int]:
    """A 4 s AAC tone whose every ``every``-th packet is overwritten with noise."""
    import av

    make_clip(path, seconds=4.0)
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        spots = [(p.pos, p.size) for p in container.demux(stream) if p.size and p.pos]
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(7)
    hit = spots[5::every]
    for pos, size in hit:
        data[pos : pos + size] = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return path, len(hit)


def test_a_damaged_packet_is_skipped_and_decoding_goes_on(media_dir: Path) -> None:
    """One bad packet must not silently end the sound there (as a stopped decoder would)."""
    path, _ = _aac_with_scribbled_packets(media_dir / "glitch.mp4", every=40)
    samples = decode_audio(path)
    assert len(samples) > 0.9 * 4.0 * 16_000


def test_a_mostly_undecodable_sound_track_is_called_damaged_not_silent(media_dir: Path) -> None:
    path, hit = _aac_with_scribbled_packets(media_dir / "noise.mp4", every=1)
    assert hit > 100
    with pytest.raises(MediaError, match=r"noise\.mp4: the sound track is damaged"):
        decode_audio(path)
