"""The demo incident's people and a worked example of a review, so every view has something
to show on first run: a TIP's annotations (most shared with the officer), a trainer, and
the officer the footage belongs to.

The annotations come from the demo script's own codes (``demo_incident.json``), written as
a TIP would write them; its training programme (two sessions, their registers and the
questionnaires) comes from ``demo_programme``. Seeding happens once: a recording that
already has annotations made by a person is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bwvreview.annotations import review
from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.review import library
from bwvreview.annotations.review.library import set_status
from bwvreview.app.demo_programme import seed_programme

if TYPE_CHECKING:
    from bwvreview.app import Library

DEMO_TIP = "Demo TIP"
DEMO_TRAINER = "Demo Trainer"
DEMO_PEOPLE = (DEMO_TIP, DEMO_TRAINER)  # who the demo adds that signs in (and its officer)

# What the demo TIP wrote for each code in the script: (note, suggested alternative wording).
NOTES: dict[str, tuple[str, str]] = {
    "introduced_self": ("Clear introduction: name, role and why you are there.", ""),
    "triggering_language": (
        '"Calm down" straight after a disclosure of fear can land as being told off.',
        "You're safe to talk to me. Take a breath, I'm listening.",
    ),
    "missed_choice": (
        "An instruction to sit where a choice could have been offered.",
        "Would you like to sit down, or are you more comfortable standing?",
    ),
    "threat_or_ultimatum": (
        "The threat of arrest may raise fear in someone who has just been hurt.",
        "I want to make sure you're safe. Can we sit together for a minute?",
    ),
    "safety_check": ("Asked about injury early: safety first.", ""),
    "gave_time": ('"Take your time" gives back some control.', ""),
    "offered_choice": ("A real choice of where to talk, and said it was up to her.", ""),
    "explained_action": ("Explained why the photograph was needed.", ""),
    "checked_understanding": ("Checked understanding before going on.", ""),
    "signposted_support": ("Offered to call someone for support.", ""),
    "closure_next_steps": ("Said what happens next and when.", ""),
    "disclosure": ("Disclosure of fear: a moment to slow down.", ""),
}
DRAFT = {"disclosure"}  # a TIP's working note, not shared with the officer


def _ensure_user(lib: Library, name: str, role: str) -> users.UserRecord:
    try:
        return users.find_user(lib.db, name)
    except NotFoundError:
        return users.create_user(lib.db, name, role)


def seed_demo(lib: Library, recording_id: int, utterances: list[dict]) -> None:
    """Create the demo people and the example review (idempotent)."""
    tip = _ensure_user(lib, DEMO_TIP, "tip")
    _ensure_user(lib, DEMO_TRAINER, "trainer")
    seed_programme(lib, library.get_recording(lib.db, recording_id).officers, DEMO_TRAINER)
    if any(a.source == "human" for a in review.list_annotations(lib.db, recording_id)):
        return
    known = {c.key for c in lib.codebook.categories}
    for utterance in utterances:
        for code in utterance.get("codes", []):
            if code not in NOTES or code not in known:
                continue
            note, wording = NOTES[code]
            review.create_annotation(
                lib.db,
                recording_id=recording_id,
                codebook_id=lib.codebook_id,
                category_key=code,
                start_ms=round(utterance["start"] * 1000),
                end_ms=round(utterance["end"] * 1000),
                actor=DEMO_TIP,
                note=note,
                quote=utterance["text"] if utterance["speaker"] == "wearer" else "",
                suggested_wording=wording,
                status="draft" if code in DRAFT else "shared",
                author_id=tip.id,
            )
    set_status(lib.db, recording_id, "shared", actor=DEMO_TIP)
    from bwvreview.app.demo_practice import seed_practice  # after app's modules are loaded

    seed_practice(lib, tip, recording_id)


def demo_tip(lib: Library) -> Principal:
    """Who the demo opens as: the demo TIP, signed in like anyone else (audited; refused if an
    admin has deactivated them or given them a password)."""
    tip = users.find_user(lib.db, DEMO_TIP)
    return users.sign_in(lib.db, tip.id, None)
