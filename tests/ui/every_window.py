"""Every top-level window and dialog of the app, built on the demo library as the person who
would see it: a TIP, a trainer, the demo's officer, an officer with no incidents yet, and the
machine's owner (an admin). ``WINDOWS`` names a builder for each; the fit test opens them all.

A new window or dialog belongs here: ``test_window_fit`` fails while a ``*Window`` or
``*Dialog`` class in ``bwvreview/ui`` has no builder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.learning import agreement, clips, packs
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.app import demo, doctor

DEMO_WORDS = Path(__file__).resolve().parents[1] / "data" / "demo_words.json"


@dataclass
class DemoPeople:
    """The demo library, open as each person who sees a window of their own."""

    owner: app.Library  # the machine's owner: an admin
    tip: app.Library
    trainer: app.Library
    officer: app.Library  # the demo's officer 4471, with a shared review
    new_officer: app.Library  # an officer with no incidents yet
    recording: app.Recording
    clip: clips.ClipRecord
    pack_id: int
    second_tip: int  # a colleague's user id: their coding makes the agreement view


def _as(lib: app.Library, name: str) -> app.Library:
    user = users.find_user(lib.db, name)
    principal = Principal(user.id, user.name, user.role)
    return dataclasses.replace(lib, db=lib.db.as_user(principal), actor=user.name)


def open_demo_people(data_dir: Path, clip_media: Path) -> DemoPeople:
    """The demo incident with its Whisper transcript (the committed fixture), a colleague's
    coding, a new officer, one library clip (a copy of ``clip_media``) and a pack."""
    owner = app.open_library(data_dir=data_dir)
    recording = app.import_demo(owner)
    words = json.loads(DEMO_WORDS.read_text(encoding="utf-8"))["words"]
    said = tuple(NewWord(w["start_ms"], w["end_ms"], w["text"], 0.9) for w in words)
    text = "".join(w.text for w in said).strip()
    whole = NewSegment(said[0].start_ms, said[-1].end_ms, text, "other", said)
    transcripts.store_transcript(
        owner.db, recording.id, [whole],
        model="fixture", device="cpu", compute_type="-", language="en",
        speaker_confidence=None, actor="test",
    )  # fmt: skip
    colleague = users.create_user(owner.db, "Asha (TIP)", "tip")
    users.create_user(owner.db, "Officer 9001", "officer", collar_number="9001")
    for key, start, end in (("missed_choice", 10_500, 11_650), ("offered_choice", 21_900, 25_000)):
        review.create_annotation(owner.db, recording_id=recording.id,
                                 codebook_id=owner.codebook_id, category_key=key,
                                 start_ms=start, end_ms=end, actor="test",
                                 author_id=colleague.id)  # fmt: skip
    tip = _as(owner, demo.DEMO_TIP)
    copy = data_dir / "clip.mp4"
    shutil.copyfile(clip_media, copy)
    sha = hashlib.sha256(copy.read_bytes()).hexdigest()
    report = {"verdict": "pass", "clip": {"duration_ms": 2000},
              "settings": {"faces": "blur", "banner": "auto"},
              "redaction": {"audio": [{"kind": "name", "start_ms": 1}]}}  # fmt: skip
    annotation = review.list_annotations(tip.db, recording.id)[0]
    clip = clips.record_clip(tip.db, clips.NewClip(
        recording.id, annotation.id, 0, 2000, str(copy), sha, recording.sha256, {}, report, True,
    ), tip.actor)  # fmt: skip
    trainer = _as(owner, demo.DEMO_TRAINER)
    pack = packs.create_pack(trainer.db, "Words that calm", "A 30-minute session")
    return DemoPeople(owner, tip, trainer, _as(owner, "4471"), _as(owner, "9001"), recording,
                      clip, pack.id, colleague.id)  # fmt: skip


# --- the builders: each returns the window, not yet shown -----------------------------------


def _key_scheme(p: DemoPeople) -> QWidget:
    from bwvreview.app.key_scheme import load_key_scheme, reset_key_scheme, set_category_key
    from bwvreview.ui.key_scheme_dialog import KeySchemeDialog

    lib = p.tip
    return KeySchemeDialog(lib.codebook, load_key_scheme(lib),
                           lambda category, key: set_category_key(lib, category, key),
                           lambda: reset_key_scheme(lib))  # fmt: skip


def _library(p: DemoPeople) -> QWidget:
    from bwvreview.ui.launch import build_library_window

    return build_library_window(p.tip)[0]


def _workspace(p: DemoPeople) -> QWidget:
    from bwvreview.ui.launch import build_workspace

    return build_workspace(p.tip, p.recording.id)[0]


def _export(p: DemoPeople) -> QWidget:
    from bwvreview.ui.export_dialog import ExportDialog

    return ExportDialog(p.tip, p.recording.id, 27_000, 41_000)


def _recording_details(p: DemoPeople) -> QWidget:
    from bwvreview.ui.recording_details import RecordingDetailsDialog

    return RecordingDetailsDialog(p.recording)


def _clip_library(lib: Callable[[DemoPeople], app.Library]) -> Callable[[DemoPeople], QWidget]:
    def build(p: DemoPeople) -> QWidget:
        from bwvreview.ui.clip_library_window import ClipLibraryWindow

        return ClipLibraryWindow(lib(p))

    return build


def _pack_editor(p: DemoPeople) -> QWidget:
    from bwvreview.ui.pack_editor import PackEditor

    return PackEditor(p.trainer, p.pack_id)


def _not_approved(p: DemoPeople) -> QWidget:
    from bwvreview.app import learning
    from bwvreview.ui.clip_release import NotApprovedDialog

    (clip,) = learning.list_release_clips(p.owner.db)
    return NotApprovedDialog(clip)


def _feedback(lib: Callable[[DemoPeople], app.Library], preview: bool = False):
    def build(p: DemoPeople) -> QWidget:
        from bwvreview.ui.feedback_controller import build_feedback_window

        select = p.recording.id if preview else None
        return build_feedback_window(lib(p), select, preview=preview)[0]

    return build


def _debrief(p: DemoPeople) -> QWidget:
    from bwvreview.ui.debrief import open_debrief

    window = open_debrief(p.tip, p.recording)
    window.hide()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # the test closes it
    return window


def _dashboard(p: DemoPeople) -> QWidget:
    from bwvreview.ui.dashboard import DashboardWidget

    return DashboardWidget(p.tip.db, p.tip.codebook)


def _search(p: DemoPeople) -> QWidget:
    from bwvreview.ui.search_panel import SearchPanel

    return SearchPanel(p.tip.db, p.tip.codebook)


def _audit(p: DemoPeople) -> QWidget:
    from bwvreview.ui.audit_viewer import AuditViewer

    return AuditViewer(p.owner.db)


def _people(p: DemoPeople) -> QWidget:
    from bwvreview.ui.users_dialog import UsersDialog

    return UsersDialog(p.owner.db)


def _new_user(_p: DemoPeople) -> QWidget:
    from bwvreview.ui.users_dialog import NewUserDialog

    return NewUserDialog()


def _agreement_report(p: DemoPeople):  # noqa: ANN202
    people = agreement.annotators(p.tip.db, p.recording.id)
    return agreement.compare(p.tip.db, p.recording.id, people[0], people[1], p.tip.codebook_id)


def _agreement(p: DemoPeople) -> QWidget:
    from bwvreview.ui.agreement_view import AgreementView

    return AgreementView(_agreement_report(p), "DEMO-0001")


def _choose_tips(p: DemoPeople) -> QWidget:
    from bwvreview.ui.agreement_view import ChooseAnnotatorsDialog

    return ChooseAnnotatorsDialog(agreement.annotators(p.tip.db, p.recording.id))


def _about(p: DemoPeople) -> QWidget:
    from bwvreview.ui.about import AboutDialog

    return AboutDialog(lambda: doctor.gather(p.tip.data_dir, p.tip.db.url))


def _sign_in(p: DemoPeople) -> QWidget:
    from bwvreview.ui.sign_in import SignInDialog

    return SignInDialog(users.list_users(p.owner.db),
                        lambda uid, pw: users.sign_in(p.owner.db, uid, pw))  # fmt: skip


def _content_warning(_p: DemoPeople) -> QWidget:
    from bwvreview.ui.wellbeing import ContentWarningDialog

    return ContentWarningDialog("Distress; a child is heard crying; restraint", "DEMO-0001")


def _wellbeing(_p: DemoPeople) -> QWidget:
    from bwvreview.ui.wellbeing import WellbeingSettingsDialog, load_settings

    return WellbeingSettingsDialog(load_settings())


def _break(_p: DemoPeople) -> QWidget:
    from bwvreview.ui.break_reminder import BreakNotice

    return BreakNotice(25)


def _conflict(p: DemoPeople) -> QWidget:
    from bwvreview.ui.conflict_dialog import ConflictDialog

    stored = review.list_annotations(p.tip.db, p.recording.id)[0]
    changes = {"note": "A longer note written while someone else changed it, " * 3}
    return ConflictDialog(dataclasses.replace(stored, **changes), changes, stored)


def _programme(lib: Callable[[DemoPeople], app.Library]) -> Callable[[DemoPeople], QWidget]:
    def build(p: DemoPeople) -> QWidget:
        from bwvreview.ui.programme_view import ProgrammeWindow

        return ProgrammeWindow(lib(p))

    return build


def _my_training(lib: Callable[[DemoPeople], app.Library]) -> Callable[[DemoPeople], QWidget]:
    def build(p: DemoPeople) -> QWidget:
        from bwvreview.ui.my_training import MyTrainingWindow

        return MyTrainingWindow(lib(p))

    return build


def _practice(window: str, draft: bool = False) -> Callable[[DemoPeople], QWidget]:
    """The practice windows (issue 18), as the demo's TIP; a session record started from
    debrief mode when ``draft``."""

    def build(p: DemoPeople) -> QWidget:
        from bwvreview.app import feedback
        from bwvreview.ui import incidents_window, observation_window, ppn1_window
        from bwvreview.ui.practice_menu import debrief_draft
        from bwvreview.ui.session_window import SessionWindow

        if window == "session":
            items = feedback.debrief_items(p.tip, p.recording.id) if draft else []
            start = debrief_draft(p.tip, p.recording, items) if draft else None
            return SessionWindow(p.tip, draft=start)
        return {"observation": observation_window.ObservationWindow,
                "ppn1": ppn1_window.Ppn1Window,
                "incidents": incidents_window.IncidentsWindow}[window](p.tip)  # fmt: skip

    return build


# Window name → (the class it is, its builder). The class names let the test see that no
# window of the app is missing from this table.
WINDOWS: dict[str, tuple[str, Callable[[DemoPeople], QWidget]]] = {
    "library": ("LibraryWindow", _library),
    "workspace": ("WorkspaceWindow", _workspace),
    "your category keys": ("KeySchemeDialog", _key_scheme),
    "export": ("ExportDialog", _export),
    "recording details": ("RecordingDetailsDialog", _recording_details),
    "clip library (TIP)": ("ClipLibraryWindow", _clip_library(lambda p: p.tip)),
    "clip library (trainer)": ("ClipLibraryWindow", _clip_library(lambda p: p.trainer)),
    "pack editor": ("PackEditor", _pack_editor),
    "not approved": ("NotApprovedDialog", _not_approved),
    "feedback (officer)": ("FeedbackWindow", _feedback(lambda p: p.officer)),
    "feedback (officer, no incidents)": ("FeedbackWindow", _feedback(lambda p: p.new_officer)),
    "feedback preview": ("FeedbackWindow", _feedback(lambda p: p.tip, preview=True)),
    "debrief": ("DebriefWindow", _debrief),
    "dashboard": ("DashboardWidget", _dashboard),
    "search": ("SearchPanel", _search),
    "audit log": ("AuditViewer", _audit),
    "people": ("UsersDialog", _people),
    "add a user": ("NewUserDialog", _new_user),
    "agreement": ("AgreementView", _agreement),
    "choose two TIPs": ("ChooseAnnotatorsDialog", _choose_tips),
    "about": ("AboutDialog", _about),
    "sign in": ("SignInDialog", _sign_in),
    "content warning": ("ContentWarningDialog", _content_warning),
    "wellbeing": ("WellbeingSettingsDialog", _wellbeing),
    "break": ("BreakNotice", _break),
    "conflict": ("ConflictDialog", _conflict),
    "training programme": ("ProgrammeWindow", _programme(lambda p: p.trainer)),
    "training programme (TIP, to read)": ("ProgrammeWindow", _programme(lambda p: p.tip)),
    "my training (officer)": ("MyTrainingWindow", _my_training(lambda p: p.officer)),
    "my training (officer, no sessions)": (
        "MyTrainingWindow",
        _my_training(lambda p: p.new_officer),
    ),
    "observations": ("ObservationWindow", _practice("observation")),
    "PPN1 reviews": ("Ppn1Window", _practice("ppn1")),
    "practice sessions": ("SessionWindow", _practice("session")),
    "session record from a debrief": ("SessionWindow", _practice("session", draft=True)),
    "incidents and their kinds": ("IncidentsWindow", _practice("incidents")),
}
