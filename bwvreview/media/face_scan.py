"""Which detector passes each frame gets: every frame at a small size, some frames closer.

The face detector runs on a reduced copy of the frame (``faces``), 512 px wide by default:
fast, and enough for the faces near the camera that matter most. A face 40 px high in
720p footage is 16 px there, below what the network can find (on faces composited into
street scenes it found 40 px faces in 0 of 72 tries at 512 px wide and 61 of 72 at 1024).
So every ``small_face_every``-th frame gets a closer look, at ``small_face_width``'s
scale; the tracker carries what it finds across the frames between (in the scene's
coordinates, so camera shake does not throw it off): small faces are far away, and far
away things move slowly in the scene.

The closer look is taken where it can find something (``closer="tiles"``): a face too
small to be found at 512 px still stirs the network where it is (a local peak of its heat
map from 0.02, below a sure face's 0.25), so the small pass runs first and the sixteen
places that stirred most get a tile each, 128 px square as the network sees it (160 px of
a 720p frame), all run as one batch. On the faces composited at 40 px this finds 63 of
72 against 61 for the whole frame at 1024 px, and on the night benchmark it costs about
40 % less than looking at the whole frame (``benchmarks/face_calibration.py``,
``benchmarks/export_vs_deface.py``). A tile scores what is in it higher than the whole
frame does, faces and some street furniture alike: the export, for which a blurred patch
of wall is cheap, takes tiles; the verifier (``clip_verify.face_check``), whose threshold
is calibrated on whole frames, looks at the whole frame (``closer="frame"``).

The verifier runs its scan with another ``phase``, so the frames it looks at closely are
not the ones the export did: between them every region is seen closely twice as often,
and a small face missed on one frame (motion blur, a hand in front) is looked for again
on another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bwvreview.media.faces import DEFAULT_DETECT_WIDTH, DEFAULT_THRESHOLD, FaceDetector, nms

DEFAULT_SMALL_FACE_WIDTH = 1024
DEFAULT_SMALL_FACE_EVERY = 8  # frames: a third of a second at 25 fps
CLOSER_LOOKS = ("tiles", "frame")
STIR = 0.02  # heat at 512 px where a face too small to be found there still shows
TILE_INPUT = 128  # px, a tile's side as the network sees it (at the closer look's scale)
MAX_TILES = 16  # the places that stirred most get a tile each


@dataclass(frozen=True)
class ScanSettings:
    threshold: float = DEFAULT_THRESHOLD
    detect_width: int = DEFAULT_DETECT_WIDTH
    small_face_width: int = DEFAULT_SMALL_FACE_WIDTH
    small_face_every: int = DEFAULT_SMALL_FACE_EVERY  # 0: never
    phase: int = 0  # which frames of each ``small_face_every`` get the large pass
    closer: str = "tiles"  # the closer look: "tiles" where the small pass stirred, or "frame"

    def __post_init__(self) -> None:
        if self.small_face_every < 0:
            raise ValueError("small_face_every cannot be negative")
        if self.closer not in CLOSER_LOOKS:
            raise ValueError(f"closer must be one of {CLOSER_LOOKS}")

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
            "closer_look": self.closer,
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
        self.tile = FaceDetector(settings.threshold, TILE_INPUT)
        self.tiles_looked = 0  # how many tiles the closer looks took, for the report
        self.frames_looked = 0  # ... and how many whole frames

    def detect(self, frame: np.ndarray, index: int) -> np.ndarray:
        width = frame.shape[1]
        closer = min(width, self.large.detect_width) > min(width, self.small.detect_width)
        if not (closer and self.settings.large_pass(index)):
            return self.small.detect(frame)
        if self.settings.closer == "tiles":
            found = self._tiles(frame)
            if found is not None:
                return found
        # The closer look at the whole frame finds the larger faces too (a 200 px face
        # is 160 px at 1024 wide): on its frames it is the only pass.
        self.frames_looked += 1
        return self.large.detect(frame)

    def _tiles(self, frame: np.ndarray) -> np.ndarray | None:
        """The small pass, then the closer look only where it stirred: tiles of the frame
        at the closer look's scale, centred on each place. None when the frame is too
        small for tiles or stirred in too many places for them to be cheaper."""
        height, width = frame.shape[:2]
        side = round(TILE_INPUT * width / min(width, self.large.detect_width))
        if side > min(width, height):
            return None
        found, stirred = self.small.detect_and_stirrings(frame, STIR)
        origins = tile_origins(stirred, width, height, side)
        self.tiles_looked += len(origins)
        if not origins:
            return found
        crops = [frame[y : y + side, x : x + side] for x, y in origins]
        boxes = [found]
        for (x, y), inside in zip(origins, self.tile.detect_batch(crops), strict=True):
            inside[:, :4] += np.array([x, y, x, y], dtype=np.float32)
            boxes.append(inside)
        merged = np.concatenate(boxes)
        return merged[nms(merged[:, :4], merged[:, 4])]


def tile_origins(stirred: np.ndarray, width: int, height: int, side: int) -> list[tuple[int, int]]:
    """Top-left corners of ``side``-px tiles centred on the places ``stirred`` ((N,3)
    [x, y, score], strongest first), inside the frame, at most ``MAX_TILES``; a place
    already well inside a tile (its middle half) gets none of its own."""
    origins: list[tuple[int, int]] = []
    quarter = side / 4
    for x, y, _ in stirred:
        if any(abs(x - (ox + side / 2)) <= quarter and abs(y - (oy + side / 2)) <= quarter
               for ox, oy in origins):  # fmt: skip
            continue
        if len(origins) == MAX_TILES:
            break
        ox = int(min(max(0, round(x - side / 2)), width - side))
        oy = int(min(max(0, round(y - side / 2)), height - side))
        origins.append((ox, oy))
    return origins
