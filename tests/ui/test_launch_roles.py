"""`launch` opens the right window for who signs in: the whole event loop, for real."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from bwvreview import app
from bwvreview.annotations import library
from bwvreview.ui import launch as launch_module


@pytest.fixture
def demo_library(_isolated_data):
    lib = app.open_library()
    recording = app.import_demo(lib)
    lib.close()
    return recording.id


def run_launch(qtbot, monkeypatch, **kwargs):
    """Run ``launch`` until its windows are shown; return their class names and titles."""
    seen: list[tuple[str, str]] = []

    def look_and_quit() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                seen.append((type(widget).__name__, widget.windowTitle()))
        for widget in QApplication.topLevelWidgets():
            widget.close()
        QApplication.instance().quit()

    QTimer.singleShot(1500, look_and_quit)
    assert launch_module.launch(**kwargs) == 0
    return seen


def test_the_demo_opens_as_its_tip_on_the_library_and_the_workspace(
    qtbot, monkeypatch, demo_library
):
    # the demo is transcribed already or not: opening must not ask who is there
    monkeypatch.setattr(launch_module, "sign_in_library", lambda lib: pytest.fail("asked"))
    monkeypatch.setattr(
        launch_module.LibraryController, "transcribe", lambda self, ids: None
    )  # transcription is tested elsewhere; here only which windows open
    seen = run_launch(qtbot, monkeypatch, open_recording=demo_library, as_demo_tip=True)
    kinds = {kind for kind, _title in seen}
    assert {"LibraryWindow", "WorkspaceWindow"} <= kinds


@pytest.mark.parametrize(
    ("name", "window"),
    [("Officer 4471", "FeedbackWindow"), ("Demo Trainer", "ClipLibraryWindow")],
)
def test_an_officer_and_a_trainer_get_their_own_window_not_the_library(
    qtbot, monkeypatch, demo_library, name, window
):
    from bwvreview.annotations import users
    from bwvreview.app.signin import signed_in

    def choose(lib):
        user = users.find_user(lib.db, name)
        return signed_in(lib, users.sign_in(lib.db, user.id, None))

    monkeypatch.setattr(launch_module, "sign_in_library", choose)
    seen = run_launch(qtbot, monkeypatch, open_recording=demo_library)
    kinds = {kind for kind, _title in seen}
    assert window in kinds
    assert "LibraryWindow" not in kinds and "WorkspaceWindow" not in kinds
    lib = app.open_library()
    assert library.get_recording(lib.db, demo_library).status == "shared"  # nothing changed
    lib.close()
