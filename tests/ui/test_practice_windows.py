"""The practice windows on real Qt and a real library with the demo incident: a TIP observes
a stop and search from its template and codes two notes, reviews the PPN1 for the demo
incident, records a debrief (started in debrief mode) with two learning points and a
follow-up; the officer sees all of it in their feedback window and adds to the record."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from bwvreview import app
from bwvreview.annotations.access import LOCAL, users
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.app import observing, ppn1_review, practice_sessions
from bwvreview.app.demo import demo_tip
from bwvreview.ui.debrief import open_debrief
from bwvreview.ui.feedback_controller import build_feedback_window
from bwvreview.ui.incidents_window import IncidentsWindow
from bwvreview.ui.launch import build_library_window
from bwvreview.ui.observation_window import ObservationWindow
from bwvreview.ui.ppn1_window import Ppn1Window
from bwvreview.ui.practice_feedback import wording_html
from bwvreview.ui.practice_menu import add_practice_menu, open_practice_record
from bwvreview.ui.search_panel import SearchPanel
from bwvreview.ui.session_window import SessionWindow
from tests.waits import UI_WAIT_MS

MOMENT_AT = re.compile(r"^\d+:\d\d\.\d  ")  # a moment's time in the one format: 1:05.3


@pytest.fixture
def demo(_isolated_data):
    lib = app.open_library()
    recording = app.import_demo(lib)
    principal = demo_tip(lib)
    yield replace(lib, db=lib.db.as_user(principal), actor=principal.name), recording
    QThreadPool.globalInstance().waitForDone()
    lib.close()


def signed_in(lib, key: str):
    user = users.find_user(lib.db, key)
    principal = users.sign_in(lib.db, user.id, None)
    return replace(lib, db=lib.db.as_user(principal), actor=principal.name)


def shown(qtbot, window):
    qtbot.addWidget(window)
    window.resize(1366, 700)  # the windows fit a 1366×700 screen
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=UI_WAIT_MS)  # so its shortcuts work
    return window


def test_a_stop_and_search_observation_from_its_template_with_two_coded_notes(qtbot, demo):
    lib, _recording = demo
    window = shown(qtbot, ObservationWindow(lib))
    qtbot.keyClicks(window.new_incident, "SS-0100")
    window.new_type.setCurrentIndex(window.new_type.findData("stop_and_search"))
    qtbot.keyClicks(window.new_officer, "4471")
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert window.current is not None and window.current.template_key == "stop_and_search"
    gowisely = ["grounds", "object", "warrant_card", "identity", "station", "entitlement",
                "legal_power", "detained"]  # fmt: skip
    assert list(window.checks.rows)[:8] == gowisely
    assert window.entry.isEnabled() and "Enter" in window.message.text()

    # type, set the time, Enter: a note at that time, selected for coding
    window.at.setText("0:30")
    window.at.setModified(True)
    qtbot.keyClicks(window.entry, "Gave the grounds clearly")
    qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    assert window.entry.text() == ""
    # with the list focused, a category's own key codes the selected note (E: explained)
    window.notes.setFocus()
    qtbot.keyClick(window.notes, Qt.Key.Key_E)
    # the second note is coded with the picker: Ctrl+K, type its name, Enter
    window.at.setText("1:35")
    window.at.setModified(True)
    qtbot.keyClicks(window.entry, "Searched in full view of the street")
    qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    qtbot.keyClick(window.entry, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.picker.hasFocus() or window.picker.lineEdit().hasFocus()
    label = window.picker.itemText(window.picker.findData("privacy_breach"))
    window.picker.lineEdit().setText(label)
    qtbot.keyClick(window.picker.lineEdit(), Qt.Key.Key_Return)
    window.checks.set_answer("grounds", "met", "Specific and in plain words")
    window.checks.set_answer("detained", "not")
    qtbot.mouseClick(window.share_button, Qt.MouseButton.LeftButton)

    stored = observing.get_observation(lib, window.current.id)
    assert [(n.at_ms, n.category_key) for n in stored.notes] == [
        (30_000, "explained_action"), (95_000, "privacy_breach")]  # fmt: skip
    answers = {c.point_key: (c.answer, c.note) for c in stored.checks}
    assert answers["grounds"] == ("met", "Specific and in plain words")
    assert answers["detained"] == ("not", "")
    assert stored.status == "shared" and "Shared" in window.message.text()
    notes_shown = [window.notes.item(r).text() for r in range(window.notes.count())]
    assert notes_shown[0].startswith("0:30.0  ✓ Explained what and why — Good practice")
    assert notes_shown[1].startswith("1:35.0  ! Privacy not protected — To learn from")


def test_a_refused_note_is_said_plainly_and_nothing_is_lost(qtbot, demo):
    lib, _recording = demo
    window = shown(qtbot, ObservationWindow(lib))
    assert window.current is not None  # the demo's observation is open
    window.at.setText("soon")
    window.at.setModified(True)
    qtbot.keyClicks(window.entry, "A note to keep")
    qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    assert "not a time" in window.message.text()
    assert window.entry.text() == "A note to keep"


def test_a_ppn1_review_of_the_demo_incident_as_a_form(qtbot, demo):
    lib, _recording = demo
    window = shown(qtbot, Ppn1Window(lib))
    qtbot.keyClicks(window.new_incident, "DEMO-0001")
    window.new_incident.editingFinished.emit()
    assert window.new_officer.text() == "4471"  # the incident's officer, filled in
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    review_id = window.current.id
    assert list(window.points) == ["voice", "risk_history", "household", "language",
                                   "consent", "referral"]  # fmt: skip
    disclosure = next(m.annotation_id for m in app.practice.incident_moments(
        lib, window.current.incident_id) if m.category_key == "disclosure")  # fmt: skip
    window.points["voice"].rate("met", "Her own words are recorded")
    window.points["voice"].link(disclosure)
    moments = window.points["voice"].moments
    shown_moments = [moments.item(r).text() for r in range(moments.count())]
    assert shown_moments and all(MOMENT_AT.match(text) for text in shown_moments)
    window.points["household"].rate("not", "No one else listed", "List everyone who lives there")
    qtbot.keyClicks(window.strengths, "Written the same evening")
    qtbot.waitUntil(lambda: ppn1_review.get_review(lib, review_id).strengths
                    == "Written the same evening", timeout=UI_WAIT_MS)  # fmt: skip
    qtbot.mouseClick(window.reveal, Qt.MouseButton.LeftButton)
    window.text.setPlainText("Adult at risk: a synthetic PPN1")
    qtbot.mouseClick(window.save_text, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.share_button, Qt.MouseButton.LeftButton)

    stored = ppn1_review.get_review(lib, review_id)
    points = {p.point_key: p for p in stored.points}
    assert (points["voice"].rating, [m.annotation_id for m in points["voice"].moments]) == (
        "met", [disclosure])  # fmt: skip
    assert points["household"].suggested_wording == "List everyone who lives there"
    assert stored.status == "shared" and stored.has_text
    admin = lib.db.as_user(LOCAL)  # the machine's owner reads the audit log
    logged = audit_log.list_events(admin, audit_log.AuditFilter(action="ppn1-text-set"))
    assert [e.details for e in logged.entries] == [{"chars": 31}]


def test_a_debrief_is_recorded_with_two_learning_points_and_a_follow_up(qtbot, demo):
    lib, recording = demo
    debrief = open_debrief(lib, recording)
    qtbot.addWidget(debrief)
    qtbot.waitExposed(debrief)
    stepped = [i.annotation_id for i in debrief.items]
    debrief.record_session_action.trigger()
    (window,) = debrief.findChildren(SessionWindow)
    qtbot.waitExposed(window)
    assert window.attendees.text() == "4471" and window.incidents.text() == "DEMO-0001"
    assert [window.topics.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(window.topics.count())] == stepped  # fmt: skip
    assert all(MOMENT_AT.match(window.topics.item(r).text()) for r in range(window.topics.count()))
    qtbot.keyClicks(window.went_well, "Gave time after the disclosure")
    for point in ("Slow down after a disclosure", "Offer a seat rather than an order"):
        qtbot.keyClicks(window.point, point)
        qtbot.keyClick(window.point, Qt.Key.Key_Return)
    qtbot.mouseClick(window.record_button, Qt.MouseButton.LeftButton)
    assert window.current is not None, window.message.text()
    window.panel.add("Read the PPN1 guidance", "4471", dt.date(2027, 2, 1))

    stored = practice_sessions.get_session(lib, window.current.id)
    assert (stored.kind, stored.started_from) == ("individual", "debrief")
    agreed = ["Slow down after a disclosure", "Offer a seat rather than an order"]
    assert [e.text for e in stored.learning_points] == agreed
    assert stored.went_well == "Gave time after the disclosure"
    assert [(f.text, f.owner_name, f.due_on) for f in stored.follow_ups] == [
        ("Read the PPN1 guidance", "Officer 4471", dt.date(2027, 2, 1))]  # fmt: skip
    shown_follow_ups = [window.open_follow_ups.item(r).text()
                        for r in range(window.open_follow_ups.count())]  # fmt: skip
    assert any("Read the PPN1 guidance" in text for text in shown_follow_ups)
    debrief.close()


def test_the_officer_sees_their_ppn1_feedback_sessions_and_observations(qtbot, demo):
    lib, _recording = demo  # the demo's practice records, shared with Officer 4471
    officer = signed_in(lib, "4471")
    window, _controller = build_feedback_window(officer)
    shown(qtbot, window)
    panel = window.practice_feedback
    ppn1 = panel.ppn1.toPlainText()
    assert ppn1.index("What went well") < ppn1.index("To reflect on")  # strengths first
    assert "List everyone who lives at or stays at the address" in ppn1  # the wording
    assert "Sarah Whitfield" not in ppn1  # the PPN1 itself is not shown here
    seen = panel.observations.toPlainText()
    assert "Stop and search" in seen and "Grounds for the search" in seen
    assert seen.index("What went well") < seen.index("To reflect on")
    assert "1:30.0 Privacy not protected" in seen
    panel.setCurrentIndex(1)
    session = panel.session.toPlainText()
    assert "After a disclosure, slow down" in session and "Demo TIP" in session
    assert "Triggering language at 0:09.4" in session  # the one time format
    qtbot.keyClicks(panel.addition, "I will offer a seat next time")
    qtbot.keyClick(panel.addition, Qt.Key.Key_Return)
    assert "I will offer a seat next time" in panel.session.toPlainText()
    (item,) = [panel.follow_ups.item(r) for r in range(panel.follow_ups.count())]
    item.setCheckState(Qt.CheckState.Checked)
    assert practice_sessions.list_follow_ups(officer) == []  # done: no longer listed
    window.player.pause()
    window.close()


def test_suggested_wording_is_quoted_once_however_it_was_typed():
    typed = ["Take a breath & talk", '"Take a breath & talk"', "“Take a breath & talk”"]
    for text in typed:
        assert wording_html(text).endswith(":</i> “Take a breath &amp; talk”"), text
    assert wording_html("  ") == ""


def test_the_practice_menu_is_for_those_who_record_practice(qtbot, demo):
    lib, _recording = demo
    window, _controller = build_library_window(lib)
    qtbot.addWidget(window)
    menu = window.menuBar().findChild(type(window.menuBar().actions()[0].menu()), "practice_menu")
    assert [a.text() for a in menu.actions()] == [
        "&Observations: patrol, custody, stop and search…", "&PPN1 reviews…",
        "&Reflective practice sessions…", "&Incidents and their kinds…"]  # fmt: skip
    menu.actions()[0].trigger()
    opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, ObservationWindow)]
    assert opened and opened[0].isVisible()
    for other in ("4471", "Demo Trainer"):
        assert add_practice_menu(window, signed_in(lib, other)) is None


def test_an_incidents_kind_is_chosen_from_the_codebooks_list(qtbot, demo):
    lib, _recording = demo
    window = shown(qtbot, IncidentsWindow(lib))
    rows = {window.table.item(r, 0).text(): r for r in range(window.table.rowCount())}
    combo = window.table.cellWidget(rows["DEMO-0001"], 2)
    assert combo.currentText() == "Domestic"
    index = combo.findData("welfare_check")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # as a person's choice does
    assert app.practice.get_incident(lib, "DEMO-0001").incident_type == "welfare_check"
    assert window.message.text() == "DEMO-0001 is now: Welfare check."


def test_practice_records_are_found_in_the_search_window_and_open_there(qtbot, demo):
    lib, _recording = demo
    panel = SearchPanel(lib.db, lib.codebook)
    qtbot.addWidget(panel)
    panel.show()
    panel.kind.setCurrentIndex(panel.kind.findData("practice"))
    with qtbot.waitSignal(panel.searched, timeout=UI_WAIT_MS) as shown:
        qtbot.keyClicks(panel.query, "pavement")
    assert shown.args[0] == 1
    model = panel.model
    assert [model.index(0, c).data() for c in (0, 2)] == ["DEMO-0002", "Observation"]
    with qtbot.waitSignal(panel.record_requested, timeout=UI_WAIT_MS) as asked:
        panel.results.activated.emit(model.index(0, 0))
    (observation,) = observing.list_observations(lib)
    assert asked.args == ["observation", observation.id]
    window = open_practice_record(lib, None, *asked.args)
    qtbot.addWidget(window)
    assert window.current is not None and window.current.id == observation.id


@pytest.mark.parametrize("make", [ObservationWindow, Ppn1Window, SessionWindow, IncidentsWindow])
def test_each_practice_window_fits_a_1366_by_700_screen(qtbot, demo, make):
    lib, _recording = demo
    window = make(lib)
    qtbot.addWidget(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700, hint
