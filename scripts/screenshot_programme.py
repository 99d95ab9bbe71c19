"""Render the training programme view and the outcomes report's first page on the demo.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_programme.py [OUT_DIR]

Saves OUT_DIR/programme.png (1366x768, the demo trainer's view of session 1 with the
questionnaire being filled in) and OUT_DIR/report_page1.png (the demo TIP's outcomes
report for 2026, first page, rendered with poppler's pdftoppm at 80 dpi). Default: docs/.
Uses a throwaway data folder, so the user's library is untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bwvreview import app  # noqa: E402
from bwvreview.annotations.access import users  # noqa: E402
from bwvreview.app import demo, outcomes_report, signin  # noqa: E402
from bwvreview.ui.launch import make_application  # noqa: E402
from bwvreview.ui.programme_view import ProgrammeWindow  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def settle(qt_app, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qt_app.processEvents()


def as_person(lib: app.Library, name: str) -> app.Library:
    person = users.find_user(lib.db, name)
    return signin.signed_in(lib, users.sign_in(lib.db, person.id, None))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    qt_app = make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        app.import_demo(lib)
        trainer = as_person(lib, demo.DEMO_TRAINER)
        window = ProgrammeWindow(trainer)
        window.resize(1366, 768)
        window.show()
        window.table.selectRow(0)
        window.modules.setCurrentRow(0)
        window.tabs.setCurrentWidget(window.entry)
        window.entry.mode.setCurrentIndex(window.entry.mode.findData("laptop"))
        window.entry.fill({"knowledge.1": 4, "knowledge.2": 3, "knowledge.3": 4,
                           "confidence.1": 3})  # fmt: skip
        settle(qt_app)
        window.grab().save(str(out / "programme.png"))
        window.close()
        report = outcomes_report.write_report(
            as_person(lib, demo.DEMO_TIP), dt.date(2026, 1, 1), dt.date(2026, 12, 31),
            Path(data) / "report",
        )  # fmt: skip
        stem = out / "report_page1"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(report.pdf), str(stem)], check=True, timeout=120)  # fmt: skip
        lib.close()
    print(f"wrote {out / 'programme.png'} and {stem}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
