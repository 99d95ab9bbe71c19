"""The trainers' clip library window and the pack editor, on a real library, signed in as a
trainer: filtering, playing a clip, building a pack, ordering it, notes, prompts, export;
and, signed in as a TIP, the "Awaiting approval" tab where a second person watches a clip
and approves it (or not) before trainers see it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import Principal
from bwvreview.annotations.learning import clip_library, clips, packs
from bwvreview.annotations.store import models
from bwvreview.app import training_pack
from bwvreview.ui.clip_library_window import ClipLibraryWindow, open_clip_library
from bwvreview.ui.clip_release import NotApprovedDialog
from bwvreview.ui.pack_editor import PackEditor
from tests.waits import UI_WAIT_MS

TRAINER = Principal(user_id=5, name="Trainer T", role="trainer")
EXPORTER = Principal(user_id=6, name="Tia Tip", role="tip")
SECOND = Principal(user_id=7, name="Tess Second", role="tip")


@pytest.fixture
def trainer_lib(_isolated_data, clip_path: Path, tmp_path: Path):
    """Three library clips (copies of a 2 s test clip) cut for three annotations."""
    lib = app.open_library()
    recording, _ = app.import_media(lib, clip_path)
    with lib.db.begin() as session:
        session.add_all([models.User(id=p.user_id, name=p.name, role=p.role)
                         for p in (TRAINER, EXPORTER, SECOND)])  # fmt: skip
    made = []
    for n, (key, note, wording) in enumerate((
        ("triggering_language", "An order to calm down", "Take your time"),
        ("offered_choice", "A real choice of where to talk", ""),
        ("safety_check", "Asked about injuries first", ""),
    )):  # fmt: skip
        annotation = review.create_annotation(
            lib.db, recording_id=recording.id, codebook_id=lib.codebook_id, category_key=key,
            start_ms=0, end_ms=1500, actor="tip", note=note, suggested_wording=wording,
        )  # fmt: skip
        copy = tmp_path / f"clip{n}.mp4"
        shutil.copyfile(clip_path, copy)
        sha = hashlib.sha256(copy.read_bytes()).hexdigest()
        report = {"verdict": "pass", "clip": {"duration_ms": 2000},
                  "settings": {"faces": "blur", "banner": "auto"},
                  "redaction": {"audio": [{"kind": "name", "start_ms": 1}]}}  # fmt: skip
        made.append(clips.record_clip(
            lib.db.as_user(EXPORTER), clips.NewClip(recording.id, annotation.id, 0, 2000,
            str(copy), sha, recording.sha256, {}, report, True), EXPORTER.name,
        ))  # fmt: skip
        # release needs a second person: another TIP approves each one
        clips.approve_clip(lib.db.as_user(SECOND), made[-1].id, sha)
    yield dataclasses.replace(lib, db=lib.db.as_user(TRAINER)), made
    QThreadPool.globalInstance().waitForDone(60_000)
    lib.close()


@pytest.fixture
def window(qtbot, trainer_lib):
    lib, _made = trainer_lib
    view = ClipLibraryWindow(lib)
    qtbot.addWidget(view)
    view.show()
    yield view
    view.player.pause()


def _labels(view: ClipLibraryWindow) -> list[str]:
    return [c.category_label for c in view.model.clips]


def _choose(combo, data) -> None:  # noqa: ANN001
    combo.setCurrentIndex(combo.findData(data))


def test_the_trainer_sees_the_library_and_filters_it(window):
    assert sorted(_labels(window)) == [
        "Checked safety and wellbeing", "Offered a choice", "Triggering language",
    ]  # fmt: skip
    assert window.count.text() == "3 clips"
    _choose(window.polarity, "concern")
    assert _labels(window) == ["Triggering language"]
    _choose(window.polarity, None)
    _choose(window.principle, "choice")
    assert _labels(window) == ["Offered a choice"]
    _choose(window.principle, None)
    _choose(window.category, "safety_check")
    assert _labels(window) == ["Checked safety and wellbeing"]
    _choose(window.category, None)
    window.text.setText("calm down")
    assert _labels(window) == ["Triggering language"]


def test_selecting_a_clip_shows_its_note_and_verification_and_plays_it(qtbot, window):
    window.text.setText("calm down")
    window.select_row(0)
    details = window.details.text()
    assert "An order to calm down" in details and "Take your time" in details
    assert "Verified: faces blurred, banner hidden, 1 personal detail bleeped" in details
    assert window.model.data(window.model.index(0, 4)) == "Pass"
    # chosen is loaded, paused at its start: the player's own Play is the one button
    assert window.viewer.currentWidget() is window.player and not window.player.is_playing()
    plays = [b for b in window.findChildren(QPushButton) if "play" in b.text().lower()]
    assert plays == [window.player.play_button]
    window.play_selected()  # a double-click plays it from the start
    if window.player.media is None:
        pytest.skip("Qt Multimedia is not available here")
    qtbot.waitUntil(lambda: window.player.position() > 200, timeout=UI_WAIT_MS)
    window.player.pause()


def test_a_new_pack_gets_the_selected_clip(qtbot, window, trainer_lib, monkeypatch):
    lib, made = trainer_lib
    monkeypatch.setattr(window, "ask_pack_title", lambda: "Session one")
    window.new_pack_button.click()
    assert window.pack_choice.currentText() == "Session one (0 clips)"
    window.text.setText("injuries")
    window.select_row(0)
    window.add_button.click()
    (pack,) = packs.list_packs(lib.db)
    assert [i.clip_id for i in pack.items] == [made[2].id]
    assert window.pack_choice.currentText() == "Session one (1 clips)"


@pytest.fixture
def editor(qtbot, trainer_lib):
    lib, made = trainer_lib
    pack = packs.create_pack(lib.db, "Draft")
    for clip in made:
        pack = packs.add_clip(lib.db, pack.id, clip.id)
    view = PackEditor(lib, pack.id)
    qtbot.addWidget(view)
    view.show()
    yield view, lib, made
    QThreadPool.globalInstance().waitForDone(60_000)


def _order(lib, pack_id) -> list[int]:  # noqa: ANN001
    return [i.clip_id for i in packs.get_pack(lib.db, pack_id).items]


def test_up_down_and_drag_reorder_the_pack(editor):
    view, lib, made = editor
    a, b, c = (m.id for m in made)
    view.items.setCurrentRow(2)
    view.up.click()
    assert _order(lib, view.pack_id) == [a, c, b]
    assert view.items.currentRow() == 1 and view.items.item(1).text().startswith("2. Checked")
    view.down.click()
    assert _order(lib, view.pack_id) == [a, b, c]
    # a drag within the list moves the row in the list's model, and the pack follows
    model = view.items.model()
    assert model.moveRow(model.index(-1, -1), 0, model.index(-1, -1), 3)
    assert _order(lib, view.pack_id) == [b, c, a]
    view.items.setCurrentRow(0)
    view.remove.click()
    assert _order(lib, view.pack_id) == [c, a]


def test_title_notes_and_prompts_are_saved(qtbot, editor):
    view, lib, _made = editor
    view.title.setText("Choice and control")
    view.title.editingFinished.emit()
    view.items.setCurrentRow(1)
    view.notes.setPlainText("Pause after the question")
    view.prompts.setPlainText("What choice was offered?\n\nHow did she answer?")
    qtbot.waitUntil(
        lambda: packs.get_pack(lib.db, view.pack_id).items[1].prompts != (), timeout=UI_WAIT_MS
    )
    pack = packs.get_pack(lib.db, view.pack_id)
    assert pack.title == "Choice and control"
    assert pack.items[1].facilitator_notes == "Pause after the question"
    assert pack.items[1].prompts == ("What choice was offered?", "How did she answer?")
    view.items.setCurrentRow(0)  # the editors now show the first item's (empty) notes
    assert view.notes.toPlainText() == ""
    view.items.setCurrentRow(1)
    assert view.prompts.toPlainText() == "What choice was offered?\nHow did she answer?"


def test_export_writes_the_pack_folder(qtbot, editor, tmp_path, monkeypatch):
    view, _lib, _made = editor
    out = tmp_path / "exported pack"
    monkeypatch.setattr(view, "ask_export_folder", lambda: out)
    with qtbot.waitSignal(view.exported, timeout=UI_WAIT_MS) as signal:
        view.export_button.click()
    assert signal.args[0].folder == out and signal.args[0].clips == 3
    manifest = json.loads((out / "pack.json").read_text(encoding="utf-8"))
    assert [c["category_label"] for c in manifest["clips"]] == [
        "Triggering language", "Offered a choice", "Checked safety and wellbeing",
    ]  # fmt: skip
    assert (out / "index.html").is_file() and (out / "handout.pdf").is_file()
    assert "Exported 3 clips" in view.message.text()


def test_open_clip_library_edits_the_chosen_pack(qtbot, trainer_lib):
    lib, made = trainer_lib
    pack = packs.create_pack(lib.db, "Wired")
    packs.add_clip(lib.db, pack.id, made[0].id)
    view = open_clip_library(lib)
    qtbot.addWidget(view)
    view.edit_pack_button.click()
    (editor,) = view.findChildren(PackEditor)
    assert editor.title.text() == "Wired" and editor.items.count() == 1
    editor.close()


def test_an_officer_sees_no_clips(qtbot, trainer_lib):
    lib, _made = trainer_lib
    officer = dataclasses.replace(lib, db=lib.db.as_user(Principal(9, "O", "officer")))
    view = ClipLibraryWindow(officer)
    qtbot.addWidget(view)
    assert view.model.clips == [] and "may not" in view.count.text()
    assert clip_library.list_library_clips(lib.db)  # the trainer still does


def test_a_cancelled_export_leaves_nothing_behind(trainer_lib, tmp_path):
    lib, made = trainer_lib
    pack = packs.create_pack(lib.db, "Cancel me")
    packs.add_clip(lib.db, pack.id, made[0].id)
    cancel = threading.Event()
    cancel.set()
    (tmp_path / "out").mkdir()
    with pytest.raises(training_pack.PackCancelled):
        app.drain(training_pack.iter_export_pack(lib, pack.id, tmp_path / "out" / "p",
                                                 cancel=cancel))  # fmt: skip
    assert list((tmp_path / "out").iterdir()) == []


# --- release needs a second person ------------------------------------------------------


@pytest.fixture
def awaiting(trainer_lib, clip_path, tmp_path):
    """One more clip Tia Tip exported, verified and awaiting a second person."""
    lib, made = trainer_lib
    copy = tmp_path / "awaiting.mp4"
    shutil.copyfile(clip_path, copy)
    sha = hashlib.sha256(copy.read_bytes()).hexdigest()
    annotation_id = made[0].annotation_id
    report = {"verdict": "pass", "clip": {"duration_ms": 2000}}
    new = clips.NewClip(made[0].recording_id, annotation_id, 0, 2000, str(copy), sha, "", {},
                        report, True)  # fmt: skip
    return clips.record_clip(lib.db.as_user(EXPORTER), new, EXPORTER.name)


def _release_window(qtbot, trainer_lib, who: Principal) -> ClipLibraryWindow:
    lib, _made = trainer_lib
    view = ClipLibraryWindow(dataclasses.replace(lib, db=lib.db.as_user(who)))
    qtbot.addWidget(view)
    view.show()
    return view


def test_a_trainer_has_no_approval_tab_and_never_sees_a_clip_awaiting(qtbot, trainer_lib, awaiting):
    view = _release_window(qtbot, trainer_lib, TRAINER)
    assert view.tabs.count() == 1 and awaiting.id not in [c.clip_id for c in view.model.clips]


def test_a_second_tip_must_watch_the_clip_before_approving_it(qtbot, trainer_lib, awaiting):
    view = _release_window(qtbot, trainer_lib, SECOND)
    assert view.tabs.tabText(1) == "Awaiting approval (1)"
    view.select_release_row(0)
    assert view.release_model.data(view.release_model.index(0, 0)) == "Awaiting a second person"
    assert view.release_model.data(view.release_model.index(0, 0), Qt.ItemDataRole.DecorationRole)
    assert view.release_box.isVisible() and not view.approve_button.isEnabled()
    assert "Play the clip to the end" in view.release_hint.text()
    view.player.load(Path(awaiting.output_path), 2000, None)  # seeking to the end is not watching
    view.watch.start(awaiting.id, 2000)
    view.player.seek(1990)
    assert not view.approve_button.isEnabled()
    view.play_selected()
    if view.player.media is None:
        pytest.skip("Qt Multimedia is not available here")
    qtbot.waitUntil(view.approve_button.isEnabled, timeout=UI_WAIT_MS)
    assert view.watch.watched_ms >= 1800
    view.player.pause()
    view.approve_button.click()
    assert view.tabs.tabText(1) == "Awaiting approval (0)"
    lib, _made = trainer_lib
    assert awaiting.id in [c.clip_id for c in clip_library.list_library_clips(lib.db)]
    view.grab().save("/tmp/release-approved.png")


def test_the_exporter_watches_but_cannot_approve_their_own_clip(qtbot, trainer_lib, awaiting):
    view = _release_window(qtbot, trainer_lib, EXPORTER)
    view.select_release_row(0)
    view.watch.start(awaiting.id, 2000)
    for ms in range(0, 2001, 50):
        view.watch.moved(ms, playing=True)
    view._update_buttons()
    assert view.watch.watched(awaiting.id) and not view.approve_button.isEnabled()
    assert "another TIP or an admin approves it" in view.release_hint.text()
    assert view.not_approved_button.isEnabled()


def test_not_approved_asks_a_reason_and_keeps_the_clip_out(qtbot, trainer_lib, awaiting,
                                                           monkeypatch):  # fmt: skip
    view = _release_window(qtbot, trainer_lib, SECOND)
    view.select_release_row(0)
    monkeypatch.setattr(view, "ask_not_approved_reason", lambda clip: "A face shows at 0:01")
    view.not_approved_button.click()
    assert view.release_model.data(view.release_model.index(0, 0)) == "Not approved"
    assert "A face shows at 0:01" in view.release_model.data(view.release_model.index(0, 4))
    assert not view.approve_button.isEnabled() and not view.not_approved_button.isEnabled()
    lib, _made = trainer_lib
    assert awaiting.id not in [c.clip_id for c in clip_library.list_library_clips(lib.db)]


def test_the_not_approved_dialog_needs_words_before_ok(qtbot, trainer_lib, awaiting):
    lib, _made = trainer_lib
    clip = clip_library.get_release_clip(lib.db.as_user(SECOND), awaiting.id)
    dialog = NotApprovedDialog(clip)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Not approved" and not ok.isEnabled()
    dialog.reason.setPlainText("   ")
    assert not ok.isEnabled()
    dialog.reason.setPlainText("A street name is heard at the start")
    assert ok.isEnabled() and dialog.text() == "A street name is heard at the start"


def test_the_approval_tab_fits_a_laptop_screen(qtbot, trainer_lib, awaiting):
    view = _release_window(qtbot, trainer_lib, SECOND)
    view.resize(1366, 768)
    view.select_release_row(0)
    qtbot.waitExposed(view)
    assert view.grab().save("/tmp/release.png")
    for button in (view.approve_button, view.not_approved_button):
        assert button.width() >= button.sizeHint().width()


def test_an_empty_clip_library_says_what_to_do_next(qtbot, _isolated_data):
    lib = app.open_library()  # the machine's owner: a reviewer, with no clips yet
    try:
        view = ClipLibraryWindow(lib)
        qtbot.addWidget(view)
        view.show()
        assert view.empty.isVisible() and not view.table.isVisible()
        assert "Ctrl+E" in view.empty.text()
        assert view.viewer.currentWidget() is view.no_clip  # not a black player
        assert "double-click" in view.no_clip.text()
        trainer = dataclasses.replace(lib, db=lib.db.as_user(TRAINER))
        with lib.db.begin() as session:
            session.add(models.User(id=TRAINER.user_id, name=TRAINER.name, role=TRAINER.role))
        theirs = ClipLibraryWindow(trainer)
        qtbot.addWidget(theirs)
        assert "a TIP has exported" in theirs.empty.text()
    finally:
        lib.close()


def test_filters_that_match_nothing_say_how_to_see_every_clip(qtbot, window):
    window.text.setText("no such words anywhere")
    assert window.empty.isVisible() and "No clip matches" in window.empty.text()
    window.text.clear()
    assert not window.empty.isVisible() and window.model.rowCount() == 3
