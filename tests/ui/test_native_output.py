"""Qt's and its libraries' chatter goes to the log file, bwvreview's own words to the terminal.

Each run is its own process: what is tested is the process's standard error itself (file
descriptor 2), which the test process must keep for pytest.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MECHANISM = r"""
import logging, os, sys
from PySide6.QtCore import qWarning
from bwvreview.ui.native_output import quiet_terminal

logging.getLogger().addHandler(logging.FileHandler(sys.argv[1], encoding="utf-8"))
logging.getLogger().setLevel(logging.INFO)
console = logging.StreamHandler(sys.stderr)
console.setLevel(logging.WARNING)  # as the command line sets it up
logging.getLogger().addHandler(console)
with quiet_terminal():
    os.write(2, b"native chatter below Python\n")
    qWarning("qt chatter")
    print("bwvreview: one line for the person", file=sys.stderr)
    logging.getLogger("bwvreview").warning("a warning of our own")
os.write(2, b"after the window\n")
"""

# `bwvreview demo` for 2 s: the real window, player and sound stack, then quit.
DEMO = r"""
import sys
from bwvreview import cli
from bwvreview.ui.native_output import quiet_terminal

with quiet_terminal():  # the driver's own imports would chatter before cli's block
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from bwvreview.ui import launch as launch_module

    launch_module.LibraryController.transcribe = lambda self, ids: None  # tested elsewhere

    def quit_app():
        QApplication.closeAllWindows()
        QApplication.instance().quit()

    launch_module.make_application()
    QTimer.singleShot(2000, quit_app)
sys.exit(cli.main(["demo"]))
"""

CHATTER = ("propagateSizeHints", "PulseAudio", "pipewire", "Input #0", "Stream #0", "qt.")


def _run(script: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=ROOT)  # fmt: skip


@pytest.mark.skipif(os.name == "nt", reason="descriptor 2 is tested on POSIX")
def test_chatter_below_python_goes_to_the_log_and_our_words_to_the_terminal(tmp_path):
    log = tmp_path / "bwvreview.log"
    done = _run(MECHANISM, str(log))
    assert done.returncode == 0, done.stderr
    assert "bwvreview: one line for the person" in done.stderr
    assert "a warning of our own" in done.stderr
    assert "after the window" in done.stderr  # standard error is given back
    assert "native chatter" not in done.stderr and "qt chatter" not in done.stderr
    logged = log.read_text(encoding="utf-8")
    assert "native chatter below Python" in logged and "qt chatter" in logged


@pytest.mark.slow  # the whole app in a process of its own
def test_the_demo_window_says_nothing_on_the_terminal(_isolated_data):
    done = _run(DEMO)
    assert done.returncode == 0, done.stderr[-2000:]
    noise = [line for line in done.stderr.splitlines() if any(c in line for c in CHATTER)]
    assert noise == []
    logged = (_isolated_data / "logs" / "bwvreview.log").read_text(encoding="utf-8")
    assert "bwvreview.qt" in logged  # Qt did speak: into the log
