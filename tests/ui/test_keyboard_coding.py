"""Coding the demo-like recording from the keyboard alone: every key is found without a
menu (the shortcut overlay and the coding panel), a good-practice and a to-learn-from
moment coded, a span looped, a lane hidden. Keys go where a real keyboard sends them: to
the widget that has focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from bwvreview.annotations import review
from bwvreview.app.key_scheme import load_key_scheme
from bwvreview.timecode import clock, span
from tests.waits import UI_WAIT_MS

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def press(qtbot, key, modifiers=NONE) -> None:
    """One key, to whatever has the keyboard focus now."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifiers)


def playhead_at(qtbot, window, ms: int) -> None:
    qtbot.waitUntil(lambda: abs(window.player.position() - ms) < 60, timeout=UI_WAIT_MS)


def stored(controller):
    return review.list_annotations(controller.lib.db, controller.recording.id)


@pytest.fixture
def keyboard(qtbot, workspace):
    window, controller = workspace
    window.timeline.setFocus()  # where the keyboard is when the window opens on a timeline
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=UI_WAIT_MS)
    return window, controller


def test_every_categorys_key_is_on_screen_without_a_menu(qtbot, keyboard):
    window, controller = keyboard
    scheme = load_key_scheme(controller.lib)
    panel = window.coding
    assert panel.isVisible() and not panel.isFloating()
    for category in controller.lib.codebook.categories:
        row = panel.rows[category.key]
        assert row.text(1) == category.label
        assert row.text(0).replace("⇧", "Shift+") == scheme.key_for(category.key)
        assert not row.isHidden()
    press(qtbot, Qt.Key.Key_F1)
    assert window.overlay.isVisible()
    text = window.overlay.text()
    for category in controller.lib.codebook.categories:
        assert category.label in text
        assert f"&nbsp;{scheme.key_for(category.key)}&nbsp;" in text
    assert text.index("Good practice") < text.index("To learn from")
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.overlay.isVisible()
    assert QApplication.focusWidget() is window.timeline  # the keys go back to coding
    press(qtbot, Qt.Key.Key_Question, SHIFT)  # "?" as a UK or US keyboard types it
    assert window.overlay.isVisible()
    press(qtbot, Qt.Key.Key_Question, SHIFT)
    assert not window.overlay.isVisible()


def test_coding_looping_and_hiding_a_lane_from_the_keyboard_alone(qtbot, keyboard):
    window, controller = keyboard
    # Look the keys up on screen, then close the overlay.
    press(qtbot, Qt.Key.Key_F1)
    assert "Offered a choice" in window.overlay.text() and "Missed choice" in window.overlay.text()
    press(qtbot, Qt.Key.Key_F1)  # F1 again closes it
    assert not window.overlay.isVisible()

    # Good practice at 5 s: Right moves the playhead 5 s, C codes "Offered a choice".
    press(qtbot, Qt.Key.Key_Right)
    playhead_at(qtbot, window, 5000)
    press(qtbot, Qt.Key.Key_C)
    # To learn from at the start: Home, then M codes "Missed choice".
    press(qtbot, Qt.Key.Key_Home)
    playhead_at(qtbot, window, 0)
    press(qtbot, Qt.Key.Key_M)
    made = {a.category_key: a for a in stored(controller)}
    assert set(made) == {"offered_choice", "missed_choice"}
    assert made["offered_choice"].polarity == "good_practice"
    assert abs(made["offered_choice"].start_ms - 5000) < 60
    assert made["missed_choice"].polarity == "concern" and made["missed_choice"].start_ms < 60

    # Select 0–5 s with [ and ], and loop it with Shift+Space; again stops looping.
    press(qtbot, Qt.Key.Key_BracketLeft)
    press(qtbot, Qt.Key.Key_Right)
    playhead_at(qtbot, window, 5000)
    press(qtbot, Qt.Key.Key_BracketRight)
    start, end = window.timeline.selected_span()
    assert start < 60 and abs(end - 5000) < 60
    said = f"Selected {span(start, end)} ({clock(end - start, tenths=True)} long)"
    assert window.statusBar().currentMessage().startswith(said)
    press(qtbot, Qt.Key.Key_Space, SHIFT)
    loop = window.player.loop()
    assert loop is not None and loop == window.timeline.selected_span()
    qtbot.waitUntil(window.player.is_playing, timeout=UI_WAIT_MS)
    assert window.player.loop_button.isChecked()
    press(qtbot, Qt.Key.Key_Space, SHIFT)
    assert window.player.loop() is None
    press(qtbot, Qt.Key.Key_Space)  # pause
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=UI_WAIT_MS)

    # Hide the first lane (Safety) with Ctrl+1; it is remembered; Ctrl+1 shows it again.
    first = window.timeline.lanes()[0][0]
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert window.timeline.hidden_lanes() == {first}
    assert QSettings().value("workspace/hidden_lanes") in ([first], first)
    with pytest.raises(KeyError):
        window.timeline.row_rect(first)
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert window.timeline.hidden_lanes() == set()


def test_ctrl_k_finds_a_category_by_name_and_enter_codes_it(qtbot, keyboard):
    window, controller = keyboard
    press(qtbot, Qt.Key.Key_K, CTRL)
    assert QApplication.focusWidget() is window.coding.filter
    qtbot.keyClicks(window.coding.filter, "wellbeing")
    assert window.coding.visible_categories() == ["safety_check"]
    press(qtbot, Qt.Key.Key_Return)
    assert [a.category_key for a in stored(controller)] == ["safety_check"]
    press(qtbot, Qt.Key.Key_Escape)  # clears the box and gives the keys back to coding
    assert window.coding.filter.text() == ""
    press(qtbot, Qt.Key.Key_G)  # a category key again codes, here "Gave time"
    assert sorted(a.category_key for a in stored(controller)) == ["gave_time", "safety_check"]


def test_a_selected_span_is_coded_whole_by_a_tapped_key(qtbot, keyboard):
    window, controller = keyboard
    window.timeline.set_selected_span(1000, 3000)
    press(qtbot, Qt.Key.Key_V)  # validated feelings
    (made,) = stored(controller)
    assert (made.category_key, made.start_ms, made.end_ms) == ("validated_feelings", 1000, 3000)
    assert window.timeline.selected_span() is None  # let go once coded
