"""The CenterFace detector on the demo footage, against its ground-truth face track.

The helpers at the top (demo frames, ground truth, coverage) are shared with the other
redaction tests in this folder.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

import av
import numpy as np
import pytest

from bwvreview.bundled import resource_path
from bwvreview.media import faces
from bwvreview.media.errors import MediaError
from bwvreview.media.faces import FaceDetector, _session, input_size, model_path, nms

DEMO = resource_path("demo", "demo_incident.mp4")
FPS = 25


@functools.cache
def _truth() -> dict[int, tuple[float, float, float, float] | None]:
    """Ground-truth face boxes (x0, y0, x1, y1) at the frames the demo's JSON samples."""
    facts = json.loads(resource_path("demo", "demo_incident.json").read_text(encoding="utf-8"))
    out: dict[int, tuple[float, float, float, float] | None] = {}
    for sample in facts["faces"]["track"]:
        box = sample["box"]
        index = int(sample["t"] * FPS)  # as the demo script sampled it
        out[index] = None if box is None else (box[0], box[1], box[0] + box[2], box[1] + box[3])
    return out


def truth_samples() -> dict[int, tuple[float, float, float, float]]:
    """The sampled frames where a face is on screen."""
    return {i: box for i, box in _truth().items() if box is not None}


def truth_at(index: int) -> tuple[float, float, float, float] | None:
    """The ground-truth box on any frame, interpolated between the half-second samples
    (None when either neighbouring sample has no face)."""
    truth = _truth()
    if index in truth:
        return truth[index]
    keys = sorted(truth)
    before = max((k for k in keys if k < index), default=None)
    after = min((k for k in keys if k > index), default=None)
    if before is None or after is None or truth[before] is None or truth[after] is None:
        return None
    w = (index - before) / (after - before)
    a, b = truth[before], truth[after]
    return tuple((1 - w) * p + w * q for p, q in zip(a, b, strict=True))  # type: ignore[return-value]


def demo_frames(indices: Iterable[int]) -> dict[int, np.ndarray]:
    """The demo's BGR frames at ``indices``, decoded in one pass that stops after the last."""
    wanted = set(indices)
    out: dict[int, np.ndarray] = {}
    with av.open(str(DEMO)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i in wanted:
                out[i] = frame.to_ndarray(format="bgr24")
            if i >= max(wanted):
                break
    return out


def box_iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


@pytest.fixture(scope="module")
def sampled_frames() -> dict[int, np.ndarray]:
    return demo_frames(_truth())


@pytest.fixture(scope="module")
def detector() -> FaceDetector:
    return FaceDetector()


def test_detector_finds_the_demo_face_near_the_ground_truth(sampled_frames, detector) -> None:
    truth = truth_samples()
    ious = []
    for index, box in truth.items():
        found = detector.detect(sampled_frames[index])
        ious.append(max((box_iou(box, d) for d in found), default=0.0))
    ious_arr = np.array(ious)
    recall = float((ious_arr >= 0.5).mean())
    print(f"\ndetector recall at threshold {detector.threshold}, detect_width "
          f"{detector.detect_width}: {recall:.3f} of {len(ious)} ground-truth frames "
          f"(IoU >= 0.5), mean IoU {ious_arr.mean():.2f}")  # fmt: skip
    assert recall >= 0.97
    assert ious_arr.mean() >= 0.65


def test_detector_finds_nothing_when_no_face_is_on_screen(sampled_frames, detector) -> None:
    empty = [i for i, box in _truth().items() if box is None]
    assert empty
    for index in empty:
        assert len(detector.detect(sampled_frames[index])) == 0, index


def test_boxes_are_full_frame_pixels_with_scores(sampled_frames, detector) -> None:
    index = 750  # 30 s: the face is largest, left of centre
    found = detector.detect(sampled_frames[index])
    assert found.dtype == np.float32 and found.shape[1] == 5
    x0, y0, x1, y1, score = found[0]
    assert 0 <= x0 < x1 <= 640 and 0 <= y0 < y1 <= 360
    assert 0.3 < score <= 1.0
    assert box_iou(truth_samples()[index], found[0]) >= 0.5


def test_batch_detection_matches_one_at_a_time(sampled_frames, detector) -> None:
    indices = [100, 400, 750]
    batch = detector.detect_batch([sampled_frames[i] for i in indices])
    for index, found in zip(indices, batch, strict=True):
        np.testing.assert_allclose(found, detector.detect(sampled_frames[index]), atol=0.5)


def test_input_is_downscaled_to_multiples_of_32_and_never_upscaled() -> None:
    assert input_size(640, 360, 512) == (512, 288)
    assert input_size(1920, 1080, 512) == (512, 288)
    assert input_size(1280, 720, 640) == (640, 384)
    assert input_size(320, 240, 512) == (320, 256)


def test_nms_keeps_the_best_of_overlapping_boxes() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60]], dtype=np.float32)
    scores = np.array([0.6, 0.9, 0.5], dtype=np.float32)
    assert nms(boxes, scores).tolist() == [1, 2]


def test_the_model_ships_inside_the_package_with_its_licence_and_source() -> None:
    path = faces.model_path()
    assert path.parent.name == "models" and path.parent.parent.name == "media"
    assert (path.parent / "LICENSE").read_text(encoding="utf-8").startswith(faces.MODEL_FILE)
    source = (path.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert faces.MODEL_SHA256 in source and faces.PREPARED_MODEL_SHA256 in source
    # Only the prepared model: the published one stays in the repository (models/).
    assert [p.name for p in path.parent.glob("*.onnx")] == [faces.MODEL_FILE]


def test_a_missing_model_is_one_line_saying_to_reinstall(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(faces.resources, "files", lambda package: tmp_path)
    with pytest.raises(MediaError, match="missing from this installation: reinstall"):
        faces.model_path()


def test_a_damaged_model_is_refused_before_it_runs(tmp_path) -> None:
    damaged = tmp_path / faces.MODEL_FILE
    data = bytearray(faces.model_path().read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(MediaError, match="damaged: reinstall"):
        faces._session(damaged)


def test_model_info_records_the_published_and_the_prepared_model_hashes() -> None:
    info = faces.model_info()
    assert info["model"] == "CenterFace"
    assert info["sha256"] == faces.MODEL_SHA256  # the published file, as before
    assert info["prepared_sha256"] == faces.PREPARED_MODEL_SHA256 != faces.MODEL_SHA256


def test_idle_detector_threads_sleep_rather_than_spin() -> None:
    # A spinning thread pool takes the cores the decoder and encoder need between frames.
    options = _session(model_path()).get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
