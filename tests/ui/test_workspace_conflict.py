"""Two reviewers save the same annotation: the second save shows both versions, never overwrites.

Runs on SQLite and PostgreSQL (the shared ``db_url`` fixture): the other reviewer is a second
``Database`` handle on the same database, changing the row between this window's read and save.
"""

import pytest
from PySide6.QtCore import Qt, QThreadPool

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.store.db import open_database
from bwvreview.ui.conflict_dialog import ConflictDialog, shown_pair, shown_value
from bwvreview.ui.launch import build_workspace
from tests.ui.conftest import SPEECH, loaded, scripted_transcript

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def team_workspace(qtbot, db_url):
    lib = app.open_library(db_url)
    recording, _ = app.import_media(lib, SPEECH)
    scripted_transcript(lib, recording.id)
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    loaded(qtbot, controller)
    other = open_database(db_url)  # the second reviewer, on their own connection
    yield window, controller, other
    other.close()
    window.player.pause()
    window.close()
    QThreadPool.globalInstance().waitForDone()
    lib.close()


@pytest.fixture
def told(monkeypatch):
    """What the workspace's warning dialogs said (instead of showing them); their titles
    are in ``told.titles``."""
    said = Told()
    monkeypatch.setattr("bwvreview.ui.workspace_controller.QMessageBox.warning",
                        lambda _parent, title, text: said.say(title, text))  # fmt: skip
    return said


class Told(list):
    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []

    def say(self, title: str, text: str) -> None:
        self.titles.append(title)
        self.append(text)


def stored(controller, annotation_id):
    return review.get_annotation(controller.lib.db, annotation_id)


def edit_then_conflict(qtbot, window, controller, other):
    """Mark a concern, let the other reviewer save it, then type a note here and save."""
    controller.annotate("missed_choice", 1000, 2000)
    (shown,) = controller.items
    theirs = review.update_annotation(other, shown.id, expected_version=shown.version,
                                      actor="tip2", note="their note", severity=3)  # fmt: skip
    window.editor.note.setPlainText("my note")
    window.editor.flush()
    qtbot.waitUntil(lambda: controller.conflict_dialog is not None)
    return shown, theirs, controller.conflict_dialog


def test_a_conflicting_save_shows_both_versions_and_overwrites_nothing(qtbot, team_workspace):
    window, controller, other = team_workspace
    shown, theirs, dialog = edit_then_conflict(qtbot, window, controller, other)
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    assert (dialog.cell_text("note", 0), dialog.cell_text("note", 1)) == ("my note", "their note")
    assert (dialog.cell_text("severity", 0), dialog.cell_text("severity", 1)) == ("—", "3")
    assert dialog.differing == ["note", "severity"]
    assert dialog.changes == {"note": "my note"}
    assert stored(controller, shown.id) == theirs  # nothing overwritten while the choice waits
    assert controller.undo.count() == 1  # only the marking: the refused save is not undoable


def test_keep_theirs_shows_the_stored_version(qtbot, team_workspace):
    window, controller, other = team_workspace
    shown, theirs, dialog = edit_then_conflict(qtbot, window, controller, other)
    qtbot.mouseClick(dialog.keep_theirs, LEFT)
    assert controller.conflict_dialog is None
    assert stored(controller, shown.id) == theirs
    assert controller.items == [theirs]
    assert window.editor.note.toPlainText() == "their note"
    # and the next edit here saves over their version without a conflict
    controller.update(shown.id, {"note": "their note, and mine"})
    after = stored(controller, shown.id)
    assert (after.note, after.severity, after.version) == ("their note, and mine", 3, 3)


def test_apply_mine_on_top_keeps_their_other_fields(qtbot, team_workspace):
    window, controller, other = team_workspace
    shown, theirs, dialog = edit_then_conflict(qtbot, window, controller, other)
    qtbot.mouseClick(dialog.apply_mine, LEFT)
    after = stored(controller, shown.id)
    assert (after.note, after.severity) == ("my note", 3)  # my field, their other change
    assert after.version == theirs.version + 1
    assert controller.items == [after]
    assert window.editor.note.toPlainText() == "my note"
    controller.undo.undo()  # undoing my change goes back to their version, not to the original
    assert stored(controller, shown.id).note == "their note"


def test_a_third_save_during_the_choice_is_caught_too(qtbot, team_workspace):
    window, controller, other = team_workspace
    shown, theirs, dialog = edit_then_conflict(qtbot, window, controller, other)
    again = review.update_annotation(other, shown.id, expected_version=theirs.version,
                                     actor="tip2", note="their second thoughts")  # fmt: skip
    qtbot.mouseClick(dialog.apply_mine, LEFT)
    qtbot.waitUntil(lambda: controller.conflict_dialog is not None)
    second = controller.conflict_dialog
    assert second is not dialog
    assert second.cell_text("note", 1) == "their second thoughts"
    assert stored(controller, shown.id) == again
    qtbot.mouseClick(second.apply_mine, LEFT)
    assert stored(controller, shown.id).note == "my note"


def test_undoing_over_someone_elses_save_asks_too(qtbot, team_workspace):
    window, controller, other = team_workspace
    controller.annotate("missed_choice", 1000, 2000)
    (made,) = controller.items
    controller.update(made.id, {"note": "my note"})
    (mine,) = controller.items
    review.update_annotation(other, made.id, expected_version=mine.version, actor="tip2",
                             note="their note")  # fmt: skip
    controller.undo.undo()  # would put back the empty note over their note
    qtbot.waitUntil(lambda: controller.conflict_dialog is not None)
    dialog = controller.conflict_dialog
    assert dialog.changes == {"note": ""}
    assert stored(controller, made.id).note == "their note"
    qtbot.mouseClick(dialog.keep_theirs, LEFT)
    assert stored(controller, made.id).note == "their note"
    assert window.editor.note.toPlainText() == "their note"
    assert controller.undo.undoText() == "Add Missed choice"  # the refused undo step is gone


def test_saving_an_annotation_someone_else_deleted_says_so(qtbot, team_workspace, told):
    window, controller, other = team_workspace
    controller.annotate("missed_choice", 1000, 2000)
    (made,) = controller.items
    review.delete_annotation(other, made.id, actor="tip2")
    controller.update(made.id, {"note": "my note"})
    assert told == ["This annotation was deleted (by someone else, or on another computer), "
                    "so your change was not saved."]  # fmt: skip
    assert told.titles == ["Not saved"]
    qtbot.waitUntil(lambda: controller.items == [])  # the list is read afresh
    assert controller.undo.undoText() == "Add Missed choice"  # the refused edit is not undoable


def test_deleting_an_annotation_someone_else_changed_keeps_it_and_says_so(qtbot, team_workspace,
                                                                         told):  # fmt: skip
    window, controller, other = team_workspace
    controller.annotate("missed_choice", 1000, 2000)
    (shown,) = controller.items
    theirs = review.update_annotation(other, shown.id, expected_version=shown.version,
                                      actor="tip2", note="keep: the officer asked")  # fmt: skip
    controller.delete(shown.id)
    assert told == [
        "Someone else changed this annotation since you opened it, so it was not deleted. "
        "Their version is shown now: delete it again if it should still go."
    ]
    assert told.titles == ["Not deleted"]
    assert stored(controller, shown.id) == theirs
    loaded(qtbot, controller)  # the list is read afresh
    assert controller.items == [theirs]  # their version is what shows
    assert controller.undo.undoText() == "Add Missed choice"  # the refused delete is not undoable
    controller.delete(shown.id)  # deleting what is now shown goes through
    assert review.list_annotations(other, shown.recording_id) == []
    assert controller.items == []


def test_times_in_the_conflict_show_in_the_one_time_format():
    assert shown_value("start_ms", 65_340) == "1:05.3"
    assert shown_value("end_ms", None) == "—"
    assert shown_pair("start_ms", 1000, 2500) == ("0:01.0", "0:02.5")
    # less than a tenth apart would read the same: the stored one says by how much
    assert shown_pair("start_ms", 65_340, 65_360) == ("1:05.3", "1:05.3 (+20 ms)")
    assert shown_pair("note", "a", "a") == ("a", "a")
