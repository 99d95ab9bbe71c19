"""Render the library window offscreen on the demo incident and save docs/library.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py [OUT.png] [MEDIA]

Uses a throwaway data folder, so the user's library is untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThreadPool  # noqa: E402

from bwvreview import app  # noqa: E402
from bwvreview.ui.launch import build_library_window, make_application  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "library.png"
    qt_app = make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        if len(sys.argv) > 2:
            recording, _ = app.import_media(lib, Path(sys.argv[2]), incident="INC-0412")
        else:
            recording = app.import_demo(lib)
        app.drain(app.iter_transcribe_and_store(lib, recording.id))
        window, controller = build_library_window(lib)
        window.resize(1280, 720)
        window.show()
        controller.refresh(select_id=recording.id)
        for _ in range(20):
            qt_app.processEvents()
        window.grab().save(str(out))
        QThreadPool.globalInstance().waitForDone()
        window.close()
        lib.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
