"""Small faces and the face treatment, against the verifier's own detector.

Real face: the demo's (the public-domain astronaut portrait), cut from a demo frame at its
ground-truth box and pasted, resized, into a face-free demo frame scaled to 1280x720. The
verifier must find it unmasked at 40, 80 and 200 px and must not find anything once it is
masked the default way; a default export of a clip with a small face leaves none the
verifier can find (and the same clip unmasked fails, so the test can fail).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from bwvreview.bundled import resource_path
from bwvreview.media.clip_export import ClipRequest, iter_export_clip
from bwvreview.media.clip_verify import VerifyOptions
from bwvreview.media.clip_verify.face_check import VERIFY_SCAN, SeenFrames, faces_check
from bwvreview.media.clip_writer import ClipWriter, EncodeSettings
from bwvreview.media.face_scan import MAX_TILES, FaceScan, ScanSettings, tile_origins
from bwvreview.media.face_tracks import TrackerSettings
from bwvreview.media.faces import DEFAULT_THRESHOLD, FaceDetector, stirrings
from bwvreview.media.masks import FACE_FILL, apply_mask
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain
from tests.unit.media.test_faces import demo_frames, truth_samples

W, H, FPS = 1280, 720, 25.0
MARGIN = TrackerSettings().margin  # what the tracker adds around a detected face


@functools.cache
def face_and_background() -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """The demo's largest ground-truth face (with some head around it), a face-free demo
    frame at 1280x720, and the face's box inside the crop."""
    truth = truth_samples()
    index = max(truth, key=lambda i: truth[i][3] - truth[i][1])
    facts = json.loads(resource_path("demo", "demo_incident.json").read_text("utf-8"))
    empty = max(round(p["t"] * 25) for p in facts["faces"]["track"] if p["box"] is None)
    frames = demo_frames([index, empty])
    x0, y0, x1, y1 = (round(v) for v in truth[index])
    pad_x, pad_y = (x1 - x0) // 2, (y1 - y0) // 2
    crop = frames[index][y0 - pad_y : y1 + pad_y, x0 - pad_x : x1 + pad_x].copy()
    background = cv2.resize(frames[empty], (W, H), interpolation=cv2.INTER_LINEAR)
    return crop, background, (pad_x, pad_y, pad_x + x1 - x0, pad_y + y1 - y0)


def scene(height_px: int, centre: tuple[float, float] = (640, 330)) -> tuple[np.ndarray, tuple]:
    """A 1280x720 frame with the real face ``height_px`` high at ``centre``; its box."""
    crop, background, (fx0, fy0, fx1, fy1) = face_and_background()
    scale = height_px / (fy1 - fy0)
    face = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = face.shape[:2]
    left = round(centre[0] - (fx0 + fx1) / 2 * scale)
    top = round(centre[1] - (fy0 + fy1) / 2 * scale)
    frame = background.copy()
    alpha = np.zeros((h, w), np.float32)
    cv2.ellipse(alpha, (w // 2, h // 2), (w // 2 - 1, h // 2 - 1), 0, 0, 360, 1.0, -1)
    alpha = cv2.GaussianBlur(alpha, (0, 0), max(1.0, w / 30))[..., None]
    region = frame[top : top + h, left : left + w]
    region[...] = (region * (1 - alpha) + face * alpha).astype(np.uint8)
    box = (left + fx0 * scale, top + fy0 * scale, left + fx1 * scale, top + fy1 * scale)
    return frame, box


def masked(frame: np.ndarray, box: tuple) -> np.ndarray:
    """The frame with the face masked as the export masks it by default."""
    x0, y0, x1, y1 = box
    mx, my = MARGIN * (x1 - x0), MARGIN * (y1 - y0)
    out = frame.copy()
    apply_mask(out, (x0 - mx, y0 - my, x1 + mx, y1 + my), "blur", "ellipse", FACE_FILL["blur"])
    return out


def write(path: Path, frames: list[np.ndarray]) -> Path:
    writer = ClipWriter(EncodeSettings(W, H, FPS, None), path)
    for frame in frames:
        writer.write(frame)
    return writer.finish()


def found_near(clip: Path, box: tuple) -> list[dict]:
    """What the verifier's face check reports as faces shown, near ``box``."""
    check = drain(faces_check(clip, VerifyOptions(), None))
    x0, y0, x1, y1 = box
    size = y1 - y0
    return [
        f
        for f in check.findings
        if x0 - size <= (f["box"][0] + f["box"][2]) / 2 <= x1 + size
        and y0 - size <= (f["box"][1] + f["box"][3]) / 2 <= y1 + size
    ]


@pytest.mark.parametrize("height_px", [40, 80, 200])
def test_the_verifier_finds_a_real_face_and_not_the_same_face_masked(
    tmp_path: Path, height_px: int
) -> None:
    # Frame VERIFY_SCAN.phase is one the verifier also looks at closely (small faces).
    frame, box = scene(height_px)
    frames = [frame] * (VERIFY_SCAN.phase + 1)
    shown = found_near(write(tmp_path / "shown.mp4", frames), box)
    assert shown, f"an unmasked {height_px} px face was not found"
    assert any(f["frame"] == VERIFY_SCAN.phase for f in shown)
    hidden = [masked(frame, box)] * (VERIFY_SCAN.phase + 1)
    # No masked areas are declared: the masked face must not look like a face at all.
    assert found_near(write(tmp_path / "hidden.mp4", hidden), box) == []


def shaky_small_face_frames(seconds: float = 2.0) -> tuple[list[np.ndarray], list[tuple]]:
    """A 40 px face walking slowly across a dim, noisy frame that bobs with the camera."""
    rng = np.random.default_rng(7)
    frames, boxes = [], []
    for i in range(round(seconds * FPS)):
        t = i / FPS
        bob = (9 * np.sin(2 * np.pi * 1.3 * t), 14 * np.sin(2 * np.pi * 2.6 * t))
        frame, box = scene(40, (420 + 40 * t + bob[0], 300 + bob[1]))
        dim = frame.astype(np.float32) * 0.55 + rng.normal(0, 6, frame.shape)
        frames.append(np.clip(dim, 0, 255).astype(np.uint8))
        boxes.append(box)
    return frames, boxes


def test_a_default_export_of_a_small_face_leaves_none_the_verifier_finds(tmp_path: Path) -> None:
    frames, boxes = shaky_small_face_frames()
    source = write(tmp_path / "small_face.mp4", frames)
    # The verifier sees the face in the source: the export has something to hide.
    assert not drain(faces_check(source, VerifyOptions(), None)).passed
    out = tmp_path / "clip.mp4"
    result = drain(iter_export_clip(ClipRequest(probe(source), 0, 2000, out)))
    check = drain(faces_check(out, VerifyOptions(faces_masked=result.masked_faces), None))
    assert check.passed, check.summary
    assert result.video["tracks"], "the small face was not tracked"


def test_a_frame_verified_before_is_not_scanned_again(tmp_path: Path) -> None:
    frame, _ = scene(80)
    clip = write(tmp_path / "clip.mp4", [frame] * 4)
    seen = SeenFrames()
    counts: dict[str, int] = {}
    first = drain(faces_check(clip, VerifyOptions(), None, decoded=counts, seen=seen))
    assert counts["faces_scanned"] == 4 and len(seen.frames) == 4
    assert counts["frames_passed_over"] == 0
    again = drain(faces_check(clip, VerifyOptions(), None, decoded=counts, seen=seen))
    # The same file: its one group of pictures is passed over, not even decoded.
    assert counts["faces_scanned"] == 0 and counts["frames_passed_over"] == 4
    assert again.findings == first.findings


def test_small_face_settings_are_reported() -> None:
    settings = VideoRedactionSettings()
    assert settings.small_face_every > 0 and settings.small_face_width > settings.detect_width


def _near(found: np.ndarray, box: tuple) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 <= (b[0] + b[2]) / 2 <= x1 and y0 <= (b[1] + b[3]) / 2 <= y1 for b in found)


def test_the_closer_look_finds_a_small_face_in_a_tile_where_the_small_pass_stirred() -> None:
    frame, box = scene(40)
    assert not _near(FaceDetector(DEFAULT_THRESHOLD).detect(frame), box), "too easy a face"
    scan = FaceScan(ScanSettings())
    assert _near(scan.detect(frame, 0), box), "the tiles missed the 40 px face"
    assert 1 <= scan.tiles_looked <= MAX_TILES and scan.frames_looked == 0
    whole = FaceScan(ScanSettings(closer="frame"))
    assert _near(whole.detect(frame, 0), box) and whole.frames_looked == 1


def test_tiles_are_centred_inside_the_frame_and_not_repeated() -> None:
    stirred = np.array(
        [[640, 360, 0.2], [650, 370, 0.1], [5, 5, 0.05], [1275, 715, 0.04]], dtype=np.float32
    )
    # The second place is well inside the first tile; the corners are pushed inside.
    assert tile_origins(stirred, 1280, 720, 160) == [(560, 280), (0, 0), (1120, 560)]


def test_at_most_the_strongest_places_get_tiles() -> None:
    places = [[100.0 + 200 * (k % 6), 100.0 + 200 * (k // 6), 0.2 - k / 1000] for k in range(18)]
    origins = tile_origins(np.array(places, dtype=np.float32), 1280, 720, 160)
    assert len(origins) == MAX_TILES
    assert origins[0] == (20, 20)  # strongest first


def test_stirrings_are_local_peaks_below_a_sure_face() -> None:
    heat = np.zeros((20, 30), np.float32)
    heat[4, 5], heat[4, 6] = 0.08, 0.05  # one patch: its peak only
    heat[10, 20] = 0.6  # a face already: no closer look needed
    heat[15, 3] = 0.01  # below the stir level
    points = stirrings(heat, 0.02, 0.25)
    assert points.tolist() == [[5.5, 4.5, pytest.approx(0.08)]]
