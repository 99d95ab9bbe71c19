"""Help ▸ About bwvreview: the doctor report in a window, read-only, with a Copy button."""

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QGuiApplication

from bwvreview import __version__, app
from bwvreview.app.doctor import PROBLEM, Item, Section
from bwvreview.ui.about import AboutDialog, about_qt
from bwvreview.ui.launch import build_library_window
from tests.waits import UI_WAIT_MS


@pytest.fixture
def lib(_isolated_data):
    library = app.open_library()
    yield library
    library.close()


def _open_about(qtbot, window) -> AboutDialog:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    about = next(a for a in help_menu.actions() if a.text() == "&About bwvreview…")
    about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.copy_button.isEnabled(), timeout=UI_WAIT_MS)
    return dialog


def test_library_window_about_box_shows_the_doctor_report(qtbot, lib):
    window, _ = build_library_window(lib)
    qtbot.addWidget(window)
    window.show()
    assert [a.text() for a in window.menuBar().actions()][-1] == "&Help"
    dialog = _open_about(qtbot, window)
    text = dialog.report_text()
    assert dialog.text.isReadOnly()
    assert f"version: {__version__}" in text
    for heading in ("[ffmpeg]", "[transcription]", "[face detection]", "[library]", "[Qt]"):
        assert heading in text
    assert f"data folder: {lib.data_dir} (exists)" in text
    assert "schema: " in text and "(current)" in text  # the library the window has open
    assert "Qt Multimedia backend: " in text
    assert "PROBLEM" not in text
    dialog.copy_report()
    assert QGuiApplication.clipboard().text() == text
    dialog.resize(dialog.sizeHint().expandedTo(dialog.size()))
    assert dialog.width() <= 1366 and dialog.height() <= 700  # room for a task bar at 768
    dialog.grab().save("/tmp/about.png")
    dialog.close()
    window.close()
    QThreadPool.globalInstance().waitForDone()


def test_workspace_has_the_about_box_too(workspace):
    window, _ = workspace
    assert [a.text() for a in window.menuBar().actions()][-1] == "&Help"


def test_a_problem_is_marked_in_words_and_explained(qtbot):
    broken = [Section("ffmpeg", [Item("ffmpeg", "BWVREVIEW_FFMPEG=/x: no such file", PROBLEM)])]
    dialog = AboutDialog(lambda: broken)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.copy_button.isEnabled(), timeout=UI_WAIT_MS)
    assert "PROBLEM: ffmpeg: BWVREVIEW_FFMPEG=/x: no such file" in dialog.report_text()
    assert "PROBLEM" in dialog.status.text()
    QThreadPool.globalInstance().waitForDone()


def test_qt_section_without_a_sound_server_warns_in_words(capfd):
    items = {i.label: i for i in about_qt().items}
    assert items["Qt"].value.split()[0].count(".") == 2
    assert "audio outputs" in items
    if not items["audio outputs"].value or items["audio outputs"].value.startswith("none"):
        assert items["audio outputs"].status == "warning"
    out, err = capfd.readouterr()
    assert "pa_context_connect" not in err and "pipewire" not in err.lower()
