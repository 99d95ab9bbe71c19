"""Render the review workspace offscreen on the demo incident at a given window size.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_workspace.py \
        OUT.png [W H [KEYS.png]]

Default size 1366×768 (a common police laptop). The window is shown with a moment selected
and the playhead part-way in; with KEYS.png, the shortcut overlay (F1) is saved there too.
Uses a throwaway data folder and settings folder, so the user's library and window layout
are untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SETTINGS = tempfile.mkdtemp(prefix="bwv-shot-settings-")
os.environ["XDG_CONFIG_HOME"] = _SETTINGS  # QSettings: a fresh window layout

from PySide6.QtCore import QThreadPool  # noqa: E402
from screenshot_feedback import settle  # noqa: E402  (beside this script)

from bwvreview import app  # noqa: E402
from bwvreview.ui.launch import build_workspace, make_application  # noqa: E402


def grab_workspace(qt_app, lib: app.Library, recording_id: int, path: Path,  # noqa: ANN001
                   size: tuple[int, int], keys_path: Path | None = None) -> None:  # fmt: skip
    workspace, controller = build_workspace(lib, recording_id)
    workspace.resize(*size)
    workspace.show()
    workspace.player.seek(20_000)
    workspace.player.play()  # a paused player shows no frame until one is decoded
    settle(qt_app, seconds=1.2)
    while controller.is_loading():  # the review is read in the background
        settle(qt_app, seconds=0.1)
    workspace.player.pause()
    chosen = next((a for a in controller.items if a.category_key == "offered_choice"), None)
    if chosen is not None:
        controller.select(chosen.id)
    QThreadPool.globalInstance().waitForDone()
    settle(qt_app)
    workspace.grab().save(str(path))
    if keys_path is not None:
        workspace.overlay.open()
        settle(qt_app, seconds=0.3)
        workspace.grab().save(str(keys_path))
    workspace.close()


def main() -> int:
    out = Path(sys.argv[1])
    size = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (1366, 768)
    out.parent.mkdir(parents=True, exist_ok=True)
    qt_app = make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        recording = app.import_demo(lib)
        app.drain(app.iter_transcribe_and_store(lib, recording.id))
        keys = Path(sys.argv[4]) if len(sys.argv) > 4 else None
        grab_workspace(qt_app, lib, recording.id, out, size, keys)
        lib.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
