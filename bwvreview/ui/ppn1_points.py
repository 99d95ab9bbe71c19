"""One PPN1 quality point as a form: met / partly met / not met (radio buttons with words
and marks), a note, suggested wording, and the incident's recording moments it refers to
(the categories it is usually linked to are listed first)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import ppn1_review
from bwvreview.app.practice import Moment
from bwvreview.timecode import clock
from bwvreview.ui.practice_widgets import KEY, rating_text, small


class PointBox(QGroupBox):
    """Emits ``changed(point, rating, note, wording)`` and ``moment_toggled(point, id, on)``."""

    changed = Signal(str, object, str, str)
    moment_toggled = Signal(str, int, bool)

    def __init__(
        self,
        point: ppn1_review.Point,
        moments: list[Moment],
        usual: tuple[str, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(point.label, parent)
        self.key = point.point_key
        layout = QVBoxLayout(self)
        if point.prompt:
            layout.addWidget(small(point.prompt))
        self.group = QButtonGroup(self)
        row = QHBoxLayout()
        for n, rating in enumerate(ppn1_review.RATINGS):
            button = QRadioButton(rating_text(rating))
            button.setChecked(point.rating == rating)
            self.group.addButton(button, n)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.group.idClicked.connect(lambda _id: self._emit())
        form = QFormLayout()
        self.note = QLineEdit(point.note)
        self.note.setPlaceholderText("What the PPN1 does or misses here")
        self.wording = QLineEdit(point.suggested_wording)
        self.wording.setPlaceholderText("Wording the officer could use next time")
        for line in (self.note, self.wording):
            line.editingFinished.connect(lambda line=line: line.isModified() and self._emit())
        form.addRow("Note", self.note)
        form.addRow("Suggested wording", self.wording)
        layout.addLayout(form)
        self.moments = QListWidget()
        linked = {m.annotation_id for m in point.moments}
        ordered = sorted(
            moments, key=lambda m: (m.category_key not in usual, m.recording_id, m.start_ms)
        )
        for m in ordered:
            often = "  (often linked)" if m.category_key in usual else ""
            item = QListWidgetItem(f"{clock(m.start_ms, tenths=True)}  {m.category_label}{often}")
            item.setData(KEY, m.annotation_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if m.annotation_id in linked else Qt.CheckState.Unchecked
            )
            self.moments.addItem(item)
        self.moments.setMaximumHeight(74)
        self.moments.itemChanged.connect(self._moment_changed)
        if moments:
            layout.addWidget(small("Recording moments this point refers to:"))
            layout.addWidget(self.moments)
        else:
            self.moments.hide()

    def rating(self) -> str | None:
        chosen = self.group.checkedId()
        return ppn1_review.RATINGS[chosen] if chosen >= 0 else None

    def rate(self, rating: str, note: str = "", wording: str = "") -> None:
        """As a person would: choose the rating, write the note and wording."""
        self.group.button(ppn1_review.RATINGS.index(rating)).setChecked(True)
        self.note.setText(note)
        self.wording.setText(wording)
        self._emit()

    def link(self, annotation_id: int, on: bool = True) -> None:
        for row in range(self.moments.count()):
            item = self.moments.item(row)
            if item.data(KEY) == annotation_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _emit(self) -> None:
        self.note.setModified(False)
        self.wording.setModified(False)
        self.changed.emit(self.key, self.rating(), self.note.text(), self.wording.text())

    def _moment_changed(self, item: QListWidgetItem) -> None:
        on = item.checkState() == Qt.CheckState.Checked
        self.moment_toggled.emit(self.key, item.data(KEY), on)
