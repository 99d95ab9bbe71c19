"""The library window driven as a person would, offscreen, with the real app workflows."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool

from bwvreview import app
from bwvreview.annotations.review import transcripts
from bwvreview.ui.launch import build_library_window
from tests.mediafactory import make_clip
from tests.waits import UI_WAIT_MS


@pytest.fixture
def lib(_isolated_data):
    library = app.open_library()
    yield library
    library.close()


@pytest.fixture
def window(qtbot, lib):
    win, controller = build_library_window(lib)
    qtbot.addWidget(win)
    win.show()
    yield win, controller
    QThreadPool.globalInstance().waitForDone()


def test_empty_library_explains_how_to_start(window):
    win, _ = window
    assert win.empty_hint.isVisible()
    assert "Import footage" in win.empty_hint.text()


def test_importing_shows_the_recording_and_its_facts(qtbot, window, clip_path):
    win, controller = window
    controller.import_files([clip_path])
    qtbot.waitUntil(lambda: not controller.busy, timeout=UI_WAIT_MS)
    assert win.model.rowCount() == 1
    assert win.table.isVisible()
    assert (
        win.details.values["SHA-256"].text()
        == app.library.list_recordings(controller.lib.db)[0].sha256
    )
    assert win.details.values["Length"].text() == "0:02"


def test_a_bad_file_gets_a_readable_dialog_and_the_good_ones_still_import(
    qtbot, window, clip_path, tmp_path, monkeypatch
):
    win, controller = window
    shown = []
    monkeypatch.setattr(win, "show_error", lambda title, text: shown.append((title, text)))
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    controller.import_files([bad, clip_path])
    qtbot.waitUntil(lambda: not controller.busy, timeout=UI_WAIT_MS)
    assert win.model.rowCount() == 1
    assert shown and "notes.mp4: not a video file" in shown[0][1]


def test_status_and_text_filters_narrow_the_table(qtbot, window, media_dir):
    win, controller = window
    clips = [make_clip(media_dir / f"f{n}.mp4", tone_hz=300 + n * 100) for n in range(3)]
    app.import_media(controller.lib, clips[0], incident="INC-ALPHA")
    app.import_media(controller.lib, clips[1], incident="INC-BRAVO")
    controller.refresh()
    assert win.proxy.rowCount() == 2
    qtbot.keyClicks(win.search, "bravo")
    assert win.proxy.rowCount() == 1
    win.search.clear()
    win.status_filter.setCurrentIndex(win.status_filter.findData("reviewed"))
    assert win.proxy.rowCount() == 0
    win.status_filter.setCurrentIndex(win.status_filter.findData("new"))
    assert win.proxy.rowCount() == 2


SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech_two_voices.mp4"


@pytest.mark.slow
def test_transcribing_from_the_window_shows_the_transcript_and_w_switches_speaker(
    qtbot, window, monkeypatch
):
    win, controller = window
    shown = []
    show_progress = win.show_progress
    monkeypatch.setattr(win, "show_progress", lambda text, fraction: (
        shown.append(text), show_progress(text, fraction)))  # fmt: skip
    recording, _ = app.import_media(controller.lib, SPEECH)
    controller.refresh(select_id=recording.id)
    assert win.transcribe_button.isEnabled()
    qtbot.mouseClick(win.transcribe_button, Qt.MouseButton.LeftButton)
    assert win.progress.isVisible()
    qtbot.waitUntil(lambda: not controller.busy, timeout=UI_WAIT_MS)
    assert not win.progress.isVisible()
    # The status bar says where Whisper runs once it is loaded: "on CPU (int8, oneDNN)".
    done = [t for t in shown if t.endswith(": 100%")]
    assert re.fullmatch(r"Transcribing speech_two_voices\.mp4 on (CPU|GPU) \(\w+, .+\): 100%",
                        done[-1])  # fmt: skip
    panel = win.transcript
    assert panel.model.rowCount() >= 3
    assert "words to check" in panel.summary.text()
    before = panel.model.segments[0].speaker
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_W)
    after = panel.model.segments[0].speaker
    assert {before, after} == {"wearer", "other"}
    stored = transcripts.current_transcript(controller.lib.db, recording.id)
    assert stored.segments[0].speaker == after and stored.segments[0].edited


@pytest.mark.slow
def test_cancelling_a_transcription_stores_nothing(qtbot, window):
    win, controller = window
    recording, _ = app.import_media(controller.lib, SPEECH)
    controller.refresh(select_id=recording.id)
    controller.transcribe([recording.id])
    qtbot.mouseClick(win.cancel_button, Qt.MouseButton.LeftButton)
    assert not controller.busy
    assert not win.progress.isVisible()
    QThreadPool.globalInstance().waitForDone()
    assert transcripts.current_transcript(controller.lib.db, recording.id) is None


def test_a_content_warning_is_set_from_the_library_and_shown(qtbot, window, clip_path, monkeypatch):
    win, controller = window
    recording, _ = app.import_media(controller.lib, clip_path)
    controller.refresh(select_id=recording.id)
    monkeypatch.setattr(win, "ask_content_warning", lambda current: "child present; restraint")
    win.warning_action.trigger()
    assert app.library.get_recording(controller.lib.db, recording.id).content_warning == (
        "child present; restraint"
    )
    assert win.details.values["Content warning"].text() == "child present; restraint"
    monkeypatch.setattr(win, "ask_content_warning", lambda current: "")
    win.warning_action.trigger()
    assert app.library.get_recording(controller.lib.db, recording.id).content_warning is None


def test_the_recorded_date_range_narrows_the_table(qtbot, window, media_dir):
    from PySide6.QtCore import QDate

    win, controller = window
    for n, day in enumerate(("2026-03-14T21:37:05Z", "2026-05-02T08:00:00Z")):
        clip = make_clip(media_dir / f"dated{n}.mp4", tone_hz=700 + n * 50,
                         extra=("-metadata", f"creation_time={day}"))  # fmt: skip
        app.import_media(controller.lib, clip)
    controller.refresh()
    assert win.proxy.rowCount() == 2
    win.date_from.setDate(QDate(2026, 4, 1))
    assert win.proxy.rowCount() == 1
    win.date_to.setDate(QDate(2026, 4, 30))
    assert win.proxy.rowCount() == 0
    win.date_from.setDate(win.date_from.minimumDate())  # "any date"
    assert win.proxy.rowCount() == 1
    assert win.model.recording_at(0).recorded_at is not None
