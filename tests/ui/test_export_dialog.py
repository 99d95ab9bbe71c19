"""The export dialog, driven as a person would: real widgets, real footage, real export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QThreadPool

from bwvreview import app
from bwvreview.annotations.learning import clips as clip_service
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.app import clip_workflow as clips
from bwvreview.ui.export_dialog import ExportDialog
from tests.waits import UI_WAIT_MS

pytestmark = pytest.mark.slow

DEMO_WORDS = Path(__file__).resolve().parents[1] / "data" / "demo_words.json"


@pytest.fixture
def demo(qtbot, _isolated_data):
    """The demo incident with its real Whisper transcript (from the committed fixture)."""
    lib = app.open_library()
    recording = app.import_demo(lib)
    words = json.loads(DEMO_WORDS.read_text(encoding="utf-8"))["words"]
    said = tuple(NewWord(w["start_ms"], w["end_ms"], w["text"], 0.9) for w in words)
    text = "".join(w.text for w in said).strip()
    transcripts.store_transcript(
        lib.db, recording.id, [NewSegment(said[0].start_ms, said[-1].end_ms, text, "other", said)],
        model="fixture", device="cpu", compute_type="-", language="en",
        speaker_confidence=None, actor="test",
    )  # fmt: skip
    yield lib, recording
    QThreadPool.globalInstance().waitForDone(60_000)
    lib.close()


def _dialog(qtbot, lib, recording, out: Path) -> ExportDialog:
    dialog = ExportDialog(lib, recording.id, 27_000, 41_000)
    qtbot.addWidget(dialog)
    dialog.out.setText(str(out))
    return dialog


def test_personal_data_in_the_span_is_listed_and_ticked(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    dialog = _dialog(qtbot, lib, recording, tmp_path / "c.mp4")
    texts = [dialog.hit_list.item(i).text() for i in range(dialog.hit_list.count())]
    joined = " ".join(texts)
    assert "Whitfield" in joined and "Maple" in joined and "phone" in joined
    assert all(
        dialog.hit_list.item(i).checkState() == Qt.CheckState.Checked
        for i in range(dialog.hit_list.count())
    )
    dialog.hit_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.options().kept_audible == frozenset({0})
    assert dialog.options().faces == "blur" and not dialog.options().keep_overlay
    assert dialog.options().banner_preset is None  # found automatically unless chosen
    dialog.banner_where.setCurrentIndex(dialog.banner_where.findData("bottom"))
    assert dialog.options().banner_preset == "bottom"
    dialog.banner.setChecked(False)
    assert dialog.options().keep_overlay and not dialog.banner_where.isEnabled()


def test_what_was_found_is_offered_and_can_be_dismissed(qtbot, demo, tmp_path) -> None:
    """Names, places and numbers found in the transcript are listed, ticked (bleeped wherever
    they are said); one unticked and saved is dismissed and no longer bleeped as a list item."""
    lib, recording = demo
    dialog = _dialog(qtbot, lib, recording, tmp_path / "c.mp4")
    found = dialog.heard.found_list
    texts = [found.item(i).data(Qt.ItemDataRole.UserRole) for i in range(found.count())]
    assert "Sarah Whitfield" in texts and any("Southampton" in t for t in texts)
    assert all(found.item(i).checkState() == Qt.CheckState.Checked for i in range(found.count()))
    found.item(texts.index("Sarah Whitfield")).setCheckState(Qt.CheckState.Unchecked)
    dialog.save_people()
    stored = {e.text: e.state for e in clip_service.found_people_and_places(lib.db, recording.id)}
    assert stored == {"Sarah Whitfield": "dismissed"}
    after = [found.item(i).data(Qt.ItemDataRole.UserRole) for i in range(found.count())]
    assert "Sarah Whitfield" not in after and len(after) == len(texts) - 1
    dialog.resize(1366, 768)
    dialog.grab().save(str(tmp_path / "export_people.png"))


def test_the_people_list_feeds_the_personal_data(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    dialog = _dialog(qtbot, lib, recording, tmp_path / "c.mp4")
    before = dialog.hit_list.count()
    dialog.people.setPlainText("Ring")  # a word heard in the span, now on the list
    dialog.save_people()
    assert clip_service.people_and_places(lib.db, recording.id) == ["Ring"]
    assert dialog.hit_list.count() == before + 1


def test_preview_shows_before_and_after(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    dialog = _dialog(qtbot, lib, recording, tmp_path / "c.mp4")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.after.pixmap().isNull(), timeout=UI_WAIT_MS)
    before = dialog.before.pixmap().toImage()
    after = dialog.after.pixmap().toImage()
    assert before.size() == after.size() and before != after


def test_people_can_be_found_and_left_visible(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    dialog = _dialog(qtbot, lib, recording, tmp_path / "c.mp4")
    dialog.end.setValue(30.0)
    qtbot.mouseClick(dialog.find_people_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.people_list.count() > 0, timeout=UI_WAIT_MS)
    assert dialog.people_list.item(0).text().startswith("Person 1")
    dialog.people_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.options().keep_visible_tracks == frozenset({1})


def test_export_runs_with_progress_and_lands_in_the_library(qtbot, demo, tmp_path,
                                                             monkeypatch) -> None:  # fmt: skip
    lib, recording = demo
    shown: list[str] = []
    monkeypatch.setattr(
        "bwvreview.ui.export_dialog.QMessageBox.information",
        lambda _parent, title, text: shown.append(text),
    )
    out = tmp_path / "from the window.mp4"
    dialog = _dialog(qtbot, lib, recording, out)
    dialog.end.setValue(33.0)
    progress: list[int] = []
    dialog.progress.valueChanged.connect(progress.append)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=240_000)
    assert out.is_file() and dialog.record.verified and dialog.record.release_state == "awaiting"
    assert shown and "PASS" in shown[0]
    assert progress == sorted(progress) and progress[-1] > 900
    assert dialog.export_button.isEnabled()


def test_cancel_leaves_nothing(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    folder = tmp_path / "clips"
    folder.mkdir()
    out = folder / "cancelled.mp4"
    dialog = _dialog(qtbot, lib, recording, out)
    dialog.start.setValue(0.0)
    dialog.end.setValue(50.0)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() > 150, timeout=UI_WAIT_MS)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=UI_WAIT_MS)
    assert "no clip was written" in dialog.status.text()
    assert list(folder.iterdir()) == []


def test_bad_input_is_a_readable_message(qtbot, demo, tmp_path, monkeypatch) -> None:
    lib, recording = demo
    warnings: list[str] = []
    monkeypatch.setattr(
        "bwvreview.ui.export_dialog.QMessageBox.warning",
        lambda _parent, title, text, *rest: warnings.append(text),
    )
    taken = tmp_path / "taken.mp4"
    taken.write_bytes(b"keep me")
    dialog = _dialog(qtbot, lib, recording, taken)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=UI_WAIT_MS)
    assert "already exists" in warnings[0]
    assert taken.read_bytes() == b"keep me"


def test_a_mask_is_drawn_keyframed_and_used_by_the_export(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    dialog = _dialog(qtbot, lib, recording, tmp_path / "masked.mp4")
    dialog.show()
    dialog.mask_time.setValue(28_000)
    dialog.load_mask_frame()
    qtbot.waitUntil(lambda: dialog.canvas.pixmap is not None, timeout=UI_WAIT_MS)
    canvas = dialog.canvas
    target = canvas._target()
    # Drag from 10 % to 30 % of the picture, as a person would with the mouse.
    start = target.topLeft() + QPointF(target.width() * 0.1, target.height() * 0.5)
    end = target.topLeft() + QPointF(target.width() * 0.3, target.height() * 0.7)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start.toPoint())
    qtbot.mouseMove(canvas, end.toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end.toPoint())
    x0, y0, x1, y1 = canvas.drawn_box
    assert x0 == pytest.approx(64, abs=3) and y1 == pytest.approx(252, abs=3)
    dialog.mask_label.setText("house number")
    dialog.new_mask()
    dialog.mask_list.setCurrentRow(0)
    dialog.mask_time.setValue(32_000)
    canvas.drawn_box = (x0 + 40, y0, x1 + 40, y1)
    dialog.add_keyframe()
    (mask,) = clips.drawn_masks(lib, recording.id)
    assert mask.label == "house number" and [k[0] for k in mask.keyframes] == [28_000, 32_000]
    assert mask.box_at(30_000)[0] == pytest.approx(x0 + 20)
    assert "2 keyframes" in dialog.mask_list.item(0).text()
