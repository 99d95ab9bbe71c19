"""The modal-dialog guard (tests/dialogs.py): an unexpected dialog fails the test at once,
quoting its title and text, where it would have waited for a click that never comes."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from tests.dialogs import UnexpectedDialog
from tests.waits import UI_WAIT_MS

ROOT = Path(__file__).resolve().parents[2]


class Opener(QObject):
    """Opens a message box from a slot, as a worker's result handler would."""

    open_requested = Signal()
    never = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.open_requested.connect(self.open, Qt.ConnectionType.QueuedConnection)

    def open(self) -> None:
        QMessageBox.warning(None, "The clip failed verification", "Add it anyway?")


def test_an_unexpected_message_box_fails_quoting_its_title_and_text(dialogs):
    with pytest.raises(UnexpectedDialog, match="'Not saved' saying 'The file is locked'"):
        QMessageBox.critical(None, "Not saved", "The file is locked")
    box = QMessageBox(QMessageBox.Icon.Question, "Delete?", "Delete the annotation?")
    with pytest.raises(UnexpectedDialog, match="QMessageBox.exec titled 'Delete\\?'"):
        box.exec()
    with pytest.raises(UnexpectedDialog, match="QInputDialog.getText titled 'Correct word'"):
        QInputDialog.getText(None, "Correct word", "The word:")
    with pytest.raises(UnexpectedDialog, match="QFileDialog.getSaveFileName titled 'Export'"):
        QFileDialog.getSaveFileName(None, "Export", "", "Video (*.mp4)")
    dialogs.unexpected.clear()  # seen and checked here: the guard's teardown lets it pass


@pytest.mark.parametrize("wait", ["waitSignal", "waitUntil"])
def test_a_dialog_opened_while_the_test_waits_ends_the_wait_at_once(qtbot, dialogs, wait):
    opener = Opener()
    opener.open_requested.emit()  # delivered by the wait's event loop
    started = time.monotonic()
    with pytest.raises(UnexpectedDialog, match="'The clip failed verification'"):
        if wait == "waitSignal":
            with qtbot.waitSignal(opener.never, timeout=UI_WAIT_MS):
                pass
        else:
            qtbot.waitUntil(lambda: False, timeout=UI_WAIT_MS)
    assert time.monotonic() - started < 5
    dialogs.unexpected.clear()


def test_a_declared_dialog_is_recorded_and_answered(dialogs):
    dialogs.expect("Replace?", text="already exists", answer=QMessageBox.StandardButton.Yes)
    dialogs.expect("Clip exported")
    dialogs.expect("Why?", answer=("it is safe", True))
    dialogs.expect("Choose annotators")
    asked = QMessageBox.question(None, "Replace?", "clip.mp4 already exists")
    told = QMessageBox.information(None, "Clip exported", "Verified")
    assert (asked, told) == (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok)
    assert QInputDialog.getText(None, "Why?", "Reason:") == ("it is safe", True)
    chooser = QDialog()
    chooser.setWindowTitle("Choose annotators")
    assert chooser.exec() == QDialog.DialogCode.Rejected
    assert [d.title for d in dialogs.shown] == [
        "Replace?", "Clip exported", "Why?", "Choose annotators",
    ]  # fmt: skip


def test_a_test_that_opens_an_unexpected_dialog_fails_fast_in_a_real_run(tmp_path):
    """The export dialog's hang, replayed in a pytest run of its own: a worker's result
    opens a warning while the test waits 60 s; the run fails in seconds, naming it."""
    (tmp_path / "conftest.py").write_text(
        "from tests.dialogs import dialogs, pytest_runtest_makereport  # noqa: F401\n"
    )
    (tmp_path / "test_stuck.py").write_text(
        textwrap.dedent(
            """
            from PySide6.QtCore import QTimer
            from PySide6.QtWidgets import QMessageBox

            def test_export(qtbot):
                def finished():
                    box = QMessageBox(QMessageBox.Icon.Warning,
                                      "The clip failed verification", "Add it anyway?")
                    box.exec()

                QTimer.singleShot(0, finished)  # the worker's result arriving
                qtbot.waitUntil(lambda: False, timeout=60_000)
            """
        )
    )
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_stuck.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=UI_WAIT_MS / 1000,
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )  # fmt: skip
    took = time.monotonic() - started
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert "1 failed" in run.stdout and " error" not in run.stdout
    assert "QMessageBox.exec titled 'The clip failed verification' saying 'Add it anyway?'" in (
        run.stdout
    )
    assert took < 30, f"took {took:.1f} s"
