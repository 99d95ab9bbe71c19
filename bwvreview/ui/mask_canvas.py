"""A frame you can draw a rectangle on: where a manual mask (plate, document…) goes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

Box = tuple[float, float, float, float]


def bgr_pixmap(frame: np.ndarray) -> QPixmap:
    """A pixmap of an OpenCV/PyAV BGR frame (copied: the array may be reused)."""
    rgb = np.ascontiguousarray(frame[:, :, ::-1])
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, width * 3, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())


class MaskCanvas(QWidget):
    """Shows one frame scaled to fit; a drag draws a rectangle in the frame's pixels."""

    drawn = Signal(tuple)  # (x0, y0, x1, y1) in frame pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.pixmap: QPixmap | None = None
        self.frame_size = (0, 0)
        self.masks: list[tuple[str, Box]] = []
        self.drawn_box: Box | None = None  # the rectangle drawn last, in frame pixels
        self._drag_from: QPointF | None = None
        self.empty_text = "No frame shown yet"  # what to do, said by whoever shows the canvas

    def set_frame(self, frame: np.ndarray, masks: list[tuple[str, Box]]) -> None:
        self.pixmap = bgr_pixmap(frame)
        self.frame_size = (frame.shape[1], frame.shape[0])
        self.masks = masks
        self.update()

    def _target(self) -> QRectF:
        """Where the frame is drawn: as large as fits, centred, keeping its shape."""
        width, height = self.frame_size
        if not width or not height:
            return QRectF()
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _to_frame(self, point: QPointF) -> QPointF:
        target = self._target()
        width, height = self.frame_size
        x = (point.x() - target.x()) / target.width() * width
        y = (point.y() - target.y()) / target.height() * height
        return QPointF(min(max(x, 0.0), width), min(max(y, 0.0), height))

    def _to_widget(self, box: Box) -> QRectF:
        target = self._target()
        width, height = self.frame_size
        sx, sy = target.width() / width, target.height() / height
        return QRectF(
            target.x() + box[0] * sx, target.y() + box[1] * sy,
            (box[2] - box[0]) * sx, (box[3] - box[1]) * sy,
        )  # fmt: skip

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.pixmap is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = self._to_frame(event.position())
            self.drawn_box = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is not None:
            self.drawn_box = self._box(self._drag_from, self._to_frame(event.position()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is None:
            return
        box = self._box(self._drag_from, self._to_frame(event.position()))
        self._drag_from = None
        if box[2] - box[0] >= 2 and box[3] - box[1] >= 2:
            self.drawn_box = box
            self.drawn.emit(box)
        self.update()

    @staticmethod
    def _box(a: QPointF, b: QPointF) -> Box:
        return (
            round(min(a.x(), b.x())), round(min(a.y(), b.y())),
            round(max(a.x(), b.x())), round(max(a.y(), b.y())),
        )  # fmt: skip

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self._area(), self.palette().window())
        if self.pixmap is None:
            painter.drawText(
                self._area(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            return
        painter.drawPixmap(self._target(), self.pixmap, QRectF(self.pixmap.rect()))
        painter.setPen(QPen(QColor("#f2c14e"), 2))
        for label, box in self.masks:
            area = self._to_widget(box)
            painter.fillRect(area, QColor(0, 0, 0, 150))
            painter.drawRect(area)
            painter.drawText(area.adjusted(3, 2, 0, 0), label)
        if self.drawn_box is not None:
            painter.setPen(QPen(QColor("#e4572e"), 2, Qt.PenStyle.DashLine))
            painter.drawRect(self._to_widget(self.drawn_box))

    def _area(self) -> QRectF:
        return QRectF(0, 0, self.width(), self.height())
