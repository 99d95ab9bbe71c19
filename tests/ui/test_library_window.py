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
    assert win.empty_hint.isVisible() and not win.table.isVisible()
    assert "Import footage" in win.empty_hint.text() and "demo" in win.empty_hint.text()
    assert win.demo_button.isVisible()


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
    assert win.details.values["Length"].text() == "0:02.0"


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


def _jobs_shown(win):
    model = win.jobs_panel.model
    return [[model.data(model.index(row, col)) for col in range(model.columnCount())]
            for row in range(model.rowCount())]  # fmt: skip


@pytest.mark.slow
def test_transcribing_from_the_window_shows_the_transcript_and_w_switches_speaker(
    qtbot, window, monkeypatch
):
    """A local transcription is listed in the jobs panel (the one progress place), saying
    where Whisper runs, and the row's status says Transcribed when it is done."""
    win, controller = window
    said = []
    show_jobs = win.show_jobs
    monkeypatch.setattr(win, "show_jobs", lambda listed: (
        said.extend(j.message for j in listed), show_jobs(listed)))  # fmt: skip
    recording, _ = app.import_media(controller.lib, SPEECH)
    controller.refresh(select_id=recording.id)
    status = win.model.COLUMNS.index("Status")
    assert win.model.data(win.model.index(0, status)) == "New"
    assert win.transcribe_button.isEnabled()
    qtbot.mouseClick(win.transcribe_button, Qt.MouseButton.LeftButton)
    (row,) = _jobs_shown(win)
    assert row[1:4] == ["Transcription", "speech_two_voices.mp4", "Running"]
    assert row[5] == "this window" and win.jobs_dock.isVisible()
    assert "No batch jobs" not in win.jobs_panel.hint.text()
    assert win.jobs_panel.cancel_button.isEnabled()  # the running job is selected: one click
    assert not hasattr(win, "progress") and not hasattr(win, "cancel_button")  # one Cancel
    qtbot.waitUntil(lambda: not controller.busy, timeout=UI_WAIT_MS)
    assert _jobs_shown(win) == []
    assert win.model.data(win.model.index(0, status)) == "Transcribed"
    # Where Whisper runs, once it is loaded: "on CPU (int8, oneDNN), about 2 seconds left".
    left = r"about (1 second|\d+ seconds|\d+ minutes) left|listening…"
    assert any(re.fullmatch(rf"on (CPU|GPU) \(\w+, .+\), ({left})", m)
               for m in said), said  # fmt: skip
    assert not any(re.search(r"\d s left", m) for m in said), said  # timecode.time_left
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
    assert win.jobs_panel.selected_job().state == "running"
    qtbot.mouseClick(win.jobs_panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not controller.busy
    assert _jobs_shown(win) == []
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


def test_a_waiting_job_here_is_taken_off_the_list_with_the_same_cancel(qtbot, window, media_dir):
    win, controller = window
    clips = [make_clip(media_dir / f"w{n}.mp4", tone_hz=900 + n * 50) for n in range(2)]
    controller.import_files(clips)
    rows = _jobs_shown(win)
    assert [r[3] for r in rows] == ["Running", "Waiting"]
    win.jobs_panel.table.selectRow(1)
    qtbot.mouseClick(win.jobs_panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not controller.busy, timeout=UI_WAIT_MS)
    assert win.model.rowCount() == 1  # only the one that was running was imported


def test_the_incident_and_officers_are_set_after_import(qtbot, window, clip_path, monkeypatch):
    from bwvreview.ui.recording_details import RecordingDetailsDialog

    win, controller = window
    recording, _ = app.import_media(controller.lib, clip_path)
    controller.refresh(select_id=recording.id)
    assert win.details.values["Incident"].text() == "—"
    opened = []

    def fill_in(dialog):  # what a person types, then Save
        opened.append(dialog)
        assert dialog.incident.text() == "" and dialog.officers.text() == ""
        dialog.officers.setText("4471, not a number!")
        dialog.accept()
        assert dialog.isVisible() or dialog.saved is None  # refused: still open, nothing saved
        assert "collar number" in dialog.problem.text()
        dialog.incident.setText("INC-0412")
        dialog.officers.setText("4471, 5522")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(RecordingDetailsDialog, "exec", fill_in)
    qtbot.mouseClick(win.details.edit_button, Qt.MouseButton.LeftButton)
    assert opened
    stored = app.library.get_recording(controller.lib.db, recording.id)
    assert (stored.incident_reference, stored.officers) == ("INC-0412", ("4471", "5522"))
    assert win.details.values["Incident"].text() == "INC-0412"
    assert win.details.values["Officer"].text() == "4471, 5522"
    incident = win.model.COLUMNS.index("Incident")
    assert win.model.data(win.model.index(0, incident)) == "INC-0412"


def test_the_content_warning_is_shown_in_the_table(qtbot, window, clip_path):
    win, controller = window
    recording, _ = app.import_media(controller.lib, clip_path)
    controller.set_content_warning(recording.id, "child present")
    column = win.model.COLUMNS.index("Content warning")
    assert win.model.data(win.model.index(0, column)) == "⚠ child present"


def test_an_empty_library_opens_the_demo_as_bwvreview_demo_does(qtbot, window, monkeypatch):
    win, controller = window
    transcribing, opened = [], []
    monkeypatch.setattr(controller, "transcribe", transcribing.append)  # the model run is
    controller.demo_loaded.connect(opened.append)  # tested elsewhere
    qtbot.mouseClick(win.demo_button, Qt.MouseButton.LeftButton)
    (recording,) = app.library.list_recordings(controller.lib.db)
    assert recording.incident_reference == "DEMO-0001" and recording.officers == ("4471",)
    assert not win.empty_state.isVisible() and win.model.rowCount() == 1
    assert win.selected_recording().id == recording.id
    assert transcribing == [[recording.id]] and opened == [recording.id]
    assert "Demo TIP" in win.statusBar().currentMessage()
