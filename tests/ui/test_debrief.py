"""Debrief mode from the review workspace (F5), and the TIP's reflections tab, on real Qt."""

import pytest
from PySide6.QtCore import QSettings, Qt

from bwvreview.annotations import review
from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.learning import feedback
from bwvreview.annotations.store import models
from bwvreview.ui.debrief import LEAD_IN_KEY, SUMMARY, DebriefWindow
from bwvreview.ui.feedback_window import FeedbackWindow
from bwvreview.ui.launch import build_workspace
from tests.ui.conftest import loaded
from tests.ui.views_fit import LAPTOP, LAPTOP_125, misfits
from tests.waits import UI_WAIT_MS


def mark(controller, key, start_ms, status, **extra):
    lib = controller.lib
    return review.create_annotation(lib.db, recording_id=controller.recording.id,
                                    codebook_id=lib.codebook_id, category_key=key,
                                    start_ms=start_ms, end_ms=start_ms + 800, actor="tip",
                                    status=status, **extra).id  # fmt: skip


@pytest.fixture(autouse=True)
def _default_lead_in():
    QSettings().remove(LEAD_IN_KEY)


def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=UI_WAIT_MS)


def open_with_f5(qtbot, workspace):
    window, _controller = workspace
    active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    (debrief,) = window.findChildren(DebriefWindow)
    qtbot.waitExposed(debrief)
    active(qtbot, debrief)
    return debrief


def at(qtbot, debrief, ms):
    qtbot.waitUntil(lambda: abs(debrief.player.position() - ms) < 50, timeout=UI_WAIT_MS)


def test_the_debrief_opens_with_the_strengths_counted_and_named(qtbot, workspace):
    _window, controller = workspace
    mark(controller, "missed_choice", 6000, "shared", note="No seat offered")
    mark(controller, "gave_time", 9000, "shared")
    mark(controller, "introduced_self", 4000, "shared")
    debrief = open_with_f5(qtbot, workspace)
    assert debrief.index == SUMMARY and debrief.current() is None
    assert debrief.counter.text() == "Before the 3 moments"
    assert debrief.heading.text() == "What went well"
    assert debrief.summary.text() == "2 things that went well and 1 to reflect on."
    assert debrief.strengths.text() == "0:04.0  A clear introduction\n0:09.0  Giving them time"
    assert not debrief.category.isVisible() and not debrief.sharing.isVisible()
    assert not debrief.previous_button.isEnabled() and debrief.next_button.isEnabled()
    assert not debrief.player.is_playing()
    qtbot.keyClick(debrief, Qt.Key.Key_Right)  # then the moments, in time order
    assert debrief.index == 0 and debrief.counter.text() == "Moment 1 of 3 · 0:04.0"
    assert not debrief.summary.isVisible()
    qtbot.keyClick(debrief, Qt.Key.Key_Left)
    assert debrief.index == SUMMARY and debrief.summary.isVisible()
    debrief.close()


def test_f5_steps_through_the_shared_moments_in_time_order_from_3_s_before(qtbot, workspace):
    _window, controller = workspace
    late = mark(controller, "missed_choice", 6000, "shared", note="No seat offered",
                suggested_wording="Would you like to sit down?")  # fmt: skip
    early = mark(controller, "introduced_self", 4000, "shared", note="Clear introduction")
    mark(controller, "rushing", 5000, "draft")
    debrief = open_with_f5(qtbot, workspace)
    assert [i.annotation_id for i in debrief.items] == [early, late]
    qtbot.keyClick(debrief, Qt.Key.Key_N)  # past the strengths
    assert debrief.counter.text() == "Moment 1 of 2 · 0:04.0"
    assert debrief.heading.text() == "What went well"
    assert debrief.category.text() == "A clear introduction"
    assert debrief.sharing.words.text() == "Shared with the officer"
    at(qtbot, debrief, 1000)
    qtbot.keyClick(debrief, Qt.Key.Key_Right)
    assert debrief.current().annotation_id == late
    assert debrief.heading.text() == "To reflect on"
    # the officer's title large; the reviewers' label beside the principles, for the TIP
    assert debrief.category.text() == "A moment where a choice could have been offered"
    assert debrief.principles.text() == "Missed choice · Choice"
    assert debrief.note.text() == "No seat offered"
    assert debrief.alternative.text() == (
        "An alternative you could try:\n“Would you like to sit down?”"
    )
    at(qtbot, debrief, 3000)
    qtbot.keyClick(debrief, Qt.Key.Key_Right)  # already at the last: stays
    assert debrief.current().annotation_id == late
    qtbot.keyClick(debrief, Qt.Key.Key_P)
    assert debrief.current().annotation_id == early
    qtbot.keyClick(debrief, Qt.Key.Key_N)
    qtbot.keyClick(debrief, Qt.Key.Key_Left)
    assert debrief.current().annotation_id == early
    debrief.close()


def test_space_plays_and_a_moment_pauses_shortly_after_it_ends(qtbot, workspace):
    _window, controller = workspace
    mark(controller, "gave_time", 1000, "shared")
    debrief = open_with_f5(qtbot, workspace)
    debrief.go(0, play=False)
    assert not debrief.player.is_playing()
    qtbot.keyClick(debrief, Qt.Key.Key_Space)
    qtbot.waitUntil(debrief.player.is_playing, timeout=UI_WAIT_MS)
    # 0 -> 1.8 s + 1.5 s to talk, then it pauses by itself
    qtbot.waitUntil(lambda: not debrief.player.is_playing(), timeout=UI_WAIT_MS)
    assert debrief.player.position() >= 1800 + 1500 - 100
    debrief.close()


def test_the_lead_in_is_configurable_and_remembered(qtbot, workspace):
    _window, controller = workspace
    mark(controller, "gave_time", 5000, "shared")
    mark(controller, "offered_choice", 9000, "shared")
    debrief = open_with_f5(qtbot, workspace)
    debrief.lead_in.setValue(1)
    debrief.next()
    debrief.next()
    at(qtbot, debrief, 8000)
    debrief.close()
    assert int(QSettings().value(LEAD_IN_KEY)) == 1
    again = open_with_f5(qtbot, workspace)
    assert again.lead_in.value() == 1
    again.close()


def test_a_reviewer_may_include_working_notes_and_with_nothing_shared_they_show(qtbot, workspace):
    _window, controller = workspace
    draft = mark(controller, "rushing", 2000, "draft")
    debrief = open_with_f5(qtbot, workspace)
    assert not debrief.shared_only.isChecked()  # nothing shared yet
    assert [i.annotation_id for i in debrief.items] == [draft]
    debrief.next()
    badge = debrief.sharing
    assert badge.isVisible() and not badge.shared
    assert badge.words.text().startswith("Not shared with the officer")  # words, not colour
    assert badge.words.font().pointSizeF() > debrief.font().pointSizeF()  # not small print
    assert badge.icon.pixmap() is not None and not badge.icon.pixmap().isNull()
    debrief.shared_only.setChecked(True)
    assert debrief.items == [] and debrief.empty.isVisible()
    debrief.close()


def test_the_reflections_tab_shows_what_the_officer_wrote_and_marks_it_read(qtbot, workspace):
    window, controller = workspace
    lib = controller.lib
    shared = mark(controller, "missed_choice", 1000, "shared")
    officer = users.create_user(lib.db, "Sam Hughes", "officer", collar_number="4471")
    with lib.db.begin() as s:
        incident = models.Incident(reference="INC-0412")
        s.add(incident)
        s.flush()
        s.get(models.Recording, controller.recording.id).incident_id = incident.id
        incident_id = incident.id
    users.link_officer(lib.db, incident_id, officer.id)
    sam = lib.db.as_user(Principal(officer.id, officer.name, "officer"))
    feedback.add_reflection(sam, annotation_id=shared, text="I'd offer a seat next time.",
                            consent_to_share=True)  # fmt: skip
    assert feedback.list_reflections(sam)[0].seen_at is None
    window.close()
    window, controller = build_workspace(lib, controller.recording.id)  # opened afresh
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot, controller)
    tab = window.tabs.indexOf(window.reflections)
    assert window.tabs.tabText(tab) == "Reflections (1 new)"
    assert feedback.list_reflections(sam)[0].seen_at is None  # a count is not a reading
    window.tabs.setCurrentWidget(window.reflections)
    panel = window.reflections
    assert panel.list.count() == 1
    assert window.tabs.tabText(tab) == "Reflections"
    text = panel.list.item(0).text()
    assert text.startswith("Sam Hughes · ") and "on “Missed choice”" in text
    assert "I'd offer a seat next time." in text
    assert "agreed to its use in training" in text
    assert feedback.list_reflections(sam)[0].seen_at is not None
    panel.list.itemActivated.emit(panel.list.item(0))  # Enter or double-click
    assert controller.selected == shared
    qtbot.waitUntil(lambda: abs(window.player.position() - 1000) < 50, timeout=UI_WAIT_MS)
    window.close()


def test_the_reviewer_previews_exactly_what_the_officer_will_see(qtbot, workspace):
    window, controller = workspace
    mark(controller, "missed_choice", 6000, "shared", note="No seat offered")
    mark(controller, "rushing", 5000, "draft", note="working note")
    window.preview_action.trigger()
    (preview,) = window.findChildren(FeedbackWindow)
    qtbot.waitExposed(preview)
    assert preview.windowTitle() == "bwvreview — what the officer sees (preview)"
    assert preview.nothing.text().startswith("This recording is not part of an incident yet")
    preview.close()
    qtbot.waitUntil(lambda: not window.findChildren(FeedbackWindow))  # deleted on close
    with controller.lib.db.begin() as s:
        incident = models.Incident(reference="INC-0412")
        s.add(incident)
        s.flush()
        s.get(models.Recording, controller.recording.id).incident_id = incident.id
    window.preview_action.trigger()
    (preview,) = window.findChildren(FeedbackWindow)
    qtbot.waitExposed(preview)
    shown = [preview.moments.item(i).text() for i in range(preview.moments.count())]
    assert shown == [
        "To reflect on (1)",
        "0:06.0  A moment where a choice could have been offered\nNo seat offered",
    ]
    assert not preview.reflection_box.isEnabled()  # reflections are the officer's to write
    preview.close()


@pytest.mark.parametrize("size", [LAPTOP, LAPTOP_125], ids=["1366x700", "125%"])
def test_the_debrief_fits_a_laptop(qtbot, workspace, size):
    _window, controller = workspace
    mark(controller, "missed_choice", 6000, "shared", note="No seat offered " * 20,
         suggested_wording="Would you like to sit down? " * 10)  # fmt: skip
    debrief = open_with_f5(qtbot, workspace)
    debrief.next()
    assert misfits(debrief, *size) == []
    debrief.close()


def test_the_timeline_marks_what_the_officer_has_not_been_shown(qtbot, workspace):
    _window, controller = workspace
    shared = mark(controller, "gave_time", 1000, "shared")
    draft = mark(controller, "rushing", 3000, "draft")
    debrief = open_with_f5(qtbot, workspace)
    debrief.shared_only.setChecked(False)
    statuses = {i.id: i.status for i in debrief.timeline._items.values()}
    assert statuses == {shared: "shared", draft: "draft"}
    # a chip's tooltip names its kind in the officer's words, as the lanes do
    said = {i.id: debrief.timeline.describe(i) for i in debrief.timeline._items.values()}
    assert said[draft].splitlines()[0].endswith("To reflect on")
    assert said[shared].splitlines()[0].endswith("What went well")
    debrief.close()
