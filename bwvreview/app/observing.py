"""Observations for the window and the command line: start one from its incident type's
template, write time-stamped notes, code them with the codebook, answer the template's
points and share it with the officer observed."""

from __future__ import annotations

import datetime as dt

from bwvreview.annotations.practice import observations
from bwvreview.annotations.practice.observations import (
    MAX_AT_MS,
    UNCODED,
    Check,
    Note,
    Observation,
    elapsed_ms,
    local_now,
)
from bwvreview.annotations.store.models.practice import CHECK_ANSWERS
from bwvreview.app.opening import Library
from bwvreview.app.practice import incident_or_new, person_id, templates

__all__ = [
    "CHECK_ANSWERS",
    "MAX_AT_MS",
    "UNCODED",
    "Check",
    "Note",
    "Observation",
    "elapsed_ms",
    "local_now",
]


def start_observation(
    lib: Library,
    incident: str,
    *,
    officer: str | None = None,
    incident_type: str | None = None,
    template: str | None = None,
    started_at: dt.datetime | None = None,
    context: str = "",
) -> Observation:
    """Start observing ``officer`` (collar number or name) at the incident ``incident``
    (a reference; a new one is made with ``incident_type``). The template is the incident
    type's unless ``template`` names another."""
    summary = incident_or_new(lib, incident, incident_type, officer)
    book = templates()
    chosen = book.template(template) if template else book.for_incident_type(summary.incident_type)
    officer_id = person_id(lib, officer, role="officer") if officer else None
    return observations.create_observation(
        lib.db,
        incident_id=summary.id,
        template=chosen,
        template_version=book.version,
        actor=lib.actor,
        officer_id=officer_id,
        started_at=started_at,
        context=context,
    )


def get_observation(lib: Library, observation_id: int) -> Observation:
    return observations.get_observation(lib.db, observation_id)


def list_observations(lib: Library, incident_id: int | None = None) -> list[Observation]:
    return observations.list_observations(lib.db, incident_id=incident_id)


def set_context(lib: Library, observation_id: int, context: str) -> Observation:
    return observations.update_observation(lib.db, observation_id, context=context, actor=lib.actor)


def add_note(
    lib: Library, observation_id: int, at_ms: int, text: str, category: str | None = None
) -> Note:
    """A note ``at_ms`` after the observation started, coded with ``category`` (a codebook
    key) or left uncoded."""
    return observations.add_note(
        lib.db,
        observation_id,
        at_ms=at_ms,
        text=text,
        codebook_id=lib.codebook_id,
        actor=lib.actor,
        category_key=category or UNCODED,
    )


def code_note(lib: Library, note_id: int, category: str) -> Note:
    """Code a note with a category of the codebook in force."""
    lib.codebook.category(category)  # an unknown key is named plainly
    return observations.update_note(
        lib.db, note_id, category_key=category, codebook_id=lib.codebook_id, actor=lib.actor
    )


def change_note(
    lib: Library, note_id: int, *, text: str | None = None, at_ms: int | None = None
) -> Note:
    return observations.update_note(lib.db, note_id, text=text, at_ms=at_ms, actor=lib.actor)


def delete_note(lib: Library, note_id: int) -> Note:
    return observations.delete_note(lib.db, note_id, actor=lib.actor)


def answer_check(
    lib: Library, observation_id: int, point: str, answer: str | None, note: str | None = None
) -> Check:
    """Say whether a template point was met, partly, not, or does not apply."""
    return observations.answer_check(
        lib.db, observation_id, point, answer=answer, note=note, actor=lib.actor
    )


def share_observation(lib: Library, observation_id: int, shared: bool = True) -> Observation:
    return observations.share_observation(lib.db, observation_id, actor=lib.actor, shared=shared)
