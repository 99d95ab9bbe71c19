"""The review workspace on a real SQLite library with a short spoken recording."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication

from bwvreview import app
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.ui.launch import build_workspace
from tests.dialogs import dialogs, pytest_runtest_makereport  # noqa: F401  (autouse guard)
from tests.waits import UI_WAIT_MS

SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech_two_voices.mp4"


def words(start_ms, *texts):
    return tuple(NewWord(start_ms + i * 400, start_ms + i * 400 + 350, f" {t}", 0.9)
                 for i, t in enumerate(texts))  # fmt: skip


def scripted_transcript(lib, recording_id, lines=None):
    """Store a transcript (the transcript is incidental here: a scripted one keeps tests
    fast): by default "Sit down now." by the wearer at 0.5 s, "I am scared." at 5 s."""
    lines = lines or [(500, "wearer", "Sit down now."), (5000, "other", "I am scared.")]
    segments = []
    for start_ms, speaker, text in lines:
        said = words(start_ms, *text.split())
        segments.append(NewSegment(start_ms, said[-1].end_ms, text, speaker, said))
    return transcripts.store_transcript(lib.db, recording_id, segments, model="scripted",
                                        device="cpu", compute_type="-", language="en",
                                        speaker_confidence=0.9, actor="test")  # fmt: skip


def loaded(qtbot, controller):
    """Wait until the transcript, annotations and suggestions read in the background show."""
    qtbot.waitUntil(lambda: not controller.is_loading(), timeout=UI_WAIT_MS)


@pytest.fixture
def workspace(qtbot, _isolated_data):
    lib = app.open_library()
    recording, _ = app.import_media(lib, SPEECH)
    scripted_transcript(lib, recording.id)
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    loaded(qtbot, controller)
    yield window, controller
    window.player.pause()
    window.close()
    QThreadPool.globalInstance().waitForDone()
    lib.close()


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    """Each test starts from the default settings (window layouts, folders, reminders), in
    a folder of its own: what one test saves never shapes the next one's window."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(autouse=True)
def _no_window_left_open(qapp):
    """Close any top-level window a test left open: under the offscreen platform a stray
    window stacked over a later test's widget takes that test's mouse events."""
    yield
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
