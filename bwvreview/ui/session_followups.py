"""A session record's follow-ups (what, who, by when; marked done by the TIP or the owner)
and the notes added to the record afterwards, as one panel of the session window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import practice_sessions
from bwvreview.ui.practice_widgets import KEY, heading, list_item, small


def follow_up_text(f: practice_sessions.FollowUp) -> str:
    due = f" · by {f.due_on:%d %b %Y}" if f.due_on else ""
    state = "open" if f.is_open else f"done ({f.done_by})"
    return f"{'☐' if f.is_open else '☑'} {f.text}\n{f.owner_name}{due} · {state}"


class FollowUpsPanel(QWidget):
    """Emits ``follow_up_requested(text, owner, due)``, ``done_requested(id, done)`` and
    ``note_requested(text)``."""

    follow_up_requested = Signal(str, str, object)
    done_requested = Signal(int, bool)
    note_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.follow_ups = QListWidget()
        self.follow_ups.setWordWrap(True)
        self.follow_ups.itemDoubleClicked.connect(lambda _item: self._toggle())
        self.done = QPushButton("Mark done / open again")
        self.done.clicked.connect(self._toggle)
        self.what = QLineEdit()
        self.what.setPlaceholderText("A follow-up agreed")
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Who (collar number or name)")
        self.has_due = QCheckBox("by")
        self.has_due.setChecked(True)
        self.due = QDateEdit(
            QDate.currentDate().addDays(14), calendarPopup=True, displayFormat="d MMM yyyy"
        )
        self.has_due.toggled.connect(self.due.setEnabled)
        add = QPushButton("Add follow-up")
        add.clicked.connect(self._add)
        self.what.returnPressed.connect(self._add)
        form = QGridLayout()
        form.addWidget(self.what, 0, 0, 1, 3)
        form.addWidget(self.owner, 1, 0)
        form.addWidget(self.has_due, 1, 1)
        form.addWidget(self.due, 1, 2)
        form.addWidget(add, 2, 0, 1, 3)
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Add a note to the record; Enter saves it")
        self.note.returnPressed.connect(self._note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(heading("Follow-ups", 1.0))
        layout.addWidget(small("Listed until someone marks them done."))
        layout.addWidget(self.follow_ups, 2)
        layout.addWidget(self.done, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        layout.addWidget(heading("Notes added afterwards", 1.0))
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.note)

    def show_record(self, session: practice_sessions.PracticeSession | None) -> None:
        self.follow_ups.clear()
        self.notes.clear()
        self.setEnabled(session is not None)
        if session is None:
            return
        for f in session.follow_ups:
            self.follow_ups.addItem(list_item(follow_up_text(f), f.id))
        for e in session.notes:
            self.notes.addItem(QListWidgetItem(f"{e.author_name}: {e.text}"))

    def add(self, text: str, owner: str, due: dt.date | None) -> None:
        """As a person would: fill in the follow-up and add it."""
        self.what.setText(text)
        self.owner.setText(owner)
        self.has_due.setChecked(due is not None)
        if due is not None:
            self.due.setDate(QDate(due.year, due.month, due.day))
        self._add()

    def _add(self) -> None:
        due = self.due.date().toPython() if self.has_due.isChecked() else None
        self.follow_up_requested.emit(self.what.text(), self.owner.text(), due)

    def added(self) -> None:
        self.what.clear()

    def _toggle(self) -> None:
        item = self.follow_ups.currentItem()
        if item is not None:
            self.done_requested.emit(item.data(KEY), item.text().startswith("☐"))

    def _note(self) -> None:
        if self.note.text().strip():
            self.note_requested.emit(self.note.text())
            self.note.clear()
