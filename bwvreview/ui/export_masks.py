"""The export dialog's masks page: draw rectangles over what identifies someone (a number
plate, a document), with keyframes if it moves. Masks are kept with the recording."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, clip_plan
from bwvreview.app import clip_workflow as clips
from bwvreview.timecode import clock
from bwvreview.ui.mask_canvas import MaskCanvas

# Runs work off the GUI thread: (work, on progress, on done).
Run = Callable[
    [Callable[[threading.Event], Generator[Any, None, Any]], Callable[[Any], None],
     Callable[[Any], None]],
    None,
]  # fmt: skip


class MaskPanel(QWidget):
    """Draw, extend and delete the recording's masks on a frame of the span."""

    def __init__(self, lib: Library, recording: Any, span_ms: tuple[int, int], run: Run,
                 say: Callable[[str], None]) -> None:  # fmt: skip
        super().__init__()
        self.lib, self.recording, self._run, self._say = lib, recording, run, say
        start_ms, end_ms = span_ms
        box = QVBoxLayout(self)
        hint = QLabel(
            "A number plate, a document, a house number: show a frame, drag a rectangle over"
            " it and press “New mask”. If it moves, show another moment, draw it again and"
            " press “Add keyframe”: the box glides between them. Masks are kept with the"
            " recording, so every clip hides them."
        )
        hint.setWordWrap(True)
        box.addWidget(hint)
        row = QHBoxLayout()
        self.mask_time = QSlider(Qt.Orientation.Horizontal)
        self.mask_time.setRange(start_ms, max(start_ms + 1, end_ms))
        self.mask_time.setPageStep(1000)
        self.mask_time_label = QLabel(clock(start_ms, tenths=True))
        self.mask_time.valueChanged.connect(
            lambda v: self.mask_time_label.setText(clock(v, tenths=True))
        )
        self.mask_time.sliderReleased.connect(self.load_frame)
        self.show_frame_button = QPushButton("Show this frame")
        self.show_frame_button.clicked.connect(self.load_frame)
        row.addWidget(self.mask_time, 1)
        row.addWidget(self.mask_time_label)
        row.addWidget(self.show_frame_button)
        box.addLayout(row)
        self.canvas = MaskCanvas()
        self.canvas.empty_text = (
            "Move the slider to a moment and press “Show this frame”,\n"
            "then drag a rectangle over what to hide."
        )
        box.addWidget(self.canvas, 1)
        row = QHBoxLayout()
        self.mask_label = QLineEdit()
        self.mask_label.setPlaceholderText("what it hides, e.g. number plate")
        self.mask_mode = QComboBox()
        for mode in ("box", "blur", "pixelate"):
            self.mask_mode.addItem(mode)
        new, add, delete = (QPushButton(t) for t in ("New mask", "Add keyframe", "Delete"))
        new.clicked.connect(self.new_mask)
        add.clicked.connect(self.add_keyframe)
        delete.clicked.connect(self.delete_mask)
        for widget in (self.mask_label, self.mask_mode, new, add, delete):
            row.addWidget(widget)
        box.addLayout(row)
        self.mask_list = QListWidget()
        self.mask_list.setMaximumHeight(90)
        box.addWidget(self.mask_list)
        self._show_masks()

    def set_span(self, span_ms: tuple[int, int]) -> None:
        """Frames to draw on come from this span (the clip, with its lead-in and lead-out)."""
        start_ms, end_ms = span_ms
        self.mask_time.setRange(start_ms, max(start_ms + 1, end_ms))

    def _show_masks(self, select_id: int | None = None) -> None:
        self.mask_list.clear()
        for mask in clip_plan.region_masks(self.lib, self.recording.id):
            keys = len(mask.keyframes)
            item = QListWidgetItem(
                f"{mask.label or 'mask'} ({mask.mode}): {keys} keyframe{'s' * (keys != 1)},"
                f" {clock(mask.start_ms, tenths=True)} – {clock(mask.end_ms, tenths=True)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, mask.id)
            self.mask_list.addItem(item)
            if mask.id == select_id:
                self.mask_list.setCurrentItem(item)

    def load_frame(self) -> None:
        at = self.mask_time.value()
        recording = self.recording

        def work(_cancel: threading.Event) -> Generator[Any, None, Any]:
            yield 0.0
            return clips.frame_at(recording, at)

        self._run(work, lambda _step: None, lambda frame: self._show_frame(at, frame))

    def _show_frame(self, at: int, frame: np.ndarray) -> None:
        shown = []
        for mask in clips.drawn_masks(self.lib, self.recording.id):
            box = mask.box_at(at)
            if box is not None:
                shown.append((mask.label or "mask", box))
        self.canvas.set_frame(frame, shown)
        self._say("Drag on the frame to draw a rectangle.")

    def _drawn_keyframe(self) -> tuple[int, float, float, float, float] | None:
        box = self.canvas.drawn_box
        if box is None:
            self._say("Draw a rectangle on the frame first.")
            return None
        return (self.mask_time.value(), *box)

    def new_mask(self) -> None:
        keyframe = self._drawn_keyframe()
        if keyframe is None:
            return
        mask = clip_plan.save_region_mask(
            self.lib, self.recording.id, [keyframe],
            label=self.mask_label.text().strip(), mode=self.mask_mode.currentText(),
        )  # fmt: skip
        self._after_change(mask.id)

    def add_keyframe(self) -> None:
        item = self.mask_list.currentItem()
        keyframe = self._drawn_keyframe()
        if item is None or keyframe is None:
            if item is None:
                self._say("Choose the mask in the list to add a keyframe to.")
            return
        masks = clip_plan.region_masks(self.lib, self.recording.id)
        mask = next(m for m in masks if m.id == item.data(Qt.ItemDataRole.UserRole))
        frames = [k for k in mask.keyframes if k[0] != keyframe[0]] + [keyframe]
        clip_plan.save_region_mask(self.lib, self.recording.id, frames, label=mask.label,
                                   mode=mask.mode, mask_id=mask.id)  # fmt: skip
        self._after_change(mask.id)

    def delete_mask(self) -> None:
        item = self.mask_list.currentItem()
        if item is None:
            return
        clip_plan.delete_region_mask(self.lib, int(item.data(Qt.ItemDataRole.UserRole)))
        self._after_change(None)

    def _after_change(self, mask_id: int | None) -> None:
        self.canvas.drawn_box = None
        self._show_masks(mask_id)
        self.load_frame()
