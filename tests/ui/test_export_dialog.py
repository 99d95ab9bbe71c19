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
    dialog.end.set_ms(30_000)
    qtbot.mouseClick(dialog.find_people_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.people_list.count() > 0, timeout=UI_WAIT_MS)
    assert dialog.people_list.item(0).text().startswith("Person 1")
    dialog.people_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.options().keep_visible_tracks == frozenset({1})


def test_the_span_is_typed_as_times_and_framed_by_a_lead_in(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    dialog = _dialog(qtbot, lib, recording, tmp_path / "c.mp4")
    assert dialog.start.text() == "0:27.0" and dialog.end.text() == "0:41.0"
    assert dialog.padding.value() == 2.0  # the window frames a moment; the CLI's default is 0
    assert dialog.clip_ms() == (25_000, 43_000)
    assert "0:25.0–0:43.0 (0:18.0 long)" in dialog.span.summary.text()  # the one time format
    qtbot.keyClicks(_cleared(dialog.start), "0:52.0")
    qtbot.keyClicks(_cleared(dialog.end), "55.5")  # seconds are a time too
    assert "after the end of the recording" in dialog.span.problem.text()
    assert not dialog.export_button.isEnabled()
    qtbot.keyClicks(_cleared(dialog.end), "0:53.0")
    assert dialog.span_ms() == (52_000, 53_000)
    assert dialog.clip_ms() == (50_000, recording.duration_ms)  # the lead-out is cut short
    assert "cut short" in dialog.span.summary.text()
    qtbot.keyClicks(_cleared(dialog.end), "soon")
    assert "is not a time" in dialog.span.problem.text() and dialog.span_ms()[1] == 53_000


def _cleared(edit):
    edit.selectAll()
    edit.del_()
    return edit


def test_a_stepped_export_of_the_demo_ends_in_a_checklist(qtbot, demo, tmp_path) -> None:
    """Through the four steps with the buttons, as a person would; a real export of a few
    seconds of the demo, then the checks in words, not a log."""
    lib, recording = demo
    out = tmp_path / "from the window.mp4"
    dialog = _dialog(qtbot, lib, recording, out)
    dialog.show()
    _cleared(dialog.start).setText("0:28.0")
    dialog.start.textEdited.emit("0:28.0")
    _cleared(dialog.end).setText("0:30.0")
    dialog.end.textEdited.emit("0:30.0")
    dialog.padding.setValue(1.0)
    assert dialog.clip_ms() == (27_000, 31_000)
    assert not dialog.export_button.isVisible() and dialog.next_button.isVisible()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # what to hide
    assert dialog.steps.currentIndex() == 1
    heard = " ".join(dialog.hit_list.item(i).text() for i in range(dialog.hit_list.count()))
    assert "Whitfield" in heard and "Maple" not in heard  # the clip's span, lead-out included
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # check
    plan = dialog.check.plan.text()
    assert "Faces blurred" in plan and "Nothing is left in on purpose" in plan
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # save
    assert dialog.export_button.isVisible() and not dialog.next_button.isVisible()
    progress: list[int] = []
    words: list[str] = []  # what the status said as the bar moved
    dialog.progress.valueChanged.connect(progress.append)
    dialog.progress.valueChanged.connect(lambda _v: words.append(dialog.status.text()))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.export_button.isEnabled() and dialog.cancel_button.text() == "Stop"
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=240_000)
    assert out.is_file() and dialog.record.verified and dialog.record.release_state == "awaiting"
    assert progress == sorted(progress) and progress[-1] > 900
    assert words and not any(w.split("…")[0].lower() in _STAGE_KEYS for w in words)
    assert any(w.startswith("Checking the clip") for w in words)
    items = [label.text() for label in dialog.save.items]
    assert len(items) == 5 and all("Passed:" in item for item in items)
    assert not any("FAIL" in item or "[" in item for item in items)
    assert "No face can be seen" in " ".join(items)
    assert "passed every check" in dialog.save.verdict.text()
    assert not dialog.save.override_button.isVisible()
    assert dialog.export_button.isEnabled() and dialog.cancel_button.text() == "Close"
    assert dialog.out.text().endswith("from the window-2.mp4")  # another export writes anew


_STAGE_KEYS = {"source", "personal data", "banner", "export", "verify"}


def test_cancel_leaves_nothing(qtbot, demo, tmp_path) -> None:
    lib, recording = demo
    folder = tmp_path / "clips"
    folder.mkdir()
    out = folder / "cancelled.mp4"
    dialog = _dialog(qtbot, lib, recording, out)
    dialog.start.set_ms(0)
    dialog.end.set_ms(50_000)
    dialog.go_to(3)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() > 150, timeout=UI_WAIT_MS)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=UI_WAIT_MS)
    assert "no clip was written" in dialog.status.text()
    assert dialog.cancel_button.text() == "Close"
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
    dialog.go_to(3)
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


def test_checks_that_need_attention_say_what_to_do_without_a_yes_no_box(qtbot, tmp_path):
    from bwvreview.app.clip_checklist import checklist
    from bwvreview.media.clip_verify import Check, Verification
    from bwvreview.ui.export_result import SaveStep

    step = SaveStep(str(tmp_path / "c.mp4"))
    qtbot.addWidget(step)
    step.show()
    failed = Verification(tmp_path / "c.failed.mp4", (
        Check("faces", True, "no face found in 150 frames"),
        Check("metadata", False, "identifying tags: location",
              [{"tag": "location", "value": "+50.9-001.4", "where": "format"}]),
    ), 2.0).without_values()  # fmt: skip
    step.show_checklist("c.failed.mp4", checklist(failed), passed=False)
    first, second = (label.text() for label in step.items)
    assert "Needs attention:" in first and "What to do:" in first  # attention first
    assert "a GPS location tag" in first and "+50.9" not in first
    assert "Passed:" in second and "What to do" not in second
    assert "1 check needs attention" in step.verdict.text()
    assert step.override_button.isVisible()
