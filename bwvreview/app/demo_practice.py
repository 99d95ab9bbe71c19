"""The demo's practice records, so a new user sees each kind: a stop-and-search observation
of the demo officer (a second, synthetic incident with no footage), a review of the PPN1
for the demo incident, and the record of the debrief held on it. All are the demo TIP's
and shared with the officer; seeding happens once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from bwvreview.annotations import review
from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.errors import NotFoundError
from bwvreview.app import observing, ppn1_review, practice, practice_sessions

if TYPE_CHECKING:
    from bwvreview.app import Library

DEMO_INCIDENT = "DEMO-0001"
DEMO_STOP = "DEMO-0002"
OFFICER = "4471"

# (time into the observation, note, category)
STOP_NOTES = (
    ("00:00:20", "Introduced self by name and station straight away.", "introduced_self"),
    ("00:00:45", "Gave the grounds in plain words: matched the description from a call.",
     "explained_action"),
    ("00:01:30", "Searched on the pavement in full view of passers-by; a quieter side street "
     "was a few steps away.", "privacy_breach"),
    ("00:02:40", "Explained how to get a copy of the record and said plainly they were free "
     "to go.", "closure_next_steps"),
)  # fmt: skip
STOP_CHECKS = {
    "grounds": "met", "object": "met", "warrant_card": "not_applicable", "identity": "met",
    "station": "met", "entitlement": "met", "legal_power": "partly", "detained": "not",
    "explained": "met", "choice": "not", "privacy": "not", "understanding": "partly",
    "closure": "met",
}  # fmt: skip
PPN1_TEXT = (
    "SYNTHETIC DEMO PPN1. Adult at risk: Sarah Whitfield, 14 Maple Road, Southampton. "
    "Disclosed that her partner grabbed her arm and that she is scared he will come back. "
    "Injury to arm photographed. Sister to be contacted. Referred for domestic abuse support."
)
# point: (rating, note, suggested wording, category of the moments it links)
PPN1_POINTS = {
    "voice": ("met", "Her own words are recorded: scared he will come back, and the injury.",
              "", "disclosure"),
    "risk_history": ("partly", "The injury is described; nothing on previous incidents.",
                     "Add what she said about any earlier incidents, or that you asked.", None),
    "household": ("not", "It does not say who else lives there or whether children stay.",
                  "List everyone who lives at or stays at the address, children first.", None),
    "language": ("met", "Describes what happened to her, with no judgement of her.", "", None),
    "consent": ("partly", "The referral is recorded but not what she agreed to.",
                "Record that you explained the referral and that she agreed to it.", None),
    "referral": ("met", "Referral and support service named.", "", None),
}  # fmt: skip
WENT_WELL = ("Took time after the disclosure and offered a real choice of where to talk; "
             "ended with clear next steps.")  # fmt: skip
LEARNING = (
    "After a disclosure, slow down and say what happens next before giving any instruction.",
    "Offer a choice about where to sit rather than an order.",
)


def _as_demo_tip(lib: Library, tip: users.UserRecord) -> Library:
    principal = Principal(tip.id, tip.name, tip.role)
    return replace(lib, db=lib.db.as_user(principal), actor=tip.name)


def seed_practice(lib: Library, tip: users.UserRecord, recording_id: int) -> None:
    """The demo's observation, PPN1 review and session record (once)."""
    lib = _as_demo_tip(lib, tip)
    try:
        practice.get_incident(lib, DEMO_STOP)
        return  # seeded already
    except NotFoundError:
        pass
    practice.set_incident_type(lib, DEMO_INCIDENT, "domestic")
    practice.create_incident(lib, DEMO_STOP, "stop_and_search",
                             occurred_on=dt.date(2026, 3, 15), officers=[OFFICER])  # fmt: skip
    _observation(lib)
    moments = review.list_annotations(lib.db, recording_id)
    _ppn1_review(lib, moments)
    _session(lib, moments)


def _observation(lib: Library) -> None:
    made = observing.start_observation(
        lib, DEMO_STOP, officer=OFFICER, started_at=dt.datetime(2026, 3, 15, 18, 5),
        context="Synthetic demo: a stop and search in a shopping street, early evening.",
    )  # fmt: skip
    for at, text, category in STOP_NOTES:
        observing.add_note(lib, made.id, practice_clock(at), text, category)
    for point, answer in STOP_CHECKS.items():
        observing.answer_check(lib, made.id, point, answer)
    observing.share_observation(lib, made.id)


def practice_clock(text: str) -> int:
    h, m, s = (int(part) for part in text.split(":"))
    return (h * 3600 + m * 60 + s) * 1000


def _ppn1_review(lib: Library, moments: list[review.Annotation]) -> None:
    made = ppn1_review.start_review(lib, DEMO_INCIDENT, OFFICER, PPN1_TEXT)
    for point, (rating, note, wording, category) in PPN1_POINTS.items():
        ppn1_review.rate_point(lib, made.id, point, rating, note=note, suggested_wording=wording)
        for moment in moments:
            if category and moment.category_key == category:
                ppn1_review.link_moment(lib, made.id, point, moment.id)
    ppn1_review.set_strengths(lib, made.id, "Completed the same evening, in her own words, "
                                            "with the referral made.")  # fmt: skip
    ppn1_review.share_review(lib, made.id)


def _session(lib: Library, moments: list[review.Annotation]) -> None:
    discussed = [m.id for m in moments if m.status == "shared"
                 and m.category_key in ("triggering_language", "offered_choice")]  # fmt: skip
    held = practice_sessions.record_session(
        lib, held_on=dt.date(2026, 3, 20), attendees=[OFFICER], started_from="debrief",
        went_well=WENT_WELL, moments=discussed, learning_points=LEARNING,
    )  # fmt: skip
    practice_sessions.add_follow_up(
        lib, held.id, "Read the guidance on PPN1s for adults at risk and bring one question "
        "to the next session.", OFFICER, dt.date(2026, 4, 3),
    )  # fmt: skip
