"""Who may do what with the training programme, on both engines: trainers manage it, TIPs
and admins read its reports, officers see only their own attendance and the answers they
put their name to.

``test_every_programme_function_says_who_may_call_it`` finds every public function of
``annotations.programme`` that takes the database, so a new one cannot be added without
its rule being stated (and tested) here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest

import bwvreview.annotations.programme as programme_pkg
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.formats.sign_in_csv import parse_sign_in
from bwvreview.annotations.programme import (
    answers,
    attendance,
    documents,
    outcomes,
    practice,
    sessions,
)
from bwvreview.annotations.store.db import Database
from tests.unit.annotations.programme_world import CURRICULUM, QUESTIONNAIRES, World, make_world

DAY = dt.date(2026, 3, 10)
MANAGERS = {"trainer", "admin"}
READERS = {"trainer", "tip", "admin"}
REPORTERS = {"tip", "admin"}
EVERYONE = {"trainer", "tip", "admin", "officer"}


class Setup:
    """What a call needs, made by the trainer first: a session with officer 4521 (Ann) on
    its register; officer 3030 (Dan) is the one who tries what is not theirs."""

    def __init__(self, world: World) -> None:
        self.w = world
        self.kc = world.questionnaires["knowledge_confidence"]

    def session(self) -> int:
        held = sessions.schedule_session(
            self.w.as_("trainer"),
            curriculum_id=self.w.curriculum.id,
            module_key="trauma_and_aces",
            held_on=DAY,
            team="North",
        )
        attendance.add_attendee(self.w.as_("trainer"), held.id, "Ann Smith", "4521")
        return held.id

    def attendee(self) -> tuple[int, int]:
        session_id = self.session()
        return session_id, attendance.list_attendance(self.w.as_("trainer"), session_id)[0].id

    def response(self) -> int:
        return answers.record_answers(
            self.w.as_("trainer"), self.session(), self.kc.id, "before", {"knowledge.1": 3}
        ).id


Call = Callable[[Database, Setup], Any]
# (how it is called, who may). Listings for "everyone" return only the caller's own rows.
RULES: dict[str, tuple[Call, set[str]]] = {
    "documents.curriculum": (lambda db, s: documents.curriculum(db, CURRICULUM), EVERYONE),
    "documents.questionnaires": (
        lambda db, s: documents.questionnaires(db, QUESTIONNAIRES),
        EVERYONE,
    ),
    "documents.install": (lambda db, s: documents.install(db, CURRICULUM), MANAGERS),
    "sessions.schedule_session": (
        lambda db, s: sessions.schedule_session(
            db, curriculum_id=s.w.curriculum.id, module_key="1", held_on=DAY, team="N"
        ),
        MANAGERS,
    ),
    "sessions.update_session": (
        lambda db, s: sessions.update_session(db, s.session(), notes="x"),
        MANAGERS,
    ),
    "sessions.delete_session": (lambda db, s: sessions.delete_session(db, s.session()), MANAGERS),
    "sessions.get_session": (lambda db, s: sessions.get_session(db, s.session()), READERS),
    "sessions.list_sessions": (lambda db, s: sessions.list_sessions(db), READERS),
    "sessions.known_teams": (lambda db, s: sessions.known_teams(db), READERS),
    "sessions.list_trainers": (lambda db, s: sessions.list_trainers(db), MANAGERS),
    "attendance.add_attendee": (
        lambda db, s: attendance.add_attendee(db, s.session(), "Dan Green", "3030"),
        MANAGERS,
    ),
    "attendance.remove_attendee": (
        lambda db, s: attendance.remove_attendee(db, *s.attendee()),
        MANAGERS,
    ),
    "attendance.import_sign_in": (
        lambda db, s: attendance.import_sign_in(db, s.session(), parse_sign_in("collar\n3030\n")),
        MANAGERS,
    ),
    "attendance.list_attendance": (
        lambda db, s: attendance.list_attendance(db, s.session()),
        MANAGERS,
    ),
    "attendance.my_attendance": (lambda db, s: attendance.my_attendance(db), EVERYONE),
    "answers.record_answers": (
        lambda db, s: answers.record_answers(
            db, s.session(), s.kc.id, "before", {"knowledge.1": 2}
        ),
        MANAGERS,
    ),
    "answers.record_paper_forms": (
        lambda db, s: answers.record_paper_forms(
            db, s.session(), s.kc.id, "before", [{"knowledge.1": 2}]
        ),
        MANAGERS,
    ),
    "answers.record_own_answers": (
        lambda db, s: answers.record_own_answers(
            db, s.session(), s.kc.id, "before", {"knowledge.1": 2}
        ),
        set(),
    ),  # only the registered
    "answers.list_responses": (lambda db, s: answers.list_responses(db, s.session()), MANAGERS),
    "answers.delete_response": (lambda db, s: answers.delete_response(db, s.response()), MANAGERS),
    "answers.my_answers": (lambda db, s: answers.my_answers(db), EVERYONE),
    "answers.my_answer_sheets": (lambda db, s: answers.my_answer_sheets(db), EVERYONE),
    "answers.results": (lambda db, s: answers.results(db, [s.session()]), READERS),
    "practice.practice_over_time": (
        lambda db, s: practice.practice_over_time(db, DAY, DAY),
        REPORTERS,
    ),
    "outcomes.compose_outcomes": (
        lambda db, s: outcomes.compose_outcomes(db, s.w.codebook, DAY, DAY),
        REPORTERS,
    ),
}


def _programme_functions() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(programme_pkg.__path__):
        module = importlib.import_module(f"{programme_pkg.__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "db":
                found.add(f"{info.name}.{name}")
    return found


def test_every_programme_function_says_who_may_call_it():
    found = _programme_functions()
    assert found, "the introspection found nothing"
    assert found - set(RULES) == set(), "say in RULES who may call these"


@pytest.fixture
def setup(db):
    world = make_world(db)
    admin = Principal(None, "Admin A", "admin")
    world.officers["admin"] = admin  # as_("admin")
    return Setup(world)


def test_each_role_may_do_only_what_its_rule_says(setup):
    """On each engine, every function as a trainer, a TIP, an admin and an officer (Dan,
    who is on no register): refused unless the rule allows; allowed calls succeed."""
    who = {"trainer": "trainer", "tip": "tip", "admin": "admin", "officer": "3030"}
    for name, (call, allowed) in sorted(RULES.items()):
        for role, key in who.items():
            db = setup.w.as_(key)
            if role in allowed:
                call(db, setup)  # must not raise
                continue
            with pytest.raises((PermissionDenied, NotFoundError)):
                call(db, setup)
                pytest.fail(f"{role} may not call {name}")


def test_an_officer_sees_only_their_own_attendance_and_named_answers(setup):
    w = setup.w
    session_id = setup.session()  # Ann (4521) is on its register
    trainer = w.as_("trainer")
    attendance.add_attendee(trainer, session_id, "Dan Green", "3030")
    answers.record_answers(
        trainer,
        session_id,
        setup.kc.id,
        "after",
        {"knowledge.1": 4},
        respondent_id=w.officers["4521"].user_id,
    )
    answers.record_answers(trainer, session_id, setup.kc.id, "after", {"knowledge.1": 1})
    answers.record_own_answers(w.as_("3030"), session_id, setup.kc.id, "after", {"knowledge.1": 5})
    ann, dan = w.as_("4521"), w.as_("3030")
    assert [a.session_id for a in attendance.my_attendance(ann)] == [session_id]
    assert [r.answers for r in answers.my_answers(ann)] == [{"knowledge.1": 4}]
    assert [r.answers for r in answers.my_answers(dan)] == [{"knowledge.1": 5}]
    assert attendance.my_attendance(w.as_("9911")) == answers.my_answers(w.as_("9911")) == []
    [seen] = attendance.my_attendance(ann)  # as the officer's window shows it
    assert seen.module_number == 1 and seen.topics == w.curriculum.module("1").topics
    [sheet] = answers.my_answer_sheets(ann)
    assert sheet.session_title == w.curriculum.module("1").title and sheet.held_on == DAY
    topic = w.curriculum.module("1").topics[0]
    assert sheet.answered == ((f"How much do you know about: {topic}?", 4),)
    assert [s.response.answers for s in answers.my_answer_sheets(dan)] == [{"knowledge.1": 5}]
    assert answers.my_answer_sheets(w.as_("9911")) == []
    for officer in (ann, dan):
        with pytest.raises(PermissionDenied):
            answers.list_responses(officer, session_id)
        with pytest.raises(PermissionDenied):
            answers.results(officer, [session_id])


def test_own_answers_need_a_place_on_the_register(setup):
    session_id = setup.session()
    kc = setup.kc
    answers.record_own_answers(setup.w.as_("4521"), session_id, kc.id, "after", {"knowledge.1": 3})
    for stranger in ("9911", "trainer", "tip"):
        with pytest.raises(PermissionDenied, match="not on this session's register"):
            answers.record_own_answers(
                setup.w.as_(stranger), session_id, kc.id, "after", {"knowledge.1": 3}
            )
    nobody = setup.w.db.as_user(Principal(None, "machine owner", "admin"))
    assert answers.my_answers(nobody) == [] and attendance.my_attendance(nobody) == []
    assert answers.my_answer_sheets(nobody) == []
