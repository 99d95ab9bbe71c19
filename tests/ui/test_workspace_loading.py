"""Opening the workspace reads its review in the background: a calm loading state first,
the transcript, annotations and suggestions when they arrive, and a safe close meanwhile."""

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThread, QThreadPool

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.cues import suggestions
from bwvreview.ui import launch
from bwvreview.ui.launch import build_library_window, build_workspace
from bwvreview.ui.workspace_controller import WorkspaceController
from tests.ui.conftest import SPEECH, loaded, scripted_transcript
from tests.waits import UI_WAIT_MS

ANNOTATIONS = 40


@pytest.fixture
def reviewed(_isolated_data):
    """A recording with a transcript (one cue in it) and annotations, nothing opened yet."""
    lib = app.open_library()
    recording, _ = app.import_media(lib, SPEECH)
    lines = [(500, "wearer", "Sit down now."), (5000, "other", "I am scared.")]
    lines += [(6000 + i * 40, "other", "and then we walked along the road") for i in range(150)]
    scripted_transcript(lib, recording.id, lines)
    for i in range(ANNOTATIONS):
        review.create_annotation(lib.db, recording_id=recording.id, codebook_id=lib.codebook_id,
                                 category_key="note", start_ms=i * 300, end_ms=i * 300 + 200,
                                 actor="test")  # fmt: skip
    yield lib, recording
    QThreadPool.globalInstance().waitForDone()
    lib.close()


def test_the_window_shows_its_loading_state_then_the_review(qtbot, reviewed):
    lib, recording = reviewed
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    # Nothing is read on the GUI thread: the window opens saying what is on its way.
    assert controller.is_loading()
    assert window.transcript.toPlainText() == "Loading transcript…"
    assert window.annotations.counts.text() == "Loading annotations…"
    assert window.annotations.model.rowCount() == 0
    assert window.suggestions.status.text() == "Looking for moments worth a look…"
    assert window.statusBar().currentMessage().startswith("Loading")
    assert window.player.duration_ms == recording.duration_ms  # the footage is there at once
    arrived = []
    controller.reader.arrived.connect(
        lambda part: arrived.append((part.kind, QThread.currentThread() is window.thread()))
    )
    with qtbot.waitSignal(controller.loaded, timeout=UI_WAIT_MS):
        pass
    assert arrived == [("transcript", True), ("annotations", True), ("suggestions", True)]
    assert window.annotations.model.rowCount() == ANNOTATIONS
    assert len(window.timeline._items) == ANNOTATIONS + 1  # and the one suggested moment
    assert (
        window.transcript.toPlainText().splitlines()[0].endswith("Officer (camera): Sit down now.")
    )
    assert [m.category for m in window.suggestions.model.rows] == ["missed_choice"]
    assert window.suggestions.status.isHidden() and window.statusBar().currentMessage() == ""


def test_edits_wait_politely_until_the_annotations_are_in(qtbot, reviewed):
    lib, recording = reviewed
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    controller.annotate("note", 100, 100)
    assert "annotations are still loading" in window.statusBar().currentMessage()
    assert len(review.list_annotations(lib.db, recording.id)) == ANNOTATIONS
    loaded(qtbot, controller)
    controller.annotate("note", 100, 100)
    assert len(review.list_annotations(lib.db, recording.id)) == ANNOTATIONS + 1
    assert window.annotations.model.rowCount() == ANNOTATIONS + 1


@pytest.mark.parametrize("how", ["closed", "deleted"])
def test_closing_while_loading_is_safe_and_writes_nothing(qtbot, reviewed, how):
    lib, recording = reviewed
    window, controller = build_workspace(lib, recording.id)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    qtbot.waitUntil(lambda: controller.transcript is not None, timeout=UI_WAIT_MS)  # part-way
    gone = []
    window.destroyed.connect(lambda: gone.append(True))
    window.close() if how == "closed" else window.deleteLater()
    QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: bool(gone), timeout=UI_WAIT_MS)
    for _ in range(3):  # deliver whatever the reader sent after the window went
        QCoreApplication.processEvents()
    stored = suggestions.list_suggestions(lib.db, recording.id)
    if how == "closed":
        # Closing tells the reader at once: it stores no suggestions after the close.
        assert stored == []
    else:
        # deleteLater() takes effect only after waitForDone(): the read finished while the
        # window still existed, so the suggestions it found may be stored; never twice.
        assert len({(s.category_key, s.start_ms, s.end_ms) for s in stored}) == len(stored)


def test_the_previous_synchronous_path_shows_the_same(qtbot, reviewed, monkeypatch):
    """The benchmark's baseline (everything on the GUI thread) is the same review."""
    lib, recording = reviewed
    monkeypatch.setattr(WorkspaceController, "loads_in_background", False)
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    assert not controller.is_loading()
    assert window.annotations.model.rowCount() == ANNOTATIONS
    assert "Sit down now." in window.transcript.toPlainText()
    assert len(window.suggestions.model.rows) == 1


def test_a_closed_workspace_lets_go_of_its_review(qtbot, reviewed):
    """Nothing long-lived (the library window, the thread pool's workers) keeps a closed
    workspace, and with it an hour's transcript and annotations, in memory."""
    lib, recording = reviewed
    library, library_controller = build_library_window(lib)
    qtbot.addWidget(library)
    window = launch.open_workspace(lib, recording.id, library_controller)
    controller = window.findChild(WorkspaceController)
    loaded(qtbot, controller)
    kept = weakref.ref(controller)
    del controller
    window.close()  # it deletes itself on close
    del window
    QThreadPool.globalInstance().waitForDone()
    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
    assert kept() is None
    library_controller.transcript_stored.emit(recording.id)  # no workspace left to reload


def test_the_events_a_read_waits_on_carry_no_qt_connection(qtbot, reviewed, monkeypatch):
    """A read's pacing Event dies with its finished worker on a pool thread. A Qt connection
    made straight to ``event.set`` is undone from there by PySide (through a weak reference
    to the Event), racing the GUI thread: the workspace tests crashed one run in ten."""
    made = []
    real_event = threading.Event

    def recorded_event():
        made.append(real_event())
        return made[-1]

    monkeypatch.setattr("bwvreview.ui.workspace_loader.threading.Event", recorded_event)
    lib, recording = reviewed
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    loaded(qtbot, controller)
    controller.reader.read({"transcript", "annotations"})  # a second read, paced the same way
    loaded(qtbot, controller)
    assert len(made) >= 2
    assert all(weakref.getweakrefcount(event) == 0 for event in made)
    window.close()
