"""How the three kinds of moment and a moment's status look, beyond their colour.

Colour alone fails a reader with protanopia, a greyscale print and a washed-out projector,
so each kind has a shape, a glyph and (for context) a pattern of its own, the same on every
timeline (the workspace, the officer's feedback, the debrief), in the lists and in the
coding panel:

============== ================================ ======= ====================== =========
kind           span chip                        glyph   point (no length)      list text
============== ================================ ======= ====================== =========
good practice  a pill (fully rounded ends)      ✓       a circle               ✓
to learn from  square corners, a notched end    △       a triangle             △
context        pointed ends, hatched            ◇       a diamond              ◇
============== ================================ ======= ====================== =========

Status: a *draft* has a dashed outline; a *shared* moment (the officer can see it) carries
a filled dot in its top corner; a *final* one that is not shared has neither. Tooltips and
lists say it in words too (``STATUS_WORDS``).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from bwvreview.app.polarity import polarity_label
from bwvreview.ui.palette import KIND_COLOURS, KIND_TEXT_COLOURS

GOOD, CONCERN, CONTEXT = "good_practice", "concern", "observation"
KIND_GLYPHS = {GOOD: "✓", CONCERN: "△", CONTEXT: "◇"}
STATUS_WORDS = {"draft": "Draft (not shared)", "final": "Final (not shared)",
                "shared": "Shared with the officer"}  # fmt: skip
STATUS_SHORT = {"draft": "Draft", "final": "Final", "shared": "● Shared"}


def kind_text(polarity: str) -> str:
    """``✓ Good practice``: the glyph and the reviewer's word for a kind."""
    return f"{KIND_GLYPHS.get(polarity, '◇')} {polarity_label(polarity)}"


def status_text(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def _end_depth(rect: QRectF) -> float:
    return min(rect.height() / 3, rect.width() / 4)


def chip_path(polarity: str, rect: QRectF) -> QPainterPath:
    """The silhouette of a span chip of this kind in ``rect``."""
    path = QPainterPath()
    left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
    mid = rect.center().y()
    depth = _end_depth(rect)
    if polarity == GOOD:
        radius = min(rect.height(), rect.width()) / 2
        path.addRoundedRect(rect, radius, radius)
    elif polarity == CONCERN:  # square corners, a notch cut into the right end
        path.addPolygon(QPolygonF([QPointF(left, top), QPointF(right, top),
                                   QPointF(right - depth, mid), QPointF(right, bottom),
                                   QPointF(left, bottom), QPointF(left, top)]))  # fmt: skip
    else:  # context: pointed at both ends, like a tag
        path.addPolygon(QPolygonF([QPointF(left + depth, top), QPointF(right - depth, top),
                                   QPointF(right, mid), QPointF(right - depth, bottom),
                                   QPointF(left + depth, bottom), QPointF(left, mid),
                                   QPointF(left + depth, top)]))  # fmt: skip
    return path


def point_path(polarity: str, centre: QPointF, radius: float) -> QPainterPath:
    """A moment with no length: a circle, a triangle or a diamond."""
    x, y, r = centre.x(), centre.y(), radius
    path = QPainterPath()
    if polarity == GOOD:
        path.addEllipse(centre, r * 0.85, r * 0.85)
    elif polarity == CONCERN:
        path.addPolygon(QPolygonF([QPointF(x, y - r), QPointF(x + r, y + r * 0.8),
                                   QPointF(x - r, y + r * 0.8), QPointF(x, y - r)]))  # fmt: skip
    else:
        path.addPolygon(QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r),
                                   QPointF(x - r, y), QPointF(x, y - r)]))  # fmt: skip
    return path


def glyph_path(polarity: str, box: QRectF) -> QPainterPath:
    """The kind's glyph (✓, △, ◇) as lines to stroke inside ``box`` (fonts may lack them)."""
    path = QPainterPath()
    left, top, w, h = box.left(), box.top(), box.width(), box.height()
    if polarity == GOOD:
        path.moveTo(left + w * 0.1, top + h * 0.55)
        path.lineTo(left + w * 0.4, top + h * 0.85)
        path.lineTo(left + w * 0.95, top + h * 0.15)
    elif polarity == CONCERN:
        path.addPolygon(QPolygonF([QPointF(left + w / 2, top + h * 0.1),
                                   QPointF(left + w * 0.95, top + h * 0.9),
                                   QPointF(left + w * 0.05, top + h * 0.9),
                                   QPointF(left + w / 2, top + h * 0.1)]))  # fmt: skip
    else:
        path.addPolygon(QPolygonF([QPointF(left + w / 2, top), QPointF(left + w, top + h / 2),
                                   QPointF(left + w / 2, top + h), QPointF(left, top + h / 2),
                                   QPointF(left + w / 2, top)]))  # fmt: skip
    return path


def hatch_brush(colour: QColor) -> QBrush:
    """Context's pattern: fine diagonal lines."""
    return QBrush(colour, Qt.BrushStyle.BDiagPattern)


def outline_pen(colour: QColor, status: str, width: float = 1.4) -> QPen:
    """Solid for final and shared, dashed for a draft."""
    pen = QPen(colour, width)
    if status == "draft":
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([3.0, 2.0])
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def shared_dot(rect: QRectF) -> tuple[QPointF, float]:
    """Where the "shared with the officer" dot goes on a chip: its top right, inside."""
    radius = max(2.0, min(3.0, rect.height() / 6))
    depth = _end_depth(rect) if rect.width() > 4 * radius else 0
    return QPointF(rect.right() - depth - radius - 2.5, rect.top() + radius + 2), radius


def paint_chip(painter: QPainter, polarity: str, rect: QRectF, *, fill: QColor, line: QColor,
               status: str = "", pen: QPen | None = None) -> None:  # fmt: skip
    """One chip: its shape filled (hatched for context), its outline, the shared dot."""
    path = chip_path(polarity, rect)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawPath(path)
    if polarity == CONTEXT:
        painter.setBrush(hatch_brush(line))
        painter.setOpacity(painter.opacity() * 0.35)
        painter.drawPath(path)
        painter.setOpacity(painter.opacity() / 0.35)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(pen if pen is not None else outline_pen(line, status))
    painter.drawPath(path)
    if status == "shared" and rect.width() >= 14:
        centre, radius = shared_dot(rect)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(line)
        painter.drawEllipse(centre, radius, radius)


def paint_glyph(painter: QPainter, polarity: str, box: QRectF, colour: QColor) -> None:
    pen = QPen(colour, 1.6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(glyph_path(polarity, box))


def kind_icon(polarity: str, status: str = "", size: int = 16) -> QIcon:
    """A small picture of the kind's chip, for lists and the coding panel."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    line = QColor(KIND_TEXT_COLOURS.get(polarity, KIND_TEXT_COLOURS[CONTEXT]))
    hue = QColor(KIND_COLOURS.get(polarity, KIND_COLOURS[CONTEXT]))
    fill = QColor(hue)
    fill.setAlpha(110)
    rect = QRectF(1, size * 0.2, size - 2, size * 0.6)
    paint_chip(painter, polarity, rect, fill=fill, line=line, status=status)
    painter.end()
    return QIcon(pixmap)
