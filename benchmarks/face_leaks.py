"""Faces still detectable in an anonymised clip, by detectors bwvreview does not use.

Scores a clip against a ground truth of where each face is (``night_clip.py`` writes one):
on every ``step``-th frame, around each face that is on screen and not hidden, two
independent detectors look for it:

- OpenCV's LBP cascade for frontal faces, as scikit-image ships it
  (``skimage/data/lbpcascade_frontalface_opencv.xml``), run by scikit-image's own
  cascade code;
- OpenCV's LBP cascade for profile faces (``data/lbpcascade_profileface.xml`` beside this
  file, see ``data/README.md``), on the crop and its mirror image (it finds faces turned
  one way only).

Each runs strict (3 neighbouring windows must agree, close to OpenCV's default) and
lenient (1: any window, which also fires on blurred face-shaped blobs). A face counts as
found when a detection's centre is within a fifth of a face of its box and its size is
between half and 2.5 times the face's. bwvreview's own verifier (``verifier``: a function of
the frame and its index) is scored the same way, on the whole frame.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

_HERE = Path(__file__).resolve().parent


@dataclass
class Tally:
    """Face instances scored and found, per detector and per person."""

    scored: int = 0
    found: dict[str, int] = field(default_factory=dict)  # detector -> instances found
    by_person: dict[tuple[str, str], int] = field(default_factory=dict)
    instances: set[tuple[int, str, str]] = field(default_factory=set)  # (frame, person, det)

    def add(self, frame: int, person: str, detector: str) -> None:
        self.found[detector] = self.found.get(detector, 0) + 1
        self.by_person[(person, detector)] = self.by_person.get((person, detector), 0) + 1
        self.instances.add((frame, person, detector))


class Cascades:
    """The two LBP cascades (scikit-image's implementation), strict and lenient."""

    def __init__(self) -> None:
        import skimage.data
        from skimage.feature import Cascade

        frontal = Path(os.path.dirname(skimage.data.__file__)) / "lbpcascade_frontalface_opencv.xml"
        self.frontal = Cascade(str(frontal))
        self.profile = Cascade(str(_HERE / "data" / "lbpcascade_profileface.xml"))

    def found(self, gray: np.ndarray, box: tuple[float, ...], neighbours: int) -> bool:
        """Whether either cascade finds the face at ``box`` in the crop ``gray`` (0..1)."""
        size = box[3] - box[1]
        big = (int(3 * size) + 40, int(3 * size) + 40)
        runs = (
            (self.frontal, gray, (20, 20), False),
            (self.profile, gray, (20, 34), False),
            (self.profile, np.ascontiguousarray(gray[:, ::-1]), (20, 34), True),
        )
        for cascade, image, smallest, mirrored in runs:
            found = cascade.detect_multi_scale(
                image, 1.1, 1, smallest, big, min_neighbor_number=neighbours
            )
            width = image.shape[1]
            for d in found:
                cx = d["c"] + d["width"] / 2
                cx = width - cx if mirrored else cx
                centre = (cx, d["r"] + d["height"] / 2)
                if matches(centre, d["height"], box):
                    return True
        return False


def matches(centre: tuple[float, float], height: float, box: tuple[float, ...]) -> bool:
    """A detection (centre, height) is this face: near its box and about its size."""
    x0, y0, x1, y1 = box
    size = y1 - y0
    near = x0 - 0.2 * size <= centre[0] <= x1 + 0.2 * size and (
        y0 - 0.2 * size <= centre[1] <= y1 + 0.2 * size
    )
    return near and 0.5 * size <= height <= 2.5 * size


def score(
    frames: Iterator[tuple[int, np.ndarray]],
    truth: list[list[dict]],
    cascades: Cascades,
    verifier: Callable[[np.ndarray, int], np.ndarray] | None = None,
    step: int = 2,
) -> Tally:
    """Score the BGR ``frames`` (index, image) against the ground truth."""
    tally = Tally()
    for index, frame in frames:
        if index % step or index >= len(truth):
            continue
        faces = [f for f in truth[index] if f["visible"]]
        if not faces:
            continue
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float64) / 255
        boxes = verifier(frame, index) if verifier is not None else np.empty((0, 5))
        height, width = gray.shape
        for face in faces:
            tally.scored += 1
            x0, y0, x1, y1 = face["box"]
            size = y1 - y0
            cx0, cy0 = int(max(0, x0 - 0.75 * size)), int(max(0, y0 - 0.75 * size))
            cx1, cy1 = int(min(width, x1 + 0.75 * size)), int(min(height, y1 + 0.75 * size))
            crop = np.ascontiguousarray(gray[cy0:cy1, cx0:cx1])
            local = (x0 - cx0, y0 - cy0, x1 - cx0, y1 - cy0)
            name = face["name"]
            if cascades.found(crop, local, 1):
                tally.add(index, name, "lenient")
                if cascades.found(crop, local, 3):
                    tally.add(index, name, "strict")
            for b in boxes:
                if matches(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2), b[3] - b[1], face["box"]):
                    tally.add(index, name, "verifier")
                    break
    return tally


def decoded(path: Path) -> Iterator[tuple[int, np.ndarray]]:
    """Every frame of a clip as (index, BGR image)."""
    import av

    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            yield index, frame.to_ndarray(format="bgr24")
