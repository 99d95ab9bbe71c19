"""Render the trainers' clip library and the pack editor offscreen on the demo incident.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_clip_library.py [OUT_DIR]

Saves OUT_DIR/clip_library.png and OUT_DIR/pack_editor.png (default: docs/). Two clips are
exported (anonymised and verified, about a minute) from the demo's worked review, put in a
pack, and shown to the demo trainer. Uses a throwaway data folder.
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

from PySide6.QtCore import QThreadPool  # noqa: E402

from bwvreview import app  # noqa: E402
from bwvreview.annotations import review
from bwvreview.annotations.access import (
    Principal,  # noqa: E402
    users,
)
from bwvreview.annotations.learning import clips as clip_records  # noqa: E402
from bwvreview.annotations.learning import packs  # noqa: E402
from bwvreview.app import clip_workflow as clips  # noqa: E402
from bwvreview.app.demo import DEMO_TRAINER  # noqa: E402
from bwvreview.ui.clip_library_window import ClipLibraryWindow  # noqa: E402
from bwvreview.ui.launch import make_application  # noqa: E402
from bwvreview.ui.pack_editor import PackEditor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CUT = ("triggering_language", "offered_choice", "signposted_support")


def settle(qt_app, seconds: float = 0.6) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qt_app.processEvents()
        time.sleep(0.02)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    qt_app = make_application()
    with tempfile.TemporaryDirectory() as data:
        lib = app.open_library(data_dir=data)
        recording = app.import_demo(lib)
        app.drain(app.iter_transcribe_and_store(lib, recording.id))
        chosen = {a.category_key: a for a in review.list_annotations(lib.db, recording.id)}
        exported = []
        for key in CUT:
            a = chosen[key]
            options = clips.ExportOptions(annotation_id=a.id)
            start, end = clips.export_span(lib, recording.id, annotation_id=a.id,
                                           lead_in_ms=clips.CLIP_LEAD_IN_MS,
                                           lead_out_ms=clips.CLIP_LEAD_OUT_MS)  # fmt: skip
            _outcome, record = clips.export_clip(
                lib, recording.id, start, end, Path(data) / f"{key}.mp4", options
            )
            exported.append(record)
        # release needs a second person: a second TIP watches and approves each clip
        second = users.create_user(lib.db, "Asha (TIP)", "tip")
        approver = lib.db.as_user(Principal(second.id, second.name, second.role))
        for record in exported:
            clip_records.approve_clip(approver, record.id, record.sha256)
        user = users.find_user(lib.db, DEMO_TRAINER)
        trainer = lib.db.as_user(Principal(user.id, user.name, user.role))
        trainer_lib = app.Library(trainer, lib.data_dir, lib.codebook, lib.codebook_id, user.name)
        pack = packs.create_pack(trainer, "Words that calm, words that alarm",
                                 "A 45-minute session for new response officers")  # fmt: skip
        for record in exported:
            packs.add_clip(trainer, pack.id, record.id)
        first = packs.get_pack(trainer, pack.id).items[0]
        packs.set_item_notes(trainer, pack.id, first.id, "Play it twice. Ask what she had "
                             "just said before the officer spoke.")  # fmt: skip
        packs.set_item_prompts(trainer, pack.id, first.id, [
            "How might 'calm down' land with someone who has just been hurt?",
            "What could the officer say instead?",
        ])  # fmt: skip
        packs.set_item_discussion(trainer, pack.id, first.id, 15)
        packs.set_session_minutes(trainer, pack.id, 45)
        window = ClipLibraryWindow(trainer_lib)
        window.resize(1366, 768)
        window.show()
        window.refresh_packs(select_id=pack.id)
        window.select_row(0)
        window.play_selected()
        settle(qt_app, seconds=1.5)
        window.player.pause()
        settle(qt_app)
        window.grab().save(str(out / "clip_library.png"))
        editor = PackEditor(trainer_lib, pack.id, window)
        editor.resize(1366, 768)
        editor.show()
        editor.items.setCurrentRow(0)
        editor.player.play()  # a paused player shows no frame until one is decoded
        settle(qt_app, seconds=1.5)
        editor.player.pause()
        settle(qt_app)
        editor.grab().save(str(out / "pack_editor.png"))
        editor.close()
        window.close()
        QThreadPool.globalInstance().waitForDone()
        lib.close()
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
