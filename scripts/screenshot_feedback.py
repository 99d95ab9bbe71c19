"""Render the sign-in screen, the officer's feedback window and debrief mode on the demo.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_feedback.py [OUT_DIR]

Saves OUT_DIR/sign_in.png (the dialog at its own size, centred over the library window at
1366×768), OUT_DIR/feedback.png and OUT_DIR/debrief.png (default: docs/), each 1366×768.
``scripts/screenshot.py`` calls ``grab_feedback_views`` too. Uses a throwaway data folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bwvreview import app  # noqa: E402
from bwvreview.annotations.access import (
    Principal,  # noqa: E402
    users,
)
from bwvreview.annotations.learning import feedback  # noqa: E402
from bwvreview.annotations.review import library
from bwvreview.ui.debrief import SUMMARY, open_debrief  # noqa: E402
from bwvreview.ui.feedback_controller import build_feedback_window  # noqa: E402
from bwvreview.ui.launch import build_library_window, make_application  # noqa: E402
from bwvreview.ui.sign_in import SignInDialog  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def settle(qt_app, seconds: float = 0.6) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qt_app.processEvents()
        time.sleep(0.02)


def show_frame(qt_app, player, ms: int) -> None:  # noqa: ANN001
    """A paused player shows no frame until one is decoded: play a moment, then pause."""
    player.seek(ms)
    player.play()
    settle(qt_app, seconds=0.8)
    player.pause()
    settle(qt_app, seconds=0.3)


def over_backdrop(backdrop, dialog):  # noqa: ANN001, ANN201
    """The dialog at its own size, centred over the backdrop window, as it opens on screen
    (offscreen windows have no frame, so a thin border stands in for it)."""
    from PySide6.QtGui import QColor, QPainter

    picture = backdrop.grab()
    shown = dialog.grab()
    x = (picture.width() - shown.width()) // 2
    y = (picture.height() - shown.height()) // 2
    painter = QPainter(picture)
    painter.drawPixmap(x, y, shown)
    painter.setPen(QColor(90, 90, 90))
    painter.drawRect(x - 1, y - 1, shown.width() + 1, shown.height() + 1)
    painter.end()
    return picture


def grab_feedback_views(qt_app, lib: app.Library, recording_id: int, out: Path,  # noqa: ANN001
                        backdrop=None) -> None:  # fmt: skip
    """sign_in.png (over the library window at 1366×768), feedback.png and debrief.png,
    with the demo's people and shared review."""
    own_backdrop = backdrop is None
    if own_backdrop:
        backdrop, _library = build_library_window(lib)
        backdrop.resize(1366, 768)
        backdrop.show()
        _library.refresh(select_id=recording_id)
        settle(qt_app)
    everyone = users.list_users(lib.db)
    dialog = SignInDialog(everyone, lambda uid, pw: users.sign_in(lib.db, uid, pw))
    tip = next((u for u in everyone if u.role == "tip"), everyone[0])
    dialog.choose(tip.id)
    dialog.show()
    settle(qt_app)
    over_backdrop(backdrop, dialog).save(str(out / "sign_in.png"))
    dialog.close()
    if own_backdrop:
        backdrop.close()

    officer = next(u for u in everyone if u.role == "officer")
    principal = users.sign_in(lib.db, officer.id, None)
    as_officer = replace(lib, db=lib.db.as_user(principal), actor=principal.name)
    items = feedback.shared_feedback(as_officer.db, recording_id)
    concern = next(i for i in items if i.polarity == "concern" and i.suggested_wording)
    feedback.add_reflection(as_officer.db, incident_id=_incident_id(lib, recording_id),
                            text="Looking back, I went into the room at a pace that suited "
                            "me, not her.", consent_to_share=True)  # fmt: skip
    reader = users.sign_in(lib.db, tip.id, None) if not tip.has_password else None
    if reader is not None and reader.role == "tip":
        feedback.list_reflections(lib.db.as_user(reader), recording_id=recording_id)
    window, _controller = build_feedback_window(as_officer, recording_id)
    window.resize(1366, 768)
    window.show()
    window.select_moment(concern.annotation_id)
    window.on_moment.setChecked(True)
    window.reflection.setPlainText("I could have asked where she would like to sit.")
    show_frame(qt_app, window.player, max(0, concern.start_ms - 1000))
    window.grab().save(str(out / "feedback.png"))
    window.close()

    recording = library.get_recording(lib.db, recording_id)
    debrief = open_debrief(lib, recording)
    debrief.resize(1366, 768)
    debrief.go(SUMMARY, play=False)  # it opens with the strengths
    show_frame(qt_app, debrief.player, debrief.start_of(debrief.items[0]) + 2500)
    debrief.grab().save(str(out / "debrief.png"))
    debrief.close()


def _incident_id(lib: app.Library, recording_id: int) -> int:
    admin = lib.db.as_user(Principal(None, "screenshot", "admin"))
    reference = library.get_recording(admin, recording_id).incident_reference
    incident = next(i for i in feedback.my_incidents(admin) if i.reference == reference)
    return incident.id


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    qt_app = make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        recording = app.import_demo(lib)
        app.drain(app.iter_transcribe_and_store(lib, recording.id))  # what was said, on the lane
        grab_feedback_views(qt_app, lib, recording.id, out)
        lib.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
