"""Render an officer's "My training" window on the demo.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_my_training.py [OUT_DIR]

Saves OUT_DIR/my_training.png (1366x768): the demo officer 4471, on the register of the
demo's two sessions, who answered the second session's feedback form with their name (the
paper forms are anonymous and not shown). With a second argument ``tip``, also saves
OUT_DIR/programme_tip.png, the programme as the demo TIP reads it. Default: docs/. Uses a
throwaway data folder, so the user's library is untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bwvreview import app  # noqa: E402
from bwvreview.app import demo  # noqa: E402
from bwvreview.app import programme as prog  # noqa: E402
from bwvreview.ui.launch import make_application  # noqa: E402
from bwvreview.ui.my_training import MyTrainingWindow  # noqa: E402
from bwvreview.ui.programme_view import ProgrammeWindow  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshot_programme import ROOT, as_person, settle  # noqa: E402

OFFICER = "4471"
NAMED = {"relevant": 5, "clear": 4, "safe_to_speak": 5, "will_use": 5,
         "most_useful": "Hearing how a first question can calm or escalate",
         "change": "Offer a choice before I ask someone to move"}  # fmt: skip


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    qt_app = make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        app.import_demo(lib)
        officer = as_person(lib, OFFICER)
        second = prog.my_training(officer).attended[-1]
        prog.record_own_answers(officer, second.session_id, "feedback", "after", NAMED)
        window = MyTrainingWindow(officer)
        window.resize(1366, 768)
        window.show()
        settle(qt_app)
        window.grab().save(str(out / "my_training.png"))
        window.close()
        if sys.argv[2:] == ["tip"]:
            view = ProgrammeWindow(as_person(lib, demo.DEMO_TIP))
            view.resize(1366, 768)
            view.show()
            settle(qt_app)
            view.grab().save(str(out / "programme_tip.png"))
            view.close()
        lib.close()
    print(f"wrote {out / 'my_training.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
