"""Undo and redo of suggestion decisions and of splitting and joining transcript lines."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from bwvreview.annotations import review
from bwvreview.annotations.cues import suggestions
from bwvreview.annotations.review import transcripts
from tests.ui.conftest import loaded

CTRL = Qt.KeyboardModifier.ControlModifier


def stored(controller):
    return review.list_annotations(controller.lib.db, controller.recording.id)


def state_of(controller, moment):
    return suggestions.get_suggestion(controller.lib.db, moment.suggestion_id).state


def on_the_lane(window, moment):
    return -moment.suggestion_id in window.timeline._items


def test_accepting_a_suggestion_is_undone_and_redone(qtbot, workspace):
    window, controller = workspace
    (moment,) = window.suggestions.model.rows
    window.suggestions.select(moment.suggestion_id)
    qtbot.keyClick(window.suggestions.table, Qt.Key.Key_Return)
    (made,) = stored(controller)
    assert window.annotations.model.rowCount() == 1 and not on_the_lane(window, moment)
    assert controller.undo.undoText() == "Accept suggestion Missed choice"
    qtbot.keyClick(window.suggestions.table, Qt.Key.Key_Z, CTRL)
    assert stored(controller) == [] and window.annotations.model.rowCount() == 0
    assert state_of(controller, moment) == "pending" and on_the_lane(window, moment)
    assert window.suggestions.model.rows[0].state == "pending"
    controller.undo.redo()
    (again,) = stored(controller)
    assert (again.category_key, again.source, again.quote) == ("missed_choice", "cue", "Sit down")
    assert state_of(controller, moment) == "accepted"
    assert window.suggestions.model.rows[0].state == "accepted"


def test_a_note_on_an_accepted_suggestion_follows_it_through_undo_and_redo(qtbot, workspace):
    window, controller = workspace
    (moment,) = window.suggestions.model.rows
    controller.accept_suggestion(moment.suggestion_id)
    (made,) = stored(controller)
    controller.update(made.id, {"note": "a seat could have been offered"})
    controller.undo.undo()
    controller.undo.undo()
    assert stored(controller) == []
    controller.undo.redo()
    controller.undo.redo()  # the note goes on the re-created annotation, whatever its id
    (again,) = stored(controller)
    assert again.note == "a seat could have been offered" and again.source == "cue"


def test_rejecting_a_suggestion_is_undone_and_redone(qtbot, workspace):
    window, controller = workspace
    (moment,) = window.suggestions.model.rows
    window.suggestions.select(moment.suggestion_id)
    qtbot.keyClick(window.suggestions.table, Qt.Key.Key_Backspace)
    assert window.suggestions.model.rows == [] and not on_the_lane(window, moment)
    assert state_of(controller, moment) == "rejected"
    controller.undo.undo()
    assert [m.suggestion_id for m in window.suggestions.model.rows] == [moment.suggestion_id]
    assert state_of(controller, moment) == "pending" and on_the_lane(window, moment)
    controller.undo.redo()
    assert window.suggestions.model.rows == [] and state_of(controller, moment) == "rejected"
    assert stored(controller) == []


def current(controller):
    return transcripts.current_transcript(controller.lib.db, controller.recording.id)


def lines(window):
    return window.transcript.toPlainText().splitlines()


def put_cursor_on(view, text):
    cursor = view.textCursor()
    cursor.setPosition(view.document().toPlainText().index(text) + 1)
    view.setTextCursor(cursor)
    view.setFocus()


ORIGINAL = [(500, 1650, "wearer", "Sit down now.", False),
            (5000, 6150, "other", "I am scared.", False)]  # fmt: skip


def segments(controller):
    return [(s.start_ms, s.end_ms, s.speaker, s.text, s.edited)
            for s in current(controller).segments]  # fmt: skip


def test_ctrl_return_splits_the_line_before_the_word_and_undo_joins_it_again(qtbot, workspace):
    window, controller = workspace
    put_cursor_on(window.transcript, "down")
    qtbot.keyClick(window.transcript, Qt.Key.Key_Return, CTRL)
    assert [s.text for s in current(controller).segments] == ["Sit", "down now.", "I am scared."]
    assert current(controller).segments[1].start_ms == 900  # the word's own time
    loaded(qtbot, controller)
    assert [line.split(": ", 1)[1] for line in lines(window)] == ["Sit", "down now.",
                                                                  "I am scared."]  # fmt: skip
    assert len(window.timeline._segments.payloads) == 3
    controller.undo.undo()
    assert segments(controller) == ORIGINAL
    loaded(qtbot, controller)
    assert len(lines(window)) == 2
    controller.undo.redo()
    assert len(current(controller).segments) == 3
    loaded(qtbot, controller)
    put_cursor_on(window.transcript, "Sit")
    # the first word of a line: nothing to split
    qtbot.keyClick(window.transcript, Qt.Key.Key_Return, CTRL)
    assert "already begins a line" in window.statusBar().currentMessage()
    assert len(current(controller).segments) == 3


def test_joining_with_the_next_line_from_the_menu_or_ctrl_j_and_undo(qtbot, workspace):
    window, controller = workspace
    view = window.transcript
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.toPlainText().index("now.") + 1)
    menu = view.menu_at(view.cursorRect(cursor).center())
    (join,) = [a for a in menu.actions() if a.text().startswith("Join with the next line")]
    assert join.text().endswith("\tCtrl+J")
    assert any(a.text().startswith("Split the line before “now.”") for a in menu.actions())
    join.trigger()
    (only,) = current(controller).segments
    assert (only.start_ms, only.end_ms, only.text) == (500, 6150, "Sit down now. I am scared.")
    loaded(qtbot, controller)
    assert len(lines(window)) == 1
    controller.undo.undo()
    assert segments(controller) == ORIGINAL  # both speakers, times and flags as they were
    loaded(qtbot, controller)
    put_cursor_on(view, "Sit")
    qtbot.keyClick(view, Qt.Key.Key_J, CTRL)
    assert len(current(controller).segments) == 1
    loaded(qtbot, controller)
    put_cursor_on(view, "scared")
    qtbot.keyClick(view, Qt.Key.Key_J, CTRL)  # the last line: nothing after it
    assert "last line" in window.statusBar().currentMessage()
