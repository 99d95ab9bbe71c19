"""Finding and covering the burned-in BWV banner."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bwvreview.media.banner import PRESETS, BannerRegion, detect_banner, preset
from tests.unit.media.test_faces import demo_frames

SPREAD = range(5, 1348, 112)  # twelve frames over the demo's 54 s


@pytest.fixture(scope="module")
def samples() -> list[np.ndarray]:
    frames = demo_frames(SPREAD)
    return [frames[i] for i in SPREAD]


def test_the_demo_banner_is_found_as_a_top_strip_of_24_px(samples) -> None:
    region = detect_banner(samples)
    assert region is not None and region.source == "detected"
    assert (region.x0, region.y0, region.x1) == (0.0, 0.0, 1.0)
    assert 23 <= region.y1 * 360 <= 26
    x0, y0, x1, y1 = region.to_pixels(640, 360)
    assert (x0, y0, x1) == (0, 0, 640) and 24 <= y1 <= 30


def test_eight_samples_are_enough(samples) -> None:
    region = detect_banner(samples[::2][:8])
    assert region is not None and 23 <= region.y1 * 360 <= 26


def test_a_banner_at_the_bottom_is_found_there(samples) -> None:
    region = detect_banner([f[::-1].copy() for f in samples])
    assert region is not None
    assert region.y1 == 1.0 and 334 <= region.y0 * 360 <= 337


def test_no_banner_in_footage_without_one(samples) -> None:
    assert detect_banner([f[40:-40].copy() for f in samples]) is None


def test_too_few_samples_say_nothing(samples) -> None:
    assert detect_banner(samples[:1]) is None


def test_a_bottom_strip_with_a_running_clock_over_a_moving_scene() -> None:
    """A different layout: a solid grey strip at the bottom of a 1280x720 noise scene that
    shifts every sample, with white text whose seconds change in each."""
    rng = np.random.default_rng(3)
    scene = cv2.GaussianBlur(rng.integers(0, 256, (1000, 1500, 3), dtype=np.uint8), (0, 0), 3)
    frames = []
    for k in range(10):
        dx, dy = rng.integers(0, 200, 2)
        frame = scene[dy : dy + 720, dx : dx + 1280].copy()
        frame[680:] = (60, 60, 60)
        text = f"2026-03-14 21:37:{10 + k:02d}   DEVICE X81234567   PC 4471"
        cv2.putText(frame, text, (20, 708), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
        frames.append(frame)
    region = detect_banner(frames)
    assert region is not None
    assert 675 <= region.y0 * 720 <= 682 and region.y1 == 1.0


def test_redact_blacks_out_the_strip_and_a_margin() -> None:
    frame = np.full((360, 640, 3), 200, dtype=np.uint8)
    BannerRegion(0.0, 0.0, 1.0, 24 / 360).redact(frame)
    assert not frame[:26].any()
    assert (frame[30:] == 200).all()


def test_presets_are_fractions_that_fit_any_size() -> None:
    top = preset("top")
    assert top.to_pixels(640, 360, margin_px=0) == (0, 0, 640, 26)
    assert top.to_pixels(1920, 1080, margin_px=0) == (0, 0, 1920, 76)
    assert preset("bottom").to_pixels(1920, 1080, margin_px=0)[1:] == (1004, 1920, 1080)
    assert {"top", "bottom", "top-left"} <= set(PRESETS)
    with pytest.raises(ValueError, match="top-left"):
        preset("middle")


def test_a_region_must_lie_within_the_frame() -> None:
    with pytest.raises(ValueError):
        BannerRegion(0.0, 0.5, 1.0, 0.4)
    with pytest.raises(ValueError):
        BannerRegion(0.0, 0.0, 1.2, 0.1)
