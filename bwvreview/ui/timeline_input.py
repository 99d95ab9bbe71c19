"""How the timeline answers the mouse, the wheel, keys, tooltips and its context menu.

A mixin of ``TimelineWidget`` (its state is the widget's); kept apart so the widget's own
module is about layout and the view.

- ruler: click or drag to seek;
- waveform and transcript rows: click to seek, drag to select a span of time;
- a lane: click a chip to select it, drag its edge to resize, drag on empty lane to draw;
- wheel scrolls in time, Ctrl+wheel zooms around the mouse;
- right-click: hide this lane, or show the hidden ones.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QMenu, QToolTip

from bwvreview.app.review import speaker_label
from bwvreview.timecode import clock
from bwvreview.ui.kind_marks import KIND_GLYPHS, status_text
from bwvreview.ui.timeline_style import (
    DIAMOND_PX,
    DRAG_PX,
    EDGE_PX,
    MIN_SPAN_MS,
    TRANSCRIPT_LANE,
    WHEEL_SCROLL,
    WHEEL_ZOOM,
    Drag,
    TimelineItem,
)


class TimelineInput:
    """The input handlers of ``TimelineWidget``."""

    def _hit(self, key: str, x: float) -> tuple[TimelineItem | None, str]:
        """The annotation under ``x`` in lane ``key`` (its chip there, or the band of one
        drawn in another lane) and the part hit: left, right, body."""
        reach = EDGE_PX + DIAMOND_PX
        found = []
        for index in (self._lane_index.get(key), self._echo_index.get(key)):
            if index is not None:
                found += index.overlapping(self.ms_at(x - reach), self.ms_at(x + reach))
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
        if event.button() != Qt.MouseButton.LeftButton or row is None or x < self._gutter_px:
            super().mousePressEvent(event)
            return
        ms = self._clamp_ms(self.ms_at(x))
        if row.kind == "ruler":
            self._drag = Drag("seek", x)
            self._seek(ms)
            return
        if row.kind != "lane":  # waveform, transcript: a click seeks, a drag selects a span
            self._drag = Drag("span", x, anchor_ms=ms, moving_ms=ms)
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
        elif drag.kind == "span":
            if drag.moved:
                self.set_selected_span(drag.anchor_ms, ms)
        elif drag.moved:
            drag.moving_ms = ms
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        drag.moved = drag.moved or abs(x - drag.press_x) >= DRAG_PX
        if drag.kind == "span":  # a drag selects a span; a click lets it go
            end_ms = self._clamp_ms(self.ms_at(x))
            self.set_selected_span(*((drag.anchor_ms, end_ms) if drag.moved else (None, None)))
        if drag.kind in ("seek", "span") or not drag.moved:
            self.update()
            return
        drag.moving_ms = self._clamp_ms(self.ms_at(x))
        start, end = drag.span()
        if drag.kind == "draw":
            self.update()
            self.annotation_drawn.emit(drag.lane, start, end)
        elif drag.item is not None and (start, end) != (drag.item.start_ms, drag.item.end_ms):
            moved = TimelineItem(drag.item.id, start, end, drag.item.lanes, drag.item.polarity,
                                 drag.item.label, drag.item.status)  # fmt: skip
            self._items[moved.id] = moved  # shown where dropped until the controller answers
            self._reindex()
            self.update()
            self.annotation_resized.emit(moved.id, start, end)
        else:
            self.update()

    def _update_cursor(self, x: float, y: float) -> None:
        row = self._row_at(y)
        part = ""
        if row is not None and row.kind == "lane" and x >= self._gutter_px:
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
        elif key == Qt.Key.Key_Escape and self._span is not None:
            self.set_selected_span(None, None)
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
            gutter = self._gutter_px
            x = min(max(event.position().x(), gutter), gutter + self._plot_width())
            share = (x - gutter) / self._plot_width()
            new_span = span * WHEEL_ZOOM**notches
            new_span = min(max(new_span, MIN_SPAN_MS), max(self._limit_ms(), MIN_SPAN_MS))
            self._apply_view(start + share * span - share * new_span, new_span)
        else:
            self._apply_view(start - notches * span * WHEEL_SCROLL, span)
        self._user_moved_view()
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        self.lanes_menu(self._row_at(event.pos().y())).exec(event.globalPos())

    def lanes_menu(self, row: object = None) -> QMenu:
        """Hide the lane under the mouse; show or hide any lane; show them all."""
        menu = QMenu(self)
        if row is not None and getattr(row, "kind", "") == "lane":
            hide = QAction(f"Hide the lane “{row.label}”", menu)
            hide.triggered.connect(lambda: self.set_lane_hidden(row.key, True))
            menu.addAction(hide)
            menu.addSeparator()
        for key, label in self._lanes:
            action = QAction(label, menu)
            action.setCheckable(True)
            action.setChecked(key not in self._hidden)
            action.toggled.connect(lambda on, k=key: self.set_lane_hidden(k, not on))
            menu.addAction(action)
        menu.addSeparator()
        every = QAction("Show every lane", menu)
        kept = self._hidden & {TRANSCRIPT_LANE}  # the window hides an empty transcript
        every.setEnabled(bool(self._hidden - kept))
        every.triggered.connect(lambda: self.set_hidden_lanes(kept))
        menu.addAction(every)
        return menu

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_at(event.pos().x(), event.pos().y())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def describe(self, item: TimelineItem) -> str:
        """An annotation in words: what, which kind, when, its status, its other lanes."""
        hours = self._limit_ms() >= 3_600_000
        when = clock(item.start_ms, tenths=True, hours=hours)
        if item.end_ms != item.start_ms:
            when += "–" + clock(item.end_ms, tenths=True, hours=hours)
        kind = f"{KIND_GLYPHS.get(item.polarity, '')} {self.kind_words(item.polarity)}".strip()
        lines = [f"{item.label} · {kind}", when]
        if item.status:
            lines.append(status_text(item.status))
        first, others = self.placement(item)
        if others:
            named = ", ".join(self._lane_labels.get(k, k) for k in others)
            lines.append(f"Drawn under {self._lane_labels.get(first, first)}; also {named}")
        return "\n".join(lines)

    def _tooltip_at(self, x: float, y: float) -> str:
        row = self._row_at(y)
        if row is None or x < self._gutter_px:
            if row is not None and row.kind == "lane":
                return f"{row.label} (right-click to hide lanes)"
            return row.label if row is not None else ""
        hours = self._limit_ms() >= 3_600_000
        if row.kind == "lane":
            item, _part = self._hit(row.key, x)
            return self.describe(item) if item is not None else ""
        if row.kind == "transcript":
            ms = self.ms_at(x)
            for _s, _e, speaker, words in self._segments.overlapping(ms, ms):
                return f"{speaker_label(speaker)}: {words.strip()}"
        return clock(self.ms_at(x), tenths=True, hours=hours)
