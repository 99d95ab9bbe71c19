"""VideoRedactor on the demo footage: every frame out, every face covered, choices honoured."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bwvreview.media import faces
from bwvreview.media.banner import detect_banner
from bwvreview.media.faces import DEFAULT_THRESHOLD
from bwvreview.media.masks import ManualMask, region_mask
from bwvreview.media.video_redaction import (
    RedactedFrame,
    VideoRedactionSettings,
    VideoRedactor,
    scan_tracks,
)
from tests.unit.media.test_faces import DEMO, demo_frames, truth_at, truth_samples

W, H, FPS = 640, 360, 25
PLATE = ManualMask(((2000, 50, 200, 150, 260), (4000, 150, 200, 250, 260)), label="plate")


def redact(frames: list[np.ndarray], settings: VideoRedactionSettings, start_ms: int = 0):
    redactor = VideoRedactor(settings, W, H, FPS, start_ms=start_ms)
    out: list[RedactedFrame] = []
    for frame in frames:
        out += redactor.push_detailed(frame)
    out += redactor.flush_detailed()
    return out, redactor


def face_coverage(frame: RedactedFrame, box) -> float:
    """Share of a ground-truth box under the frame's face masks."""
    mask = np.zeros((H, W), dtype=bool)
    for b in frame.face_boxes:
        mask |= region_mask((b.x0, b.y0, b.x1, b.y1), W, H, "ellipse")
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    return float(mask[y0:y1, x0:x1].mean())


@pytest.fixture(scope="module")
def entrance():
    """The first six seconds, where the face walks in from the right edge, redacted with a
    detected banner and one manual mask."""
    span = range(0, 150)
    frames = demo_frames(span)
    banner = detect_banner([frames[i] for i in range(0, 150, 15)])
    settings = VideoRedactionSettings(banner=banner, manual_masks=(PLATE,))
    originals = [frames[i].copy() for i in span]
    out, redactor = redact([frames[i] for i in span], settings)
    return originals, out, redactor


def test_frame_count_and_order_in_equal_out(entrance) -> None:
    originals, out, redactor = entrance
    assert [f.index for f in out] == list(range(len(originals)))
    assert [f.time_ms for f in out[:3]] == [0, 40, 80]
    summary = redactor.summary()
    assert summary["frames_in"] == summary["frames_out"] == len(originals)


def test_every_ground_truth_face_frame_is_covered(entrance) -> None:
    _, out, _ = entrance
    shares = {f.index: face_coverage(f, truth_at(f.index)) for f in out if truth_at(f.index)}
    assert len(shares) > 100
    exact = [shares[i] for i in truth_samples() if i in shares]
    assert min(exact) >= 0.98
    # Between the half-second samples the truth is interpolated, so it lags the shake.
    assert min(shares.values()) >= 0.9


def test_the_face_is_masked_before_the_ground_truth_says_it_is_visible(entrance) -> None:
    _, out, _ = entrance
    first_truth = min(truth_samples())
    first_masked = min(f.index for f in out if f.face_boxes)
    assert first_masked < first_truth


def test_banner_and_manual_mask_are_drawn(entrance) -> None:
    originals, out, _ = entrance
    for frame in out:
        assert not frame.image[:25].any()
    at_3s = out[75]
    assert at_3s.manual_boxes == ((100.0, 200.0, 200.0, 260.0),)
    assert not at_3s.image[200:260, 100:200].any()
    assert not out[30].manual_boxes  # 1.2 s, before the first keyframe
    assert (out[30].image[200:260, 50:150] == originals[30][200:260, 50:150]).all()


def test_summary_is_json_and_says_what_was_done(entrance) -> None:
    _, out, redactor = entrance
    summary = json.loads(json.dumps(redactor.summary()))
    (track,) = summary["tracks"]
    assert track["id"] == 1 and not track["kept_visible"]
    assert track["frames_detected"] > 0 and track["first_ms"] < 1500
    assert summary["frames_with_faces_masked"] == sum(1 for f in out if f.face_boxes)
    assert summary["manual_masks"] == 1 and summary["frames_with_manual_masks"] == 51
    assert summary["banner"]["source"] == "detected" and summary["banner"]["pixels"][3] >= 24
    assert summary["detector"]["threshold"] == DEFAULT_THRESHOLD
    assert summary["detector"]["input_size"] == [512, 288]
    assert summary["detector"]["sha256"] == faces.MODEL_SHA256  # the published model
    assert summary["detector"]["prepared_sha256"] == faces.PREPARED_MODEL_SHA256


def test_a_person_kept_visible_is_left_untouched_and_ids_match_the_scan() -> None:
    span = range(700, 730)
    frames = demo_frames(span)
    settings = VideoRedactionSettings()
    tracks = scan_tracks((frames[i] for i in span), settings, W, H, FPS)
    assert [t.track_id for t in tracks] == [1]
    x0, y0, x1, y1 = tracks[0].best_box
    assert tracks[0].best_frame in range(len(span)) and x1 - x0 > 40

    keep = VideoRedactionSettings(keep_visible_tracks=frozenset({1}))
    out, redactor = redact([frames[i].copy() for i in span], keep)
    assert all((f.image == frames[span[f.index]]).all() for f in out)
    assert redactor.summary()["tracks"][0]["kept_visible"] is True
    assert [t.track_id for t in redactor.tracks()] == [1]
    assert redactor.summary()["frames_with_faces_masked"] == 0


def test_without_face_detection_frames_pass_straight_through() -> None:
    frames = [np.full((H, W, 3), 120, dtype=np.uint8) for _ in range(5)]
    settings = VideoRedactionSettings(faces="none", manual_masks=(PLATE,))
    redactor = VideoRedactor(settings, W, H, FPS, start_ms=2000)
    first = redactor.push(frames[0])
    assert len(first) == 1 and first[0] is frames[0]
    assert not first[0][200:260, 50:150].any()  # the plate mask at its first keyframe
    assert sum(len(redactor.push(f)) for f in frames[1:]) == 4
    assert redactor.flush() == []
    summary = redactor.summary()
    assert summary["faces"] == "none" and "detector" not in summary and summary["tracks"] == []


def test_bad_settings_and_frames_are_refused() -> None:
    with pytest.raises(ValueError):
        VideoRedactionSettings(faces="smudge")
    redactor = VideoRedactor(VideoRedactionSettings(faces="none"), W, H, FPS)
    with pytest.raises(ValueError, match="640x360"):
        redactor.push(np.zeros((H, W), dtype=np.uint8))


@pytest.mark.slow
def test_recall_over_the_whole_demo() -> None:
    """All 54 s (about 1,350 detections: over a minute on two cores). Prints the figures."""
    import time

    import av

    redactor = VideoRedactor(VideoRedactionSettings(), W, H, FPS)
    out: list[RedactedFrame] = []
    started = time.perf_counter()
    with av.open(str(DEMO)) as container:
        for frame in container.decode(video=0):
            out += redactor.push_detailed(frame.to_ndarray(format="bgr24"))
    out += redactor.flush_detailed()
    elapsed = time.perf_counter() - started
    shares = np.array([face_coverage(f, truth_at(f.index)) for f in out if truth_at(f.index)])
    exact = np.array([face_coverage(out[i], box) for i, box in truth_samples().items()])
    print(
        f"\n{len(out)} frames in {elapsed:.1f} s ({len(out) / elapsed:.1f} frames/s);"
        f" ground-truth face frames covered (>= 95% of the box): {(shares >= 0.95).mean():.4f}"
        f" of {len(shares)}; sampled frames fully (>= 98%) covered: {(exact >= 0.98).mean():.4f}"
        f" of {len(exact)}; tracks: {len(redactor.tracks())}"
    )
    assert (shares >= 0.95).mean() >= 0.99
    assert (exact >= 0.98).all()
