"""`launch` opens the right window for who signs in: the whole app, event loop and all.

Each run is its own process (as a person starting bwvreview would have): `launch` owns the
QApplication's lifetime, its thread pool and its windows, which must not leak into the
other tests' process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bwvreview import app

# Each test starts the whole app in a process of its own: left out of the quick loop.
pytestmark = pytest.mark.slow

DRIVER = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from bwvreview.annotations.access import users
from bwvreview.app.signin import signed_in
from bwvreview.ui import launch as launch_module

who, recording = sys.argv[1], int(sys.argv[2])
seen = []

if who != "demo":
    def choose(lib):
        user = users.find_user(lib.db, who)
        return signed_in(lib, users.sign_in(lib.db, user.id, None))
    launch_module.sign_in_library = choose
else:
    launch_module.sign_in_library = lambda lib: sys.exit("the demo asked who is there")
launch_module.LibraryController.transcribe = lambda self, ids: None  # tested elsewhere

def look_and_quit():
    seen.extend(type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible())
    QApplication.closeAllWindows()
    QApplication.instance().quit()

launch_module.make_application()  # the timer needs the application's event loop
QTimer.singleShot(1500, look_and_quit)
code = launch_module.launch(open_recording=recording, as_demo_tip=who == "demo")
print(json.dumps({"code": code, "windows": sorted(set(seen))}))
"""


@pytest.fixture
def demo_recording(_isolated_data):
    lib = app.open_library()
    recording = app.import_demo(lib)
    lib.close()
    return recording.id


def run_app(who: str, recording: int) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, who, str(recording)],
        capture_output=True, text=True, env=env, timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_demo_opens_as_its_tip_on_the_library_and_the_workspace(demo_recording):
    result = run_app("demo", demo_recording)
    assert result["code"] == 0
    assert {"LibraryWindow", "WorkspaceWindow"} <= set(result["windows"])


@pytest.mark.parametrize(
    ("name", "window"),
    [("Officer 4471", "FeedbackWindow"), ("Demo Trainer", "ClipLibraryWindow")],
)
def test_an_officer_and_a_trainer_get_their_own_window_not_the_library(
    demo_recording, name, window
):
    result = run_app(name, demo_recording)
    assert window in result["windows"]
    assert not {"LibraryWindow", "WorkspaceWindow"} & set(result["windows"])


def test_what_an_export_killed_last_time_left_is_removed_when_the_app_starts(
    demo_recording, _isolated_data, tmp_path
):
    from bwvreview.app import clip_outputs

    out = tmp_path / "clips"
    out.mkdir()
    partial = out / ".talk.1a2b3c4d.partial.mp4"
    partial.write_bytes(b"half a clip")
    folder = clip_outputs.journal_folder(_isolated_data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0123abcd.json").write_text(json.dumps({  # as a kill -9 leaves it
        "state": "working", "pid": 999_999, "partials": [str(partial)],
        "clips": [str(out / "talk.mp4"), str(out / "talk.failed.mp4")],
        "reports": [str(out / "talk.report.json"), str(out / "talk.report.txt")],
    }))  # fmt: skip
    assert run_app("demo", demo_recording)["code"] == 0
    assert not partial.exists() and list(out.iterdir()) == []
    assert list(folder.glob("*.json")) == []
