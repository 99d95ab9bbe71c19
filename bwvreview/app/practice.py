"""A TIP's practice beyond one recording, for the window and the command line: incident
types and incidents, the observation templates, people by name or collar number, what an
officer is shown of their own practice records, and the dashboard's counts by incident type.

Observations, PPN1 reviews and sessions have a module each (``observing``, ``ppn1_review``,
``practice_sessions``); every function takes the open, signed-in ``Library``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from bwvreview.annotations.access import RECORD_PRACTICE, users
from bwvreview.annotations.codebook import Codebook, IncidentType, load_codebook
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.learning.insights import TypeCounts, by_incident_type
from bwvreview.annotations.practice import follow_ups, incidents, observations, ppn1, sessions
from bwvreview.annotations.practice.follow_ups import FollowUp
from bwvreview.annotations.practice.incidents import IncidentSummary, Moment
from bwvreview.annotations.practice.observations import Observation
from bwvreview.annotations.practice.ppn1 import OFFICER_ORDER, Ppn1Review
from bwvreview.annotations.practice.sessions import PracticeSession
from bwvreview.annotations.practice.templates import Template, Templates, load_templates
from bwvreview.annotations.store.db import Database
from bwvreview.app.opening import Library
from bwvreview.bundled import resource_path

__all__ = [
    "OFFICER_ORDER",
    "RATING_WORDS",
    "RECORD_PRACTICE",
    "IncidentSummary",
    "IncidentType",
    "Moment",
    "MyPractice",
    "Template",
    "Templates",
    "TypeCounts",
]

TEMPLATES_FILE = "observation_templates.yaml"
# the words a point's rating is shown with, never by colour alone
RATING_WORDS = {
    "met": "Met",
    "partly": "Partly met",
    "not": "Not met",
    "not_applicable": "Does not apply",
    None: "Not rated yet",
}
RATING_MARKS = {"met": "✓", "partly": "◐", "not": "✗", "not_applicable": "–", None: "·"}


@functools.cache
def _bundled_types() -> tuple[IncidentType, ...]:
    return load_codebook(resource_path("codebook.yaml")).incident_types


def incident_types(lib: Library) -> tuple[IncidentType, ...]:
    """The incident types in force: the codebook's, or the bundled list when an installed
    codebook has none."""
    return lib.codebook.incident_types or _bundled_types()


def type_label(lib: Library, key: str | None) -> str:
    if key is None:
        return "Type not said"
    return next((t.label for t in incident_types(lib) if t.key == key), key)


@functools.cache
def templates() -> Templates:
    """The observation templates and PPN1 quality points (``observation_templates.yaml``)."""
    return load_templates(resource_path(TEMPLATES_FILE))


# --- people ---------------------------------------------------------------------------------
def person_id(lib: Library, key: str, *, role: str | None = None) -> int:
    """A user by collar number or name (an officer, if ``role`` says so)."""
    user = users.find_user(lib.db, key)
    if role is not None and user.role != role:
        raise DomainError(
            f"{user.name} is not an {role}"
            if role[0] in "aeiou"
            else f"{user.name} is not a {role}"
        )
    return user.id


# --- incidents ------------------------------------------------------------------------------
def list_incidents(lib: Library, incident_type: str | None = None) -> list[IncidentSummary]:
    return incidents.list_incidents(lib.db, incident_type=incident_type)


def get_incident(lib: Library, reference: str) -> IncidentSummary:
    return incidents.get_incident(lib.db, reference)


def create_incident(
    lib: Library,
    reference: str,
    incident_type: str | None,
    *,
    occurred_on: dt.date | None = None,
    officers: Iterable[str] = (),
) -> IncidentSummary:
    """A new incident; ``officers`` are collar numbers or names."""
    ids = [person_id(lib, o, role="officer") for o in officers]
    return incidents.create_incident(
        lib.db,
        reference,
        incident_type=incident_type,
        actor=lib.actor,
        occurred_on=occurred_on,
        officer_ids=ids,
        known_types=[t.key for t in incident_types(lib)],
    )


def set_incident_type(lib: Library, reference: str, incident_type: str | None) -> IncidentSummary:
    incident = incidents.get_incident(lib.db, reference)
    return incidents.set_incident_type(
        lib.db,
        incident.id,
        incident_type,
        actor=lib.actor,
        known_types=[t.key for t in incident_types(lib)],
    )


def incident_moments(lib: Library, incident_id: int) -> list[Moment]:
    return incidents.incident_moments(lib.db, incident_id)


def incident_or_new(
    lib: Library, reference: str, incident_type: str | None, officer: str | None
) -> IncidentSummary:
    """The incident of that reference; made (with its type and officer) if it is new."""
    try:
        return incidents.get_incident(lib.db, reference)
    except NotFoundError:
        if incident_type is None:
            raise NotFoundError(f"no incident {reference!r}: say its type to create it") from None
        return create_incident(
            lib,
            reference,
            incident_type,
            occurred_on=dt.date.today(),
            officers=[officer] if officer else [],
        )


# --- what an officer is shown --------------------------------------------------------------
@dataclass(frozen=True)
class MyPractice:
    """An officer's own practice records: observations of them and reviews of their PPN1s
    once shared, and the sessions they attended with the follow-ups still open."""

    observations: tuple[Observation, ...]
    reviews: tuple[Ppn1Review, ...]
    sessions: tuple[PracticeSession, ...]
    follow_ups: tuple[FollowUp, ...]

    @property
    def empty(self) -> bool:
        return not (self.observations or self.reviews or self.sessions)


def my_practice(lib: Library) -> MyPractice:
    """What the signed-in person may read of practice records (an officer: their own)."""
    db = lib.db
    return MyPractice(
        tuple(observations.list_observations(db)),
        tuple(ppn1.list_reviews(db)),
        tuple(sessions.list_sessions(db)),
        tuple(follow_ups.list_follow_ups(db)),
    )


def counts_by_type(
    db: Database,
    *,
    team: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[TypeCounts, ...]:
    """The dashboard's counts by incident type (never by officer)."""
    return by_incident_type(db, team=team, date_from=date_from, date_to=date_to)


def type_labels(codebook: Codebook) -> dict[str | None, str]:
    """Incident type keys and their labels (the bundled list if the codebook has none)."""
    labels: dict[str | None, str] = {None: "Type not said"}
    labels.update((t.key, t.label) for t in codebook.incident_types or _bundled_types())
    return labels
