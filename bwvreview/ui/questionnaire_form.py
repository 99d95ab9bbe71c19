"""Entering a questionnaire at a session: the trainer types in paper forms one after another,
or hands the laptop round at the end so each person fills in their own.

Answers are anonymous unless the person asks to be named (they pick themselves from the
register; only then can they read their answers back). Each save clears the form for the
next person. Nothing here decides anything: ``app.programme`` checks and keeps the answers.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library
from bwvreview.app import programme as prog
from bwvreview.app.errors import DomainError

MODES = (("paper", "Typing in paper forms"), ("laptop", "Each person on this laptop"))
THANKS = "Thank you: your answers are kept. Please pass the laptop on."


class ScaleRow(QWidget):
    """One rated question: a radio button per point of the scale, the ends labelled."""

    def __init__(self, low: str, high: str, points: range, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(low))
        for point in points:
            button = QRadioButton(str(point))
            self.group.addButton(button, point)
            row.addWidget(button)
        row.addWidget(QLabel(high))
        row.addStretch(1)

    def value(self) -> int | None:
        chosen = self.group.checkedId()
        return None if chosen < 0 else chosen

    def set_value(self, value: int | None) -> None:
        button = self.group.button(value) if value is not None else None
        if button is not None:
            button.setChecked(True)
            return
        self.group.setExclusive(False)
        for each in self.group.buttons():
            each.setChecked(False)
        self.group.setExclusive(True)


class QuestionnaireEntry(QWidget):
    saved = Signal(int)  # session id

    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.session_id: int | None = None
        self.questionnaires = {q.key: q for q in prog.questionnaires(lib)}
        self.fields: dict[str, ScaleRow | QLineEdit] = {}
        self._build()

    def _build(self) -> None:
        self.which = QComboBox()
        for q in self.questionnaires.values():
            self.which.addItem(q.title, q.key)
        self.phase = QComboBox()
        self.mode = QComboBox()
        for key, label in MODES:
            self.mode.addItem(label, key)
        self.named = QCheckBox("Put my name to my answers")
        self.named.setToolTip(
            "Anonymous unless ticked. Named answers can be read back by the "
            "person who gave them; reports never name anyone."
        )
        self.person = QComboBox()
        self.person.setEnabled(False)
        self.named.toggled.connect(self.person.setEnabled)
        self.which.currentIndexChanged.connect(self._questionnaire_changed)
        choose = QFormLayout()
        choose.addRow("Questionnaire", self.which)
        choose.addRow("When", self.phase)
        choose.addRow("Entered", self.mode)
        who = QHBoxLayout()
        who.addWidget(self.named)
        who.addWidget(self.person, 1)
        choose.addRow("", who)
        self.intro = QLabel(wordWrap=True)
        self.questions = QWidget()
        self.form = QVBoxLayout(self.questions)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.questions)
        self.save_button = QPushButton("Save and clear for the next person")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        self._questionnaire_changed()

    # --- what is asked ------------------------------------------------------------------
    def set_session(self, session_id: int | None, register: list[prog.Attendee]) -> None:
        self.session_id = session_id
        self.person.clear()
        for person in register:
            if person.user_id is not None:  # only a user can read their answers back
                self.person.addItem(person.name, person.user_id)
        self.named.setEnabled(self.person.count() > 0)
        self.named.setChecked(False)
        self.message.clear()
        self._questionnaire_changed()

    def questionnaire(self) -> prog.Questionnaire:
        return self.questionnaires[self.which.currentData()]

    def _questionnaire_changed(self) -> None:
        q = self.questionnaire()
        self.phase.clear()
        for phase in q.phases:
            self.phase.addItem(f"{phase.capitalize()} the session", phase)
        self.intro.setText(q.intro)
        while self.form.count():
            child = self.form.takeAt(0).widget()
            if child is not None:
                child.hide()  # at once: deletion waits for the event loop
                child.deleteLater()
        self.fields = {}
        if self.session_id is None:
            self.save_button.setEnabled(False)
            return
        for item in prog.items_at(self.lib, self.session_id, q.key):
            if item.kind == "text":
                field: ScaleRow | QLineEdit = QLineEdit()
            else:
                field = ScaleRow(q.low, q.high, range(q.scale_min, q.scale_max + 1))
            self.form.addWidget(QLabel(f"<b>{html.escape(item.text)}</b>", wordWrap=True))
            self.form.addWidget(field)
            self.fields[item.key] = field
        self.form.addStretch(1)
        self.save_button.setEnabled(True)

    def answers(self) -> dict[str, object]:
        return {
            key: field.value() if isinstance(field, ScaleRow) else field.text()
            for key, field in self.fields.items()
        }

    def fill(self, given: dict[str, object]) -> None:
        """Set answers (as a person would click them)."""
        for key, value in given.items():
            field = self.fields[key]
            if isinstance(field, ScaleRow):
                field.set_value(int(value) if value is not None else None)  # type: ignore[call-overload]
            else:
                field.setText(str(value))

    # --- keeping them -------------------------------------------------------------------
    def save(self) -> bool:
        if self.session_id is None:
            return False
        respondent = self.person.currentData() if self.named.isChecked() else None
        try:
            prog.record_answers(
                self.lib,
                self.session_id,
                self.which.currentData(),
                self.phase.currentData(),
                self.answers(),
                entry=self.mode.currentData(),
                respondent_id=respondent,
            )
        except DomainError as exc:
            self.message.setText(f"Not kept: {exc}")
            return False
        for field in self.fields.values():
            if isinstance(field, ScaleRow):
                field.set_value(None)
            else:
                field.clear()
        self.named.setChecked(False)
        kept = sum(
            1
            for r in prog.list_responses(self.lib.db, self.session_id)
            if r.questionnaire_key == self.which.currentData()
            and r.phase == self.phase.currentData()
        )
        done = THANKS if self.mode.currentData() == "laptop" else "Kept."
        self.message.setText(
            f"{done} {kept} form(s) of this questionnaire {self.phase.currentData()}"
            " this session so far."
        )
        self.saved.emit(self.session_id)
        return True
