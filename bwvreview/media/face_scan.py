"""Which detector passes each frame gets: every frame at a small size, some frames large.

The face detector runs on a reduced copy of the frame (``faces``), 512 px wide by default:
fast, and enough for the faces near the camera that matter most. A face 40 px high in
720p footage is 16 px there, below what the network can see (on faces composited into
street scenes it found 40 px faces in 0 of 72 tries at 512 px wide and 56 of 72 at 1024).
So every ``small_face_every``-th frame is looked at ``small_face_width`` wide instead
(which finds the larger faces as well). The tracker carries what the large pass finds across
the frames between (in the scene's coordinates, so camera shake does not throw it off):
small faces are far away, and far away things move slowly in the scene.

The verifier runs the same scan with another ``phase``, so the frames it looks at closely
are not the ones the export did: between them every region is seen at full size twice
as often, and a small face missed on one frame (motion blur, a hand in front) is looked
for again on another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bwvreview.media.faces import DEFAULT_DETECT_WIDTH, DEFAULT_THRESHOLD, FaceDetector

DEFAULT_SMALL_FACE_WIDTH = 1024
DEFAULT_SMALL_FACE_EVERY = 8  # frames: a third of a second at 25 fps


@dataclass(frozen=True)
class ScanSettings:
    threshold: float = DEFAULT_THRESHOLD
    detect_width: int = DEFAULT_DETECT_WIDTH
    small_face_width: int = DEFAULT_SMALL_FACE_WIDTH
    small_face_every: int = DEFAULT_SMALL_FACE_EVERY  # 0: never
    phase: int = 0  # which frames of each ``small_face_every`` get the large pass

    def __post_init__(self) -> None:
        if self.small_face_every < 0:
            raise ValueError("small_face_every cannot be negative")

    def large_pass(self, index: int) -> bool:
        """Whether frame ``index`` is also looked at ``small_face_width`` wide."""
        every = self.small_face_every
        return every > 0 and index % every == self.phase % every

    def to_dict(self, width: int) -> dict[str, object]:
        """For the anonymisation report: what the detector looked at, and how often."""
        large = min(width, self.small_face_width)
        return {
            "threshold": self.threshold,
            "detect_width": self.detect_width,
            "small_face_width": large
            if self.small_face_every and large > self.detect_width
            else None,
            "small_face_every": self.small_face_every,
        }


class FaceScan:
    """Faces in frame ``index`` from the passes ``settings`` gives it, merged; boxes in
    full-frame pixels as (N,5) float32 arrays, best score first."""

    def __init__(self, settings: ScanSettings) -> None:
        self.settings = settings
        self.small = FaceDetector(settings.threshold, settings.detect_width)
        self.large = FaceDetector(
            settings.threshold, max(settings.detect_width, settings.small_face_width)
        )

    def detect(self, frame: np.ndarray, index: int) -> np.ndarray:
        width = frame.shape[1]
        closer = min(width, self.large.detect_width) > min(width, self.small.detect_width)
        if not (closer and self.settings.large_pass(index)):
            return self.small.detect(frame)
        # The closer look finds the larger faces too (a 200 px face is 160 px at 1024
        # wide): on its frames it is the only pass.
        return self.large.detect(frame)
