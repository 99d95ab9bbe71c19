"""Masks drawn into frames, and the reviewer's keyframed manual masks."""

from __future__ import annotations

import numpy as np
import pytest

from bwvreview.media.faces import FaceDetector
from bwvreview.media.masks import ManualMask, apply_mask, region_mask
from tests.unit.media.test_faces import demo_frames, truth_samples


def noisy_frame(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (120, 160, 3), dtype=np.uint8)


@pytest.mark.parametrize("mode", ["blur", "pixelate", "box"])
@pytest.mark.parametrize("shape", ["ellipse", "rect"])
def test_a_mask_changes_only_its_shape(mode: str, shape: str) -> None:
    frame = noisy_frame()
    before = frame.copy()
    box = (40.0, 30.0, 100.0, 90.0)
    apply_mask(frame, box, mode, shape)
    changed = (frame != before).any(axis=2)
    inside = region_mask(box, 160, 120, shape)
    assert not changed[~inside].any()
    assert changed[inside].mean() > 0.9


def test_an_ellipse_leaves_the_corners_of_its_box() -> None:
    inside = region_mask((0, 0, 100, 100), 100, 100, "ellipse")
    assert inside[50, 50] and not inside[0, 0] and not inside[99, 99]
    assert inside[50, 0] and inside[0, 50]  # touches the middle of each side
    assert region_mask((0, 0, 100, 100), 100, 100, "rect").all()


def test_box_is_solid_black_and_pixelate_is_a_few_blocks() -> None:
    frame = noisy_frame()
    apply_mask(frame, (0, 0, 80, 80), "box", "rect")
    assert not frame[:80, :80].any()
    frame = noisy_frame()
    apply_mask(frame, (0, 0, 80, 80), "pixelate", "rect")
    assert len(np.unique(frame[:80, :80].reshape(-1, 3), axis=0)) <= 8 * 8


def test_blur_leaves_almost_no_detail() -> None:
    frame = noisy_frame()
    apply_mask(frame, (20, 20, 140, 100), "blur", "rect")
    region = frame[20:100, 20:140].astype(np.float32)
    assert np.abs(np.diff(region, axis=1)).mean() < 2.0  # noise had ~85 between neighbours


def test_boxes_past_the_frame_edge_are_clipped_and_outside_ones_ignored() -> None:
    frame = noisy_frame()
    apply_mask(frame, (140.5, -10, 200, 30.2), "box", "rect")
    assert not frame[:31, 140:].any()
    before = frame.copy()
    apply_mask(frame, (200, 200, 300, 300), "box", "rect")
    np.testing.assert_array_equal(frame, before)


def test_unknown_mode_or_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        apply_mask(noisy_frame(), (0, 0, 10, 10), "smudge")
    with pytest.raises(ValueError, match="shape"):
        apply_mask(noisy_frame(), (0, 0, 10, 10), "blur", "star")


def test_a_blurred_demo_face_is_no_longer_a_face_to_the_detector() -> None:
    """Real frames and model: blur each sampled ground-truth face (with the tracker's 30%
    margin) and the detector no longer finds a face there, even below its default threshold."""
    truth = truth_samples()
    indices = sorted(truth)[::3]
    frames = demo_frames(indices)
    detector = FaceDetector(threshold=0.25)
    for index in indices:
        x0, y0, x1, y1 = truth[index]
        mx, my = 0.3 * (x1 - x0), 0.3 * (y1 - y0)
        frame = frames[index]
        assert len(detector.detect(frame)) == 1
        apply_mask(frame, (x0 - mx, y0 - my, x1 + mx, y1 + my), "blur", "ellipse")
        assert len(detector.detect(frame)) == 0, index


def test_manual_mask_moves_linearly_between_keyframes() -> None:
    mask = ManualMask(((2000, 100, 100, 200, 150), (1000, 0, 0, 100, 50)))
    assert mask.start_ms == 1000 and mask.end_ms == 2000  # keyframes are sorted
    assert mask.box_at(1000) == (0, 0, 100, 50)
    assert mask.box_at(1500) == pytest.approx((50, 50, 150, 100))
    assert mask.box_at(2000) == (100, 100, 200, 150)
    assert mask.box_at(999) is None and mask.box_at(2001) is None
    assert mask.mode == "box"


def test_manual_mask_is_active_on_a_frame_that_spans_its_start() -> None:
    single = ManualMask(((1010, 10, 10, 20, 20),), mode="blur")
    assert single.box_at(1000) is None
    assert single.box_at(1000, duration_ms=40) == (10, 10, 20, 20)
    assert single.box_at(970, duration_ms=40) is None  # this frame ends at 1010


def test_manual_mask_round_trips_through_json_form() -> None:
    mask = ManualMask(((0, 1, 2, 3, 4), (500, 5, 6, 7, 8)), mode="pixelate", label="plate")
    assert ManualMask.from_dict(mask.to_dict()) == mask


def test_manual_mask_refuses_empty_or_inverted_boxes() -> None:
    with pytest.raises(ValueError):
        ManualMask(())
    with pytest.raises(ValueError):
        ManualMask(((0, 10, 10, 5, 20),))
    with pytest.raises(ValueError):
        ManualMask(((0, 0, 0, 5, 5),), mode="smudge")
