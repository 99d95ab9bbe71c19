"""Masks drawn into video frames: blur, pixelate or a solid box, and the reviewer's own masks.

Every mask is drawn in place into a BGR uint8 frame. The blur is deliberately heavy: the
region is first reduced to two cells across (so no detail survives that a deblurring filter
could recover) and then smoothed, so what is left is a soft, nearly flat patch of the
colours that were there. Anything finer leaves a head-shaped shading that the face detector
still scores as a face, and what a detector finds, a person may recognise. Faces use an
ellipse that fills the box, which looks less jarring than a rectangle; plates, documents
and screens use rectangles.

Even a flat patch of the face's own colours leaves a shape: a skin-toned oval framed by
hair is what a face detector looks for. So a face's blur is a soft solid fill of the colour
*around* it (``FACE_FILL``): the oval takes the colour of the hair, wall and shoulders
about it and no longer stands out as a face. On the night benchmark, two independent
detectors (OpenCV's LBP cascades, frontal and profile) still called 5 of 538 masked faces
a face at their strict setting with the face's own colours and 0 with the fill, and
their lenient setting's face-shaped blobs went from 119 to 48 of 869. Pixelation keeps
its blocks, pulled halfway to the colour around them.

``ManualMask`` is a region the reviewer drew: keyframes of (time in ms, box), linearly
interpolated between them, for the things a face detector cannot know about (number
plates, house numbers, tattoos, documents, screens).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

MASK_MODES = ("blur", "pixelate", "box")
SHAPES = ("ellipse", "rect")

_BLUR_CELLS = 2  # cells across the longer side before smoothing: at 3 or more, the
# smoothed head outline still scores as a face with CenterFace; at 2 it is a soft patch of colour
_SMOOTH_PX = 24  # size at which the blur's cells are smoothed into each other
_PIXELATE_CELLS = 8  # coarse enough that a face is a few blocks of colour
# How far a face's mask is pulled towards the colour around it (see the module docstring).
FACE_FILL = {"blur": 1.0, "pixelate": 0.5, "box": 0.0}

Box = tuple[float, float, float, float]


def pixel_box(box: Box, width: int, height: int) -> tuple[int, int, int, int] | None:
    """A float box grown outwards to whole pixels and clipped to the frame (None if empty)."""
    x0 = max(0, math.floor(box[0]))
    y0 = max(0, math.floor(box[1]))
    x1 = min(width, math.ceil(box[2]))
    y1 = min(height, math.ceil(box[3]))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def apply_mask(
    frame: np.ndarray,
    box: Box,
    mode: str = "blur",
    shape: str = "ellipse",
    fill: float = 0.0,
) -> None:
    """Mask ``box`` (x0, y0, x1, y1 in pixels) of a BGR uint8 frame in place.

    ``mode`` is blur, pixelate or box (solid black); ``shape`` is ellipse (inscribed in the
    box) or rect; ``fill`` (0 to 1) pulls a blur or pixelation towards the colour around
    the box, 1 being a soft solid fill of that colour (faces: see ``FACE_FILL``). A box
    partly outside the frame is clipped; one wholly outside does nothing.
    """
    if mode not in MASK_MODES:
        raise ValueError(f"unknown mask mode {mode!r}; choose one of {', '.join(MASK_MODES)}")
    if shape not in SHAPES:
        raise ValueError(f"unknown mask shape {shape!r}; choose ellipse or rect")
    height, width = frame.shape[:2]
    pixels = pixel_box(box, width, height)
    if pixels is None:
        return
    x0, y0, x1, y1 = pixels
    region = frame[y0:y1, x0:x1]
    if mode == "box":
        masked = np.zeros_like(region)
    elif mode == "blur" and fill >= 1.0:
        masked = np.empty_like(region)
        masked[...] = np.round(_surroundings(frame, pixels)).astype(np.uint8)
    else:
        masked = _pixelate(region, _PIXELATE_CELLS) if mode == "pixelate" else _heavy_blur(region)
        if fill > 0.0:
            around = _surroundings(frame, pixels)
            masked = np.clip(masked * (1.0 - fill) + around * fill + 0.5, 0, 255).astype(np.uint8)
    if shape == "rect":
        region[...] = masked
        return
    inside = _ellipse_mask(box, pixels)
    region[inside] = masked[inside]


def _heavy_blur(region: np.ndarray) -> np.ndarray:
    """Reduce to a few cells, then smooth back up: an irrecoverable soft patch.

    The smoothing runs on a 24-px copy rather than the full region, where a Gaussian wide
    enough to hide the cells would cost tens of milliseconds per face.
    """
    h, w = region.shape[:2]
    cell_px = max(1, round(max(w, h) / _BLUR_CELLS))
    small = cv2.resize(
        region, (max(1, w // cell_px), max(1, h // cell_px)), interpolation=cv2.INTER_AREA
    )
    scale = _SMOOTH_PX / max(w, h)
    mid = cv2.resize(
        small,
        (max(1, round(w * scale)), max(1, round(h * scale))),
        interpolation=cv2.INTER_LINEAR,
    )
    sigma = _SMOOTH_PX / _BLUR_CELLS / 2
    mid = cv2.GaussianBlur(mid, (0, 0), sigmaX=sigma, borderType=cv2.BORDER_REPLICATE)
    return cv2.resize(mid, (w, h), interpolation=cv2.INTER_LINEAR)


def _surroundings(frame: np.ndarray, pixels: tuple[int, int, int, int]) -> np.ndarray:
    """The mean colour of a band around ``pixels`` (a sixth of its width, within the frame);
    the region's own mean if the band is empty (the region fills the frame)."""
    x0, y0, x1, y1 = pixels
    height, width = frame.shape[:2]
    pad = max(2, (x1 - x0) // 6)
    ox0, oy0 = max(0, x0 - pad), max(0, y0 - pad)
    ox1, oy1 = min(width, x1 + pad), min(height, y1 + pad)
    outer_area, inner_area = (oy1 - oy0) * (ox1 - ox0), (y1 - y0) * (x1 - x0)
    outer = np.array(cv2.mean(frame[oy0:oy1, ox0:ox1])[:3]) * outer_area
    inner = np.array(cv2.mean(frame[y0:y1, x0:x1])[:3]) * inner_area
    band = outer_area - inner_area
    if band <= 0:
        return inner / max(1, inner_area)
    return (outer - inner) / band


def _pixelate(region: np.ndarray, cells: int) -> np.ndarray:
    h, w = region.shape[:2]
    size = max(2, math.ceil(max(w, h) / cells))
    small = cv2.resize(
        region, (max(1, round(w / size)), max(1, round(h / size))), interpolation=cv2.INTER_AREA
    )
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)


def region_mask(box: Box, width: int, height: int, shape: str = "ellipse") -> np.ndarray:
    """The (height, width) bool map of the pixels ``apply_mask`` would change for ``box``:
    for reports and for checking that a face was covered."""
    out = np.zeros((height, width), dtype=bool)
    pixels = pixel_box(box, width, height)
    if pixels is not None:
        x0, y0, x1, y1 = pixels
        out[y0:y1, x0:x1] = True if shape == "rect" else _ellipse_mask(box, pixels)
    return out


def _ellipse_mask(box: Box, pixels: tuple[int, int, int, int]) -> np.ndarray:
    """Pixels of the clipped region that fall inside the ellipse inscribed in ``box``."""
    x0, y0, x1, y1 = pixels
    ys, xs = np.ogrid[y0:y1, x0:x1]
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    rx, ry = max((box[2] - box[0]) / 2, 0.5), max((box[3] - box[1]) / 2, 0.5)
    return ((xs + 0.5 - cx) / rx) ** 2 + ((ys + 0.5 - cy) / ry) ** 2 <= 1.0


@dataclass(frozen=True)
class ManualMask:
    """A reviewer-drawn region: keyframes ``(time_ms, x0, y0, x1, y1)`` in source-frame pixels.

    Active from the first keyframe to the last; between two keyframes the box moves
    linearly. The default mode is a solid box, because what people draw by hand (a plate,
    a document) is usually something that must be unreadable rather than merely soft.
    """

    keyframes: tuple[tuple[int, float, float, float, float], ...]
    mode: str = "box"
    label: str = ""

    def __post_init__(self) -> None:
        if not self.keyframes:
            raise ValueError("a manual mask needs at least one keyframe")
        if self.mode not in MASK_MODES:
            raise ValueError(f"unknown mask mode {self.mode!r}")
        ordered = tuple(
            (int(t), float(x0), float(y0), float(x1), float(y1))
            for t, x0, y0, x1, y1 in sorted(self.keyframes, key=lambda k: k[0])
        )
        if any(x1 <= x0 or y1 <= y0 for _, x0, y0, x1, y1 in ordered):
            raise ValueError("a manual mask box needs x1 > x0 and y1 > y0")
        object.__setattr__(self, "keyframes", ordered)

    @property
    def start_ms(self) -> int:
        return self.keyframes[0][0]

    @property
    def end_ms(self) -> int:
        return self.keyframes[-1][0]

    def box_at(self, time_ms: int, duration_ms: int = 0) -> Box | None:
        """The box on a frame shown from ``time_ms`` for ``duration_ms``, or None when the
        mask is not active then. The duration lets a one-keyframe mask cover its frame."""
        reaches_start = time_ms >= self.start_ms or time_ms + duration_ms > self.start_ms
        if time_ms > self.end_ms or not reaches_start:
            return None
        t = min(max(time_ms, self.start_ms), self.end_ms)
        times = [k[0] for k in self.keyframes]
        hi = int(np.searchsorted(times, t, side="left"))
        if times[hi] == t:
            return self.keyframes[hi][1:]
        a, b = self.keyframes[hi - 1], self.keyframes[hi]
        w = (t - a[0]) / (b[0] - a[0])
        x0, y0, x1, y1 = ((1 - w) * p + w * q for p, q in zip(a[1:], b[1:], strict=True))
        return x0, y0, x1, y1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored with a Redaction and written in the report."""
        return {
            "mode": self.mode,
            "label": self.label,
            "keyframes": [list(k) for k in self.keyframes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ManualMask:
        keyframes = tuple(tuple(k) for k in data["keyframes"])
        return cls(keyframes, data.get("mode", "box"), data.get("label", ""))  # type: ignore[arg-type]
