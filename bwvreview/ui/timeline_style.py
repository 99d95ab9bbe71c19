"""The timeline's measures, colours and small parts: what it draws with, not how.

Lane and ruler sizes, the colour-blind-safe palette, the span index that finds what a
paint can see, and the chips, points and bars of one paint (``TimelineStyle``). Each kind
has a shape of its own (``kind_marks``), so the workspace's, the feedback window's and the
debrief's timelines are read the same way in colour, in greyscale and by a reader with
protanopia.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPen, QPixmap

from bwvreview.ui.kind_marks import paint_chip, paint_glyph, point_path
from bwvreview.ui.palette import KIND_COLOURS, KIND_TEXT_COLOURS, KIND_TEXT_ON_DARK, contrast_ratio

GUTTER_MIN_PX = 64  # lane labels: as wide as the longest label, at least this
GUTTER_PAD_PX = 22  # room left and right of the longest lane label
RIGHT_PX = 8
RULER_PX = 24
# Rows grow together when the widget is given more height, up to their largest; the
# waveform stays about two and a half lanes tall, so the lanes are what the eye reads.
WAVE_PX, WAVE_MAX_PX = 36, 72
TRANSCRIPT_PX, TRANSCRIPT_MAX_PX = 26, 30
# The transcript row hides like a lane, under this key (no codebook principle uses it).
TRANSCRIPT_LANE = "transcript"
LANE_PX, LANE_MAX_PX = 22, 30
EDGE_PX = 5  # hit zone either side of an annotation's edge
DRAG_PX = 4  # movement before a press becomes a drag
DIAMOND_PX = 6  # half-width of a point annotation
OUTSIDE_LABEL_PX = 160  # the longest label written after a short chip
CHIP_END_PX, CHIP_TILE_PX = 24, 56  # a long chip: its ends, and its middle's repeating tile
CHIP_CACHE_SIZE = 2000
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
POLARITY_COLOURS = dict(KIND_COLOURS)
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
    status: str = ""  # draft | final | shared; "" where it is not shown (an officer's view)


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


def merge_runs(xa: np.ndarray, xb: np.ndarray, gap_px: float = 1) -> Iterable[tuple[float, float]]:
    """Pixel spans sorted by start, merged where they touch (or are ``gap_px`` apart): one
    rectangle per run."""
    if xa.size == 0:
        return ()
    reach = np.maximum.accumulate(xb)
    first = np.flatnonzero(np.concatenate(([True], xa[1:] > reach[:-1] + gap_px)))
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


def _canvas(width: float, height: float, ratio: float) -> tuple[QImage, QPainter]:
    """A transparent image of ``width``×``height`` logical pixels at ``ratio``, and an
    antialiased painter on it (the caller ends it)."""
    image = QImage(round(width * ratio), round(height * ratio),
                   QImage.Format.Format_ARGB32_Premultiplied)  # fmt: skip
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    return image, painter


class TimelineStyle:
    """Colours, pens, font and point sprites for one paint, derived from the palette.

    A chip is outlined in its kind's shade for text (dark on a light base, light on a dark
    one: ≥ 4.5:1 against the lane) and filled with a tint of its hue.
    """

    def __init__(self, palette: QPalette, font: QFont) -> None:
        self.font, self.metrics = font, QFontMetrics(font)
        self.base, self.text = palette.color(BASE), palette.color(TEXT)
        self.highlight = palette.color(HIGHLIGHT)
        self.selected_pen = QPen(self.highlight, 2)
        self.plot_left = GUTTER_MIN_PX  # the widget sets its gutter's width before a paint
        light = self.base.lightness() >= 128
        self.tones: dict[str, tuple[QColor, QColor, QColor]] = {}
        for polarity, hex_colour in KIND_COLOURS.items():
            hue = QColor(hex_colour)
            line = QColor((KIND_TEXT_COLOURS if light else KIND_TEXT_ON_DARK)[polarity])
            self.tones[polarity] = (line, mix(self.base, hue, 0.28), mix(self.base, hue, 0.5))
        self._sprites: dict[tuple[str, str, bool], QImage] = {}
        self._chips: dict[tuple[Any, ...], QImage] = {}
        self._tiles: dict[tuple[Any, ...], QPixmap] = {}
        self._glyphs: dict[tuple[str, int, float], QImage] = {}

    def tone(self, polarity: str) -> tuple[QColor, QColor, QColor]:
        """(outline, fill, selected fill) for a kind."""
        return self.tones.get(polarity, self.tones["observation"])

    def contrast_pairs(self) -> list[tuple[str, QColor, QColor, str]]:
        """What this style writes and draws on what: (name, foreground, background, kind)."""
        pairs = []
        for polarity, (line, fill, strong) in self.tones.items():
            pairs += [(f"{polarity} label", self.text, fill, "text"),
                      (f"{polarity} selected label", self.text, strong, "text"),
                      (f"{polarity} outline on the lane", line, self.base, "graphic"),
                      (f"{polarity} glyph on its chip", line, fill, "graphic")]  # fmt: skip
        return pairs

    def point_sprite(self, polarity: str, status: str, selected: bool) -> QImage:
        """A moment with no length: the kind's point shape, dashed when a draft."""
        key = (polarity, status, selected)
        if key not in self._sprites:
            r = DIAMOND_PX + (1 if selected else 0)
            image, painter = _canvas(2 * r + 5, 2 * r + 5, 1.0)
            line, fill, _strong = self.tone(polarity)
            pen = QPen(self.highlight if selected else line, 2 if selected else 1.4)
            if status == "draft":
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setBrush(fill)
            else:
                painter.setBrush(line)
            painter.setPen(pen)
            c = r + 2.5
            painter.drawPath(point_path(polarity, QPointF(c, c), r))
            painter.end()
            self._sprites[key] = image
        return self._sprites[key]

    def run(self, p: QPainter, row: Row, polarity: str, x0: float, x1: float) -> None:
        """Annotations too narrow to tell apart at this zoom, merged into one bar."""
        line, fill = self.tone(polarity)[:2]
        left, width = round(x0), max(round(x1) - round(x0), 2)
        p.fillRect(QRect(left, row.top + 4, width, row.height - 8), line)
        if width > 2:
            p.fillRect(QRect(left + 1, row.top + 5, width - 2, row.height - 10), fill)

    def item(
        self, p: QPainter, row: Row, item: TimelineItem, xa: float, xb: float,
        *, selected: bool = False, also: str = "", room: float = 0.0,
    ) -> None:  # fmt: skip
        """One annotation: a chip of its kind's shape with its glyph and label (``also``
        names the other principles it is under), or its point shape. A label that does not
        fit inside is written after the chip when ``room`` (free pixels after it) allows."""
        line, fill, strong = self.tone(item.polarity)
        if item.start_ms == item.end_ms:
            sprite = self.point_sprite(item.polarity, item.status, selected)
            half = sprite.width() / 2
            p.drawImage(QPointF(xa - half, row.top + row.height / 2 - half), sprite)
            self.outside_label(p, row, item.label, xa + half + 2, room - half - 2)
            return
        x, width = round(xa), max(round(xb) - round(xa) - 1, 2)
        rect = QRectF(x + 0.5, row.top + 3.5, width, row.height - 7)
        self._chip(p, item.polarity, item.status, selected, x, row.top + 3, width,
                   row.height - 7)  # fmt: skip
        left = max(rect.left(), self.plot_left) + 5
        glyph = int(rect.height() - 8)
        if rect.right() - left >= glyph + 6:
            p.drawImage(QPointF(round(left), rect.top() + 4), self._glyph(item.polarity, glyph, p))
            left += glyph + 3
        right = rect.right() - (17 if item.status == "shared" else 5)
        if also:  # the other principles, kept whole at the right end while there is room
            badge = f"+{also}"
            keep = min(self.metrics.horizontalAdvance(item.label), 80)  # room for the label
            if self.metrics.horizontalAdvance(badge) + keep > right - left:
                badge = f"+{also.count(',') + 1}"
            width = self.metrics.horizontalAdvance(badge)
            if width + 8 <= right - left:
                p.setPen(self.text)
                p.drawText(QRectF(right - width - 2, rect.top(), width + 2, rect.height()),
                           LEFT_MIDDLE, badge)  # fmt: skip
                right -= width + 6
        inside = right - left
        if self.metrics.horizontalAdvance(item.label) > inside and room > max(inside, 40):
            self.outside_label(p, row, item.label, rect.right() + 4, room - 4)
        else:
            self.label(p, QRectF(left, rect.top(), inside, rect.height()), item.label, 0)

    def _chip(self, p: QPainter, polarity: str, status: str, selected: bool, x: int, y: int,
              width: int, height: int) -> None:  # fmt: skip
        """A chip's body, drawn once per kind, status and size and then copied: paths
        with dashes, hatching and antialiasing cost ~40 µs each, and the playhead's strips
        repaint the same chips 25 times a second. A long chip is its two ends copied from a
        template and the middle tiled from it."""
        ratio = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        look = (polarity, status, selected, height, ratio)
        template_w = 2 * CHIP_END_PX + CHIP_TILE_PX
        if width <= template_w:
            p.drawImage(QPointF(x, y), self._chip_image(look, width))
            return
        template = self._chip_image(look, template_w)
        tile = self._chip_tile(look, template)
        full_h = (height + 2) * ratio
        right_w = CHIP_END_PX + 2
        p.drawImage(QRectF(x, y, CHIP_END_PX, height + 2), template,
                    QRectF(0, 0, CHIP_END_PX * ratio, full_h))  # fmt: skip
        p.drawTiledPixmap(QRectF(x + CHIP_END_PX, y, width - 2 * CHIP_END_PX, height + 2), tile)
        source_x = (template_w - CHIP_END_PX) * ratio
        p.drawImage(QRectF(x + width - CHIP_END_PX, y, right_w, height + 2), template,
                    QRectF(source_x, 0, right_w * ratio, full_h))  # fmt: skip

    def _chip_image(self, look: tuple[str, str, bool, int, float], width: int) -> QImage:
        key = (*look, width)
        image = self._chips.get(key)
        if image is None:
            polarity, status, selected, height, ratio = look
            line, fill, strong = self.tone(polarity)
            if len(self._chips) >= CHIP_CACHE_SIZE:
                self._chips.clear()
            image, painter = _canvas(width + 2, height + 2, ratio)
            paint_chip(painter, polarity, QRectF(0.5, 0.5, width, height),
                       fill=strong if selected else fill, line=line, status=status,
                       pen=self.selected_pen if selected else None)  # fmt: skip
            painter.end()
            self._chips[key] = image
        return image

    def _chip_tile(self, look: tuple[str, str, bool, int, float], template: QImage) -> QPixmap:
        tile = self._tiles.get(look)
        if tile is None:
            ratio = look[-1]
            part = template.copy(round(CHIP_END_PX * ratio), 0, round(CHIP_TILE_PX * ratio),
                                 template.height())  # fmt: skip
            part.setDevicePixelRatio(ratio)
            tile = self._tiles[look] = QPixmap.fromImage(part)
        return tile

    def _glyph(self, polarity: str, size: int, p: QPainter) -> QImage:
        ratio = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        key = (polarity, size, ratio)
        if key not in self._glyphs:
            image, painter = _canvas(size + 2, size + 2, ratio)
            paint_glyph(painter, polarity, QRectF(1, 1, size, size), self.tone(polarity)[0])
            painter.end()
            self._glyphs[key] = image
        return self._glyphs[key]

    def outside_label(self, p: QPainter, row: Row, text: str, left: float, room: float) -> None:
        """A short chip's or a point's label, written on the lane just after it."""
        room = min(room, OUTSIDE_LABEL_PX)
        if room < 30:
            return
        shown = self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room - 6))
        p.setPen(self.text)
        p.drawText(QRectF(left, row.top, room - 4, row.height), LEFT_MIDDLE, shown)

    def echo(self, p: QPainter, row: Row, polarity: str, xa: float, xb: float,
             *, selected: bool = False) -> None:  # fmt: skip
        """Where annotations drawn in another lane are also under this lane's principle: a
        thin band at the foot of the lane, not a second chip."""
        line, fill = self.tone(polarity)[:2]
        edge = self.highlight if selected else line
        left, top = round(xa), row.top + row.height - 8
        width = max(round(xb) - left, 3)
        p.fillRect(QRect(left, top, width, 5), edge)
        p.fillRect(QRect(left + 1, top + 1, width - 2, 3), fill)

    def label(self, p: QPainter, rect: QRectF, text: str, indent: float) -> None:
        """Elided text from the bar's left end, or from the plot's left edge when the bar
        starts before it, so a long bar's label stays readable when scrolled."""
        left = max(rect.left(), self.plot_left) + indent
        width = rect.right() - 4 - left
        if width < 16:
            return
        shown = self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width))
        p.setPen(self.text)
        p.drawText(QRectF(left, rect.top(), width, rect.height()), LEFT_MIDDLE, shown)


def colour_contrast(foreground: QColor, background: QColor) -> float:
    """WCAG contrast of two Qt colours (their alpha ignored)."""
    return contrast_ratio(foreground.name(), background.name())
