"""Reflective practice sessions for the window and the command line: record a debrief
(from debrief mode or from scratch), its learning points and follow-ups; officers read and
add to the records of sessions they attended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.practice import follow_ups, incidents, sessions
from bwvreview.annotations.practice.follow_ups import FollowUp
from bwvreview.annotations.practice.sessions import Attendee, Entry, PracticeSession, Topic
from bwvreview.app.opening import Library
from bwvreview.app.practice import person_id

__all__ = ["Attendee", "Entry", "FollowUp", "PracticeSession", "Topic"]

KIND_WORDS = {"individual": "One officer", "pair": "A pair", "team": "A team"}
DE_PERSONALISED_NOTE = (
    "A team session shows de-personalised material only: moments by what they show and "
    "incidents by their type, never a reference, a name or what was said."
)


def record_session(
    lib: Library,
    *,
    held_on: dt.date,
    attendees: Iterable[str],
    team: str | None = None,
    started_from: str = "scratch",
    went_well: str = "",
    incidents_discussed: Iterable[str] = (),
    moments: Iterable[int] = (),
    learning_points: Iterable[str] = (),
) -> PracticeSession:
    """Record a session; ``attendees`` are collar numbers or names, ``incidents_discussed``
    references, ``moments`` annotation ids."""
    incident_ids = [incidents.get_incident(lib.db, ref).id for ref in incidents_discussed]
    return sessions.create_session(
        lib.db,
        held_on=held_on,
        attendee_ids=[person_id(lib, a) for a in attendees],
        actor=lib.actor,
        team=team,
        started_from=started_from,
        went_well=went_well,
        incident_ids=incident_ids,
        annotation_ids=list(moments),
        learning_points=[p for p in learning_points if p.strip()],
    )


def get_session(lib: Library, session_id: int) -> PracticeSession:
    return sessions.get_session(lib.db, session_id)


def list_sessions(lib: Library) -> list[PracticeSession]:
    return sessions.list_sessions(lib.db)


def set_went_well(lib: Library, session_id: int, text: str) -> PracticeSession:
    return sessions.update_session(lib.db, session_id, went_well=text, actor=lib.actor)


def add_moments(lib: Library, session_id: int, moments: Iterable[int]) -> PracticeSession:
    return sessions.update_session(
        lib.db, session_id, annotation_ids=list(moments), actor=lib.actor
    )


def add_learning_point(lib: Library, session_id: int, text: str) -> Entry:
    return sessions.add_learning_point(lib.db, session_id, text, actor=lib.actor)


def add_note(lib: Library, session_id: int, text: str) -> Entry:
    """A note added to the record (the TIP, or an officer who attended)."""
    return sessions.add_session_note(lib.db, session_id, text, actor=lib.actor)


def delete_entry(lib: Library, entry_id: int) -> Entry:
    return sessions.delete_entry(lib.db, entry_id, actor=lib.actor)


def add_follow_up(
    lib: Library, session_id: int, text: str, owner: str, due_on: dt.date | None = None
) -> FollowUp:
    """A follow-up owned by a user (collar number or name) or, failing that, by whoever
    ``owner`` names (someone outside the library, "the TIP team")."""
    try:
        owner_id: int | None = person_id(lib, owner)
    except NotFoundError:
        owner_id = None
    return follow_ups.add_follow_up(
        lib.db,
        session_id,
        text,
        owner_id=owner_id,
        owner_name=owner,
        due_on=due_on,
        actor=lib.actor,
    )


def complete_follow_up(lib: Library, follow_up_id: int, done: bool = True) -> FollowUp:
    return follow_ups.complete_follow_up(lib.db, follow_up_id, done=done, actor=lib.actor)


def list_follow_ups(lib: Library, open_only: bool = True) -> list[FollowUp]:
    return follow_ups.list_follow_ups(lib.db, open_only=open_only)
