"""Render the practice windows offscreen on the demo: observation entry, PPN1 review and a
session record, at 1366×768.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_practice.py [OUT_DIR]

Saves OUT_DIR/observation.png, ppn1_review.png and session_record.png (default: docs/).
Uses a throwaway data folder, so the user's library is untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bwvreview import app  # noqa: E402
from bwvreview.app.demo import demo_tip  # noqa: E402
from bwvreview.ui.launch import make_application  # noqa: E402
from bwvreview.ui.observation_window import ObservationWindow  # noqa: E402
from bwvreview.ui.ppn1_window import Ppn1Window  # noqa: E402
from bwvreview.ui.session_window import SessionWindow  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1366, 768)


def grab(window, path: Path) -> None:
    window.resize(*SIZE)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    window.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        app.import_demo(lib)
        principal = demo_tip(lib)
        lib = replace(lib, db=lib.db.as_user(principal), actor=principal.name)
        observation = ObservationWindow(lib)
        observation.entry.setText("Thanked them and gave the record receipt")
        observation.notes.setFocus()
        grab(observation, out / "observation.png")
        review = Ppn1Window(lib)
        grab(review, out / "ppn1_review.png")
        session = SessionWindow(lib)
        grab(session, out / "session_record.png")
        for window in (observation, review, session):
            window.close()
        QThreadPool.globalInstance().waitForDone()
        lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
