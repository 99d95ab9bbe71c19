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

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QToolTip, QWidget

from bwvreview.app.polarity import polarity_label
from bwvreview.app.records import Peaks
from bwvreview.app.review import speaker_label
from bwvreview.timecode import clock
from bwvreview.ui.timeline_paint import TimelinePainting
from bwvreview.ui.timeline_style import (
    DIAMOND_PX,
    DRAG_PX,
    EDGE_PX,
    EMPTY_SPAN_MS,
    GUTTER_PX,
    LANE_PX,
    MIN_SPAN_MS,
    RIGHT_PX,
    RULER_PX,
    TRANSCRIPT_PX,
    WAVE_GROW_PX,
    WAVE_PX,
    WHEEL_SCROLL,
    WHEEL_ZOOM,
    Drag,
    Row,
    SpanIndex,
    TimelineItem,
    TimelineStyle,
)


class TimelineWidget(TimelinePainting, QWidget):
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
        self._segments = SpanIndex([])
        self._lanes: list[tuple[str, str]] = []
        self._items: dict[int, TimelineItem] = {}
        self._lane_index: dict[str, SpanIndex] = {}
        self._lane_keys: set[str] = set()
        self._lane_order: list[str] = []
        self._selected: int | None = None
        self._drag: Drag | None = None
        self._style: TimelineStyle | None = None  # rebuilt when the palette or font changes
        self._rows: list[Row] = []
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
        self._segments = SpanIndex(spans)
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
        rows = [Row("ruler", "", "", 0, RULER_PX),
                Row("waveform", "", "Sound", RULER_PX, wave_h),
                Row("transcript", "", "Transcript", RULER_PX + wave_h, TRANSCRIPT_PX)]  # fmt: skip
        top = RULER_PX + wave_h + TRANSCRIPT_PX
        for key, label in self._lanes:
            rows.append(Row("lane", key, label, top, LANE_PX))
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
        self._lane_index = {key: SpanIndex(found) for key, found in spans.items()}

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

    def _row_at(self, y: float) -> Row | None:
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
                self._style = TimelineStyle(self.palette(), self._small_font())
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
            self._drag = Drag("seek", x)
            self._seek(ms)
            return
        item, part = self._hit(row.key, x)
        if item is None:
            if self._selected is not None:
                self._choose(None)
            self._drag = Drag("draw", x, lane=row.key, anchor_ms=ms, moving_ms=ms)
            return
        self._choose(item.id)
        if part in ("left", "right"):
            fixed, moving = (item.end_ms, item.start_ms) if part == "left" else (
                item.start_ms, item.end_ms)  # fmt: skip
            self._drag = Drag("resize", x, lane=row.key, anchor_ms=fixed, moving_ms=moving,
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
            when = clock(item.start_ms, tenths=True, hours=hours)
            if item.end_ms != item.start_ms:
                when += "–" + clock(item.end_ms, tenths=True, hours=hours)
            return f"{item.label} · {polarity_label(item.polarity)}\n{when}"
        if row.kind == "transcript":
            ms = self.ms_at(x)
            for _s, _e, speaker, words in self._segments.overlapping(ms, ms):
                return f"{speaker_label(speaker)}: {words.strip()}"
        return clock(self.ms_at(x), tenths=True, hours=hours)
