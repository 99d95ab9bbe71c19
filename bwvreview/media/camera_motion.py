"""How far the picture moved between two frames: the camera's own shake, for the face tracker.

Body-worn cameras bob with every step. A face the detector misses for a few frames is
covered by interpolating between the frames where it was found, and that only works if
the face moved smoothly in between; at a running pace the whole picture jumps 10-20 px a
frame and back. ``CameraMotion`` measures each frame's shift of the whole picture against
the previous frame (phase correlation on a small grey copy: about a millisecond), so the
tracker can follow faces in the scene's coordinates rather than the frame's and add the
shake back when it draws the masks.
"""

from __future__ import annotations

import cv2
import numpy as np

ANALYSIS_WIDTH = 256  # px: enough for a shift to the nearest pixel of the frame
# Below this peak strength the two frames share too little (a cut, a lens covered) for the
# shift to mean anything: it is taken as no movement.
MIN_RESPONSE = 0.05


class CameraMotion:
    """Call with each frame in order; get the picture's shift (dx, dy) since the previous
    frame, in frame pixels (content that moved right and down gives positive values)."""

    def __init__(self, width: int, height: int, analysis_width: int = ANALYSIS_WIDTH) -> None:
        self.scale = width / min(analysis_width, width)
        self.size = (max(8, round(width / self.scale)), max(8, round(height / self.scale)))
        self._window = cv2.createHanningWindow(self.size, cv2.CV_32F)
        self._previous: np.ndarray | None = None

    def __call__(self, frame: np.ndarray) -> tuple[float, float]:
        grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        small = cv2.resize(grey, self.size, interpolation=cv2.INTER_AREA).astype(np.float32)
        previous, self._previous = self._previous, small
        if previous is None:
            return 0.0, 0.0
        (dx, dy), response = cv2.phaseCorrelate(previous, small, self._window)
        if response < MIN_RESPONSE:
            return 0.0, 0.0
        return float(dx) * self.scale, float(dy) * self.scale
