"""The timeline's measures, colours and small parts: what it draws with, not how.

Lane and ruler sizes, the colour-blind-safe palette, the span index that finds what a
paint can see, and the sprites and bars of one paint (``TimelineStyle``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPen, QPolygonF

GUTTER_PX = 136  # lane labels
RIGHT_PX = 8
RULER_PX = 24
WAVE_PX = 56
WAVE_GROW_PX = 64  # extra height the waveform takes when the widget is given more
TRANSCRIPT_PX = 26
LANE_PX = 24
EDGE_PX = 5  # hit zone either side of an annotation's edge
DRAG_PX = 4  # movement before a press becomes a drag
DIAMOND_PX = 6  # half-width of a point annotation
NARROW_PX = 12  # bars too narrow for a label are merged into runs (zoomed out)
MIN_SPAN_MS = 2000
EMPTY_SPAN_MS = 60_000  # the view before a duration is known
WHEEL_ZOOM = 0.8  # view span factor per wheel notch
WHEEL_SCROLL = 0.15  # share of the view scrolled per wheel notch
LABEL_SPACING_PX = 84
BASE, WINDOW, TEXT = QPalette.ColorRole.Base, QPalette.ColorRole.Window, QPalette.ColorRole.Text
WINDOWTEXT, HIGHLIGHT = QPalette.ColorRole.WindowText, QPalette.ColorRole.Highlight
LEFT_MIDDLE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

# Okabe-Ito hues (safe for colour-blind readers), mid-tones that hold on light and dark bases.
POLARITY_COLOURS = {"concern": "#D55E00", "good_practice": "#009E73", "observation": "#6A86AD"}
SPEAKER_COLOURS = {"wearer": "#7E6BB5", "other": "#A08A63"}
NAMED_SPEAKER_COLOURS = ("#B5679B", "#5F9EA0", "#9A9A4A", "#8C7B6B")
TICK_STEPS_MS = ((100, 20), (200, 50), (500, 100), (1000, 200), (2000, 500), (5000, 1000),
                 (10_000, 2000), (15_000, 5000), (30_000, 5000), (60_000, 10_000),
                 (120_000, 30_000), (300_000, 60_000), (600_000, 120_000),
                 (900_000, 300_000), (1_800_000, 300_000), (3_600_000, 600_000))  # fmt: skip


@dataclass(frozen=True)
class TimelineItem:
    id: int
    start_ms: int
    end_ms: int
    lanes: tuple[str, ...]  # lane keys; an item in no known lane goes in the last lane
    polarity: str
    label: str


def mix(a: QColor, b: QColor | str, share_b: float) -> QColor:
    b = QColor(b)
    keep = 1.0 - share_b
    return QColor.fromRgbF(a.redF() * keep + b.redF() * share_b,
                           a.greenF() * keep + b.greenF() * share_b,
                           a.blueF() * keep + b.blueF() * share_b)  # fmt: skip


def speaker_colour(speaker: str) -> str:
    if speaker in SPEAKER_COLOURS:
        return SPEAKER_COLOURS[speaker]
    return NAMED_SPEAKER_COLOURS[zlib.crc32(speaker.encode()) % len(NAMED_SPEAKER_COLOURS)]


class SpanIndex:
    """Spans sorted by start beside a running maximum of their ends, so the spans that can
    show in a time window are one contiguous slice found by binary search (``window``)."""

    def __init__(self, spans: list[tuple[int, int, str, int, Any]]) -> None:
        spans.sort(key=lambda span: (span[0], -span[1]))  # (start, end, kind, id, payload)
        self.payloads = [span[4] for span in spans]
        self.kinds = sorted({span[2] for span in spans})  # polarity or speaker
        code = {kind: i for i, kind in enumerate(self.kinds)}
        self.starts = np.array([span[0] for span in spans], dtype=np.float64)
        self.ends = np.array([span[1] for span in spans], dtype=np.float64)
        self.codes = np.array([code[span[2]] for span in spans], dtype=np.int32)
        self.ids = np.array([span[3] for span in spans], dtype=np.int64)
        self.max_ends = np.maximum.accumulate(self.ends) if spans else self.ends

    def window(self, start_ms: float, end_ms: float) -> slice:
        lo = int(np.searchsorted(self.max_ends, start_ms))  # every span before lo ends earlier
        hi = int(np.searchsorted(self.starts, end_ms, side="right"))
        return slice(lo, max(lo, hi))

    def overlapping(self, start_ms: float, end_ms: float) -> list[Any]:
        part = self.window(start_ms, end_ms)
        ends = self.ends[part].tolist()
        return [self.payloads[part.start + i] for i, end in enumerate(ends) if end >= start_ms]


def merge_runs(xa: np.ndarray, xb: np.ndarray) -> Iterable[tuple[float, float]]:
    """Pixel spans sorted by start, merged where they touch: one rectangle per run."""
    if xa.size == 0:
        return ()
    reach = np.maximum.accumulate(xb)
    first = np.flatnonzero(np.concatenate(([True], xa[1:] > reach[:-1] + 1)))
    return zip(xa[first].tolist(), np.maximum.reduceat(xb, first).tolist(), strict=True)


class Row(NamedTuple):
    kind: str  # ruler | waveform | transcript | lane
    key: str
    label: str
    top: int
    height: int


@dataclass
class Drag:
    kind: str  # seek | draw | resize
    press_x: float
    lane: str = ""
    anchor_ms: int = 0  # the fixed end of a span being drawn or resized
    moving_ms: int = 0
    item: TimelineItem | None = None
    moved: bool = False

    def span(self) -> tuple[int, int]:
        return min(self.anchor_ms, self.moving_ms), max(self.anchor_ms, self.moving_ms)


class TimelineStyle:
    """Colours, pens, font and point sprites for one paint, derived from the palette."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        self.font, self.metrics = font, QFontMetrics(font)
        self.base, self.text = palette.color(BASE), palette.color(TEXT)
        self.highlight = palette.color(HIGHLIGHT)
        self.selected_pen = QPen(self.highlight, 2)
        self.tones: dict[str, tuple[QColor, QColor, QColor, QImage, QImage]] = {}
        for polarity, hex_colour in POLARITY_COLOURS.items():
            solid = QColor(hex_colour)
            self.tones[polarity] = (solid, mix(self.base, solid, 0.28),
                                    mix(self.base, solid, 0.5), self._diamond(solid, False),
                                    self._diamond(solid, True))  # fmt: skip

    def _diamond(self, colour: QColor, selected: bool) -> QImage:
        r = DIAMOND_PX + (1 if selected else 0)
        image = QImage(2 * r + 3, 2 * r + 3, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        c = r + 1.5
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self.selected_pen if selected else QPen(self.base, 1))
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([QPointF(c, c - r), QPointF(c + r, c),
                                       QPointF(c, c + r), QPointF(c - r, c)]))  # fmt: skip
        painter.end()
        return image

    def tone(self, polarity: str) -> tuple[QColor, QColor, QColor, QImage, QImage]:
        return self.tones.get(polarity, self.tones["observation"])

    def run(self, p: QPainter, row: Row, polarity: str, x0: float, x1: float) -> None:
        """Annotations too narrow to tell apart at this zoom, merged into one bar."""
        solid, fill = self.tone(polarity)[:2]
        left, width = round(x0), max(round(x1) - round(x0), 2)
        p.fillRect(QRect(left, row.top + 4, width, row.height - 8), solid)
        if width > 2:
            p.fillRect(QRect(left + 1, row.top + 5, width - 2, row.height - 10), fill)

    def item(
        self, p: QPainter, row: Row, item: TimelineItem, xa: float, xb: float,
        *, selected: bool = False,
    ) -> None:  # fmt: skip
        solid, fill, strong, point, point_selected = self.tone(item.polarity)
        if item.start_ms == item.end_ms:
            sprite = point_selected if selected else point
            half = sprite.width() / 2
            p.drawImage(QPointF(xa - half, row.top + row.height / 2 - half), sprite)
            return
        rect = QRectF(xa + 0.5, row.top + 3.5, max(xb - xa - 1, 2), row.height - 7)
        p.setPen(self.selected_pen if selected else solid)
        p.setBrush(strong if selected else fill)
        p.drawRoundedRect(rect, 3, 3)
        self.label(p, rect, item.label, 6)

    def label(self, p: QPainter, rect: QRectF, text: str, indent: float) -> None:
        """Elided text from the bar's left end, or from the plot's left edge when the bar
        starts before it, so a long bar's label stays readable when scrolled."""
        left = max(rect.left(), GUTTER_PX) + indent
        width = rect.right() - 4 - left
        if width < 16:
            return
        shown = self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width))
        p.setPen(self.text)
        p.drawText(QRectF(left, rect.top(), width, rect.height()), LEFT_MIDDLE, shown)
