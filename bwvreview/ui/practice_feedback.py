"""What an officer is shown of their practice beyond the footage, in their feedback window:
reviews of their PPN1s (strengths first, each point to reflect on with wording they could
use), the records of sessions they attended (to which they may add, and where they mark
their own follow-ups done) and observations of their practice, once shared.

A dock of its own (``attach_practice_feedback``), so the feedback window needs one call.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, feedback, practice, practice_sessions
from bwvreview.app.polarity import quoted
from bwvreview.timecode import clock
from bwvreview.ui.practice_widgets import KEY, attempt, small
from bwvreview.ui.window_size import scrolling

WENT_WELL, TO_REFLECT, CONTEXT = (
    feedback.HEADINGS[k] for k in ("good_practice", "concern", "observation")
)


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def wording_html(text: str) -> str:
    """Suggested wording in quotes, once (a reviewer often types the quotes themselves)."""
    return f"<br><i>{feedback.ALTERNATIVE_HEADING}:</i> {_e(quoted(text))}" if text.strip() else ""


def _point(mark_of: str | None, label: str, note: str, wording: str = "") -> str:
    mark = practice.RATING_MARKS.get(mark_of, "·")
    words = practice.RATING_WORDS.get(mark_of, "")
    return (
        f"<li>{mark} <b>{_e(label)}</b> ({words.lower()})"
        f"{': ' + _e(note) if note else ''}{wording_html(wording)}</li>"
    )


def _timed_note(n, *, labelled: bool = False) -> str:  # an ObservationNote
    label = f"<b>{_e(n.category_label)}</b>: " if labelled else ""
    return f"<li>{clock(n.at_ms, tenths=True)} {label}{_e(n.note)}</li>"


def ppn1_html(lib: Library, reviews: tuple) -> str:  # tuple of Ppn1Review
    if not reviews:
        return "<p>No review of a PPN1 of yours has been shared with you yet.</p>"
    parts = []
    for r in reviews:
        points = r.ordered_for_officer()
        good = [p for p in points if p.rating == "met"]
        reflect = [p for p in points if p.rating in ("partly", "not")]
        parts.append(
            f"<h3>Your PPN1 for {_e(r.incident_reference)} · "
            f"{_e(practice.type_label(lib, r.incident_type))}</h3>"
            f"<p>Reviewed by {_e(r.reviewer_name)}</p><h4>{WENT_WELL}</h4>"
        )
        if r.strengths:
            parts.append(f"<p>{_e(r.strengths)}</p>")
        parts.append("<ul>" + "".join(_point(p.rating, p.label, p.note) for p in good) + "</ul>")
        if reflect:
            parts.append(
                f"<h4>{TO_REFLECT}</h4><ul>"
                + "".join(_point(p.rating, p.label, p.note, p.suggested_wording) for p in reflect)
                + "</ul>"
            )
    return "".join(parts)


def observations_html(lib: Library, observations: tuple) -> str:  # tuple of Observation
    if not observations:
        return "<p>No observation of your practice has been shared with you yet.</p>"
    parts = []
    for o in observations:
        parts.append(
            f"<h3>{_e(practice.type_label(lib, o.incident_type))} · "
            f"{o.started_at:%d %b %Y}</h3><p>Observed by {_e(o.observer_name)}"
            f"{' · ' + _e(o.context) if o.context else ''}</p>"
        )
        met = [c for c in o.checks if c.answer == "met"]
        reflect = [c for c in o.checks if c.answer in ("partly", "not")]
        good_notes = [n for n in o.notes if n.polarity == "good_practice"]
        reflect_notes = [n for n in o.notes if n.polarity == "concern"]
        context = [n for n in o.notes if n.polarity == "observation"]
        for title, checks, notes in (
            (WENT_WELL, met, good_notes),
            (TO_REFLECT, reflect, reflect_notes),
        ):
            if checks or notes:
                parts.append(
                    f"<h4>{title}</h4><ul>"
                    + "".join(_point(c.answer, c.label, c.note) for c in checks)
                    + "".join(_timed_note(n, labelled=True) for n in notes)
                    + "</ul>"
                )
        if context:
            parts.append(
                f"<h4>{CONTEXT}</h4><ul>" + "".join(_timed_note(n) for n in context) + "</ul>"
            )
    return "".join(parts)


def session_html(lib: Library, s: practice_sessions.PracticeSession) -> str:
    people = ", ".join(a.name for a in s.attendees)
    parts = [
        f"<h3>{s.held_on:%d %b %Y} · {practice_sessions.KIND_WORDS[s.kind]}</h3>"
        f"<p>With {_e(s.tip_name)}; there: {_e(people)}</p>"
    ]
    if s.depersonalised:
        parts.append(f"<p><i>{practice_sessions.DE_PERSONALISED_NOTE}</i></p>")
    if s.went_well:
        parts.append(f"<h4>{WENT_WELL}</h4><p>{_e(s.went_well)}</p>")
    if s.topics:
        parts.append(
            "<h4>What you talked about</h4><ul>"
            + "".join(
                f"<li>{_e(t.category_label or 'The incident')}"
                f"{' at ' + clock(t.start_ms, tenths=True) if t.start_ms is not None else ''}"
                f"{' (' + _e(t.incident_reference) + ')' if t.incident_reference else ''}"
                f"{wording_html(t.suggested_wording)}</li>"
                for t in s.topics
            )
            + "</ul>"
        )
    if s.learning_points:
        parts.append(
            "<h4>Learning points agreed</h4><ul>"
            + "".join(f"<li>{_e(e.text)}</li>" for e in s.learning_points)
            + "</ul>"
        )
    if s.notes:
        parts.append(
            "<h4>Added afterwards</h4><ul>"
            + "".join(f"<li>{_e(e.author_name)}: {_e(e.text)}</li>" for e in s.notes)
            + "</ul>"
        )
    return "".join(parts)


class PracticeFeedbackWidget(QTabWidget):
    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.mine: practice.MyPractice | None = None
        self.ppn1 = QTextBrowser()
        self.observations = QTextBrowser()
        self.addTab(self.ppn1, "PPN1 feedback")
        self.addTab(self._sessions_tab(), "Practice sessions")
        self.addTab(self.observations, "Observations of your practice")
        self.refresh()

    def _sessions_tab(self) -> QWidget:
        self.session_choice = QComboBox()
        self.session_choice.currentIndexChanged.connect(lambda _i: self._show_session())
        self.session = QTextBrowser()
        self.follow_ups = QListWidget()
        self.follow_ups.setMaximumWidth(380)
        self.follow_ups.setWordWrap(True)
        self.follow_ups.itemChanged.connect(self._follow_up_ticked)
        self.addition = QLineEdit()
        self.addition.setPlaceholderText("Add to this session's record (your TIP reads it)")
        self.addition.returnPressed.connect(self.add_to_record)
        add = QPushButton("Add")
        add.clicked.connect(self.add_to_record)
        self.message = small()
        row = QHBoxLayout()
        row.addWidget(self.addition, 1)
        row.addWidget(add)
        right = QVBoxLayout()
        right.addWidget(small("Your follow-ups: tick one when it is done."))
        right.addWidget(self.follow_ups, 1)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.session_choice)
        left.addWidget(self.session, 1)
        left.addLayout(row)
        left.addWidget(self.message)
        body.addLayout(left, 1)
        body.addLayout(right)
        tab = QWidget()
        tab.setLayout(body)
        return tab

    def refresh(self) -> None:
        self.mine = practice.my_practice(self.lib)
        self.ppn1.setHtml(ppn1_html(self.lib, self.mine.reviews))
        self.observations.setHtml(observations_html(self.lib, self.mine.observations))
        chosen = self.session_choice.currentData()
        self.session_choice.blockSignals(True)
        self.session_choice.clear()
        for s in self.mine.sessions:
            self.session_choice.addItem(
                f"{s.held_on:%d %b %Y} · {practice_sessions.KIND_WORDS[s.kind]} with {s.tip_name}",
                s.id,
            )
        self.session_choice.setCurrentIndex(max(0, self.session_choice.findData(chosen)))
        self.session_choice.blockSignals(False)
        self._show_session()

    def _show_session(self) -> None:
        assert self.mine is not None
        chosen = next(
            (s for s in self.mine.sessions if s.id == self.session_choice.currentData()), None
        )
        self.session.setHtml(
            session_html(self.lib, chosen)
            if chosen
            else "<p>No session you attended has been recorded yet.</p>"
        )
        self.addition.setEnabled(chosen is not None)
        self.follow_ups.blockSignals(True)
        self.follow_ups.clear()
        me = self.lib.db.principal.user_id
        for s in self.mine.sessions:
            for f in s.follow_ups:
                if f.owner_id == me:
                    due = f" · by {f.due_on:%d %b %Y}" if f.due_on else ""
                    item = QListWidgetItem(f"{f.text}{due}")
                    item.setData(KEY, f.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(
                        Qt.CheckState.Unchecked if f.is_open else Qt.CheckState.Checked
                    )
                    self.follow_ups.addItem(item)
        self.follow_ups.blockSignals(False)

    def add_to_record(self) -> None:
        session, text = self.session_choice.currentData(), self.addition.text()
        if session is None or not text.strip():
            return
        if attempt(
            self.message.setText, lambda: practice_sessions.add_note(self.lib, session, text)
        ):
            self.addition.clear()
            self.message.setText("Added to the record. Your TIP will read it.")
            self.refresh()

    def _follow_up_ticked(self, item: QListWidgetItem) -> None:
        done = item.checkState() == Qt.CheckState.Checked
        if attempt(
            self.message.setText,
            lambda: practice_sessions.complete_follow_up(self.lib, item.data(KEY), done),
        ):
            self.message.setText("Marked done. Well done." if done else "Open again.")


def attach_practice_feedback(window: QMainWindow, lib: Library) -> PracticeFeedbackWidget:
    """Add the officer's PPN1 feedback, sessions and observations to their feedback window,
    as a dock along its foot."""
    widget = PracticeFeedbackWidget(lib)
    dock = QDockWidget("Your PPN1 feedback, practice sessions and observations", window)
    dock.setObjectName("practice_feedback")
    dock.setWidget(scrolling(widget))  # it scrolls rather than make the window too tall
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [260], Qt.Orientation.Vertical)
    window.practice_feedback = widget  # type: ignore[attr-defined]
    return widget
