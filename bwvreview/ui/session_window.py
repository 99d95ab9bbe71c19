"""The record of a reflective practice session (a debrief): who was there, the incidents and
moments discussed, what went well, the learning points agreed, follow-ups with owners and
dates (listed until done) and notes added afterwards.

Started from debrief mode (the officer, the incident and its moments filled in) or from
scratch. A new record is written up and then recorded in one go; after that every learning
point, follow-up and note is saved as it is added. A team session shows de-personalised
material only (the service sees to that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QWidget,
)

from bwvreview.app import Library, practice, practice_sessions
from bwvreview.timecode import clock
from bwvreview.ui.practice_widgets import (
    KEY,
    attempt,
    column,
    heading,
    list_item,
    record_list,
    small,
)
from bwvreview.ui.session_followups import FollowUpsPanel, follow_up_text
from bwvreview.ui.window_size import resize_within_screen

SAVE_AFTER_MS = 800


@dataclass
class Draft:
    """What a new record starts with (debrief mode fills it in)."""

    attendees: list[str] = field(default_factory=list)  # collar numbers or names
    incidents: list[str] = field(default_factory=list)  # references
    moments: list[tuple[int, str]] = field(default_factory=list)  # (annotation id, words)
    started_from: str = "scratch"


def topic_text(t: practice_sessions.Topic, type_label: str) -> str:
    """A topic as listed; in a team session the incident by its type only."""
    where = t.incident_reference or f"a {type_label.lower()} incident"
    if t.annotation_id is None:
        return f"Incident: {where}"
    return f"{clock(t.start_ms or 0, tenths=True)}  {t.category_label} · {where}"


class SessionWindow(QMainWindow):
    def __init__(
        self, lib: Library, parent: QWidget | None = None, draft: Draft | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("bwvreview — reflective practice sessions")
        self.lib = lib
        self.current: practice_sessions.PracticeSession | None = None
        self.draft_points: list[str] = []
        self._save_went_well = QTimer(
            self, singleShot=True, interval=SAVE_AFTER_MS, timeout=self.save_went_well
        )
        self._build()
        self.refresh(select_id=None if draft is None else -1)
        if draft is not None:
            self.compose(draft)
        resize_within_screen(self, 1280, 680)

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.sessions = record_list(self.open_session)
        self.sessions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.open_follow_ups = QListWidget()
        self.open_follow_ups.setWordWrap(True)
        self.open_follow_ups.itemActivated.connect(self._follow_up_chosen)
        new = QPushButton("New session record")
        new.clicked.connect(lambda: self.compose(Draft()))
        left = column(
            heading("Sessions"),
            (self.sessions, 3),
            new,
            heading("Open follow-ups", 1.0),
            (self.open_follow_ups, 2),
        )
        self.title = heading("", 1.2)
        self.details = small()
        self.held_on = QDateEdit(
            QDate.currentDate(), calendarPopup=True, displayFormat="d MMM yyyy"
        )
        self.attendees = QLineEdit()
        self.attendees.setPlaceholderText("Collar numbers of the officers, with commas")
        self.team = QLineEdit()
        self.team.setPlaceholderText("Team, for a team session (de-personalised)")
        self.incidents = QLineEdit()
        self.incidents.setPlaceholderText("Incident references discussed, with commas")
        form = QFormLayout()
        for label, widget in (
            ("Date", self.held_on),
            ("Officers", self.attendees),
            ("Team", self.team),
            ("Incidents", self.incidents),
        ):
            form.addRow(label, widget)
        self.topics = QListWidget()
        self.topics.setWordWrap(True)
        self.went_well = QPlainTextEdit()
        self.went_well.setPlaceholderText("What went well, named first")
        self.went_well.textChanged.connect(self._went_well_changed)
        self.points = QListWidget()
        self.points.setWordWrap(True)
        self.point = QLineEdit()
        self.point.setPlaceholderText("A learning point agreed; Enter adds it")
        self.point.returnPressed.connect(self.add_learning_point)
        self.record_button = QPushButton("Record this session")
        self.record_button.clicked.connect(self.record)
        self.message = small()
        centre = column(self.title, self.details)
        centre.layout().addLayout(form)
        for part, stretch in (
            (heading("Moments and incidents discussed", 1.0), 0),
            (self.topics, 2),
            (heading("What went well", 1.0), 0),
            (self.went_well, 2),
            (heading("Learning points agreed", 1.0), 0),
            (self.points, 2),
            (self.point, 0),
        ):
            centre.layout().addWidget(part, stretch)
        bottom = QHBoxLayout()
        bottom.addWidget(self.record_button)
        bottom.addWidget(self.message, 1)
        centre.layout().addLayout(bottom)
        self.panel = FollowUpsPanel()
        self.panel.follow_up_requested.connect(self.add_follow_up)
        self.panel.done_requested.connect(self.mark_done)
        self.panel.note_requested.connect(self.add_note)
        split = QSplitter()
        for widget in (left, centre, self.panel):
            split.addWidget(widget)
        split.setSizes([280, 620, 420])
        split.setChildrenCollapsible(False)
        self.setCentralWidget(split)

    # --- reading ------------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        found = attempt(self.show_message, lambda: practice_sessions.list_sessions(self.lib))
        self.sessions.blockSignals(True)
        self.sessions.clear()
        for s in found or []:
            who = ", ".join(a.collar_number or a.name for a in s.attendees)
            team = f" · {s.team}" if s.team else ""
            self.sessions.addItem(
                list_item(
                    f"{s.held_on:%d %b %Y} · {practice_sessions.KIND_WORDS[s.kind]}{team}\n"
                    f"{who} · {len(s.learning_points)} learning points",
                    s.id,
                )
            )
        self.sessions.blockSignals(False)
        self.open_follow_ups.clear()
        for f in (
            attempt(self.show_message, lambda: practice_sessions.list_follow_ups(self.lib)) or []
        ):
            self.open_follow_ups.addItem(list_item(follow_up_text(f), f.session_id))
        if select_id == -1:  # a new record is being written
            return
        chosen = select_id if select_id is not None else (found[0].id if found else None)
        for row in range(self.sessions.count()):
            if self.sessions.item(row).data(KEY) == chosen:
                self.sessions.setCurrentRow(row)

    def open_session(self, session_id: int) -> None:
        shown = attempt(
            self.show_message, lambda: practice_sessions.get_session(self.lib, session_id)
        )
        if shown is not None:
            self.show_session(shown)

    def show_session(self, s: practice_sessions.PracticeSession) -> None:
        self.current = s
        self.title.setText(
            f"Session of {s.held_on:%d %b %Y} · {practice_sessions.KIND_WORDS[s.kind]}"
        )
        started = "in debrief mode" if s.started_from == "debrief" else "from scratch"
        note = f"\n{practice_sessions.DE_PERSONALISED_NOTE}" if s.depersonalised else ""
        self.details.setText(f"Recorded by {s.tip_name}, {started}.{note}")
        self.held_on.setDate(QDate(s.held_on.year, s.held_on.month, s.held_on.day))
        self.attendees.setText(", ".join(a.collar_number or a.name for a in s.attendees))
        self.team.setText(s.team or "")
        self.incidents.clear()
        for widget in (self.held_on, self.attendees, self.team, self.incidents):
            widget.setEnabled(False)
        self.topics.clear()
        for t in s.topics:
            label = practice.type_label(self.lib, t.incident_type)
            self.topics.addItem(QListWidgetItem(topic_text(t, label)))
        self.went_well.blockSignals(True)
        self.went_well.setPlainText(s.went_well)
        self.went_well.blockSignals(False)
        self.points.clear()
        for e in s.learning_points:
            self.points.addItem(QListWidgetItem(f"• {e.text}"))
        self.record_button.hide()
        self.panel.show_record(s)

    def compose(self, draft: Draft) -> None:
        """A new record to write up: empty, or filled in from debrief mode."""
        self.current = None
        self.draft_points = []
        self.sessions.setCurrentRow(-1)
        self.title.setText("New session record")
        self.details.setText(
            "Started in debrief mode: tick the moments you discussed."
            if draft.started_from == "debrief"
            else "Fill in who was there and what was agreed, then record it."
        )
        self.draft_started_from = draft.started_from
        for widget in (self.held_on, self.attendees, self.team, self.incidents):
            widget.setEnabled(True)
        self.held_on.setDate(QDate.currentDate())
        self.attendees.setText(", ".join(draft.attendees))
        self.team.clear()
        self.incidents.setText(", ".join(draft.incidents))
        self.topics.clear()
        for annotation_id, words in draft.moments:
            item = list_item(words, annotation_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.topics.addItem(item)
        self.went_well.blockSignals(True)
        self.went_well.clear()
        self.went_well.blockSignals(False)
        self.points.clear()
        self.record_button.show()
        self.panel.show_record(None)
        self.attendees.setFocus()

    # --- writing ------------------------------------------------------------------------------
    def record(self) -> None:
        moments = [
            self.topics.item(r).data(KEY)
            for r in range(self.topics.count())
            if self.topics.item(r).checkState() == Qt.CheckState.Checked
        ]
        made = attempt(
            self.show_message,
            lambda: practice_sessions.record_session(
                self.lib,
                held_on=self.held_on.date().toPython(),
                attendees=_split(self.attendees.text()),
                team=self.team.text().strip() or None,
                started_from=self.draft_started_from,
                went_well=self.went_well.toPlainText(),
                incidents_discussed=_split(self.incidents.text()),
                moments=moments,
                learning_points=self.draft_points,
            ),
        )
        if made is not None:
            self.refresh(select_id=made.id)
            self.show_message("Recorded. The officers who attended see it in their feedback.")

    def add_learning_point(self) -> None:
        text = self.point.text().strip()
        if not text:
            return
        if self.current is None:
            self.draft_points.append(text)
            self.points.addItem(QListWidgetItem(f"• {text}"))
            self.point.clear()
            return
        session = self.current.id
        if attempt(
            self.show_message, lambda: practice_sessions.add_learning_point(self.lib, session, text)
        ):
            self.point.clear()
            self._reload()

    def add_follow_up(self, text: str, owner: str, due: dt.date | None) -> None:
        if self.current is None:
            return
        session = self.current.id
        if attempt(
            self.show_message,
            lambda: practice_sessions.add_follow_up(self.lib, session, text, owner, due),
        ):
            self.panel.added()
            self._reload()

    def mark_done(self, follow_up_id: int, done: bool) -> None:
        if attempt(
            self.show_message,
            lambda: practice_sessions.complete_follow_up(self.lib, follow_up_id, done),
        ):
            self._reload()

    def add_note(self, text: str) -> None:
        if self.current is not None:
            session = self.current.id
            if attempt(
                self.show_message, lambda: practice_sessions.add_note(self.lib, session, text)
            ):
                self._reload()

    def save_went_well(self) -> None:
        if self.current is not None:
            session, text = self.current.id, self.went_well.toPlainText()
            attempt(
                self.show_message, lambda: practice_sessions.set_went_well(self.lib, session, text)
            )

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _went_well_changed(self) -> None:
        if self.current is not None:
            self._save_went_well.start()

    def _reload(self) -> None:
        assert self.current is not None
        self.refresh(select_id=self.current.id)

    def _follow_up_chosen(self, item: QListWidgetItem) -> None:
        for row in range(self.sessions.count()):
            if self.sessions.item(row).data(KEY) == item.data(KEY):
                self.sessions.setCurrentRow(row)

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        if self._save_went_well.isActive():
            self._save_went_well.stop()
            self.save_went_well()
        super().closeEvent(event)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def open_sessions(
    lib: Library, parent: QWidget | None = None, draft: Draft | None = None
) -> SessionWindow:
    window = SessionWindow(lib, parent, draft)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
