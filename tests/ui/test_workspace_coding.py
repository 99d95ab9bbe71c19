"""The coding panel, the reviewer's own keys, covered suggestions, remembered lanes and the
loop, in the review workspace on real SQLite and Qt."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.app.key_scheme import load_key_scheme
from bwvreview.ui.launch import build_workspace
from tests.ui.conftest import SPEECH, loaded
from tests.waits import UI_WAIT_MS


def stored(controller):
    return review.list_annotations(controller.lib.db, controller.recording.id)


def test_clicking_a_category_in_the_panel_codes_it_at_the_playhead(qtbot, workspace):
    window, controller = workspace
    window.player.seek(2500)
    qtbot.waitUntil(lambda: abs(window.player.position() - 2500) < 60, timeout=UI_WAIT_MS)
    row = window.coding.rows["checked_understanding"]
    window.coding.list.scrollToItem(row)
    rect = window.coding.list.visualItemRect(row)
    qtbot.mouseClick(window.coding.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())  # fmt: skip
    (made,) = stored(controller)
    assert made.category_key == "checked_understanding" and abs(made.start_ms - 2500) < 60
    assert controller.selected == made.id  # shown in the editor, ready for a note


def test_the_panel_lists_good_practice_first_and_filters_by_principle(qtbot, workspace):
    window, _controller = workspace
    headings = [window.coding.list.topLevelItem(i).text(0)
                for i in range(window.coding.list.topLevelItemCount())]  # fmt: skip
    assert headings[0].endswith("Good practice") and headings[1].endswith("To learn from")
    window.coding.filter.setText("cultural")
    shown = window.coding.visible_categories()
    assert {"cultural_respect", "cultural_insensitivity", "shaming_language"} <= set(shown)
    assert "offered_choice" not in shown
    window.coding.filter.setText("shift+r")
    assert window.coding.visible_categories() == ["repair"]  # a key finds its category


def test_a_chosen_key_codes_at_once_and_a_taken_one_is_refused(qtbot, workspace):
    window, controller = workspace
    dialog = controller.hotkeys.change_keys()
    dialog.choose("offered_choice")
    dialog._apply("M")  # missed choice has M
    assert "M already codes “Missed choice”" in dialog.message.text()
    dialog._apply("Shift+O")
    assert "“Offered a choice” is now Shift+O" in dialog.message.text()
    assert window.coding.rows["offered_choice"].text(0) == "⇧O"
    assert "Shift+O" in next(a.text() for a in window.category_actions
                             if a.data() == "offered_choice")  # fmt: skip
    assert load_key_scheme(controller.lib).key_for("offered_choice") == "Shift+O"
    dialog.close()
    window.timeline.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.timeline, timeout=UI_WAIT_MS)
    qtbot.keyClick(window.timeline, Qt.Key.Key_O, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.timeline, Qt.Key.Key_C)  # C codes nothing now
    assert [a.category_key for a in stored(controller)] == ["offered_choice"]


def test_a_suggestion_already_coded_is_marked_covered_and_leaves_the_lane(qtbot, workspace):
    window, controller = workspace
    pending = [m for m in controller.moments.values() if m.state == "pending"]
    assert pending, "the scripted transcript should give suggestions"
    first = pending[0]
    controller.annotate(first.category, first.start_ms, first.end_ms)
    assert first.suggestion_id in window.suggestions.covered_ids()
    row = next(i for i, m in enumerate(window.suggestions.model.rows)
               if m.suggestion_id == first.suggestion_id)  # fmt: skip
    text = window.suggestions.model.index(row, 1).data()
    assert text.startswith("✓ Covered by your “")
    on_lane = {item.id for item in window.timeline._items.values() if item.id < 0}
    assert -first.suggestion_id not in on_lane
    controller.undo.undo()
    assert first.suggestion_id not in window.suggestions.covered_ids()


def test_hidden_lanes_are_remembered_when_the_workspace_opens_again(qtbot, workspace):
    window, controller = workspace
    window.timeline.set_lane_hidden("trust", True)
    lib = controller.lib
    again, other = build_workspace(lib, controller.recording.id)
    qtbot.addWidget(again)
    loaded(qtbot, other)
    assert again.timeline.hidden_lanes() == {"trust"}
    assert not next(a for a in again.lane_actions if "Trust" in a.text()).isChecked()
    again.close()
    QThreadPool.globalInstance().waitForDone()


def test_the_loop_goes_round_between_its_ends(qtbot, _isolated_data):
    lib = app.open_library()
    recording, _ = app.import_media(lib, SPEECH)
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot, controller)
    window.player.set_loop(1000, 1600)
    qtbot.waitUntil(window.player.is_playing, timeout=UI_WAIT_MS)
    seen = []
    window.player.position_changed.connect(seen.append)
    qtbot.waitUntil(lambda: any(b < a for a, b in zip(seen, seen[1:], strict=False)),
                    timeout=UI_WAIT_MS)  # it went back to the start at least once
    assert all(900 <= ms <= 1700 for ms in seen)
    assert window.player.loop_button.text() == "Loop 0:01.0–0:01.6"
    window.player.set_loop(None)
    window.player.pause()
    window.close()
    QThreadPool.globalInstance().waitForDone()
    lib.close()
