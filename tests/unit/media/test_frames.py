"""Decoding a span on a constant frame grid: exact counts, exact frames, held frames, rotation."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from bwvreview.media import frames as frames_module
from bwvreview.media.errors import MediaError
from bwvreview.media.frames import (
    SEEK_GAP_S,
    cheap_sample_times,
    frame_count,
    iter_span_frames,
    keyframe_times,
    output_size,
    sample_frames,
)
from bwvreview.media.probe import probe
from tests.mediafactory import make_clip, run_ffmpeg


def _all_frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]


@pytest.fixture(scope="module")
def clip25(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("frames") / "c25.mp4", seconds=3.0, fps=25)


def test_frame_count_rounds_to_the_grid() -> None:
    assert frame_count(0, 1000, 25) == 25
    assert frame_count(500, 1500, 29.97) == 30
    assert frame_count(0, 10, 25) == 1  # never an empty clip


def test_a_span_gives_exactly_the_source_frames_from_its_start(clip25: Path) -> None:
    source = _all_frames(clip25)
    frames = list(iter_span_frames(clip25, 1000, 2000, 25))
    assert len(frames) == 25
    for k, frame in enumerate(frames):
        assert np.array_equal(frame, source[25 + k]), f"frame {k} is not source frame {25 + k}"


def test_a_start_between_frames_shows_the_frame_on_screen_then(clip25: Path) -> None:
    source = _all_frames(clip25)
    frames = list(iter_span_frames(clip25, 1030, 1230, 25))  # 1030 ms: frame 25 is on screen
    assert len(frames) == 5
    assert np.array_equal(frames[0], source[25])
    assert np.array_equal(frames[1], source[26])


def test_a_slower_source_is_held_on_the_grid(tmp_path: Path) -> None:
    slow = make_clip(tmp_path / "c10.mp4", seconds=2.0, fps=10)
    source = _all_frames(slow)
    frames = list(iter_span_frames(slow, 0, 1000, 25))
    assert len(frames) == 25
    # Grid time k/25 shows source frame floor(k * 10 / 25).
    for k, frame in enumerate(frames):
        assert np.array_equal(frame, source[(k * 10) // 25])


def test_a_source_that_ends_early_holds_its_last_frame(clip25: Path) -> None:
    frames = list(iter_span_frames(clip25, 2900, 3300, 25))
    assert len(frames) == 10
    assert np.array_equal(frames[-1], frames[3])


def test_rotation_is_applied_like_a_player_would(tmp_path: Path) -> None:
    plain = make_clip(tmp_path / "plain.mp4", seconds=1.0, size="160x120", audio=False)
    rotated = tmp_path / "rotated.mp4"
    run_ffmpeg("-display_rotation", "90", "-i", str(plain), "-c", "copy", str(rotated))
    info = probe(rotated)
    assert info.rotation in {90, 270}
    frame = next(iter_span_frames(rotated, 0, 200, 25, info.rotation))
    assert frame.shape == (160, 120, 3)
    assert output_size(160, 120, info.rotation) == (120, 160)
    # FFmpeg's own auto-rotation is the reference for "upright".
    upright = tmp_path / "upright.rgb"
    run_ffmpeg(
        "-i", str(rotated), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", str(upright)
    )
    reference = np.frombuffer(upright.read_bytes(), np.uint8).reshape(160, 120, 3)
    assert np.abs(frame.astype(int) - reference.astype(int)).mean() < 3


def test_a_file_without_video_is_refused(tmp_path: Path) -> None:
    sound = make_clip(tmp_path / "sound.m4a", video=False)
    with pytest.raises(MediaError, match="no video"):
        list(iter_span_frames(sound, 0, 500, 25))


def test_samples_are_the_frames_a_span_shows_at_those_times(clip25: Path) -> None:
    times = [0, 30, 40, 1030, 1999, 2000, 2960]
    samples = sample_frames(clip25, times)
    for at, frame in zip(times, samples, strict=True):
        expected = next(iter_span_frames(clip25, at, at + 1, 25))
        assert np.array_equal(frame, expected), f"the sample at {at} ms"


def test_samples_far_apart_seek_and_still_show_the_right_frame(tmp_path: Path) -> None:
    # Keyframes every second, samples further apart than SEEK_GAP_S: the way between is
    # skipped, the frame shown is still the one on screen.
    long = make_clip(tmp_path / "long.mp4", seconds=14.0, fps=10, audio=False,
                     extra=("-g", "10"))  # fmt: skip
    source = _all_frames(long)
    times = [500, 500 + int(SEEK_GAP_S * 1000) + 1500, 13_950]
    samples = sample_frames(long, times)
    for at, frame in zip(times, samples, strict=True):
        assert np.array_equal(frame, source[at // 100]), f"the sample at {at} ms"


def test_a_sample_past_the_end_shows_the_last_frame(clip25: Path) -> None:
    source = _all_frames(clip25)
    assert np.array_equal(sample_frames(clip25, [2000, 5000])[1], source[-1])


def test_samples_must_come_in_order(clip25: Path) -> None:
    with pytest.raises(ValueError, match="ascending"):
        sample_frames(clip25, [1000, 500])


# Samples where they are cheap: on keyframes, and in short runs just after them.


def test_a_span_with_enough_keyframes_is_sampled_on_keyframes_alone() -> None:
    keys = list(range(0, 30_000, 1000))  # a keyframe every second
    times = cheap_sample_times(0, 30_000, keys, wanted=12)
    assert len(times) == 12
    assert set(times) <= set(keys)
    assert times[0] == 0 and times[-1] == 29_000  # spread over the whole span
    assert times == sorted(times)


def test_few_keyframes_give_short_runs_after_each() -> None:
    # The night clip: keyframes at 0 and 9.96 s in a 12 s span, six samples after each.
    times = cheap_sample_times(0, 12_000, [0, 9960], wanted=12, step_ms=500)
    assert times[:6] == [0, 500, 1000, 1500, 2000, 2500]
    # The last run has 2.04 s to the span's end: its six samples close up to fit.
    assert times[6:] == [9960, 10_300, 10_640, 10_980, 11_320, 11_660]


def test_a_run_never_reaches_past_the_next_keyframe_or_the_span() -> None:
    times = cheap_sample_times(0, 2000, [0, 600, 1200], wanted=12, step_ms=500)
    assert times == [0, 150, 300, 450, 600, 750, 900, 1050, 1200, 1400, 1600, 1800]


def test_keyframes_outside_the_span_are_not_sampled() -> None:
    times = cheap_sample_times(5000, 9000, [0, 4000, 6000, 8000, 10_000], wanted=4)
    assert times == [6000, 6500, 8000, 8500]


def test_more_samples_than_wanted_are_thinned_evenly() -> None:
    # Five keyframes, twelve wanted: three after each is fifteen, thinned to twelve.
    times = cheap_sample_times(0, 10_000, [0, 2000, 4000, 6000, 8000], wanted=12)
    assert len(times) == 12 and times[0] == 0 and times[-1] == 9000
    assert times == sorted(set(times))


def test_a_span_inside_one_group_of_pictures_is_sampled_evenly() -> None:
    # No keyframe in the span: decoding it is the only way, so samples spread as before.
    times = cheap_sample_times(3000, 6000, [0, 10_000], wanted=6)
    assert times == [3000, 3500, 4000, 4500, 5000, 5500]


@pytest.fixture(scope="module")
def sparse_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Keyframes every 4 s at 10 fps (frames 0, 40, 80, 120), 14 s long.
    fixed = ("-g", "40", "-keyint_min", "40", "-sc_threshold", "0")
    out = tmp_path_factory.mktemp("keys") / "sparse.mp4"
    return make_clip(out, seconds=14.0, fps=10, audio=False, extra=fixed)


def test_keyframe_times_come_from_the_container(sparse_keys: Path) -> None:
    assert keyframe_times(sparse_keys, 0, 14_000) == [0, 4000, 8000, 12_000]
    assert keyframe_times(sparse_keys, 5000, 12_000) == [8000]


def test_samples_on_keyframes_show_the_right_frames_and_decode_little(
    sparse_keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _all_frames(sparse_keys)
    keys = keyframe_times(sparse_keys, 0, 14_000)
    times = cheap_sample_times(0, 14_000, keys, wanted=8, step_ms=200)
    decoded = _count_decoding(monkeypatch)
    samples = sample_frames(sparse_keys, times, keyframes_ms=keys)
    for at, frame in zip(times, samples, strict=True):
        assert np.array_equal(frame, source[at // 100]), f"the sample at {at} ms"
    # Each keyframe's short run only (a couple of frames each, and the decoder's lookahead),
    # not the 140 frames of the span.
    assert sum(decoded) < 50, decoded


def test_keyframes_known_or_not_the_same_samples_come_out(sparse_keys: Path) -> None:
    keys = keyframe_times(sparse_keys, 0, 14_000)
    times = [0, 900, 4100, 4300, 7900, 12_000, 13_900]
    with_keys = sample_frames(sparse_keys, times, keyframes_ms=keys)
    without = sample_frames(sparse_keys, times)
    for at, a, b in zip(times, with_keys, without, strict=True):
        assert np.array_equal(a, b), f"the sample at {at} ms"


def _count_decoding(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many frames each decoding run of ``sample_frames`` brought out."""
    runs: list[int] = []
    real = frames_module._decoding

    def counted(container, stream):  # type: ignore[no-untyped-def]
        runs.append(0)
        for frame in real(container, stream):
            runs[-1] += 1
            yield frame

    monkeypatch.setattr(frames_module, "_decoding", counted)
    return runs
