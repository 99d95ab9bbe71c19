"""The export's third step: a frame before and after, and what the clip will hide, in words,
with anything left in on purpose said again."""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bwvreview.ui.export_people import scaled_pixmap

PREVIEW_W = 320


class CheckStep(QWidget):
    """Before and after pictures of the middle of the clip, and the plan in words."""

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.plan.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.plan)
        row = QHBoxLayout()
        self.before = QLabel("The footage")
        self.after = QLabel("What the clip will show")
        for label in (self.before, self.after):
            label.setMinimumSize(PREVIEW_W, PREVIEW_W * 9 // 16)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFrameShape(QLabel.Shape.StyledPanel)
            row.addWidget(label)
        row.addStretch(1)
        box.addLayout(row)
        self.caption = QLabel(
            "Press “Show preview” to see a frame from the middle of the clip as it is now"
            " (left) and as the clip will show it (right)."
        )
        self.caption.setWordWrap(True)
        box.addWidget(self.caption)
        self.preview_button = QPushButton("Show preview")
        self.preview_button.setToolTip("Anonymise one frame from the middle of the clip")
        button_row = QHBoxLayout()
        button_row.addWidget(self.preview_button)
        button_row.addStretch(1)
        box.addLayout(button_row)
        box.addStretch(1)

    def show_plan(self, hidden: list[str], left_in: list[str]) -> None:
        items = "".join(f"<li>{escape(line)}</li>" for line in hidden)
        html = f"<p><b>The clip will hide:</b></p><ul>{items}</ul>"
        if left_in:
            kept = "".join(f"<li>{escape(line)}</li>" for line in left_in)
            html += f"<p><b>⚠ Left in on purpose</b> (the report records it):</p><ul>{kept}</ul>"
        else:
            html += "<p>Nothing is left in on purpose.</p>"
        self.plan.setText(html)

    def show_frames(self, before: np.ndarray, after: np.ndarray) -> None:
        self.before.setPixmap(scaled_pixmap(before, PREVIEW_W))
        self.after.setPixmap(scaled_pixmap(after, PREVIEW_W))
        self.caption.setText(
            "Left: the footage. Right: what the clip will show (masks and bleeps are added"
            " when the clip is written)."
        )
