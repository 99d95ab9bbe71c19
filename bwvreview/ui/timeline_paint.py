"""How the timeline paints itself: backgrounds, ruler, waveform, who spoke, lanes, the
span being drawn, the selected span, the playhead and the lane labels.

A mixin of ``TimelineWidget`` (its state is the widget's); kept apart so the widget's own
module is about layout, the view and input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPen, QPolygonF

from bwvreview.timecode import clock
from bwvreview.ui.timeline_style import (
    BASE,
    LABEL_SPACING_PX,
    LEFT_MIDDLE,
    NARROW_PX,
    RULER_PX,
    TEXT,
    TICK_STEPS_MS,
    WINDOW,
    WINDOWTEXT,
    SpanIndex,
    TimelineStyle,
    merge_runs,
    mix,
    speaker_colour,
)

GUTTER_QUIET = 0.6  # "Sound" and "Transcript" are quieter than the lanes' names
RULER_TEXT = 0.75  # the ruler's times: text mixed this far from the window colour
WAVE_COLOURS = ("#5B7290", "#8FA6C6")  # on a light base, on a dark one
ECHO_GAP_PX = 4  # second-principle bands this close are drawn as one


class TimelinePainting:
    """The ``_paint_*`` steps of ``TimelineWidget.paintEvent``."""

    def _colour(self, role: QPalette.ColorRole) -> QColor:
        return self.palette().color(role)

    def contrast_pairs(self) -> list[tuple[str, QColor, QColor, str]]:
        """Everything this timeline writes or draws, on what: (name, fg, bg, kind) for the
        contrast test (kind: "text" 4.5:1, "graphic" 3:1)."""
        base, window = self._colour(BASE), self._colour(WINDOW)
        text, window_text = self._colour(TEXT), self._colour(WINDOWTEXT)
        pairs = [("lane name", window_text, window, "text"),
                 ("Sound and Transcript", mix(window, window_text, GUTTER_QUIET), window, "text"),
                 ("ruler time", mix(window, window_text, RULER_TEXT), window, "text"),
                 ("waveform", self._wave_colour(), base, "graphic"),
                 ("playhead", text, base, "graphic")]  # fmt: skip
        for speaker in ("wearer", "other", "Speaker 3"):
            fill = mix(base, QColor(speaker_colour(speaker)), 0.22)
            pairs.append((f"{speaker}'s words", text, fill, "text"))
        return pairs + self.style_now().contrast_pairs()

    def _wave_colour(self) -> QColor:
        base = self._colour(BASE)
        return mix(base, WAVE_COLOURS[base.lightness() < 128], 0.8)

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
        return font

    def _paint_backgrounds(self, p: QPainter, dirty: QRect) -> None:
        base, window = self._colour(BASE), self._colour(WINDOW)
        alternate = mix(base, self._colour(TEXT), 0.035)
        line = mix(base, self._colour(TEXT), 0.13)
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
        p.fillRect(QRect(0, 0, self._gutter_px, self._content_h) & dirty, window)
        # one-pixel lines as fillRect: drawLine is ~100x slower under a widget's clip region
        p.fillRect(QRect(self._gutter_px - 1, 0, 1, self._content_h), line)

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
        p.setPen(QPen(mix(self._colour(WINDOW), text, 0.45), 1))
        p.drawLines([QLineF(x, top, x, RULER_PX - 1) for x, top in ticks])
        grid_colour = mix(self._colour(BASE), text, 0.07)
        for x in grid:
            p.fillRect(QRect(int(x), RULER_PX, 1, self._content_h - RULER_PX), grid_colour)
        p.setFont(self._small_font())
        p.setPen(mix(self._colour(WINDOW), text, RULER_TEXT))
        hours = self._limit_ms() >= 3_600_000
        for x, t in labels:
            label = clock(t, tenths=major < 1000, hours=hours)
            p.drawText(QRectF(x + 4, 2, LABEL_SPACING_PX, RULER_PX - 9),
                       LEFT_MIDDLE, label)  # fmt: skip

    def _paint_waveform(self, p: QPainter, plot: QRect) -> None:
        row = self._rows[1]
        mid = row.top + row.height / 2
        base = self._colour(BASE)
        colour = self._wave_colour()
        p.fillRect(QRect(plot.left(), int(mid), plot.width(), 1), mix(base, colour, 0.5))
        if self._peaks is None:
            return
        x0, x1 = plot.left(), min(plot.right() + 1, self._gutter_px + self._plot_width())
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

    def _visible(self, index: SpanIndex, t0: float, t1: float) -> tuple[slice, Any, Any, Any]:
        """The slice of ``index`` to paint, the x of its starts and ends, and which to keep."""
        part = index.window(t0, t1) if self.culls else slice(0, len(index.payloads))
        start, end = self._view
        scale = self._plot_width() / max(end - start, 1)
        xa = self._gutter_px + (index.starts[part] - start) * scale
        xb = self._gutter_px + (index.ends[part] - start) * scale
        keep = index.ends[part] >= t0 if self.culls else np.ones(xa.size, dtype=bool)
        return part, xa, xb, keep

    def _paint_segments(self, p: QPainter, style: TimelineStyle, t0: float, t1: float) -> None:
        row, index = self._rows[2], self._segments
        if row.height <= 0:  # the transcript row is hidden
            return
        part, xa, xb, keep = self._visible(index, t0, t1)
        top, height = row.top + 3, row.height - 6
        narrow = keep & (xb - xa < NARROW_PX)
        codes = index.codes[part]
        hues = [QColor(speaker_colour(speaker)) for speaker in index.kinds]
        fills = [mix(style.base, hue, 0.22) for hue in hues]
        for code, fill in enumerate(fills):
            chosen = narrow & (codes == code)
            for x0, x1 in merge_runs(xa[chosen], xb[chosen]):
                p.fillRect(QRectF(x0, top, max(x1 - x0 - 1, 1), height), fill)
        for i in np.flatnonzero(keep & ~narrow).tolist():
            x0, x1, code = float(xa[i]), float(xb[i]), int(codes[i])
            rect = QRectF(x0, top, max(x1 - x0 - 1, 1), height)
            p.fillRect(rect, fills[code])
            p.fillRect(QRectF(x0, top, 2.0, height), hues[code])
            style.label(p, rect, index.payloads[part.start + i][3].strip(), 5)

    def _paint_lanes(self, p: QPainter, style: TimelineStyle, t0: float, t1: float) -> None:
        chosen = self._items.get(self._selected) if self._selected is not None else None
        dragged = self._drag.item if self._drag else None
        hidden = [item.id for item in (chosen, dragged) if item is not None]
        for row in self._rows[3:]:
            self._paint_echoes(p, style, row, t0, t1, hidden)
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
                for x0, x1 in merge_runs(xa[runs], xb[runs]):
                    style.run(p, row, polarity, x0, x1)
            points_drawn: set[tuple[int, int]] = set()
            for i in np.flatnonzero(keep & ~narrow).tolist():
                x0, code = float(xa[i]), int(codes[i])
                if not spans[i] and (round(x0), code) in points_drawn:
                    continue  # one point per pixel is enough
                points_drawn.add((round(x0), code))
                item = index.payloads[part.start + i]
                also = self.also_under(item) if len(item.lanes) > 1 else ""
                room = self._room_after(index, part.start + i, float(xb[i]))
                style.item(p, row, item, x0, float(xb[i]), also=also, room=room)
        if chosen is not None and dragged is None:
            self._paint_item_everywhere(p, style, chosen, chosen.start_ms, chosen.end_ms)

    def _room_after(self, index: SpanIndex, position: int, xb: float) -> float:
        """Free pixels right of a chip before the next one in its lane starts: a label too
        long for a short chip is written there instead of being cut to "Tr…"."""
        starts = index.starts
        if position + 1 < len(starts) and starts[position + 1] < index.ends[position]:
            return 0.0  # the next one overlaps this one
        later = int(np.searchsorted(starts, starts[position], side="right"))
        limit = self.x_for_ms(float(starts[later])) if later < len(starts) else self.width()
        return limit - xb

    def _room_for(self, lane: str, item_id: int, xb: float) -> float:
        index = self._lane_index.get(lane)
        found = np.flatnonzero(index.ids == item_id) if index is not None else ()
        return self._room_after(index, int(found[0]), xb) if len(found) else 0.0

    def _paint_echoes(self, p: QPainter, style: TimelineStyle, row: Any, t0: float, t1: float,
                      hidden: list[int]) -> None:  # fmt: skip
        """The bands of annotations drawn in another lane and also under this one."""
        index = self._echo_index.get(row.key)
        if index is None or not index.payloads:
            return
        part, xa, xb, keep = self._visible(index, t0, t1)
        keep &= ~np.isin(index.ids[part], hidden)
        codes = index.codes[part]
        for code, polarity in enumerate(index.kinds):  # bands that touch are one band
            chosen = keep & (codes == code)
            ends = np.maximum(xb[chosen], xa[chosen] + 3)
            for x0, x1 in merge_runs(xa[chosen], ends, gap_px=ECHO_GAP_PX):
                style.echo(p, row, polarity, x0, x1)

    def _paint_item_everywhere(self, p: QPainter, style: TimelineStyle, item: Any,
                               start_ms: int, end_ms: int) -> None:  # fmt: skip
        """A selected or dragged annotation, on top: its chip and its bands."""
        first, others = self.placement(item)
        xa, xb = self.x_for_ms(start_ms), self.x_for_ms(end_ms)
        for row in self._rows[3:]:
            if row.key == first:
                room = self._room_for(row.key, item.id, xb)
                style.item(p, row, item, xa, xb, selected=True, also=self.also_under(item),
                           room=room)  # fmt: skip
            elif row.key in others:
                style.echo(p, row, item.polarity, xa, max(xb, xa + 3), selected=True)

    def _paint_drag(self, p: QPainter, style: TimelineStyle) -> None:
        drag = self._drag
        if drag is None or drag.kind in ("seek", "span") or not drag.moved:
            return
        start, end = drag.span()
        if drag.item is not None:
            self._paint_item_everywhere(p, style, drag.item, start, end)
            return
        xa, xb = self.x_for_ms(start), self.x_for_ms(end)
        for row in self._rows[3:]:
            if row.key == drag.lane:
                fill = QColor(style.highlight)
                fill.setAlpha(60)
                p.setPen(QPen(style.highlight, 1, Qt.PenStyle.DashLine))
                p.setBrush(fill)
                p.drawRect(QRectF(xa, row.top + 2.5, max(xb - xa, 1), row.height - 5))

    def _paint_span(self, p: QPainter, style: TimelineStyle) -> None:
        """The selected span of time: a shaded band over every row, edged top to bottom."""
        if self._span is None:
            return
        xa, xb = self.x_for_ms(self._span[0]), self.x_for_ms(self._span[1])
        fill = QColor(style.highlight)
        fill.setAlpha(45)
        p.fillRect(QRectF(xa, RULER_PX, max(xb - xa, 1), self._content_h - RULER_PX), fill)
        p.fillRect(QRectF(xa, 0, max(xb - xa, 1), RULER_PX), QColor(style.highlight))
        edge = QPen(style.highlight, 1.5)
        p.setPen(edge)
        p.drawLine(QPointF(xa, 0), QPointF(xa, self._content_h))
        p.drawLine(QPointF(xb, 0), QPointF(xb, self._content_h))

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
        gutter = self._gutter_px
        for row in (row for row in self._rows[1:] if row.height > 0):
            p.setPen(text if row.kind == "lane" else mix(window, text, GUTTER_QUIET))
            shown = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, gutter - 14)
            p.drawText(QRect(12, row.top, gutter - 12, row.height),
                       LEFT_MIDDLE, shown)  # fmt: skip

    # --- interaction ----------------------------------------------------------------------
