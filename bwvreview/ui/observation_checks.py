"""The template's points of an observation as a form: each point with what to look for, a
met / partly / not / does-not-apply choice (words and a mark) and a note, grouped as the
template groups them (for stop and search: the GOWISELY points, then trauma-informed
practice)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.observing import CHECK_ANSWERS, Check
from bwvreview.ui.practice_widgets import RatingCombo, heading, small


class ChecksForm(QScrollArea):
    """Emits ``answered(point_key, answer, note)`` when a point's answer or note changes."""

    answered = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.rows: dict[str, tuple[RatingCombo, QLineEdit]] = {}
        self.show_checks(())

    def show_checks(self, checks: tuple[Check, ...], *, editable: bool = True) -> None:
        body = QWidget()
        grid = QGridLayout(body)
        grid.setColumnStretch(0, 4)
        grid.setColumnStretch(2, 3)
        self.rows = {}
        row, group = 0, None
        for check in checks:
            if check.group_label != group:
                group = check.group_label
                grid.addWidget(heading(group, 1.0), row, 0, 1, 3)
                row += 1
            grid.addWidget(self._label(check), row, 0)
            answer = RatingCombo(CHECK_ANSWERS)
            answer.set_answer(check.answer)
            answer.setEnabled(editable)
            answer.setAccessibleName(check.label)
            note = QLineEdit(check.note)
            note.setPlaceholderText("Note")
            note.setReadOnly(not editable)
            key = check.point_key
            answer.rated.connect(lambda value, k=key: self._changed(k))
            note.editingFinished.connect(lambda k=key, n=note: n.isModified() and self._changed(k))
            grid.addWidget(answer, row, 1)
            grid.addWidget(note, row, 2)
            self.rows[key] = (answer, note)
            row += 1
        if not checks:
            grid.addWidget(small("Start or choose an observation to see what to look for."))
        grid.setRowStretch(row, 1)
        self.setWidget(body)

    def _label(self, check: Check) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(0)
        title = QLabel(check.label)
        title.setWordWrap(True)
        layout.addWidget(title)
        if check.prompt:
            layout.addWidget(small(check.prompt))
        box.setToolTip(check.prompt or check.label)
        return box

    def _changed(self, key: str) -> None:
        answer, note = self.rows[key]
        note.setModified(False)
        self.answered.emit(key, answer.answer(), note.text())

    def answer_of(self, key: str) -> str | None:
        return self.rows[key][0].answer()

    def set_answer(self, key: str, answer: str | None, note: str = "") -> None:
        """As a person would: choose the answer, write the note (for tests and scripts)."""
        combo, line = self.rows[key]
        combo.set_answer(answer)
        line.setText(note)
        self._changed(key)

    def focus_first(self) -> None:
        if self.rows:
            next(iter(self.rows.values()))[0].setFocus(Qt.FocusReason.TabFocusReason)
