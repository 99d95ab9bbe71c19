"""Charts drawn with fpdf2's own primitives (rectangles, lines, text) for printed reports.

Every bar carries its number as text, and series differ by pattern as well as shade
(solid, hatched, dotted), so a chart reads the same printed in black and white or by
someone who does not see colour. A figure that is not shown ("<5", blank) gets no bar,
only its words: a chart never draws what a table suppresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from bwvreview.annotations.programme.disclosure import Cell
from bwvreview.app.handout_pdf import ACCENT, FONT, INK, latin1

PATTERNS = ("solid", "hatch", "dots")
SHADES = {"solid": ACCENT, "hatch": (120, 120, 120), "dots": (90, 90, 90)}
GRID = (205, 205, 205)


@dataclass(frozen=True)
class Series:
    name: str
    cells: Sequence[Cell]
    pattern: str = "solid"  # one of PATTERNS


def fill(doc: FPDF, x: float, y: float, w: float, h: float, pattern: str) -> None:
    """A bar: solid, or outlined and filled with diagonal hatching or dots."""
    if w <= 0 or h <= 0:
        return
    shade = SHADES.get(pattern, ACCENT)
    doc.set_draw_color(*shade)
    doc.set_line_width(0.25)
    if pattern == "solid":
        doc.set_fill_color(*shade)
        doc.rect(x, y, w, h, style="DF")
        return
    doc.set_fill_color(255, 255, 255)
    doc.rect(x, y, w, h, style="DF")
    with doc.rect_clip(x, y, w, h):
        if pattern == "hatch":
            step, t = 1.6, -h
            while t < w:
                doc.line(x + t, y + h, x + t + h, y)
                t += step
        else:
            doc.set_fill_color(*shade)
            row, yy = 0, y + 0.8
            while yy < y + h:
                xx = x + (0.8 if row % 2 else 1.6)
                while xx < x + w:
                    doc.rect(xx - 0.25, yy - 0.25, 0.5, 0.5, style="F")
                    xx += 1.6
                yy += 1.2
                row += 1
    doc.rect(x, y, w, h, style="D")


def _title(doc: FPDF, title: str) -> None:
    doc.set_font(FONT, "B", 11)
    doc.set_text_color(*INK)
    doc.multi_cell(0, 6, latin1(title), new_x="LMARGIN", new_y="NEXT")
    doc.ln(1)


def _room(doc: FPDF, height: float) -> None:
    if doc.get_y() + height > doc.h - doc.b_margin:
        doc.add_page()


def legend(doc: FPDF, series: Sequence[Series]) -> None:
    x = doc.l_margin
    y = doc.get_y()
    doc.set_font(FONT, "", 8)
    doc.set_text_color(*INK)
    for s in series:
        fill(doc, x, y + 0.8, 6, 3.4, s.pattern)
        doc.set_xy(x + 7.5, y)
        label = latin1(s.name)
        doc.cell(doc.get_string_width(label) + 2, 5, label)
        x += 7.5 + doc.get_string_width(label) + 8
    doc.set_xy(doc.l_margin, y + 7)


def hbar_chart(
    doc: FPDF, title: str, rows: Sequence[tuple[str, Cell]], *, label_width: float = 70
) -> None:
    """One horizontal bar per row, its number at its end (or its words, with no bar)."""
    bar_h, gap = 5.0, 2.0
    _room(doc, 12 + len(rows) * (bar_h + gap))
    _title(doc, title)
    x0 = doc.l_margin + label_width
    width = doc.w - doc.r_margin - x0 - 18
    top = max((c.value for _, c in rows if c.value is not None), default=0) or 1
    doc.set_font(FONT, "", 8.5)
    for label, cell in rows:
        y = doc.get_y()
        doc.set_text_color(*INK)
        doc.set_xy(doc.l_margin, y)
        doc.cell(label_width - 2, bar_h, latin1(label), align="R")
        length = width * cell.value / top if cell.value is not None else 0
        fill(doc, x0, y, length, bar_h, "solid")
        doc.set_xy(x0 + length + 1.5, y)
        doc.cell(40, bar_h, latin1(cell.text))
        doc.set_xy(doc.l_margin, y + bar_h + gap)
    doc.ln(3)


def grouped_bars(
    doc: FPDF,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    axis: str = "",
    height: float = 55,
    top: float | None = None,
) -> None:
    """Vertical bars, one group per label and one bar per series, each numbered."""
    _room(doc, height + 30)
    _title(doc, title)
    legend(doc, series)
    x0, y0 = doc.l_margin + 12, doc.get_y() + 4
    width = doc.w - doc.r_margin - x0
    values = [c.value for s in series for c in s.cells if c.value is not None]
    top = top or max(values, default=0) or 1
    base = y0 + height
    doc.set_draw_color(*GRID)
    doc.set_font(FONT, "", 7)
    doc.set_text_color(*INK)
    for tick in (0, 0.5, 1):
        y = base - height * tick
        doc.line(x0, y, x0 + width, y)
        doc.set_xy(doc.l_margin, y - 2)
        doc.cell(11, 4, _number(top * tick), align="R")
    group_w = width / max(len(labels), 1)
    bar_w = min(12.0, group_w * 0.8 / max(len(series), 1))
    for g, label in enumerate(labels):
        left = x0 + g * group_w + (group_w - bar_w * len(series)) / 2
        for i, s in enumerate(series):
            cell = s.cells[g]
            x = left + i * bar_w
            h = height * cell.value / top if cell.value is not None else 0
            fill(doc, x + 0.4, base - h, bar_w - 0.8, h, s.pattern)
            doc.set_xy(x - 2, base - h - 4.2)
            doc.cell(bar_w + 4, 4, latin1(cell.text or "-"), align="C")
        doc.set_xy(x0 + g * group_w, base + 1)
        doc.multi_cell(group_w, 3.4, latin1(label), align="C", new_x="RIGHT", new_y="TOP")
    doc.set_xy(doc.l_margin, base + 9)
    if axis:
        doc.set_font(FONT, "I", 7.5)
        doc.multi_cell(0, 4, latin1(axis), new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)


def interval_chart(
    doc: FPDF, title: str, rows: Sequence[tuple[str, Cell, Cell, Cell]], *, label_width: float = 62
) -> None:
    """A share (0-100 %) per row as a bar with its 95 % interval as a whisker."""
    bar_h, gap = 4.6, 2.4
    _room(doc, 18 + len(rows) * (bar_h + gap))
    _title(doc, title)
    x0 = doc.l_margin + label_width
    width = doc.w - doc.r_margin - x0 - 30
    doc.set_font(FONT, "", 7)
    doc.set_draw_color(*GRID)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = x0 + width * tick
        doc.line(x, doc.get_y(), x, doc.get_y() + len(rows) * (bar_h + gap))
    for label, share, low, high in rows:
        y = doc.get_y()
        doc.set_font(FONT, "", 8)
        doc.set_text_color(*INK)
        doc.set_xy(doc.l_margin, y)
        doc.cell(label_width - 2, bar_h, latin1(label), align="R")
        if share.value is None:
            doc.set_xy(x0 + 1, y)
            doc.cell(width, bar_h, "not shown (fewer than 5)")
        else:
            fill(doc, x0, y, width * share.value, bar_h, "solid")
            doc.set_draw_color(*INK)
            doc.set_line_width(0.4)
            lo, hi = x0 + width * (low.value or 0), x0 + width * (high.value or 0)
            mid = y + bar_h / 2
            doc.line(lo, mid, hi, mid)
            doc.line(lo, mid - 1.4, lo, mid + 1.4)
            doc.line(hi, mid - 1.4, hi, mid + 1.4)
            doc.set_xy(x0 + width + 2, y)
            doc.cell(30, bar_h, latin1(f"{share.text} ({low.text}-{high.text})"))
        doc.set_xy(doc.l_margin, y + bar_h + gap)
    doc.set_font(FONT, "I", 7.5)
    y = doc.get_y()
    for tick in (0, 25, 50, 75, 100):
        doc.set_xy(x0 + width * tick / 100 - 6, y)
        doc.cell(12, 4, f"{tick}%", align="C")
    doc.set_xy(doc.l_margin, y + 7)


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
