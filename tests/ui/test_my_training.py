"""An officer's "My training" window, on SQLite and PostgreSQL: the sessions they are on the
register of (date, title, topics) and the answers they put their name to, never anyone
else's, and no anonymous form; reached from the officer's own window."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget, QTextBrowser, QWidget

from bwvreview import app
from bwvreview.annotations.programme import answers, attendance, sessions
from bwvreview.app.signin import signed_in
from bwvreview.ui.launch import build_officer_window
from bwvreview.ui.my_training import ANONYMOUS, NOT_ON_A_REGISTER, MyTrainingWindow
from tests.unit.annotations.programme_world import make_world

FIRST, THIRD = dt.date(2026, 3, 10), dt.date(2026, 4, 7)


def window_text(window: QWidget) -> str:
    """Everything the window shows in words: labels, table cells, the answers."""
    parts = [label.text() for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
    for table in window.findChildren(QTableWidget):
        if table.isVisibleTo(window):
            parts += [
                table.item(r, c).text()
                for r in range(table.rowCount())
                for c in range(table.columnCount())
            ]
    parts += [b.toPlainText() for b in window.findChildren(QTextBrowser)]
    return "\n".join(parts)


@pytest.fixture
def world(db_url, tmp_path):
    """Session 1 with Ann (4521) and Bob (7788) on the register, session 3 with Bob alone;
    anonymous paper forms at both, one form Ann put her name to, one Bob answered himself."""
    lib = app.open_library(db_url, data_dir=tmp_path / "data")
    w = make_world(lib.db)
    trainer = w.as_("trainer")
    kc, fb = w.questionnaires["knowledge_confidence"], w.questionnaires["feedback"]
    first, third = (
        sessions.schedule_session(
            trainer, curriculum_id=w.curriculum.id, module_key=key, held_on=day, team="North"
        )  # fmt: skip
        for key, day in (("trauma_and_aces", FIRST), ("trauma_and_offending", THIRD))
    )
    for held, people in ((first, [("Ann Smith", "4521"), ("Bob Jones", "7788")]),
                         (third, [("Bob Jones", "7788")])):  # fmt: skip
        for name, collar in people:
            attendance.add_attendee(trainer, held.id, name, collar)
        answers.record_paper_forms(trainer, held.id, kc.id, "before", [{"knowledge.1": 1}] * 5)
    answers.record_answers(trainer, first.id, kc.id, "after", {"knowledge.1": 4, "confidence.2": 5},
                           respondent_id=w.officers["4521"].user_id)  # fmt: skip
    answers.record_own_answers(w.as_("7788"), third.id, fb.id, "after",
                               {"relevant": 3, "change": "Slow down at the door"})  # fmt: skip
    yield lib, w, first, third
    lib.close()


def open_as(qtbot, lib, w, collar: str) -> MyTrainingWindow:
    window = MyTrainingWindow(signed_in(lib, w.officers[collar]))
    qtbot.addWidget(window)
    window.resize(1366, 700)
    window.show()
    return window


def test_an_officer_sees_their_sessions_and_named_answers_and_no_one_elses(qtbot, world):
    lib, w, first, third = world
    ann = open_as(qtbot, lib, w, "4521")
    assert ann.sessions.rowCount() == 1
    cells = [ann.sessions.item(0, c).text() for c in range(3)]
    module = w.curriculum.module("trauma_and_aces")
    assert cells == ["10 Mar 2026", f"1. {module.title}", "\n".join(module.topics)]
    assert ann.attended.title() == "Sessions you attended (1, 3 hours)"
    shown = window_text(ann)
    assert f"How much do you know about: {module.topics[0]}? 4 of 5" in shown
    assert f"How confident are you in using this in your work: {module.topics[1]}? 5 of 5" in (
        shown
    )
    assert "10 March 2026: " + module.title in shown and "Knowledge and confidence" in shown
    assert "Ratings from 1 (Very little) to 5 (A great deal)" in shown
    assert ANONYMOUS in shown  # said plainly, beside the answers
    # nobody else's: not Bob, not his session, not his answers, not the anonymous forms
    third_title = w.curriculum.module("trauma_and_offending").title
    for theirs in ("Bob", "7788", third_title, "Slow down", "Session feedback", "1 of 5"):
        assert theirs not in shown

    bob = open_as(qtbot, lib, w, "7788")
    assert [bob.sessions.item(r, 1).text() for r in range(2)] == [
        f"1. {module.title}",
        f"3. {third_title}",
    ]
    shown = window_text(bob)
    assert "What one thing will you do differently? Slow down at the door" in shown
    assert "The session was relevant to my role. 3 of 5" in shown
    for theirs in ("Ann", "4521", "4 of 5", "Knowledge and confidence"):
        assert theirs not in shown


def test_an_officer_on_no_register_is_told_so(qtbot, world):
    lib, w, _first, _third = world
    cat = open_as(qtbot, lib, w, "9911")
    assert not cat.sessions.isVisible() and cat.no_sessions.isVisible()
    shown = window_text(cat)
    assert NOT_ON_A_REGISTER in shown and "You have not put your name to any" in shown
    assert "Ann" not in shown and "Bob" not in shown


def test_my_training_opens_once_from_the_officers_window(qtbot, world):
    lib, w, _first, _third = world
    window, _controller = build_officer_window(signed_in(lib, w.officers["4521"]))
    qtbot.addWidget(window)
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Training"]
    assert [a.text() for a in menu.actions()] == ["&My training…"]
    window.my_training_action.trigger()
    [opened] = window.findChildren(MyTrainingWindow)
    assert opened.isVisible() and opened.sessions.rowCount() == 1
    opened.close()
    window.my_training_action.trigger()  # brought back, read again; not a second one
    assert window.findChildren(MyTrainingWindow) == [opened] and opened.isVisible()
