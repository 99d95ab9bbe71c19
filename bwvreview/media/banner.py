"""The burned-in banner of body-worn video: where it is, found or chosen, and how it is covered.

BWV cameras burn a strip into every frame with the date and time, the device serial and
often the wearer's collar number. In an anonymised clip it has to go: it names the officer
and dates the incident. Devices differ, so there are presets (fractions of the frame, so
they fit any resolution) and ``detect_banner``, which looks at a handful of frames spread
over the span for a strip at the top or bottom edge whose text stays put while the picture
behind it moves. The running clock changes every second, so the test is not "pixels are
equal" but "strong vertical strokes in the same places in most samples", row by row.
The strip is then covered with a solid box across the full width, plus a small margin.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

_EDGE = 48.0  # |horizontal gradient| of a text stroke on an 8-bit picture
_PERSISTENT = 0.75  # an edge pixel in this share of the samples is "static"
_BOUNDARY_STEP = 12.0  # brightness step across a strip's edge, per column
_SEARCH_ZONE = 0.25  # a banner lies within this share of the height from an edge
_MAX_START = 0.12  # ...and its text starts this close to the edge
_MAX_HEIGHT = 0.2


@dataclass(frozen=True)
class BannerRegion:
    """A rectangle as fractions (0-1) of the frame's width and height, so one region fits
    every resolution of a device's footage. ``source`` says how it was chosen."""

    x0: float
    y0: float
    x1: float
    y1: float
    source: str = "preset"

    def __post_init__(self) -> None:
        if not (0 <= self.x0 < self.x1 <= 1 and 0 <= self.y0 < self.y1 <= 1):
            raise ValueError("a banner region is a non-empty rectangle within the frame (0-1)")

    def to_pixels(
        self, width: int, height: int, margin_px: int | None = None
    ) -> tuple[int, int, int, int]:
        """The region in pixels (x0, y0, x1, y1), grown by a margin (1% of the height, at
        least 2 px, by default) so anti-aliased text edges are covered too."""
        margin = max(2, round(height * 0.01)) if margin_px is None else margin_px
        return (
            max(0, math.floor(self.x0 * width) - margin),
            max(0, math.floor(self.y0 * height) - margin),
            min(width, math.ceil(self.x1 * width) + margin),
            min(height, math.ceil(self.y1 * height) + margin),
        )

    def redact(self, frame: np.ndarray) -> None:
        """Cover the region of a BGR frame with solid black, in place."""
        height, width = frame.shape[:2]
        x0, y0, x1, y1 = self.to_pixels(width, height)
        frame[y0:y1, x0:x1] = 0

    def to_dict(self) -> dict[str, Any]:
        return {"x0": self.x0, "y0": self.y0, "x1": self.x1, "y1": self.y1, "source": self.source}


PRESETS: dict[str, BannerRegion] = {
    "top": BannerRegion(0.0, 0.0, 1.0, 0.07, "preset:top"),
    "bottom": BannerRegion(0.0, 0.93, 1.0, 1.0, "preset:bottom"),
    "top-left": BannerRegion(0.0, 0.0, 0.5, 0.1, "preset:top-left"),
    "top-right": BannerRegion(0.5, 0.0, 1.0, 0.1, "preset:top-right"),
    "bottom-left": BannerRegion(0.0, 0.9, 0.5, 1.0, "preset:bottom-left"),
    "bottom-right": BannerRegion(0.5, 0.9, 1.0, 1.0, "preset:bottom-right"),
}


def preset(name: str) -> BannerRegion:
    """A preset by name (see ``PRESETS``); a clear error for an unknown one."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown banner preset {name!r}; choose one of {', '.join(PRESETS)}"
        ) from None


def detect_banner(frames: Sequence[np.ndarray]) -> BannerRegion | None:
    """A static text strip at the top or bottom edge of a sample of BGR frames, or None.

    Give 8-16 frames spread over the span: the more the picture moves between them, the
    surer the answer. Returns None when there is no such strip, or when the middle of the
    picture is itself so still and so full of edges that a strip cannot stand out from it
    (a camera left on a table facing a bookshelf): the caller then falls back to a preset.
    Only one strip is returned; with one at each edge, the one with denser text.
    """
    if len(frames) < 2:
        return None
    if len({f.shape for f in frames}) != 1:
        raise ValueError("banner detection needs frames of one size")
    grey = np.stack([cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in frames]).astype(np.float32)
    height = grey.shape[1]
    found = []
    for from_bottom in (False, True):
        stack = grey[:, ::-1] if from_bottom else grey
        strip = _strip_from_top(stack)
        if strip is not None:
            rows, strength = strip
            found.append((strength, from_bottom, rows))
    if not found:
        return None
    _, from_bottom, rows = max(found)
    if from_bottom:
        return BannerRegion(0.0, 1 - rows / height, 1.0, 1.0, "detected")
    return BannerRegion(0.0, 0.0, 1.0, rows / height, "detected")


def _strip_from_top(grey: np.ndarray) -> tuple[int, float] | None:
    """(rows from the top edge the strip covers, its text strength), or None."""
    _, height, _ = grey.shape
    static = _static_text_share(grey)
    middle = static[int(height * 0.3) : int(height * 0.7)]
    baseline = float(np.median(middle)) if middle.size else 0.0
    threshold = max(0.04, 3 * baseline + 0.02)
    zone = static[: max(1, int(height * _SEARCH_ZONE))] > threshold
    text_rows = np.flatnonzero(zone)
    if text_rows.size == 0 or text_rows[0] > height * _MAX_START:
        return None
    first = last = int(text_rows[0])
    allowed_hole = max(3, height // 100)  # the space between two lines of text
    for row in text_rows[1:]:
        if row - last > allowed_hole + 1:
            break
        last = int(row)
    band = last - first + 1
    if band < 4 or last + 1 > height * _MAX_HEIGHT:
        return None
    strength = float(static[first : last + 1].mean())
    return _inner_edge(grey, last, band), strength


def _static_text_share(grey: np.ndarray) -> np.ndarray:
    """Per row, the share of pixels that are a strong vertical stroke in most samples."""
    strokes = np.stack([np.abs(cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)) > _EDGE for g in grey])
    return (strokes.mean(axis=0) >= _PERSISTENT).mean(axis=1)


def _inner_edge(grey: np.ndarray, last_text_row: int, band: int) -> int:
    """How many rows from the edge the strip covers: down to its own lower border when it
    has a background (a step in brightness across most columns in most samples), else the
    text plus a third of its height."""
    _, height, _ = grey.shape
    stop = min(height - 1, last_text_row + max(2 * band, 8))
    steps = np.abs(np.diff(grey[:, last_text_row : stop + 1], axis=1)) > _BOUNDARY_STEP
    across = np.median(steps.mean(axis=2), axis=0)  # per boundary, typical over samples
    if across.size and across.max() >= 0.5:
        return last_text_row + int(np.argmax(across)) + 1
    return min(height, last_text_row + 1 + max(2, math.ceil(band / 3)))
