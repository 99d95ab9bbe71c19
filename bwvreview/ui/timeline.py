"""The review timeline: time ruler, waveform, transcript, and one lane per principle.

Custom-painted. Only what falls inside the exposed rectangle is drawn: spans are kept
sorted by start beside a running maximum of their ends, so a binary search finds the
visible ones; zoomed out, bars too narrow to tell apart are merged into runs (numpy); and
moving the playhead repaints two thin strips. It stays smooth with thousands of
annotations over an hour (see ``benchmarks/timeline_paint.py``).

The widget is a view: it emits intent signals (seek, draw, resize, select, delete); the
controller changes the data and calls ``set_annotations`` again.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QToolTip, QWidget

from bwvreview.annotations.interchange import speaker_label
from bwvreview.media.waveform import Peaks

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
POLARITY_LABELS = {"concern": "Concern", "good_practice": "Good practice",
                   "observation": "Observation"}  # fmt: skip
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


def format_time(ms: int, *, tenths: bool = False, hours: bool = False) -> str:
    """``m:ss`` / ``h:mm:ss``, with tenths of a second when ``tenths``."""
    seconds, rest = divmod(max(0, int(ms)), 1000)
    h, seconds = divmod(seconds, 3600)
    m, s = divmod(seconds, 60)
    sec = f"{s:02d}.{rest // 100}" if tenths else f"{s:02d}"
    return f"{h}:{m:02d}:{sec}" if hours or h else f"{m}:{sec}"


def _mix(a: QColor, b: QColor | str, share_b: float) -> QColor:
    b = QColor(b)
    keep = 1.0 - share_b
    return QColor.fromRgbF(a.redF() * keep + b.redF() * share_b,
                           a.greenF() * keep + b.greenF() * share_b,
                           a.blueF() * keep + b.blueF() * share_b)  # fmt: skip


def speaker_colour(speaker: str) -> str:
    if speaker in SPEAKER_COLOURS:
        return SPEAKER_COLOURS[speaker]
    return NAMED_SPEAKER_COLOURS[zlib.crc32(speaker.encode()) % len(NAMED_SPEAKER_COLOURS)]


class _SpanIndex:
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


def _merge_runs(xa: np.ndarray, xb: np.ndarray) -> Iterable[tuple[float, float]]:
    """Pixel spans sorted by start, merged where they touch: one rectangle per run."""
    if xa.size == 0:
        return ()
    reach = np.maximum.accumulate(xb)
    first = np.flatnonzero(np.concatenate(([True], xa[1:] > reach[:-1] + 1)))
    return zip(xa[first].tolist(), np.maximum.reduceat(xb, first).tolist(), strict=True)


class _Row(NamedTuple):
    kind: str  # ruler | waveform | transcript | lane
    key: str
    label: str
    top: int
    height: int


@dataclass
class _Drag:
    kind: str  # seek | draw | resize
    press_x: float
    lane: str = ""
    anchor_ms: int = 0  # the fixed end of a span being drawn or resized
    moving_ms: int = 0
    item: TimelineItem | None = None
    moved: bool = False

    def span(self) -> tuple[int, int]:
        return min(self.anchor_ms, self.moving_ms), max(self.anchor_ms, self.moving_ms)


class _Style:
    """Colours, pens, font and point sprites for one paint, derived from the palette."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        self.font, self.metrics = font, QFontMetrics(font)
        self.base, self.text = palette.color(BASE), palette.color(TEXT)
        self.highlight = palette.color(HIGHLIGHT)
        self.selected_pen = QPen(self.highlight, 2)
        self.tones: dict[str, tuple[QColor, QColor, QColor, QImage, QImage]] = {}
        for polarity, hex_colour in POLARITY_COLOURS.items():
            solid = QColor(hex_colour)
            self.tones[polarity] = (solid, _mix(self.base, solid, 0.28),
                                    _mix(self.base, solid, 0.5), self._diamond(solid, False),
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

    def run(self, p: QPainter, row: _Row, polarity: str, x0: float, x1: float) -> None:
        """Annotations too narrow to tell apart at this zoom, merged into one bar."""
        solid, fill = self.tone(polarity)[:2]
        left, width = round(x0), max(round(x1) - round(x0), 2)
        p.fillRect(QRect(left, row.top + 4, width, row.height - 8), solid)
        if width > 2:
            p.fillRect(QRect(left + 1, row.top + 5, width - 2, row.height - 10), fill)

    def item(
        self, p: QPainter, row: _Row, item: TimelineItem, xa: float, xb: float,
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


class TimelineWidget(QWidget):
    seek_requested = Signal(int)  # ms
    annotation_drawn = Signal(str, int, int)  # lane key, start_ms, end_ms
    annotation_resized = Signal(int, int, int)  # annotation id, start_ms, end_ms
    annotation_selected = Signal(object)  # annotation id or None
    annotation_delete_requested = Signal(int)
    view_changed = Signal(int, int)  # start_ms, end_ms

    culls = True  # paint only what is exposed; the benchmark's baseline sets False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._duration_ms = 0
        self._view = (0, EMPTY_SPAN_MS)
        self._playhead_ms = 0
        self._following = True
        self._peaks: Peaks | None = None
        self._gain = 1.0
        self._segments = _SpanIndex([])
        self._lanes: list[tuple[str, str]] = []
        self._items: dict[int, TimelineItem] = {}
        self._lane_index: dict[str, _SpanIndex] = {}
        self._lane_keys: set[str] = set()
        self._lane_order: list[str] = []
        self._selected: int | None = None
        self._drag: _Drag | None = None
        self._style: _Style | None = None  # rebuilt when the palette or font changes
        self._rows: list[_Row] = []
        self._content_h = 0
        self.scrollbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self.scrollbar.valueChanged.connect(self._scrolled_by_user)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._sync_scrollbar()
        self._relayout()

    # --- public API -----------------------------------------------------------------------
    def set_duration(self, duration_ms: int) -> None:
        """Set the recording's length and show all of it."""
        self._duration_ms = max(0, int(duration_ms))
        self._playhead_ms = min(self._playhead_ms, self._limit_ms())
        self._apply_view(0, self._limit_ms(), force=True)

    def set_peaks(self, peaks: Peaks | None) -> None:
        self._peaks = peaks
        loudest = 0.0
        if peaks is not None and len(peaks.maxs):
            loudest = float(max(peaks.maxs.max(), -peaks.mins.min()))
        self._gain = min(8.0, 0.95 / loudest) if loudest > 1e-4 else 1.0  # quiet BWV stays legible
        self.update()

    def set_segments(self, segments: Sequence[tuple[int, int, str, str]]) -> None:
        spans = [(s[0], s[1], s[2], i, tuple(s)) for i, s in enumerate(segments)]
        self._segments = _SpanIndex(spans)
        self.update()

    def set_lanes(self, lanes: Sequence[tuple[str, str]]) -> None:
        self._lanes = [(str(key), str(label)) for key, label in lanes]
        self._reindex()
        self._relayout()
        self.update()

    def set_annotations(self, items: Sequence[TimelineItem]) -> None:
        self._items = {item.id: item for item in items}
        if self._selected not in self._items:
            self._selected = None
        self._reindex()
        self.update()

    def set_playhead(self, ms: int) -> None:
        """Move the playhead; while following, page the view so the playhead stays in it."""
        ms = min(max(0, int(ms)), self._limit_ms())
        if ms == self._playhead_ms:
            return
        old_x = self.x_for_ms(self._playhead_ms)
        self._playhead_ms = ms
        if not self._follow():
            self._update_strip(old_x)
            self._update_strip(self.x_for_ms(ms))

    def playhead(self) -> int:
        return self._playhead_ms

    def set_following(self, following: bool) -> None:
        """Whether the view pages to keep the playhead in it; off once the person scrolls
        it out of view, on again when they click to seek or scroll back to it."""
        self._following = following
        self._follow()

    def is_following(self) -> bool:
        return self._following

    def set_view(self, start_ms: int, end_ms: int) -> None:
        self._apply_view(start_ms, end_ms - start_ms)

    def view(self) -> tuple[int, int]:
        return self._view

    def select(self, annotation_id: int | None) -> None:
        """Select (without emitting ``annotation_selected``) and bring it into view."""
        self._selected = annotation_id if annotation_id in self._items else None
        item = self._items.get(annotation_id) if annotation_id is not None else None
        start, end = self._view
        if item is not None and (item.end_ms < start or item.start_ms > end):
            span = end - start
            self._apply_view((item.start_ms + item.end_ms) // 2 - span // 2, span)
        self.update()

    def selected(self) -> int | None:
        return self._selected

    def x_for_ms(self, ms: float) -> float:
        start, end = self._view
        return GUTTER_PX + (ms - start) * self._plot_width() / max(end - start, 1)

    def ms_at(self, x: float) -> int:
        start, end = self._view
        return round(start + (x - GUTTER_PX) * (end - start) / self._plot_width())

    def row_rect(self, key: str) -> QRect:
        """The band of ``ruler``, ``waveform``, ``transcript`` or a lane key."""
        for row in self._rows:
            if (row.kind == "lane" and row.key == key) or (row.kind != "lane" and row.kind == key):
                return QRect(0, row.top, self.width(), row.height)
        raise KeyError(key)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, self.minimumHeight())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(GUTTER_PX + 200, self.minimumHeight())

    # --- geometry and state ---------------------------------------------------------------
    def _plot_width(self) -> int:
        return max(self.width() - GUTTER_PX - RIGHT_PX, 1)

    def _limit_ms(self) -> int:
        return self._duration_ms or EMPTY_SPAN_MS

    def _clamp_ms(self, ms: int) -> int:
        return min(max(0, ms), self._limit_ms())

    def _relayout(self) -> None:
        bar_h = self.scrollbar.sizeHint().height()
        lanes_h = LANE_PX * max(len(self._lanes), 1)
        minimum = RULER_PX + WAVE_PX + TRANSCRIPT_PX + lanes_h + bar_h
        self.setMinimumHeight(minimum)
        wave_h = WAVE_PX + max(0, min(WAVE_GROW_PX, self.height() - minimum))
        rows = [_Row("ruler", "", "", 0, RULER_PX),
                _Row("waveform", "", "Sound", RULER_PX, wave_h),
                _Row("transcript", "", "Transcript", RULER_PX + wave_h, TRANSCRIPT_PX)]  # fmt: skip
        top = RULER_PX + wave_h + TRANSCRIPT_PX
        for key, label in self._lanes:
            rows.append(_Row("lane", key, label, top, LANE_PX))
            top += LANE_PX
        self._rows, self._content_h = rows, top
        self.scrollbar.setGeometry(GUTTER_PX, self.height() - bar_h,
                                   self.width() - GUTTER_PX, bar_h)  # fmt: skip
        self.updateGeometry()

    def _lanes_of(self, item: TimelineItem) -> list[str]:
        """The item's lanes that exist, or the last lane (the catch-all) when none does."""
        known = [key for key in dict.fromkeys(item.lanes) if key in self._lane_keys]
        return known or self._lane_order[-1:]

    def _reindex(self) -> None:
        self._lane_order = [key for key, _ in self._lanes]
        self._lane_keys = set(self._lane_order)
        spans: dict[str, list[tuple[int, int, str, int, Any]]] = {k: [] for k in self._lane_order}
        for item in self._items.values():
            for key in self._lanes_of(item):
                spans[key].append((item.start_ms, item.end_ms, item.polarity, item.id, item))
        self._lane_index = {key: _SpanIndex(found) for key, found in spans.items()}

    def _apply_view(self, start_ms: float, span_ms: float, *, force: bool = False) -> bool:
        """Show ``span_ms`` from ``start_ms``, kept inside the recording; True if it moved."""
        span = round(min(max(span_ms, MIN_SPAN_MS), max(self._limit_ms(), MIN_SPAN_MS)))
        start = round(min(max(start_ms, 0), max(0, self._limit_ms() - span)))
        if (start, start + span) == self._view and not force:
            return False
        self._view = (start, start + span)
        self._sync_scrollbar()
        self.view_changed.emit(*self._view)
        self.update()
        return True

    def _follow(self) -> bool:
        """While following, page the view when the playhead nears its right edge or leaves
        it, so the playhead starts again a tenth of the way in; True if the view moved."""
        start, end = self._view
        span, ms = end - start, self._playhead_ms
        if not self._following or start <= ms <= end - span // 50:
            return False
        return self._apply_view(ms - span // 10, span)

    def _sync_scrollbar(self) -> None:
        start, end = self._view
        self.scrollbar.blockSignals(True)
        self.scrollbar.setRange(0, max(0, self._limit_ms() - (end - start)))
        self.scrollbar.setPageStep(end - start)
        self.scrollbar.setSingleStep(max(1, (end - start) // 10))
        self.scrollbar.setValue(start)
        self.scrollbar.blockSignals(False)

    def _scrolled_by_user(self, value: int) -> None:
        start, end = self._view
        self._apply_view(value, end - start)
        self._user_moved_view()

    def _user_moved_view(self) -> None:
        """Follow the playhead again only while the person keeps it in view."""
        start, end = self._view
        self._following = start <= self._playhead_ms <= end

    def _update_strip(self, x: float) -> None:
        if GUTTER_PX - 8 <= x <= self.width() + 8:
            self.update(QRect(int(x) - 7, 0, 15, self._content_h))

    def _row_at(self, y: float) -> _Row | None:
        for row in self._rows:
            if row.top <= y < row.top + row.height:
                return row
        return None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):  # fmt: skip
            self._style = None
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._relayout()
        super().resizeEvent(event)

    # --- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        dirty = event.rect()
        painter = QPainter(self)
        self._paint_backgrounds(painter, dirty)
        plot = QRect(GUTTER_PX, 0, self.width() - GUTTER_PX, self._content_h) & dirty
        if not plot.isEmpty():
            pad_ms = (DIAMOND_PX + 2) * (self._view[1] - self._view[0]) / self._plot_width()
            t0, t1 = self.ms_at(plot.left()) - pad_ms, self.ms_at(plot.right() + 1) + pad_ms
            painter.save()
            painter.setClipRect(plot)
            self._paint_ruler(painter, t0, t1)
            self._paint_waveform(painter, plot)
            if self._style is None:
                self._style = _Style(self.palette(), self._small_font())
            style = self._style
            painter.setFont(style.font)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_segments(painter, style, t0, t1)
            self._paint_lanes(painter, style, t0, t1)
            self._paint_drag(painter, style)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            self._paint_playhead(painter)
            painter.restore()
        if dirty.left() < GUTTER_PX:
            self._paint_gutter(painter)
        painter.end()

    def _colour(self, role: QPalette.ColorRole) -> QColor:
        return self.palette().color(role)

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
        return font

    def _paint_backgrounds(self, p: QPainter, dirty: QRect) -> None:
        base, window = self._colour(BASE), self._colour(WINDOW)
        alternate = _mix(base, self._colour(TEXT), 0.035)
        line = _mix(base, self._colour(TEXT), 0.13)
        p.fillRect(dirty, window)
        lanes = 0
        for row in self._rows:
            band = QRect(0, row.top, self.width(), row.height)
            if row.kind == "lane":
                lanes += 1
            if not band.intersects(dirty):
                continue
            fill = base if row.kind != "lane" or lanes % 2 else alternate
            p.fillRect(band & dirty, window if row.kind == "ruler" else fill)
            p.fillRect(QRect(dirty.left(), band.bottom(), dirty.width(), 1), line)
        p.fillRect(QRect(0, 0, GUTTER_PX, self._content_h) & dirty, window)
        # one-pixel lines as fillRect: drawLine is ~100x slower under a widget's clip region
        p.fillRect(QRect(GUTTER_PX - 1, 0, 1, self._content_h), line)

    def _tick_steps(self) -> tuple[int, int]:
        px_per_ms = self._plot_width() / max(self._view[1] - self._view[0], 1)
        for major, minor in TICK_STEPS_MS:
            if major * px_per_ms >= LABEL_SPACING_PX:
                return major, minor
        return TICK_STEPS_MS[-1]

    def _paint_ruler(self, p: QPainter, t0: float, t1: float) -> None:
        major, minor = self._tick_steps()
        text = self._colour(WINDOWTEXT)
        first = int(max(0, t0 - major) // minor * minor)  # a label starts left of its tick
        last = min(int(t1), self._limit_ms())
        ticks, grid, labels = [], [], []
        for t in range(first, last + 1, minor):
            x = round(self.x_for_ms(t)) + 0.5
            is_major = t % major == 0
            ticks.append((x, RULER_PX - (8 if is_major else 4)))
            if is_major:
                grid.append(x)
                labels.append((x, t))
        p.setPen(QPen(_mix(self._colour(WINDOW), text, 0.45), 1))
        p.drawLines([QLineF(x, top, x, RULER_PX - 1) for x, top in ticks])
        grid_colour = _mix(self._colour(BASE), text, 0.07)
        for x in grid:
            p.fillRect(QRect(int(x), RULER_PX, 1, self._content_h - RULER_PX), grid_colour)
        p.setFont(self._small_font())
        p.setPen(_mix(self._colour(WINDOW), text, 0.75))
        hours = self._limit_ms() >= 3_600_000
        for x, t in labels:
            label = format_time(t, tenths=major < 1000, hours=hours)
            p.drawText(QRectF(x + 4, 2, LABEL_SPACING_PX, RULER_PX - 9),
                       LEFT_MIDDLE, label)  # fmt: skip

    def _paint_waveform(self, p: QPainter, plot: QRect) -> None:
        row = self._rows[1]
        mid = row.top + row.height / 2
        base = self._colour(BASE)
        colour = _mix(base, "#5B7290", 0.8)
        p.fillRect(QRect(plot.left(), int(mid), plot.width(), 1), _mix(base, colour, 0.5))
        if self._peaks is None:
            return
        x0, x1 = plot.left(), min(plot.right() + 1, GUTTER_PX + self._plot_width())
        if x1 <= x0:
            return
        mins, maxs = self._peaks.slice(self.ms_at(x0), self.ms_at(x1), x1 - x0)
        half = (row.height - 6) / 2
        height = row.height - 2
        centre = height / 2
        top = np.floor(centre - np.clip(maxs * self._gain, -1, 1) * half)
        bottom = np.ceil(centre - np.clip(mins * self._gain, -1, 1) * half)
        rows = np.arange(height, dtype=np.float32)[:, None]
        mask = (rows >= top[None, :]) & (rows <= np.maximum(bottom, top)[None, :])
        pixels = np.where(mask, np.uint32(colour.rgba()), np.uint32(0)).astype(np.uint32)
        image = QImage(pixels.data, x1 - x0, height, (x1 - x0) * 4,
                       QImage.Format.Format_ARGB32_Premultiplied)  # fmt: skip
        p.drawImage(x0, row.top + 1, image)

    def _visible(self, index: _SpanIndex, t0: float, t1: float) -> tuple[slice, Any, Any, Any]:
        """The slice of ``index`` to paint, the x of its starts and ends, and which to keep."""
        part = index.window(t0, t1) if self.culls else slice(0, len(index.payloads))
        start, end = self._view
        scale = self._plot_width() / max(end - start, 1)
        xa = GUTTER_PX + (index.starts[part] - start) * scale
        xb = GUTTER_PX + (index.ends[part] - start) * scale
        keep = index.ends[part] >= t0 if self.culls else np.ones(xa.size, dtype=bool)
        return part, xa, xb, keep

    def _paint_segments(self, p: QPainter, style: _Style, t0: float, t1: float) -> None:
        row, index = self._rows[2], self._segments
        part, xa, xb, keep = self._visible(index, t0, t1)
        top, height = row.top + 3, row.height - 6
        narrow = keep & (xb - xa < NARROW_PX)
        codes = index.codes[part]
        hues = [QColor(speaker_colour(speaker)) for speaker in index.kinds]
        fills = [_mix(style.base, hue, 0.22) for hue in hues]
        for code, fill in enumerate(fills):
            chosen = narrow & (codes == code)
            for x0, x1 in _merge_runs(xa[chosen], xb[chosen]):
                p.fillRect(QRectF(x0, top, max(x1 - x0 - 1, 1), height), fill)
        for i in np.flatnonzero(keep & ~narrow).tolist():
            x0, x1, code = float(xa[i]), float(xb[i]), int(codes[i])
            rect = QRectF(x0, top, max(x1 - x0 - 1, 1), height)
            p.fillRect(rect, fills[code])
            p.fillRect(QRectF(x0, top, 2.0, height), hues[code])
            style.label(p, rect, index.payloads[part.start + i][3].strip(), 5)

    def _paint_lanes(self, p: QPainter, style: _Style, t0: float, t1: float) -> None:
        chosen = self._items.get(self._selected) if self._selected is not None else None
        dragged = self._drag.item if self._drag else None
        hidden = [item.id for item in (chosen, dragged) if item is not None]
        for row in self._rows[3:]:
            index = self._lane_index.get(row.key)
            if index is None or not index.payloads:
                continue
            part, xa, xb, keep = self._visible(index, t0, t1)
            keep &= ~np.isin(index.ids[part], hidden)  # drawn last, on top
            spans = index.ends[part] > index.starts[part]
            narrow = keep & spans & (xb - xa < NARROW_PX)
            codes = index.codes[part]
            for code, polarity in enumerate(index.kinds):
                runs = narrow & (codes == code)
                for x0, x1 in _merge_runs(xa[runs], xb[runs]):
                    style.run(p, row, polarity, x0, x1)
            points_drawn: set[tuple[int, int]] = set()
            for i in np.flatnonzero(keep & ~narrow).tolist():
                x0, code = float(xa[i]), int(codes[i])
                if not spans[i] and (round(x0), code) in points_drawn:
                    continue  # one diamond per pixel is enough
                points_drawn.add((round(x0), code))
                style.item(p, row, index.payloads[part.start + i], x0, float(xb[i]))
            if chosen is not None and dragged is None and row.key in self._lanes_of(chosen):
                x0, x1 = self.x_for_ms(chosen.start_ms), self.x_for_ms(chosen.end_ms)
                style.item(p, row, chosen, x0, x1, selected=True)

    def _paint_drag(self, p: QPainter, style: _Style) -> None:
        drag = self._drag
        if drag is None or drag.kind == "seek" or not drag.moved:
            return
        start, end = drag.span()
        xa, xb = self.x_for_ms(start), self.x_for_ms(end)
        for row in self._rows[3:]:
            if drag.item is not None and row.key in self._lanes_of(drag.item):
                style.item(p, row, drag.item, xa, xb, selected=True)
            elif drag.item is None and row.key == drag.lane:
                fill = QColor(style.highlight)
                fill.setAlpha(60)
                p.setPen(QPen(style.highlight, 1, Qt.PenStyle.DashLine))
                p.setBrush(fill)
                p.drawRect(QRectF(xa, row.top + 2.5, max(xb - xa, 1), row.height - 5))

    def _paint_playhead(self, p: QPainter) -> None:
        x = round(self.x_for_ms(self._playhead_ms)) + 0.5
        colour = self._colour(TEXT)
        p.fillRect(QRect(int(x), 0, 1, self._content_h), colour)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(QPolygonF([QPointF(x - 5, 0), QPointF(x + 5, 0), QPointF(x, 7)]))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_gutter(self, p: QPainter) -> None:
        window, text = self._colour(WINDOW), self._colour(QPalette.ColorRole.WindowText)
        metrics = QFontMetrics(self.font())
        p.setFont(self.font())
        for row in self._rows[1:]:
            p.setPen(text if row.kind == "lane" else _mix(window, text, 0.6))
            shown = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, GUTTER_PX - 20)
            p.drawText(QRect(12, row.top, GUTTER_PX - 16, row.height),
                       LEFT_MIDDLE, shown)  # fmt: skip

    # --- interaction ----------------------------------------------------------------------
    def _hit(self, key: str, x: float) -> tuple[TimelineItem | None, str]:
        """The annotation under ``x`` in lane ``key`` and the part hit: left, right, body."""
        index = self._lane_index.get(key)
        if index is None:
            return None, ""
        reach = EDGE_PX + DIAMOND_PX
        found = index.overlapping(self.ms_at(x - reach), self.ms_at(x + reach))
        found.sort(key=lambda item: item.id == self._selected)  # the selected one is on top
        for item in reversed(found):
            xa, xb = self.x_for_ms(item.start_ms), self.x_for_ms(item.end_ms)
            if item.start_ms == item.end_ms:
                if abs(x - xa) <= DIAMOND_PX:
                    return item, "body"
                continue
            inner = min(EDGE_PX, (xb - xa) / 3)
            if xa - EDGE_PX <= x <= xa + inner:
                return item, "left"
            if xb - inner <= x <= xb + EDGE_PX:
                return item, "right"
            if xa < x < xb:
                return item, "body"
        return None, ""

    def _choose(self, annotation_id: int | None) -> None:
        self._selected = annotation_id
        self.annotation_selected.emit(annotation_id)
        self.update()

    def _seek(self, ms: int) -> None:
        self._following = True
        self.set_playhead(ms)
        self.seek_requested.emit(ms)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        x, y = event.position().x(), event.position().y()
        row = self._row_at(y)
        if event.button() != Qt.MouseButton.LeftButton or row is None or x < GUTTER_PX:
            super().mousePressEvent(event)
            return
        ms = self._clamp_ms(self.ms_at(x))
        if row.kind != "lane":
            self._drag = _Drag("seek", x)
            self._seek(ms)
            return
        item, part = self._hit(row.key, x)
        if item is None:
            if self._selected is not None:
                self._choose(None)
            self._drag = _Drag("draw", x, lane=row.key, anchor_ms=ms, moving_ms=ms)
            return
        self._choose(item.id)
        if part in ("left", "right"):
            fixed, moving = (item.end_ms, item.start_ms) if part == "left" else (
                item.start_ms, item.end_ms)  # fmt: skip
            self._drag = _Drag("resize", x, lane=row.key, anchor_ms=fixed, moving_ms=moving,
                               item=item)  # fmt: skip

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        x = event.position().x()
        drag = self._drag
        if drag is None:
            self._update_cursor(x, event.position().y())
            return
        ms = self._clamp_ms(self.ms_at(x))
        drag.moved = drag.moved or abs(x - drag.press_x) >= DRAG_PX
        if drag.kind == "seek":
            if ms != self._playhead_ms:
                self._seek(ms)
        elif drag.moved:
            drag.moving_ms = ms
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        drag.moved = drag.moved or abs(x - drag.press_x) >= DRAG_PX
        if drag.kind == "seek" or not drag.moved:
            self.update()
            return
        drag.moving_ms = self._clamp_ms(self.ms_at(x))
        start, end = drag.span()
        if drag.kind == "draw":
            self.update()
            self.annotation_drawn.emit(drag.lane, start, end)
        elif drag.item is not None and (start, end) != (drag.item.start_ms, drag.item.end_ms):
            moved = TimelineItem(drag.item.id, start, end, drag.item.lanes, drag.item.polarity,
                                 drag.item.label)  # fmt: skip
            self._items[moved.id] = moved  # shown where dropped until the controller answers
            self._reindex()
            self.update()
            self.annotation_resized.emit(moved.id, start, end)
        else:
            self.update()

    def _update_cursor(self, x: float, y: float) -> None:
        row = self._row_at(y)
        part = ""
        if row is not None and row.kind == "lane" and x >= GUTTER_PX:
            _item, part = self._hit(row.key, x)
        edge = part in ("left", "right")
        self.setCursor(Qt.CursorShape.SizeHorCursor if edge else Qt.CursorShape.ArrowCursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._selected is not None:
            self.annotation_delete_requested.emit(self._selected)
        elif key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.update()
        elif key == Qt.Key.Key_Escape and self._selected is not None:
            self._choose(None)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta()
        notches = (delta.y() or delta.x()) / 120
        if not notches:
            event.ignore()
            return
        start, end = self._view
        span = end - start
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            x = min(max(event.position().x(), GUTTER_PX), GUTTER_PX + self._plot_width())
            share = (x - GUTTER_PX) / self._plot_width()
            new_span = span * WHEEL_ZOOM**notches
            new_span = min(max(new_span, MIN_SPAN_MS), max(self._limit_ms(), MIN_SPAN_MS))
            self._apply_view(start + share * span - share * new_span, new_span)
        else:
            self._apply_view(start - notches * span * WHEEL_SCROLL, span)
        self._user_moved_view()
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_at(event.pos().x(), event.pos().y())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _tooltip_at(self, x: float, y: float) -> str:
        row = self._row_at(y)
        if row is None or x < GUTTER_PX:
            return row.label if row is not None else ""  # labels may be elided
        hours = self._limit_ms() >= 3_600_000
        if row.kind == "lane":
            item, _part = self._hit(row.key, x)
            if item is None:
                return ""
            when = format_time(item.start_ms, tenths=True, hours=hours)
            if item.end_ms != item.start_ms:
                when += "–" + format_time(item.end_ms, tenths=True, hours=hours)
            return f"{item.label} · {POLARITY_LABELS.get(item.polarity, item.polarity)}\n{when}"
        if row.kind == "transcript":
            ms = self.ms_at(x)
            for _s, _e, speaker, words in self._segments.overlapping(ms, ms):
                return f"{speaker_label(speaker)}: {words.strip()}"
        return format_time(self.ms_at(x), tenths=True, hours=hours)
