"""How the timeline paints itself: backgrounds, ruler, waveform, who spoke, lanes, the
span being drawn, the playhead and the lane labels.

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
    GUTTER_PX,
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


class TimelinePainting:
    """The ``_paint_*`` steps of ``TimelineWidget.paintEvent``."""

    def _colour(self, role: QPalette.ColorRole) -> QColor:
        return self.palette().color(role)

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
        p.setPen(QPen(mix(self._colour(WINDOW), text, 0.45), 1))
        p.drawLines([QLineF(x, top, x, RULER_PX - 1) for x, top in ticks])
        grid_colour = mix(self._colour(BASE), text, 0.07)
        for x in grid:
            p.fillRect(QRect(int(x), RULER_PX, 1, self._content_h - RULER_PX), grid_colour)
        p.setFont(self._small_font())
        p.setPen(mix(self._colour(WINDOW), text, 0.75))
        hours = self._limit_ms() >= 3_600_000
        for x, t in labels:
            label = clock(t, tenths=major < 1000, hours=hours)
            p.drawText(QRectF(x + 4, 2, LABEL_SPACING_PX, RULER_PX - 9),
                       LEFT_MIDDLE, label)  # fmt: skip

    def _paint_waveform(self, p: QPainter, plot: QRect) -> None:
        row = self._rows[1]
        mid = row.top + row.height / 2
        base = self._colour(BASE)
        colour = mix(base, "#5B7290", 0.8)
        p.fillRect(QRect(plot.left(), int(mid), plot.width(), 1), mix(base, colour, 0.5))
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

    def _visible(self, index: SpanIndex, t0: float, t1: float) -> tuple[slice, Any, Any, Any]:
        """The slice of ``index`` to paint, the x of its starts and ends, and which to keep."""
        part = index.window(t0, t1) if self.culls else slice(0, len(index.payloads))
        start, end = self._view
        scale = self._plot_width() / max(end - start, 1)
        xa = GUTTER_PX + (index.starts[part] - start) * scale
        xb = GUTTER_PX + (index.ends[part] - start) * scale
        keep = index.ends[part] >= t0 if self.culls else np.ones(xa.size, dtype=bool)
        return part, xa, xb, keep

    def _paint_segments(self, p: QPainter, style: TimelineStyle, t0: float, t1: float) -> None:
        row, index = self._rows[2], self._segments
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
                    continue  # one diamond per pixel is enough
                points_drawn.add((round(x0), code))
                style.item(p, row, index.payloads[part.start + i], x0, float(xb[i]))
            if chosen is not None and dragged is None and row.key in self._lanes_of(chosen):
                x0, x1 = self.x_for_ms(chosen.start_ms), self.x_for_ms(chosen.end_ms)
                style.item(p, row, chosen, x0, x1, selected=True)

    def _paint_drag(self, p: QPainter, style: TimelineStyle) -> None:
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
            p.setPen(text if row.kind == "lane" else mix(window, text, 0.6))
            shown = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, GUTTER_PX - 20)
            p.drawText(QRect(12, row.top, GUTTER_PX - 16, row.height),
                       LEFT_MIDDLE, shown)  # fmt: skip

    # --- interaction ----------------------------------------------------------------------
