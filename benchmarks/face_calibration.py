"""The verifier's face threshold: recall on real faces, false alarms on masked ones.

    .venv/bin/python benchmarks/face_calibration.py

Real faces that ship with scikit-image (the bench extra): the astronaut portrait (frontal),
the cameraman (three-quarter profile) and ten people from the Labeled Faces in the Wild
sample (frontal, 25 px originals scaled up). Each is composited at 40, 80 and 200 px high
into three face-free backgrounds (a night street and a lit wall made by ``night_clip.py``,
and a face-free frame of the bundled demo, all 1280x720), with and without sensor noise:
72 faces per size. The verifier's detector (``clip_verify.face_check.VERIFY_SCAN``, on a
frame where it also takes its closer look for small faces) scores each; then each face is
masked the way the export masks it by default (the tracker's margin, ``FACE_FILL``) and
scored again. The table gives, per size and threshold, the share of unmasked faces found
(recall) and of masked faces still called a face (false alarms), and the highest score a
masked face got.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import av
import cv2
import numpy as np

from bwvreview.bundled import resource_path
from bwvreview.media.clip_verify.face_check import VERIFY_SCAN, VERIFY_THRESHOLD
from bwvreview.media.face_scan import FaceScan
from bwvreview.media.face_tracks import TrackerSettings
from bwvreview.media.masks import FACE_FILL, apply_mask

SIZES = (40, 80, 200)
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4)


def faces() -> list[tuple[np.ndarray, tuple[int, int, int, int], str]]:
    """(BGR sprite, face box in it, name) for each real face."""
    from skimage import data

    out = [
        (cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)[8:216, 140:316], (41, 50, 130, 170),
         "astronaut"),
        (cv2.cvtColor(data.camera(), cv2.COLOR_GRAY2BGR)[30:235, 120:262], (82, 89, 138, 167),
         "cameraman"),
    ]  # fmt: skip
    for k in range(0, 100, 10):  # the first 100 of the sample are faces
        face = cv2.resize((data.lfw_subset()[k] * 255).astype(np.uint8), (100, 100),
                          interpolation=cv2.INTER_CUBIC)  # fmt: skip
        sprite = np.full((160, 140), 40, np.uint8)
        sprite[30:130, 20:120] = face
        out.append((cv2.cvtColor(sprite, cv2.COLOR_GRAY2BGR), (20, 30, 120, 130), f"lfw{k}"))
    return out


def backgrounds() -> list[np.ndarray]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import night_clip

    world = night_clip._street(np.random.default_rng(3))
    night = world[110:830, 110:1390] * np.array([0.55, 0.8, 1.0]) * 255 + 5
    lit = world[110:830, 0:1280] * 0.9 * 400 + 10
    out = [np.clip(b, 0, 255).astype(np.uint8) for b in (night, lit)]
    facts = json.loads(resource_path("demo", "demo_incident.json").read_text("utf-8"))
    empty = max(p["t"] for p in facts["faces"]["track"] if p["box"] is None)
    with av.open(str(resource_path("demo", "demo_incident.mp4"))) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if abs(i / 25 - empty) < 0.02:
                out.append(cv2.resize(frame.to_ndarray(format="bgr24"), (1280, 720)))
                break
    return out


def compose(background, sprite, face_box, size, centre, noise, rng):
    """The sprite pasted (feathered oval) so its face is ``size`` px high at ``centre``."""
    frame = background.copy()
    x0, y0, x1, y1 = face_box
    scale = size / (y1 - y0)
    sprite = cv2.resize(sprite, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = sprite.shape[:2]
    left, top = int(centre[0] - (x0 + x1) / 2 * scale), int(centre[1] - (y0 + y1) / 2 * scale)
    alpha = np.zeros((h, w), np.float32)
    cv2.ellipse(alpha, (w // 2, h // 2), (w // 2 - 1, h // 2 - 1), 0, 0, 360, 1, -1)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 2)[..., None]
    ys = slice(max(0, top), min(720, top + h))
    xs = slice(max(0, left), min(1280, left + w))
    part = (slice(ys.start - top, ys.stop - top), slice(xs.start - left, xs.stop - left))
    frame[ys, xs] = (frame[ys, xs] * (1 - alpha[part]) + sprite[part] * alpha[part]).astype(
        np.uint8
    )
    if noise:
        frame = np.clip(frame * 0.8 + rng.normal(0, noise, frame.shape), 0, 255).astype(np.uint8)
    return frame, (left + x0 * scale, top + y0 * scale, left + x1 * scale, top + y1 * scale)


def best_score(found: np.ndarray, box) -> float:
    """The highest score of a detection centred on or near the face (half a face around)."""
    x0, y0, x1, y1 = box
    s = y1 - y0
    best = 0.0
    for d in found:
        cx, cy = (d[0] + d[2]) / 2, (d[1] + d[3]) / 2
        if x0 - 0.5 * s <= cx <= x1 + 0.5 * s and y0 - 0.5 * s <= cy <= y1 + 0.5 * s:
            best = max(best, float(d[4]))
    return best


def main() -> int:
    scan = FaceScan(dataclasses.replace(VERIFY_SCAN, threshold=0.05))
    margin = TrackerSettings().margin
    rng = np.random.default_rng(1)
    shown: dict[int, list[float]] = {s: [] for s in SIZES}
    hidden: dict[int, list[float]] = {s: [] for s in SIZES}
    people = faces()
    for size in SIZES:
        for fi, (sprite, face_box, _) in enumerate(people):
            for bi, background in enumerate(backgrounds()):
                centre = (300 + (fi * 97) % 700, 260 + (bi * 53) % 200)
                for noise in (0, 10):
                    frame, box = compose(background, sprite, face_box, size, centre, noise, rng)
                    shown[size].append(best_score(scan.detect(frame, VERIFY_SCAN.phase), box))
                    x0, y0, x1, y1 = box
                    mx, my = margin * (x1 - x0), margin * (y1 - y0)
                    apply_mask(frame, (x0 - mx, y0 - my, x1 + mx, y1 + my), "blur", "ellipse",
                               FACE_FILL["blur"])  # fmt: skip
                    hidden[size].append(best_score(scan.detect(frame, VERIFY_SCAN.phase), box))
    print(f"\n{len(people)} real faces x 3 backgrounds x 2 noise levels per size;"
          f" the verifier's threshold is {VERIFY_THRESHOLD}\n")  # fmt: skip
    print(f"{'size':>5} {'threshold':>9} {'recall (unmasked)':>18} {'false alarms (masked)':>22}")
    for size in SIZES:
        for t in THRESHOLDS:
            found = sum(v >= t for v in shown[size])
            alarms = sum(v >= t for v in hidden[size])
            mark = " <" if t == VERIFY_THRESHOLD else ""
            n = len(shown[size])
            print(f"{size:>5} {t:>9.2f} {found:>7}/{n} {found / n:6.0%}"
                  f" {alarms:>12}/{n} {alarms / n:5.0%}{mark}")  # fmt: skip
        print(f"{'':>5} highest score of a masked {size} px face: {max(hidden[size]):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
