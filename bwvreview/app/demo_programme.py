"""The demo's training programme: the first two sessions of the curriculum held for a
response team a month and two months after the demo incident, with a register (the demo
officer and seven colleagues who are not users) and the questionnaires answered on paper
before and after each session, so the programme view and the outcomes report have
something to show on first run. Made once: a library with any session is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bwvreview.annotations.access import MANAGE_PROGRAMME, users
from bwvreview.annotations.programme import answers, attendance, documents, sessions
from bwvreview.annotations.programme.sessions import list_sessions
from bwvreview.app import programme

if TYPE_CHECKING:
    from bwvreview.app.opening import Library

TEAM = "Response Team A"
SESSIONS = (
    ("trauma_and_aces", dt.date(2026, 4, 14)),
    ("trauma_and_the_brain", dt.date(2026, 5, 12)),
)
# Fictional colleagues on the register (not users of the library).
COLLEAGUES = [
    ("PC Sam Carter", "5102", "officer"),
    ("PC Jo Patel", "5117", "officer"),
    ("PC Lee Okafor", "5123", "officer"),
    ("PS Kim Walsh", "2210", "officer"),
    ("PC Ravi Shah", "5131", "officer"),
    ("PC Amy Clarke", "5140", "officer"),
    ("Chris Dunn", None, "staff"),
]
# Self-ratings (1-5) per person on the paper forms: before, then after, each session.
BEFORE = [(2, 2), (3, 2), (2, 1), (3, 3), (2, 2), (1, 2), (3, 2), (2, 3)]
AFTER = [(4, 3), (4, 4), (3, 3), (5, 4), (4, 4), (3, 3), (4, 4), (4, 5)]
FEEDBACK = [
    (5, 4, 5, 5),
    (4, 4, 4, 5),
    (5, 5, 4, 4),
    (4, 3, 5, 4),
    (5, 4, 4, 5),
    (4, 4, 5, 4),
    (5, 5, 5, 5),
    (4, 4, 4, 4),
]


def seed_programme(lib: Library, officers: tuple[str, ...], trainer_name: str) -> None:
    """Two sessions with their registers and answers (idempotent; see the docstring). A demo
    opened again by its TIP (who does not manage the programme) leaves the programme as is."""
    if not lib.db.principal.can(MANAGE_PROGRAMME) or list_sessions(lib.db):
        return
    curriculum = programme.curriculum(lib)
    kinds = {q.key: q for q in programme.questionnaires(lib)}
    trainer = users.find_user(lib.db, trainer_name)
    linked = [users.find_user(lib.db, name) for name in officers]
    register = [(u.name, u.collar_number, "officer") for u in linked] + COLLEAGUES
    for number, (module, day) in enumerate(SESSIONS):
        held = sessions.schedule_session(
            lib.db,
            curriculum_id=curriculum.id,
            module_key=module,
            held_on=day,
            team=TEAM,
            trainer_id=trainer.id,
            notes="Demo session (synthetic).",
        )
        present = register if number == 0 else register[:6]
        for name, collar, kind in present:
            attendance.add_attendee(lib.db, held.id, name or "", collar, kind)
        topics = len(curriculum.module(module).topics)
        _answer(lib, held.id, kinds, topics, len(present))


def _answer(
    lib: Library,
    session_id: int,
    kinds: dict[str, documents.Questionnaire],
    topics: int,
    people: int,
) -> None:
    kc, feedback = kinds["knowledge_confidence"], kinds["feedback"]
    for phase, ratings in (("before", BEFORE), ("after", AFTER)):
        forms = [
            {
                f"{measure}.{t}": rating
                for t in range(1, topics + 1)
                for measure, rating in (("knowledge", knowledge), ("confidence", confidence))
            }
            for knowledge, confidence in ratings[:people]
        ]
        answers.record_paper_forms(lib.db, session_id, kc.id, phase, forms)
    keys = ("relevant", "clear", "safe_to_speak", "will_use")
    forms = [dict(zip(keys, rated, strict=True)) for rated in FEEDBACK[:people]]
    answers.record_paper_forms(lib.db, session_id, feedback.id, "after", forms)
