"""The pack editor as a trainer plans a session from the demo's worked review: each clip's
length and the talk after it against the session's length, a preview of the chosen clip,
notes under the clip's name, and its words quoted once.

The clips are the demo's annotations released to trainers by a second TIP; each clip file is
a copy of a short test clip (the export itself is tested in tests/integration).
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QPushButton

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import Principal
from bwvreview.annotations.learning import clips, packs
from bwvreview.annotations.store import models
from bwvreview.timecode import clock
from bwvreview.ui.pack_editor import OVER, PackEditor
from tests.ui.views_fit import LAPTOP, LAPTOP_125, misfits
from tests.waits import UI_WAIT_MS

TRAINER = Principal(user_id=50, name="Trainer T", role="trainer")
EXPORTER = Principal(user_id=51, name="Tia Tip", role="tip")
SECOND = Principal(user_id=52, name="Tess Second", role="tip")
CUT = ("triggering_language", "offered_choice", "signposted_support")


@pytest.fixture
def planned(qtbot, _isolated_data, clip_path: Path, tmp_path: Path):
    """A trainer's pack of three of the demo's moments, and the editor open on it."""
    lib = app.open_library()
    recording = app.import_demo(lib)
    with lib.db.begin() as session:
        session.add_all([models.User(id=p.user_id, name=p.name, role=p.role)
                         for p in (TRAINER, EXPORTER, SECOND)])  # fmt: skip
    moments = {a.category_key: a for a in review.list_annotations(lib.db, recording.id)}
    trainer = lib.db.as_user(TRAINER)
    pack = packs.create_pack(trainer, "Words that calm", "For new response officers")
    for n, key in enumerate(CUT):
        moment = moments[key]
        copy = tmp_path / f"{key}.mp4"
        shutil.copyfile(clip_path, copy)
        sha = hashlib.sha256(copy.read_bytes()).hexdigest()
        played = moment.end_ms - moment.start_ms + 5_000  # the default lead-in and lead-out
        report = {"verdict": "pass", "clip": {"duration_ms": played}, "settings": {}}
        made = clips.record_clip(lib.db.as_user(EXPORTER), clips.NewClip(
            recording.id, moment.id, moment.start_ms - 3_000, moment.end_ms + 2_000, str(copy),
            sha, recording.sha256, {}, report, True), EXPORTER.name)  # fmt: skip
        clips.approve_clip(lib.db.as_user(SECOND), made.id, sha)
        pack = packs.add_clip(trainer, pack.id, made.id,
                              facilitator_notes="Play it twice." if n == 0 else "")  # fmt: skip
    signed_in = dataclasses.replace(lib, db=trainer)
    editor = PackEditor(signed_in, pack.id)
    qtbot.addWidget(editor)
    editor.show()
    yield editor, signed_in, moments
    editor.player.pause()
    QThreadPool.globalInstance().waitForDone(60_000)
    lib.close()


def test_each_clip_shows_its_length_its_talk_and_when_it_ends(planned):
    editor, _lib, moments = planned
    rows = [editor.items.item(r).text().splitlines() for r in range(editor.items.count())]
    first = moments["triggering_language"]
    length = first.end_ms - first.start_ms + 5_000
    assert rows[0][0] == (f"1. Triggering language · To learn from · {clock(length, tenths=True)}"
                          f" + 10 min talk · ends at {clock(length + 600_000)}")  # fmt: skip
    assert rows[0][-1] == "Your notes: Play it twice."  # the notes sit with their clip
    assert rows[1][0].startswith("2. Offered a choice · Good practice · ")
    assert "ends at 20:" in rows[1][0] and "ends at 30:" in rows[2][0]
    assert editor.plan_label.text().startswith("Plan: 3 clips, ")
    assert "30 min of talk: 30:" in editor.plan_label.text()
    assert "of a 90-minute session, 59:" in editor.plan_label.text()


def test_the_session_length_and_the_talk_are_saved_and_the_total_follows(qtbot, planned):
    editor, lib, _moments = planned
    editor.session.setValue(30)
    editor.items.setCurrentRow(1)
    editor.talk.setValue(25)
    qtbot.waitUntil(lambda: packs.get_pack(lib.db, editor.pack_id).items[1].discussion_minutes
                    == 25, timeout=UI_WAIT_MS)  # fmt: skip
    pack = packs.get_pack(lib.db, editor.pack_id)
    assert pack.session_minutes == 30
    assert "+ 25 min talk · ends at 35:" in editor.items.item(1).text()
    # over the session: said in words first, on an amber tint
    assert editor.plan_label.text().startswith("Over the session's length: 3 clips")
    assert editor.plan_label.text().endswith(" over.")
    assert OVER[1].lower() in editor.plan_label.styleSheet().lower()


def test_the_chosen_clip_is_previewed_with_one_play_button_and_its_notes_under_its_name(planned):
    editor, _lib, _moments = planned
    editor.items.setCurrentRow(1)
    assert editor.chosen.title() == "Clip 2: Offered a choice — its notes and prompts"
    if editor.player.media is not None:
        assert editor.player.media.source().toLocalFile().endswith("offered_choice.mp4")
    plays = [b for b in editor.findChildren(QPushButton) if "play" in b.text().lower()]
    assert len(plays) == 1 and plays[0].isVisibleTo(editor)  # the preview's own
    editor.items.setCurrentRow(0)
    assert editor.notes.toPlainText() == "Play it twice."
    assert editor.chosen.title().startswith("Clip 1: Triggering language")


def test_words_a_reviewer_typed_in_quotes_are_quoted_once(planned):
    editor, lib, moments = planned
    moment = moments["triggering_language"]
    assert moment.suggested_wording and not moment.suggested_wording.startswith('"')
    editor.items.setCurrentRow(0)
    text = editor.notice.text()
    assert f"“{moment.suggested_wording}”" in text
    assert '"“' not in text and '“"' not in text and "““" not in text


@pytest.mark.parametrize("size", [LAPTOP, LAPTOP_125], ids=["1366x700", "125%"])
def test_the_editor_fits_a_laptop(planned, size):
    editor, _lib, _moments = planned
    assert misfits(editor, *size) == []
