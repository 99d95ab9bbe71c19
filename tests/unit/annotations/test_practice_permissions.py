"""Who may do what with practice records, on both engines, for every service function.

The world (``practice_world``) plus officer 2's records, all shared with them: an observation
of them at incident B, a review of their PPN1 for incident B and a session they attended.
Each practice service function is called as officer 1 and as the trainer on those records:
it must refuse, or (for a listing) give nothing of them. ``test_every_practice_function_
is_checked`` finds the functions by introspection, so a new one cannot be added without
saying here how officers and trainers are kept out of it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.practice import follow_ups, incidents, observations, ppn1, sessions
from bwvreview.annotations.store.db import Database
from tests.unit.annotations.practice_world import PracticeWorld, build_world

REFUSED = (PermissionDenied, NotFoundError)
MODULES = ("incidents", "observations", "ppn1", "sessions", "follow_ups")
FILTERED = object()


@dataclass(frozen=True)
class Theirs:
    w: PracticeWorld
    observation: int
    note: int
    review: int
    session: int
    entry: int
    follow_up: int
    topic: int


@pytest.fixture
def theirs(db) -> Theirs:
    w = build_world(db)
    tip = w.as_("tip")
    made = observations.create_observation(
        tip, incident_id=w.incident_b, template=w.templates.for_incident_type("stop_and_search"),
        template_version="1", actor="t", officer_id=w.officer2.user_id)  # fmt: skip
    note = observations.add_note(tip, made.id, at_ms=0, text="grounds given",
                                 codebook_id=w.codebook_id, actor="t")  # fmt: skip
    observations.share_observation(tip, made.id, actor="t")
    review = ppn1.create_review(tip, incident_id=w.incident_b, officer_id=w.officer2.user_id,
                                points=w.templates.ppn1_points, points_version="1", actor="t",
                                ppn1_text="a child at risk")  # fmt: skip
    ppn1.share_review(tip, review.id, actor="t")
    held = sessions.create_session(
        tip, held_on=dt.date(2027, 1, 5), attendee_ids=[w.officer2.user_id], actor="t",
        incident_ids=[w.incident_b], learning_points=["slow down"],
    )  # fmt: skip
    entry = sessions.add_session_note(w.as_("officer2"), held.id, "mine", actor="PC Two")
    follow = follow_ups.add_follow_up(tip, held.id, "read", owner_id=w.officer2.user_id, actor="t")
    return Theirs(w, made.id, note.id, review.id, held.id, entry.id, follow.id,
                  held.topics[0].id)  # fmt: skip


def _none_of(rows: list[Any], *ids: int) -> object:
    leaked = {r.id for r in rows} & set(ids)
    assert not leaked, f"given someone else's records {sorted(leaked)}"
    return FILTERED


Call = Callable[[Database, Theirs], Any]
T = Theirs
CALLS: dict[str, Call] = {
    "incidents.list_incidents": lambda db, t: incidents.list_incidents(db),
    "incidents.get_incident": lambda db, t: incidents.get_incident(db, "INC-B"),
    "incidents.create_incident": lambda db, t: incidents.create_incident(
        db, "X", incident_type=None, known_types=(), actor="o"),
    "incidents.set_incident_type": lambda db, t: incidents.set_incident_type(
        db, t.w.incident_b, None, known_types=(), actor="o"),
    "incidents.incident_moments": lambda db, t: incidents.incident_moments(db, t.w.incident_a),
    "observations.get_observation": lambda db, t: observations.get_observation(db, t.observation),
    "observations.list_observations": lambda db, t: _none_of(
        observations.list_observations(db), t.observation),
    "observations.create_observation": lambda db, t: observations.create_observation(
        db, incident_id=t.w.incident_b, template=t.w.templates.template("general"),
        template_version="1", actor="o"),
    "observations.update_observation": lambda db, t: observations.update_observation(
        db, t.observation, context="x", actor="o"),
    "observations.add_note": lambda db, t: observations.add_note(
        db, t.observation, at_ms=0, text="x", codebook_id=t.w.codebook_id, actor="o"),
    "observations.update_note": lambda db, t: observations.update_note(
        db, t.note, text="x", actor="o"),
    "observations.delete_note": lambda db, t: observations.delete_note(db, t.note, actor="o"),
    "observations.answer_check": lambda db, t: observations.answer_check(
        db, t.observation, "grounds", answer="met", actor="o"),
    "observations.share_observation": lambda db, t: observations.share_observation(
        db, t.observation, actor="o", shared=False),
    "ppn1.get_review": lambda db, t: ppn1.get_review(db, t.review),
    "ppn1.list_reviews": lambda db, t: _none_of(ppn1.list_reviews(db), t.review),
    "ppn1.read_ppn1_text": lambda db, t: ppn1.read_ppn1_text(db, t.review, actor="o"),
    "ppn1.create_review": lambda db, t: ppn1.create_review(
        db, incident_id=t.w.incident_a, officer_id=t.w.officer1.user_id, points=(),
        points_version="1", actor="o"),
    "ppn1.rate_point": lambda db, t: ppn1.rate_point(db, t.review, "voice", rating="met",
                                                     actor="o"),
    "ppn1.link_moment": lambda db, t: ppn1.link_moment(db, t.review, "voice", 1, actor="o"),
    "ppn1.update_review": lambda db, t: ppn1.update_review(db, t.review, strengths="x",
                                                          actor="o"),
    "ppn1.share_review": lambda db, t: ppn1.share_review(db, t.review, actor="o", shared=False),
    "sessions.get_session": lambda db, t: sessions.get_session(db, t.session),
    "sessions.list_sessions": lambda db, t: _none_of(sessions.list_sessions(db), t.session),
    "follow_ups.list_follow_ups": lambda db, t: _none_of(
        follow_ups.list_follow_ups(db, open_only=False), t.follow_up),
    "sessions.sessions_about": lambda db, t: sessions.sessions_about(
        db, incident_id=t.w.incident_b),
    "sessions.create_session": lambda db, t: sessions.create_session(
        db, held_on=dt.date(2027, 1, 1), attendee_ids=[t.w.officer1.user_id], actor="o"),
    "sessions.update_session": lambda db, t: sessions.update_session(db, t.session,
                                                                     went_well="x", actor="o"),
    "sessions.remove_topic": lambda db, t: sessions.remove_topic(db, t.topic, actor="o"),
    "sessions.add_learning_point": lambda db, t: sessions.add_learning_point(
        db, t.session, "x", actor="o"),
    "sessions.add_session_note": lambda db, t: sessions.add_session_note(
        db, t.session, "x", actor="o"),
    "sessions.delete_entry": lambda db, t: sessions.delete_entry(db, t.entry, actor="o"),
    "follow_ups.add_follow_up": lambda db, t: follow_ups.add_follow_up(
        db, t.session, "x", owner_name="o", actor="o"),
    "follow_ups.complete_follow_up": lambda db, t: follow_ups.complete_follow_up(
        db, t.follow_up, actor="o"),
}  # fmt: skip


def _practice_functions() -> set[str]:
    found = set()
    for name in MODULES:
        module = importlib.import_module(f"bwvreview.annotations.practice.{name}")
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn_name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if params and params[0].name == "db":
                found.add(f"{name}.{fn_name}")
    return found


def test_every_practice_function_is_checked():
    assert _practice_functions() == set(CALLS)


@pytest.mark.parametrize("who", ["officer1", "trainer"])
def test_officers_and_trainers_are_kept_out_of_others_practice_records(theirs, who):
    db = theirs.w.as_(who)
    let_through = []
    for name, call in sorted(CALLS.items()):
        try:
            result = call(db, theirs)
        except REFUSED:
            continue
        if result is not FILTERED:
            let_through.append(name)
    assert not let_through, f"{who} was let through {let_through}"


def test_the_officer_the_records_are_about_reads_them_and_may_add_only_notes(theirs):
    db = theirs.w.as_("officer2")
    assert observations.get_observation(db, theirs.observation).notes[0].note == "grounds given"
    assert ppn1.get_review(db, theirs.review).officer_collar == "1002"
    assert ppn1.read_ppn1_text(db, theirs.review, actor="PC Two") == "a child at risk"
    assert sessions.get_session(db, theirs.session).notes[0].text == "mine"
    assert follow_ups.complete_follow_up(db, theirs.follow_up, actor="PC Two").done_by == "PC Two"
    assert sessions.delete_entry(db, theirs.entry, actor="PC Two").text == "mine"
    for write in ("observations.add_note", "ppn1.rate_point", "sessions.add_learning_point",
                  "sessions.update_session", "incidents.list_incidents"):  # fmt: skip
        with pytest.raises(REFUSED):
            CALLS[write](db, theirs)
