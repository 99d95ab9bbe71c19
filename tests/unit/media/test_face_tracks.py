"""The streaming face tracker: lookahead, gap filling, pre-roll, hold, widening, stable ids."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from bwvreview.media.camera_motion import CameraMotion
from bwvreview.media.face_tracks import FaceTracker, TrackedFrame, TrackerSettings
from bwvreview.media.faces import FaceDetector
from bwvreview.media.masks import region_mask
from tests.unit.media.test_faces import demo_frames, truth_samples

W, H = 640, 360
SETTINGS = TrackerSettings(lookahead=12, max_gap=12, preroll=6, hold=6)


def face_at(index: int, x0: float = 100.0, speed: float = 4.0) -> np.ndarray:
    """A 60x70 face moving right at ``speed`` px/frame, as one detection row."""
    x = x0 + speed * index
    return np.array([[x, 100, x + 60, 170, 0.9]], dtype=np.float32)


def run(detections: list[np.ndarray], settings: TrackerSettings = SETTINGS) -> tuple[
    list[TrackedFrame], FaceTracker
]:  # fmt: skip
    tracker = FaceTracker(settings, W, H)
    out: list[TrackedFrame] = []
    for i, dets in enumerate(detections):
        out += tracker.push(dets, payload=i)
    out += tracker.flush()
    return out, tracker


def covers(frame: TrackedFrame, box, share: float = 1.0) -> bool:
    """At least ``share`` of the pixels of ``box`` lie under the frame's (elliptical) masks."""
    mask = np.zeros((H, W), dtype=bool)
    for b in frame.boxes:
        mask |= region_mask((b.x0, b.y0, b.x1, b.y1), W, H, "ellipse")
    x0, y0, x1, y1 = (int(round(v)) for v in box[:4])
    return bool(mask[y0:y1, x0:x1].mean() >= share)


def none() -> np.ndarray:
    return np.empty((0, 5), dtype=np.float32)


def test_frames_come_out_after_the_lookahead_in_order_and_all_of_them() -> None:
    tracker = FaceTracker(SETTINGS, W, H)
    released = [tracker.push(face_at(i), payload=i) for i in range(30)]
    assert [len(r) for r in released[:12]] == [0] * 12
    assert all(len(r) == 1 for r in released[12:])
    rest = tracker.flush()
    order = [f.payload for r in released for f in r] + [f.payload for f in rest]
    assert order == list(range(30))
    assert [f.index for r in released for f in r] + [f.index for f in rest] == list(range(30))


def test_a_steady_face_is_one_track_covered_on_every_frame() -> None:
    out, tracker = run([face_at(i) for i in range(40)])
    assert all(covers(f, face_at(f.index)[0]) for f in out)
    (track,) = tracker.tracks()
    assert track.track_id == 1
    assert track.frames_detected == 40


def test_a_gap_in_detections_is_filled_by_interpolation() -> None:
    gap = range(15, 25)  # ten frames the detector missed
    dets = [none() if i in gap else face_at(i) for i in range(50)]
    out, tracker = run(dets)
    for f in out:
        if f.index in gap:
            assert f.boxes and all(b.filled for b in f.boxes)
        assert covers(f, face_at(f.index)[0]), f.index
    (track,) = tracker.tracks()
    assert track.frames_detected == 40
    assert track.frames_filled == 10


def test_a_face_is_masked_before_its_first_detection_and_after_its_last() -> None:
    dets = [face_at(i) if 20 <= i < 30 else none() for i in range(50)]
    out, tracker = run(dets)
    masked = [f.index for f in out if f.boxes]
    assert masked == list(range(20 - SETTINGS.preroll, 30 + SETTINGS.hold))
    (track,) = tracker.tracks()
    assert (track.first_frame, track.last_frame) == (14, 35)
    # The pre-roll reaches back along the motion: where the face was before it was seen.
    assert covers(out[14], face_at(17)[0])


def test_a_gap_longer_than_the_lookahead_starts_a_new_track() -> None:
    dets = [none() if 10 <= i < 40 else face_at(i) for i in range(60)]
    out, tracker = run(dets)
    assert [t.track_id for t in tracker.tracks()] == [1, 2]
    assert not out[25].boxes  # beyond hold and pre-roll nothing is known


def test_boxes_are_widened_more_ahead_of_the_motion() -> None:
    out, _ = run([face_at(i, speed=6.0) for i in range(30)])
    box = out[15].boxes[0]
    x0, _, x1, _, _ = face_at(15, speed=6.0)[0]
    behind, ahead = x0 - box.x0, box.x1 - x1
    assert behind >= 0.25 * 60 and ahead > behind


def test_a_face_cut_by_the_frame_edge_is_covered_to_the_edge() -> None:
    dets = [np.array([[600, 100, 640, 170, 0.9]], dtype=np.float32) for _ in range(20)]
    out, _ = run(dets)
    assert covers(out[10], (600, 100, 640, 170))


def test_ids_follow_first_appearance_left_to_right_and_repeat_on_a_rerun() -> None:
    def two_faces(i: int) -> np.ndarray:
        right = np.array([[400, 100, 460, 170, 0.95]], dtype=np.float32)
        left = np.array([[100, 120, 160, 190, 0.6]], dtype=np.float32)
        late = np.array([[250, 200, 300, 260, 0.8]], dtype=np.float32)
        rows = [right, left] + ([late] if i >= 10 else [])
        return np.concatenate(rows)

    dets = [two_faces(i) for i in range(30)]
    first_out, first = run(dets)
    again_out, again = run(dets)
    assert [(t.track_id, t.best_box[0]) for t in first.tracks()] == [
        (1, 100.0),
        (2, 400.0),
        (3, 250.0),
    ]
    assert first.tracks() == again.tracks()
    assert [f.boxes for f in first_out] == [f.boxes for f in again_out]


def test_two_people_crossing_paths_keep_their_ids() -> None:
    def pair(i: int) -> np.ndarray:
        a = face_at(i, x0=100, speed=5)[0]
        b = face_at(i, x0=400, speed=-5)[0] + np.array([0, 40, 0, 40, 0], dtype=np.float32)
        return np.stack([a, b])

    out, tracker = run([pair(i) for i in range(60)])
    assert [t.frames_detected for t in tracker.tracks()] == [60, 60]
    last = {b.track_id: b for b in out[-1].boxes}
    assert last[1].x0 > last[2].x0  # 1 started on the left and walked right


def test_settings_refuse_fills_beyond_the_lookahead() -> None:
    with pytest.raises(ValueError):
        TrackerSettings(lookahead=5, max_gap=10)
    with pytest.raises(ValueError):
        TrackerSettings(lookahead=5, preroll=6)
    assert TrackerSettings.for_fps(25).lookahead == 12
    assert TrackerSettings.for_fps(30, lookahead_ms=1000).lookahead == 30


def test_no_lookahead_releases_each_frame_at_once() -> None:
    settings = dataclasses.replace(SETTINGS, lookahead=0, max_gap=0, preroll=0)
    tracker = FaceTracker(settings, W, H)
    assert [f.index for f in tracker.push(face_at(0))] == [0]
    assert tracker.flush() == []


def test_real_detections_with_a_dropped_run_still_cover_the_demo_face() -> None:
    """Real frames, real model: the detector's output on a stretch of the demo, with a run of
    frames blanked as if it had missed them; the ground-truth face is still under a mask."""
    span = range(610, 680)
    dropped = range(630, 642)  # 12 frames, includes the ground-truth sample at 637
    frames = demo_frames(span)
    detector = FaceDetector()
    dets = [none() if i in dropped else detector.detect(frames[i]) for i in span]
    out, tracker = run(dets, TrackerSettings.for_fps(25))
    truth = truth_samples()
    checked = 0
    for f in out:
        index = span[f.index]
        if index in truth:
            # The ground truth runs forehead to chin; its corners are hair and background.
            assert covers(f, truth[index], share=0.97), index
            checked += 1
        if index in dropped:
            assert f.boxes and all(b.filled for b in f.boxes)
    assert checked >= 5
    assert len(tracker.tracks()) == 1


def test_a_face_followed_through_camera_shake_is_covered_between_sparse_detections() -> None:
    """The face stands still in the scene; the camera bobs +-15 px a frame and the detector
    finds the face only every sixth frame. Told the camera's motion, the tracker covers it
    on every frame; without it, interpolation puts masks where the face is not."""
    shake = [15.0 * ((-1) ** (i // 2)) for i in range(60)]  # the picture's offset per frame
    truth = [np.array([200, 100 + s, 260, 170 + s, 0.9], dtype=np.float32) for s in shake]
    dets = [truth[i][None] if i % 6 == 0 else none() for i in range(60)]
    motion = [(0.0, 0.0)] + [(0.0, shake[i] - shake[i - 1]) for i in range(1, 60)]

    def covered(with_motion: bool) -> int:
        tracker = FaceTracker(SETTINGS, W, H)
        out = []
        for i in range(60):
            out += tracker.push(dets[i], i, motion[i] if with_motion else (0.0, 0.0))
        out += tracker.flush()
        return sum(covers(f, truth[f.index], share=0.97) for f in out)

    assert covered(True) == 60
    assert covered(False) < 60


def test_weak_detections_are_masked_only_once_they_repeat() -> None:
    settings = dataclasses.replace(SETTINGS, confirm_score=0.5, confirm_hits=3)
    weak = face_at(0)[0].copy()
    weak[4] = 0.2
    once = [weak[None] if i == 10 else none() for i in range(40)]
    out, tracker = run(once, settings)
    assert not any(f.boxes for f in out) and tracker.tracks() == []
    repeated = [np.array([[100, 100, 160, 170, 0.2]], dtype=np.float32) if i in (10, 12, 14)
                else none() for i in range(40)]  # fmt: skip
    out, tracker = run(repeated, settings)
    assert [t.track_id for t in tracker.tracks()] == [1]
    assert covers(out[10], (100, 100, 160, 170))  # masked from its first sighting
    sure = [face_at(i) if i == 10 else none() for i in range(40)]  # one sure detection
    _, tracker = run(sure, settings)
    assert len(tracker.tracks()) == 1


def test_camera_motion_measures_the_shift_of_the_picture() -> None:
    rng = np.random.default_rng(3)
    scene = cv2.GaussianBlur(rng.integers(0, 255, (460, 760, 3), dtype=np.uint8), (0, 0), 3)
    motion = CameraMotion(640, 360)
    assert motion(scene[50:410, 60:700]) == (0.0, 0.0)  # the first frame
    dx, dy = motion(scene[50 - 12 : 410 - 12, 60 + 20 : 700 + 20])  # content moves +12 down, -20
    assert abs(dx + 20) < 1.5 and abs(dy - 12) < 1.5


def test_a_small_box_gets_at_least_the_least_margin_a_share_of_the_frame() -> None:
    # A 16x20 detection seen once (as the verifier finds a small face): its mask reaches at
    # least 2.5 % of the frame's width (16 px at 640) each side, not 0.4 x 16 px.
    tiny = np.array([[300, 100, 316, 120, 0.9]], dtype=np.float32)
    dets = [none()] * 10 + [tiny] + [none()] * 10
    plain = dataclasses.replace(SETTINGS, margin=0.4)
    least = dataclasses.replace(plain, least_margin=0.025)
    for settings, reach in ((plain, 0.4 * 16), (least, 16.0)):
        out, _ = run(dets, settings)
        box = out[10].boxes[0]
        assert 300 - box.x0 == pytest.approx(reach, abs=0.5)
        assert box.y1 - 120 == pytest.approx(max(reach, 0.4 * 20), abs=0.5)
    # A face larger than that keeps its own margin.
    out, _ = run([face_at(0, speed=0.0)] * 5, least)
    assert 100 - out[2].boxes[0].x0 == pytest.approx(0.4 * 60, abs=0.5)


def test_the_least_margin_cannot_be_negative() -> None:
    with pytest.raises(ValueError):
        TrackerSettings(least_margin=-0.1)
