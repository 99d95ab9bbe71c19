"""The review timeline: time ruler, waveform, transcript, and one lane per principle.

Custom-painted. Only what falls inside the exposed rectangle is drawn: spans are kept
sorted by start beside a running maximum of their ends, so a binary search finds the
visible ones; zoomed out, bars too narrow to tell apart are merged into runs (numpy); and
moving the playhead repaints two thin strips. It stays smooth with thousands of
annotations over an hour (see ``benchmarks/timeline_paint.py``).

An annotation under several principles is drawn once, as a chip in the first of its lanes
that is shown, naming the others; in their lanes a thin band marks it. Lane labels set the
gutter's width, so none is cut. Lanes can be hidden (right-click, or the window's keys),
and so can the transcript row (``TRANSCRIPT_LANE``; ``set_spoken`` hides it while empty);
rows share the height they are given, the waveform staying about two and a half lanes
tall. A span of time can be selected (drag along the waveform or the transcript row, or
the window's [ and ] keys) to loop it or to code it.

The widget is a view: it emits intent signals (seek, draw, resize, select, delete, hide a
lane, select a span); the controller changes the data and calls ``set_annotations`` again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QWidget

from bwvreview.app.polarity import polarity_label
from bwvreview.app.records import Peaks
from bwvreview.ui.timeline_input import TimelineInput
from bwvreview.ui.timeline_paint import TimelinePainting
from bwvreview.ui.timeline_style import (
    DIAMOND_PX,
    EMPTY_SPAN_MS,
    GUTTER_MIN_PX,
    GUTTER_PAD_PX,
    LANE_MAX_PX,
    LANE_PX,
    MIN_SPAN_MS,
    OUTSIDE_LABEL_PX,
    RIGHT_PX,
    RULER_PX,
    TRANSCRIPT_LANE,
    TRANSCRIPT_MAX_PX,
    TRANSCRIPT_PX,
    WAVE_MAX_PX,
    WAVE_PX,
    Drag,
    Row,
    SpanIndex,
    TimelineItem,
    TimelineStyle,
)

__all__ = ["MIN_SPAN_MS", "TRANSCRIPT_LANE", "TimelineItem", "TimelineWidget"]


def row_heights(
    available_px: int, lanes: int, transcript: bool = True
) -> tuple[int, int, int]:
    """(waveform, transcript, lane) heights sharing ``available_px``: each row grows from
    its smallest towards its largest in the same proportion; a hidden transcript is 0."""
    smallest_t, largest_t = (TRANSCRIPT_PX, TRANSCRIPT_MAX_PX) if transcript else (0, 0)
    smallest = RULER_PX + WAVE_PX + smallest_t + LANE_PX * lanes
    room = (WAVE_MAX_PX - WAVE_PX) + (largest_t - smallest_t)
    room += (LANE_MAX_PX - LANE_PX) * lanes
    share = min(1.0, max(0, available_px - smallest) / room) if room else 0.0
    lane = LANE_PX + int(share * (LANE_MAX_PX - LANE_PX))
    transcript_h = smallest_t + int(share * (largest_t - smallest_t))
    left = available_px - RULER_PX - transcript_h - lane * lanes
    return min(WAVE_MAX_PX, max(WAVE_PX, left)), transcript_h, lane


class TimelineWidget(TimelineInput, TimelinePainting, QWidget):
    seek_requested = Signal(int)  # ms
    annotation_drawn = Signal(str, int, int)  # lane key, start_ms, end_ms
    annotation_resized = Signal(int, int, int)  # annotation id, start_ms, end_ms
    annotation_selected = Signal(object)  # annotation id or None
    annotation_delete_requested = Signal(int)
    view_changed = Signal(int, int)  # start_ms, end_ms
    hidden_lanes_changed = Signal(list)  # the keys of the lanes now hidden
    span_selected = Signal(object)  # (start_ms, end_ms), or None when cleared

    culls = True  # paint only what is exposed; the benchmark's baseline sets False

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        kind_words: Callable[[str | None], str] = polarity_label,
    ) -> None:
        """``kind_words`` names a moment's kind for the people reading this timeline:
        reviewers' words by default, ``officer_heading`` on the officer's screens."""
        super().__init__(parent)
        self.kind_words = kind_words
        self._duration_ms = 0
        self._view = (0, EMPTY_SPAN_MS)
        self._playhead_ms = 0
        self._following = True
        self._peaks: Peaks | None = None
        self._gain = 1.0
        self._segments = SpanIndex([])
        self._lanes: list[tuple[str, str]] = []  # every lane, shown or hidden
        self._hidden: set[str] = set()
        self._items: dict[int, TimelineItem] = {}
        self._lane_index: dict[str, SpanIndex] = {}  # by shown lane: the chips drawn there
        self._echo_index: dict[str, SpanIndex] = {}  # and the bands of chips drawn elsewhere
        self._lane_labels: dict[str, str] = {}
        self._selected: int | None = None
        self._span: tuple[int, int] | None = None  # the selected span of time
        self._drag: Drag | None = None
        self._style: TimelineStyle | None = None  # rebuilt when the palette or font changes
        self._rows: list[Row] = []
        self._content_h = 0
        self._gutter_px = GUTTER_MIN_PX
        self.scrollbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self.scrollbar.valueChanged.connect(self._scrolled_by_user)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
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
        self._segments = SpanIndex(spans)
        self.update()

    def set_spoken(self, segments: Sequence[tuple[int, int, str, str]]) -> None:
        """What was said, with the transcript row hidden while there is nothing to show
        (the officer's screens; the workspace keeps its empty row to drag along)."""
        self.set_segments(segments)
        self.set_lane_hidden(TRANSCRIPT_LANE, not segments)

    def set_lanes(self, lanes: Sequence[tuple[str, str]]) -> None:
        self._lanes = [(str(key), str(label)) for key, label in lanes]
        self._lane_labels = dict(self._lanes)
        self._lanes_changed()

    def lanes(self) -> list[tuple[str, str]]:
        """Every lane (key, label), shown or hidden."""
        return list(self._lanes)

    def hidden_lanes(self) -> set[str]:
        return set(self._hidden)

    def set_hidden_lanes(self, keys: Iterable[str]) -> None:
        """Hide these lanes (keys of lanes not there yet are kept for when they are)."""
        hidden = set(keys)
        if hidden != self._hidden:
            self._hidden = hidden
            self._lanes_changed()
            self.hidden_lanes_changed.emit(sorted(hidden))

    def set_lane_hidden(self, key: str, hidden: bool) -> None:
        self.set_hidden_lanes(self._hidden | {key} if hidden else self._hidden - {key})

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

    def selected_span(self) -> tuple[int, int] | None:
        """The span of time selected (start < end), or None."""
        return self._span

    def set_selected_span(self, start_ms: int | None, end_ms: int | None) -> None:
        """Select a span of time (either end None: the other end and the playhead; both
        None: clear it). Emits ``span_selected``."""
        if start_ms is None and end_ms is None:
            span = None
        else:
            a = self._clamp_ms(start_ms if start_ms is not None else self._playhead_ms)
            b = self._clamp_ms(end_ms if end_ms is not None else self._playhead_ms)
            span = (min(a, b), max(a, b)) if a != b else None
        if span != self._span:
            self._span = span
            self.update()
            self.span_selected.emit(span)

    def x_for_ms(self, ms: float) -> float:
        start, end = self._view
        return self._gutter_px + (ms - start) * self._plot_width() / max(end - start, 1)

    def ms_at(self, x: float) -> int:
        start, end = self._view
        return round(start + (x - self._gutter_px) * (end - start) / self._plot_width())

    def gutter_px(self) -> int:
        """The width of the lane labels' column: the longest label fits."""
        return self._gutter_px

    def row_rect(self, key: str) -> QRect:
        """The band of ``ruler``, ``waveform``, ``transcript`` or a shown lane's key."""
        for row in self._rows:
            named = row.key == key if row.kind == "lane" else row.kind == key
            if named and row.height > 0:  # a hidden transcript row has no height
                return QRect(0, row.top, self.width(), row.height)
        raise KeyError(key)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, self.minimumHeight())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._gutter_px + 200, self.minimumHeight())

    # --- geometry and state ---------------------------------------------------------------
    def _plot_width(self) -> int:
        return max(self.width() - self._gutter_px - RIGHT_PX, 1)

    def _limit_ms(self) -> int:
        return self._duration_ms or EMPTY_SPAN_MS

    def _clamp_ms(self, ms: int) -> int:
        return min(max(0, ms), self._limit_ms())

    def _shown_lanes(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label in self._lanes if key not in self._hidden]

    def _lanes_changed(self) -> None:
        self._measure_gutter()
        self._reindex()
        self._relayout()
        self.update()

    def _measure_gutter(self) -> None:
        metrics = QFontMetrics(self.font())
        labels = [label for _key, label in self._lanes] + ["Transcript", "Sound"]
        widest = max(metrics.horizontalAdvance(label) for label in labels)
        self._gutter_px = max(GUTTER_MIN_PX, widest + GUTTER_PAD_PX)

    def _relayout(self) -> None:
        bar_h = self.scrollbar.sizeHint().height()
        lanes = self._shown_lanes()
        count = max(len(lanes), 1)
        said = TRANSCRIPT_LANE not in self._hidden
        # a hidden transcript's least height goes to the other rows (the windows around keep
        # their layout); at the most, its room is not left empty below
        smallest = RULER_PX + WAVE_PX + TRANSCRIPT_PX + LANE_PX * count
        largest = RULER_PX + WAVE_MAX_PX + TRANSCRIPT_MAX_PX * said + LANE_MAX_PX * count
        self.setMinimumHeight(smallest + bar_h)
        self.setMaximumHeight(largest + bar_h)  # more would only be empty space
        wave_h, transcript_h, lane_h = row_heights(self.height() - bar_h, count, said)
        rows = [Row("ruler", "", "", 0, RULER_PX),
                Row("waveform", "", "Sound", RULER_PX, wave_h),
                Row("transcript", "", "Transcript", RULER_PX + wave_h, transcript_h)]  # fmt: skip
        top = RULER_PX + wave_h + transcript_h
        for key, label in lanes:
            rows.append(Row("lane", key, label, top, lane_h))
            top += lane_h
        self._rows, self._content_h = rows, top
        self.scrollbar.setGeometry(self._gutter_px, self.height() - bar_h,
                                   self.width() - self._gutter_px, bar_h)  # fmt: skip
        self.updateGeometry()

    def placement(self, item: TimelineItem) -> tuple[str | None, list[str]]:
        """The shown lane an item's chip is drawn in and the other shown lanes it is under.
        An item in no known lane goes in the last lane (the catch-all) if that is shown."""
        known = [key for key in dict.fromkeys(item.lanes) if key in self._lane_labels]
        if not known:
            known = [key for key, _label in self._lanes[-1:]]
        shown = [key for key in known if key not in self._hidden]
        return (shown[0], shown[1:]) if shown else (None, [])

    def _lanes_of(self, item: TimelineItem) -> list[str]:
        first, others = self.placement(item)
        return [first, *others] if first is not None else []

    def _reindex(self) -> None:
        keys = [key for key, _label in self._shown_lanes()]
        chips: dict[str, list[tuple[int, int, str, int, Any]]] = {k: [] for k in keys}
        echoes: dict[str, list[tuple[int, int, str, int, Any]]] = {k: [] for k in keys}
        for item in self._items.values():
            first, others = self.placement(item)
            if first is None:
                continue
            chips[first].append((item.start_ms, item.end_ms, item.polarity, item.id, item))
            for key in others:
                echoes[key].append((item.start_ms, item.end_ms, item.polarity, item.id, item))
        self._lane_index = {key: SpanIndex(found) for key, found in chips.items()}
        self._echo_index = {key: SpanIndex(found) for key, found in echoes.items()}

    def also_under(self, item: TimelineItem) -> str:
        """The labels of the other shown lanes an item is under, for its chip."""
        _first, others = self.placement(item)
        return ", ".join(self._lane_labels.get(key, key) for key in others)

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
        if self._gutter_px - 8 <= x <= self.width() + 8:
            self.update(QRect(int(x) - 7, 0, 15, self._content_h))

    def _row_at(self, y: float) -> Row | None:
        for row in self._rows:
            if row.top <= y < row.top + row.height:
                return row
        return None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):  # fmt: skip
            self._style = None
            if event.type() == QEvent.Type.FontChange:
                self._lanes_changed()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._relayout()
        super().resizeEvent(event)

    # --- painting -------------------------------------------------------------------------
    def style_now(self) -> TimelineStyle:
        """The colours and shapes this timeline paints with (made once per palette)."""
        if self._style is None:
            self._style = TimelineStyle(self.palette(), self._small_font())
        self._style.plot_left = self._gutter_px
        return self._style

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        dirty = event.rect()
        painter = QPainter(self)
        self._paint_backgrounds(painter, dirty)
        gutter = self._gutter_px
        plot = QRect(gutter, 0, self.width() - gutter, self._content_h) & dirty
        if not plot.isEmpty():
            ms_per_px = (self._view[1] - self._view[0]) / self._plot_width()
            pad_ms = (DIAMOND_PX + 2) * ms_per_px
            # a label written after a chip reaches in from the left
            t0 = self.ms_at(plot.left()) - pad_ms - OUTSIDE_LABEL_PX * ms_per_px
            t1 = self.ms_at(plot.right() + 1) + pad_ms
            painter.save()
            painter.setClipRect(plot)
            self._paint_ruler(painter, t0, t1)
            self._paint_waveform(painter, plot)
            style = self.style_now()
            painter.setFont(style.font)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_segments(painter, style, t0, t1)
            self._paint_lanes(painter, style, t0, t1)
            self._paint_drag(painter, style)
            self._paint_span(painter, style)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            self._paint_playhead(painter)
            painter.restore()
        if dirty.left() < gutter:
            self._paint_gutter(painter)
        painter.end()
