"""Render the library window and the review workspace offscreen on the demo incident.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py [OUT_DIR] [MEDIA]

Saves OUT_DIR/library.png, workspace.png, workspace_keys.png (F1), workspace_1920.png,
export.png (its "What to hide" step), export_found.png (the same step scrolled to what was
found in the transcripts), export_checks.png (the checks on a clip of a few
seconds, exported through the dialog), agreement.png, audit.png, search.png and
dashboard.png (default: docs/), and on the demo sign_in.png, feedback.png and debrief.png.
Every view is shown at 1366×768, a common police laptop (the workspace also at 1920×1080);
the sign-in dialog at its own size, centred over the library window at 1366×768.
The workspace gets a few annotations of the kind a TIP would make on the demo, so the lanes
show something.

Uses a throwaway data folder, so the user's library is untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Window layouts and folders come from settings of their own: a screenshot shows the
# windows as a first start does, and the user's own settings are not touched.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bwvreview-screenshot-settings-")

from screenshot_feedback import grab_feedback_views  # noqa: E402  (beside this script)
from screenshot_search import grab_search_views  # noqa: E402  (beside this script)
from screenshot_workspace import grab_workspace  # noqa: E402  (beside this script)

from bwvreview import app  # noqa: E402
from bwvreview.annotations import review  # noqa: E402
from bwvreview.app import recordings  # noqa: E402
from bwvreview.ui.export_dialog import ExportDialog  # noqa: E402
from bwvreview.ui.launch import build_library_window, make_application  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)  # QPixmap.save() fails silently without it
    qt_app = make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        if len(sys.argv) > 2:
            recording, _ = app.import_media(lib, Path(sys.argv[2]), incident="INC-0412")
        else:
            recording = app.import_demo(lib)
        app.drain(app.iter_transcribe_and_store(lib, recording.id))
        recordings.set_content_warning(lib.db, recording.id, "raised voices; a person in"
                                       " distress", lib.actor)  # fmt: skip
        window, controller = build_library_window(lib)
        window.resize(1366, 768)
        window.show()
        controller.refresh(select_id=recording.id)
        settle(qt_app)
        window.grab().save(str(out / "library.png"))
        if not review.list_annotations(lib.db, recording.id):  # the demo comes reviewed
            annotate_like_a_tip(lib, recording.id)
        grab_workspace(qt_app, lib, recording.id, out / "workspace.png", (1366, 768),
                       out / "workspace_keys.png")  # fmt: skip
        grab_workspace(qt_app, lib, recording.id, out / "workspace_1920.png", (1920, 1080))
        grab_export_dialog(qt_app, lib, recording.id, out)
        grab_agreement(qt_app, lib, recording.id, out / "agreement.png")
        grab_audit_log(qt_app, lib, out / "audit.png")
        if len(sys.argv) <= 2:  # the demo's people (before the dashboard's seeded officers)
            grab_feedback_views(qt_app, lib, recording.id, out, backdrop=window)
        grab_search_views(qt_app, lib, out, settle)  # search.png, dashboard.png
        window.close()
        lib.close()
    print(out)
    return 0


def grab_export_dialog(qt_app, lib: app.Library, recording_id: int, out: Path) -> None:  # noqa: ANN001
    """The export dialog on the span where the personal details are given: its "What to
    hide" step once the person in it is found (export.png); then a few seconds exported
    through it and its checks (export_checks.png)."""
    with tempfile.TemporaryDirectory() as folder:
        dialog = ExportDialog(lib, recording_id, 27_000, 41_000)
        dialog.resize(1366, 768)
        dialog.out.setText(str(Path(folder) / "missed-choice-example.mp4"))
        dialog.show()
        dialog.go_to(1)
        _wait_for(qt_app, dialog, dialog.find_people)
        dialog.grab().save(str(out / "export.png"))
        show_found_list(qt_app, dialog)
        dialog.grab().save(str(out / "export_found.png"))
        dialog.start.set_ms(30_000)
        dialog.end.set_ms(32_000)
        dialog.padding.setValue(1.0)
        _wait_for(qt_app, dialog, dialog.start_export)
        dialog.grab().save(str(out / "export_checks.png"))
        dialog.close()


def show_found_list(qt_app, dialog: ExportDialog) -> None:  # noqa: ANN001
    """Scroll the "What to hide" step to its foot: what was found in the transcripts, and
    the options under it (export.png shows its head)."""
    from PySide6.QtWidgets import QScrollArea

    area = dialog.heard.found_list.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is not None:
        area.ensureWidgetVisible(dialog.heard.found_list)
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    settle(qt_app)


def _wait_for(qt_app, dialog: ExportDialog, start) -> None:  # noqa: ANN001
    start()
    while dialog.worker is not None:
        settle(qt_app, seconds=0.1)
    settle(qt_app)


def settle(qt_app, seconds: float = 0.6) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qt_app.processEvents()
        time.sleep(0.02)


def annotate_like_a_tip(lib: app.Library, recording_id: int) -> None:
    marks = [
        ("introduced_self", 1000, 5900, "Name, role and reason, straight away.", "final"),
        (
            "triggering_language",
            9450,
            10500,
            '"Calm down" as an order, just after a fear disclosure.',
            "draft",
        ),
        ("missed_choice", 10500, 11650, "Could she choose where to sit?", "draft"),
        ("threat_or_ultimatum", 13860, 16070, "Arrest used as pressure.", "draft"),
        ("safety_check", 16970, 17540, "", "final"),
        ("gave_time", 20800, 21900, "", "final"),
        ("offered_choice", 21900, 25000, "A real choice of where to talk.", "final"),
        ("explained_action", 40230, 43500, "What and why before photographing.", "final"),
        ("signposted_support", 46010, 47710, "", "final"),
        ("closure_next_steps", 49400, 52570, "", "final"),
    ]
    for key, start, end, note, status in marks:
        review.create_annotation(lib.db, recording_id=recording_id, codebook_id=lib.codebook_id,
                                 category_key=key, start_ms=start, end_ms=end, actor="demo",
                                 note=note, status=status)  # fmt: skip


def grab_agreement(qt_app, lib: app.Library, recording_id: int, path: Path) -> None:  # noqa: ANN001
    """Two TIPs' coding of the demo compared: mostly alike, three places to talk about."""
    from bwvreview.annotations.learning import agreement
    from bwvreview.annotations.store import models
    from bwvreview.ui.agreement_view import AgreementView

    with lib.db.begin() as session:
        tips = [models.User(name=name, role="tip") for name in ("Asha (TIP)", "Ben (TIP)")]
        session.add_all(tips)
        session.flush()
        asha, ben = (tip.id for tip in tips)
    both = [("introduced_self", 1000, 5900), ("triggering_language", 9450, 10500),
            ("threat_or_ultimatum", 13860, 16070), ("offered_choice", 21900, 25000),
            ("explained_action", 40230, 43500), ("closure_next_steps", 49400, 52570)]
    only_asha = [("missed_choice", 10500, 11650), ("safety_check", 16970, 17540)]
    only_ben = [("rushing", 10500, 11650), ("signposted_support", 46010, 47710)]
    for author, marks in ((asha, both + only_asha), (ben, both + only_ben)):
        for key, start, end in marks:
            review.create_annotation(lib.db, recording_id=recording_id,
                                     codebook_id=lib.codebook_id, category_key=key,
                                     start_ms=start, end_ms=end, actor="demo",
                                     author_id=author)  # fmt: skip
    first, second = (agreement.find_annotator(lib.db, recording_id, name)
                     for name in ("Asha (TIP)", "Ben (TIP)"))  # fmt: skip
    report = agreement.compare(lib.db, recording_id, first, second, lib.codebook_id)
    view = AgreementView(report, "INC-0412")
    view.resize(1366, 768)
    view.show()
    view.sides_table.selectRow(2)
    settle(qt_app)
    view.grab().save(str(path))
    view.close()


def grab_audit_log(qt_app, lib: app.Library, path: Path) -> None:  # noqa: ANN001
    """The audit log after someone edited one event behind the app's back."""
    from sqlalchemy import text

    from bwvreview.ui.audit_viewer import AuditViewer

    with lib.db.engine.begin() as conn:
        target = conn.execute(
            text("SELECT id FROM audit_events WHERE action = 'annotate' ORDER BY id LIMIT 1")
        ).scalar_one()
        conn.execute(text("UPDATE audit_events SET actor = 'someone else' WHERE id = :id"),
                     {"id": target})  # fmt: skip
    viewer = AuditViewer(lib.db)
    viewer.resize(1366, 768)
    viewer.show()
    viewer.verify()
    settle(qt_app)
    viewer.grab().save(str(path))
    viewer.close()


if __name__ == "__main__":
    sys.exit(main())
