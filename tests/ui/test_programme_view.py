"""The programme view, as a trainer uses it: schedule a session, keep its register (typed in
or from a sign-in list), enter questionnaires from paper or on a shared laptop, read the
results; and where it is reached from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QMainWindow,
    QMessageBox,
)

from bwvreview import app
from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.programme import answers, attendance, sessions
from bwvreview.annotations.store import models
from bwvreview.app import programme as prog
from bwvreview.app.records import Principal
from bwvreview.app.signin import signed_in
from bwvreview.ui.launch import build_library_window
from bwvreview.ui.programme_view import ProgrammeWindow, add_programme_menu, open_programme
from tests.unit.annotations.programme_world import make_world

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def trainer_lib(tmp_path):
    lib = app.open_library(data_dir=tmp_path / "data")
    world = make_world(lib.db)
    yield signed_in(lib, world.trainer), world
    lib.close()


@pytest.fixture
def window(qtbot, trainer_lib):
    lib, _world = trainer_lib
    view = ProgrammeWindow(lib)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    return view


def schedule(window, module: int = 3, team: str = "North") -> None:
    window.module.setCurrentIndex(module - 1)
    window.team.setCurrentText(team)
    window.schedule_button.click()


def test_the_view_shows_the_curriculum_and_fits_a_small_laptop_screen(window):
    assert window.modules.count() == 11
    window.modules.setCurrentRow(2)
    assert "offending" in window.module_detail.toPlainText()
    assert window.module.currentData() == "trauma_and_offending"
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700
    assert not window.tabs.isEnabled()  # nothing scheduled yet


def test_a_trainer_schedules_a_session_and_keeps_its_register(window, trainer_lib, tmp_path):
    lib, _world = trainer_lib
    schedule(window, team="  ")
    assert window.schedule_message.text().startswith("Not scheduled: a session needs the team")
    schedule(window)
    [held] = sessions.list_sessions(lib.db)
    assert (held.module_number, held.team, held.trainer_name) == (3, "North", "Tess Trainer")
    assert window.selected().id == held.id and window.tabs.isEnabled()
    window.name.setText("Ann Smith")
    window.collar.setText("4521")
    window.add_button.click()
    assert window.register_message.text() == "Added Ann Smith."
    assert window.attendees.item(0, 3).text() == "yes"  # a user: she can see it
    window.collar.setText("no!")
    window.add_button.click()
    assert window.register_message.text().startswith("Not added: 'no!' is not a collar number")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,collar\nBob Jones,7788\nX,zz!\n", encoding="utf-8")
    window.import_list(bad)
    assert "row 3: 'zz!' is not a collar number" in window.register_message.text()
    assert window.attendees.rowCount() == 1  # nothing from the bad list
    good = tmp_path / "good.csv"
    good.write_text("name,collar,role\nBob Jones,7788,officer\nPat Visitor,,staff\n", "utf-8")
    window.import_list(good)
    assert (
        window.register_message.text() == "Imported good.csv: 2 added, 0 already on the register."
    )
    assert [window.attendees.item(r, 0).text() for r in range(3)] == [
        "Ann Smith",
        "Bob Jones",
        "Pat Visitor",
    ]
    window.attendees.selectRow(2)
    window.remove_button.click()
    assert [a.name for a in attendance.list_attendance(lib.db, held.id)] == [
        "Ann Smith",
        "Bob Jones",
    ]


def test_questionnaires_are_entered_anonymous_unless_named(window, trainer_lib):
    lib, world = trainer_lib
    schedule(window, module=1)
    held = window.selected()
    attendance.add_attendee(lib.db, held.id, "Ann Smith", "4521")
    window.refresh()
    entry = window.entry
    assert entry.which.currentData() == "knowledge_confidence"
    assert list(entry.fields) == [
        f"{m}.{n}" for m in ("knowledge", "confidence") for n in (1, 2, 3)
    ]
    entry.save()
    assert entry.message.text() == "Not kept: every question was left blank; nothing to keep"
    entry.fill({"knowledge.1": 2, "confidence.1": 3})
    assert entry.save()
    assert entry.answers()["knowledge.1"] is None  # cleared for the next person
    entry.mode.setCurrentIndex(entry.mode.findData("laptop"))
    entry.named.setChecked(True)
    assert entry.person.currentText() == "Ann Smith"
    entry.fill({"knowledge.2": 4})
    assert entry.save() and "pass the laptop on" in entry.message.text()
    with lib.db.begin() as s:
        stored = s.query(models.QuestionnaireResponse).order_by(models.QuestionnaireResponse.id)
        assert [(r.entry, r.respondent_id, r.answers) for r in stored] == [
            ("paper", None, {"knowledge.1": 2, "confidence.1": 3}),
            ("laptop", world.officers["4521"].user_id, {"knowledge.2": 4}),
        ]
    entry.which.setCurrentIndex(entry.which.findData("feedback"))
    assert [entry.phase.itemData(i) for i in range(entry.phase.count())] == ["after"]
    assert entry.fields["most_useful"].__class__.__name__ == "QLineEdit"
    assert window.model.rows[0].responses == 2


def test_results_show_fewer_than_five_forms_as_suppressed(window, trainer_lib):
    lib, world = trainer_lib
    schedule(window, module=1)
    held = window.selected()
    kc = world.questionnaires["knowledge_confidence"]
    forms = [{"knowledge.1": v} for v in (2, 3, 3, 4, 2)]
    answers.record_paper_forms(lib.db, held.id, kc.id, "before", forms)
    answers.record_paper_forms(lib.db, held.id, kc.id, "after", forms[:2])
    window.refresh()
    headers = [
        window.results.horizontalHeaderItem(c).text() for c in range(window.results.columnCount())
    ]
    rows = {
        (window.results.item(r, 0).text(), window.results.item(r, 1).text()): window.results.item(
            r, headers.index("mean")
        ).text()
        for r in range(window.results.rowCount())
    }
    assert rows[("knowledge", "before")] == "2.80 (2.07-3.53)"  # five forms: shown
    assert rows[("knowledge", "after")] == ""
    responses = [
        window.results.item(r, headers.index("responses")).text()
        for r in range(window.results.rowCount())
    ]
    assert "<5" in responses and "5" in responses


def test_removing_a_session_asks_first(window, trainer_lib, dialogs):
    lib, _world = trainer_lib
    schedule(window)
    dialogs.expect("Remove session", answer=QMessageBox.StandardButton.No)
    window.delete_selected()
    assert len(sessions.list_sessions(lib.db)) == 1
    dialogs.expect("Remove session", text="cannot be undone", answer=QMessageBox.StandardButton.Yes)
    window.delete_selected()
    assert sessions.list_sessions(lib.db) == [] and window.model.rows == []


def test_the_programme_is_in_the_tools_menu_of_those_who_manage_or_read_it(qtbot, trainer_lib):
    lib, world = trainer_lib
    clip_window = QMainWindow()  # the trainers' clip library has no menu of its own
    qtbot.addWidget(clip_window)
    add_programme_menu(clip_window, lib)
    [tools] = [a for a in clip_window.menuBar().actions() if a.text() == "&Tools"]
    assert clip_window.programme_action.text() == "Training &programme…"
    clip_window.programme_action.trigger()
    [opened] = clip_window.findChildren(ProgrammeWindow)
    assert opened.isVisible() and tools.menu() is not None
    owner = Principal(None, "the machine's owner", "admin")
    for who, has_it in ((world.tip, True), (owner, True)):  # a TIP reads it
        library_window, controller = build_library_window(signed_in(lib, who))
        qtbot.addWidget(library_window)
        titles = [a.text() for a in library_window.tools_menu.actions()]
        assert ("Training &programme…" in titles) is has_it
        controller.cancel()


def test_nothing_here_is_written_unless_the_session_exists(window):
    window.import_list(Path("nowhere.csv"))  # no session chosen: nothing happens
    assert window.register_message.text() == ""


def test_a_tip_reads_the_programme_and_its_results_with_nothing_to_change(qtbot, trainer_lib):
    lib, world = trainer_lib
    held = sessions.schedule_session(
        lib.db, curriculum_id=world.curriculum.id, module_key="1", held_on=DAY, team="North"
    )
    attendance.add_attendee(lib.db, held.id, "Ann Smith", "4521")
    kc = world.questionnaires["knowledge_confidence"]
    forms = [{"knowledge.1": v} for v in (2, 3, 3, 4, 2)]
    answers.record_paper_forms(lib.db, held.id, kc.id, "before", forms)
    tip = signed_in(lib, world.tip)
    view = ProgrammeWindow(tip)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    assert "to read" in view.windowTitle()
    # no editing action: no button, no field, no register, no questionnaire entry
    for editor in (QAbstractButton, QLineEdit, QDateEdit, QComboBox):
        assert [e for e in view.findChildren(editor) if e.isVisibleTo(view)] == []
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Results"]
    assert view.modules.count() == 11 and view.selected().id == held.id
    assert "1 attended" in view.heading.text() and "Ann" not in view.heading.text()
    table = view.results
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = [[table.item(r, c).text() for c in range(len(header))] for r in range(table.rowCount())]
    means = {row[1]: row[header.index("mean")] for row in rows if row[0] == "knowledge"}
    assert means["before"] == "2.80 (2.07-3.53)"
    # and the library refuses a TIP's edits, whatever asks
    for edit in (
        lambda: prog.schedule_session(tip, "1", DAY, "North"),
        lambda: prog.add_attendee(tip.db, held.id, "Bob Jones", "7788"),
        lambda: prog.record_answers(
            tip, held.id, "knowledge_confidence", "after", {"knowledge.1": 3}
        ),
        lambda: prog.delete_session(tip.db, held.id),
        lambda: prog.list_attendance(tip.db, held.id),  # names: the trainers' only
    ):
        with pytest.raises(PermissionDenied):
            edit()
    assert [s.attendees for s in sessions.list_sessions(lib.db)] == [1]


def test_an_officer_cannot_open_the_programme(qtbot, trainer_lib):
    lib, world = trainer_lib
    shown = []
    parent = QMainWindow()
    qtbot.addWidget(parent)
    parent.show_error = lambda title, text: shown.append((title, text))
    assert open_programme(signed_in(lib, world.officers["4521"]), parent) is None
    assert shown and shown[0][0] == "Training programme" and "may not read" in shown[0][1]
    add_programme_menu(parent, signed_in(lib, world.officers["4521"]))
    assert not hasattr(parent, "programme_action")
