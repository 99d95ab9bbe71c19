"""The review workspace driven by keyboard and mouse, offscreen, on real SQLite and Qt."""

import pytest
from PySide6.QtCore import Qt, QThreadPool, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.review import transcripts
from bwvreview.ui.export_dialog import ExportDialog
from bwvreview.ui.launch import build_workspace
from tests.ui.conftest import SPEECH, loaded
from tests.waits import UI_WAIT_MS


def seek(qtbot, window, ms):
    window.player.seek(ms)
    qtbot.waitUntil(lambda: abs(window.player.position() - ms) < 50, timeout=UI_WAIT_MS)


def focus_timeline(qtbot, window):
    window.timeline.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.timeline, timeout=UI_WAIT_MS)


def test_a_tapped_hotkey_marks_a_point_at_the_playhead(qtbot, workspace):
    window, controller = workspace
    focus_timeline(qtbot, window)
    seek(qtbot, window, 3000)
    qtbot.keyClick(window.timeline, Qt.Key.Key_M)  # missed_choice
    items = review.list_annotations(controller.lib.db, controller.recording.id)
    assert len(items) == 1
    assert items[0].category_key == "missed_choice"
    assert abs(items[0].start_ms - 3000) < 50 and items[0].end_ms == items[0].start_ms
    assert window.annotations.model.rowCount() == 1


def test_holding_a_hotkey_while_the_playhead_moves_marks_an_interval(qtbot, workspace):
    window, controller = workspace
    focus_timeline(qtbot, window)
    seek(qtbot, window, 1000)
    qtbot.keyPress(window.timeline, Qt.Key.Key_E)
    seek(qtbot, window, 2600)
    qtbot.keyRelease(window.timeline, Qt.Key.Key_E)
    (item,) = review.list_annotations(controller.lib.db, controller.recording.id)
    assert item.category_key == "explained_action"
    assert abs(item.start_ms - 1000) < 50 and abs(item.end_ms - 2600) < 50


def test_undo_and_redo_restore_every_edit(qtbot, workspace):
    window, controller = workspace
    focus_timeline(qtbot, window)
    qtbot.keyClick(window.timeline, Qt.Key.Key_T)
    (made,) = controller.items
    controller.update(made.id, {"note": "calm down as an order"})
    assert review.list_annotations(controller.lib.db, controller.recording.id)[0].note
    controller.undo.undo()
    assert review.list_annotations(controller.lib.db, controller.recording.id)[0].note == ""
    controller.undo.undo()
    assert review.list_annotations(controller.lib.db, controller.recording.id) == []
    controller.undo.redo()
    controller.undo.redo()
    (again,) = review.list_annotations(controller.lib.db, controller.recording.id)
    assert again.note == "calm down as an order"
    controller.delete(again.id)
    assert review.list_annotations(controller.lib.db, controller.recording.id) == []
    controller.undo.undo()
    assert len(review.list_annotations(controller.lib.db, controller.recording.id)) == 1


def test_selected_words_are_quoted_and_anchor_the_annotation(qtbot, workspace):
    window, controller = workspace
    view = window.transcript
    text = view.document().toPlainText()
    cursor = view.textCursor()
    cursor.setPosition(text.index("Sit"))
    cursor.setPosition(text.index("now.") + 4, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_M)
    (item,) = review.list_annotations(controller.lib.db, controller.recording.id)
    assert item.quote == "Sit down now."
    assert (item.start_ms, item.end_ms) == (500, 500 + 2 * 400 + 350)
    assert item.first_word_id is not None and item.last_word_id is not None


def test_clicking_a_word_seeks_the_player(qtbot, workspace):
    window, _ = workspace
    window.transcript.anchorClicked.emit(QUrl("w:5400"))
    qtbot.waitUntil(lambda: abs(window.player.position() - 5400) < 50, timeout=UI_WAIT_MS)


def test_typing_a_note_never_creates_annotations(qtbot, workspace):
    window, controller = workspace
    focus_timeline(qtbot, window)
    qtbot.keyClick(window.timeline, Qt.Key.Key_N)
    window.editor.note.setFocus()
    qtbot.keyClicks(window.editor.note, "Meant to explain")
    window.editor.flush()
    (item,) = review.list_annotations(controller.lib.db, controller.recording.id)
    assert item.note == "Meant to explain"


def test_resizing_on_the_timeline_changes_the_times(qtbot, workspace):
    window, controller = workspace
    focus_timeline(qtbot, window)
    qtbot.keyClick(window.timeline, Qt.Key.Key_R)
    (item,) = controller.items
    window.timeline.annotation_resized.emit(item.id, 200, 1800)
    (moved,) = review.list_annotations(controller.lib.db, controller.recording.id)
    assert (moved.start_ms, moved.end_ms) == (200, 1800)
    controller.undo.undo()
    (back,) = review.list_annotations(controller.lib.db, controller.recording.id)
    assert (back.start_ms, back.end_ms) == (item.start_ms, item.end_ms)


def test_the_clock_shows_tenths_and_the_frame():
    from bwvreview.ui.player import clock_text

    assert clock_text(3_723_456, 25.0) == "1:02:03.4  frame 93086"
    assert clock_text(0, None) == "0:00.0"


def test_player_keys_step_and_jump(qtbot, workspace):
    window, _ = workspace
    focus_timeline(qtbot, window)
    seek(qtbot, window, 6000)
    qtbot.keyClick(window.timeline, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: abs(window.player.position() - 1000) < 80, timeout=UI_WAIT_MS)
    qtbot.keyClick(window.timeline, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: window.player.position() > 14_000, timeout=UI_WAIT_MS)
    qtbot.keyClick(window.timeline, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: window.player.position() < 80, timeout=UI_WAIT_MS)


def test_the_waveform_is_computed_once_then_read_from_the_cache(qtbot, workspace):
    window, controller = workspace
    qtbot.waitUntil(lambda: window.timeline._peaks is not None, timeout=UI_WAIT_MS)
    cached = list((controller.lib.data_dir / "cache" / "peaks").glob("*"))
    assert len(cached) == 1
    steps = app.iter_waveform(controller.lib, controller.recording)
    assert next(steps) == 1.0  # straight from the cache


def put_cursor_on(view, text):
    cursor = view.textCursor()
    cursor.setPosition(view.document().toPlainText().index(text) + 1)
    view.setTextCursor(cursor)
    view.setFocus()


def current(controller):
    return transcripts.current_transcript(controller.lib.db, controller.recording.id)


def test_ctrl_shift_w_in_the_transcript_switches_the_speaker_and_undo_restores(
    qtbot, workspace
):
    window, controller = workspace
    put_cursor_on(window.transcript, "scared")
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.transcript, Qt.Key.Key_W, both)
    assert current(controller).segments[1].speaker == "wearer"
    loaded(qtbot, controller)
    assert "Officer (camera): I am scared." in window.transcript.toPlainText()
    controller.undo.undo()
    assert current(controller).segments[1].speaker == "other"
    loaded(qtbot, controller)
    assert "Other speaker: I am scared." in window.transcript.toPlainText()


def test_correcting_a_word_keeps_its_times(qtbot, workspace, monkeypatch):
    window, controller = workspace
    monkeypatch.setattr(window, "ask_correction", lambda text: "Stand")
    put_cursor_on(window.transcript, "Sit")
    qtbot.keyClick(window.transcript, Qt.Key.Key_F2)
    word = current(controller).words[0]
    assert (word.text.strip(), word.start_ms, word.end_ms, word.edited) == ("Stand", 500, 850, True)
    assert current(controller).segments[0].text == "Stand down now."
    controller.undo.undo()
    assert current(controller).words[0].text.strip() == "Sit"


def test_replace_all_keeps_punctuation_and_is_one_undo_step(qtbot, workspace):
    window, controller = workspace
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    window.find_bar.find_edit.setText("SCARED")
    window.find_bar.replace_edit.setText("frightened")
    window.find_bar.replace_all_requested.emit("SCARED", "frightened")
    assert current(controller).segments[1].text == "I am frightened."
    assert window.find_bar.status.text() == "1 replaced"
    loaded(qtbot, controller)
    assert window.transcript.find_text("frightened")
    controller.undo.undo()
    assert current(controller).segments[1].text == "I am scared."


def test_without_qtmultimedia_the_player_says_so_and_keeps_a_clock(qtbot, monkeypatch):
    from bwvreview.ui import player

    monkeypatch.setattr(player, "QMediaPlayer", None)
    monkeypatch.setattr(player, "MULTIMEDIA_ERROR", "libpulse.so.0: cannot open shared object")
    widget = player.PlayerWidget()
    qtbot.addWidget(widget)
    widget.load(SPEECH, 15_000, 5.0)
    assert "not available" in widget.video.text() and "libpulse" in widget.video.text()
    widget.seek(3000)
    assert widget.position() == 3000
    widget.play()
    qtbot.waitUntil(lambda: widget.position() > 3100, timeout=UI_WAIT_MS)
    widget.pause()
    assert not widget.is_playing()


def test_accepting_a_suggestion_makes_a_quoted_cue_annotation(qtbot, workspace):
    window, controller = workspace
    (moment,) = window.suggestions.model.rows  # "Sit down now." with no option offered
    assert moment.category == "missed_choice" and moment.text == "Sit down"
    assert [key for key, _label in window.timeline._lanes][-1] == "suggested"
    window.suggestions.select(moment.suggestion_id)
    qtbot.keyClick(window.suggestions.table, Qt.Key.Key_Return)
    (made,) = review.list_annotations(controller.lib.db, controller.recording.id)
    assert (made.category_key, made.source, made.quote) == ("missed_choice", "cue", "Sit down")
    assert window.suggestions.model.rows[0].state == "accepted"


def test_a_rejected_suggestion_is_not_suggested_again_and_the_lane_can_go(qtbot, workspace):
    window, controller = workspace
    (moment,) = window.suggestions.model.rows
    window.suggestions.select(moment.suggestion_id)
    qtbot.keyClick(window.suggestions.table, Qt.Key.Key_Backspace)
    assert window.suggestions.model.rows == []
    controller.load()  # matching again (e.g. after re-opening) does not bring it back
    loaded(qtbot, controller)
    assert window.suggestions.model.rows == []
    assert review.list_annotations(controller.lib.db, controller.recording.id) == []
    window.suggestions.show_lane.setChecked(False)
    assert "suggested" not in [key for key, _label in window.timeline._lanes]


@pytest.fixture
def moved_footage(qtbot, tmp_path, _isolated_data):
    """A workspace whose footage was imported from a copy that has since gone."""
    lib = app.open_library()
    copy = tmp_path / "evidence.mp4"
    copy.write_bytes(SPEECH.read_bytes())
    recording, _ = app.import_media(lib, copy)
    copy.rename(tmp_path / "moved.mp4")
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    loaded(qtbot, controller)
    yield window, controller, tmp_path / "moved.mp4"
    QThreadPool.globalInstance().waitForDone()
    lib.close()


def test_missing_footage_opens_read_only_and_can_be_located(qtbot, moved_footage, monkeypatch):
    window, controller, moved = moved_footage
    assert controller.read_only and not window.banner_box.isHidden()
    assert "not at" in window.banner.text() and not window.locate_button.isHidden()
    controller.annotate("note", 0, 0)
    assert review.list_annotations(controller.lib.db, controller.recording.id) == []
    monkeypatch.setattr(window, "ask_footage_path", lambda: moved)
    window.locate_button.click()
    qtbot.waitUntil(lambda: not controller.read_only, timeout=UI_WAIT_MS)
    loaded(qtbot, controller)
    assert controller.recording.path == str(moved.resolve())
    assert window.banner_box.isHidden()
    controller.annotate("note", 0, 0)
    assert len(review.list_annotations(controller.lib.db, controller.recording.id)) == 1


def test_a_different_file_is_not_accepted_as_the_footage(qtbot, moved_footage, monkeypatch,
                                                        clip_path):  # fmt: skip
    window, controller, _moved = moved_footage
    refused = []
    monkeypatch.setattr("bwvreview.ui.workspace_controller.QMessageBox.warning",
                        lambda _parent, title, text: refused.append(text))  # fmt: skip
    monkeypatch.setattr(window, "ask_footage_path", lambda: clip_path)
    window.locate_button.click()
    qtbot.waitUntil(lambda: bool(refused), timeout=UI_WAIT_MS)
    assert "not the same footage" in refused[0]
    assert controller.read_only


def test_footage_changed_in_place_is_caught_by_its_fingerprint(qtbot, tmp_path, _isolated_data):
    lib = app.open_library()
    copy = tmp_path / "evidence.mp4"
    data = bytearray(SPEECH.read_bytes())
    copy.write_bytes(data)
    recording, _ = app.import_media(lib, copy)
    data[-100] ^= 0xFF  # same size, different bytes
    copy.write_bytes(bytes(data))
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: controller.read_only, timeout=UI_WAIT_MS)
    assert "fingerprint differs" in window.banner.text()
    QThreadPool.globalInstance().waitForDone()
    lib.close()


def test_the_annotation_list_filters_sorts_and_counts_good_practice_first(qtbot, workspace):
    window, controller = workspace
    for key, start in (("offered_choice", 4000), ("missed_choice", 1000), ("safety_check", 2000)):
        controller.annotate(key, start, start + 500)
    panel = window.annotations
    assert [a.category_key for a in panel.model.items] == [
        "missed_choice", "safety_check", "offered_choice"
    ]  # fmt: skip
    assert panel.counts.text().startswith("Safety: 1 good, 0 to learn from")
    assert "Choice: 1 good, 1 to learn from" in panel.counts.text()
    panel.principle_filter.setCurrentIndex(panel.principle_filter.findData("choice"))
    assert [a.category_key for a in panel.model.items] == ["missed_choice", "offered_choice"]
    panel.polarity_filter.setCurrentIndex(panel.polarity_filter.findData("good_practice"))
    assert [a.category_key for a in panel.model.items] == ["offered_choice"]
    panel.principle_filter.setCurrentIndex(0)
    panel.polarity_filter.setCurrentIndex(0)
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [a.category_label for a in panel.model.items] == [
        "Offered a choice", "Missed choice", "Checked safety and wellbeing"
    ]  # fmt: skip
    panel.table.doubleClicked.emit(panel.model.index(1, 0))
    qtbot.waitUntil(lambda: abs(window.player.position() - 1000) < 50, timeout=UI_WAIT_MS)


def test_speeds_keep_the_pitch_of_voices(qtbot, workspace):
    window, _ = workspace
    media = window.player.media
    if not hasattr(media, "pitchCompensation"):
        pytest.skip("this Qt has no pitch compensation switch")
    window.player.set_speed(0.5)
    assert media.playbackRate() == 0.5
    assert media.pitchCompensation()


def test_ctrl_e_opens_the_export_dialog_on_the_selected_annotation(qtbot, workspace):
    window, controller = workspace
    loaded(qtbot, controller)
    controller.annotate("missed_choice", 1000, 2500)
    controller.select(controller.items[0].id)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(ExportDialog) is not None, timeout=UI_WAIT_MS)
    dialog = window.findChild(ExportDialog)
    assert dialog.span_ms() == (0, 4500)  # a 3 s lead-in (cut at the start), 2 s lead-out
    assert dialog.annotation_id == controller.items[0].id and dialog.card.isChecked()
    dialog.reject()
