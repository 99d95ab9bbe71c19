"""PPN1 reviews for the window and the command line: start a review of an officer's PPN1
for an incident, rate its quality points, link them to the incident's recording moments,
write what was done well, and share it with the officer (strengths first)."""

from __future__ import annotations

from bwvreview.annotations.practice import incidents, ppn1
from bwvreview.annotations.practice.ppn1 import LinkedMoment, Point, Ppn1Review
from bwvreview.annotations.store.models.practice import RATINGS
from bwvreview.app.opening import Library
from bwvreview.app.practice import person_id, templates

__all__ = ["RATINGS", "LinkedMoment", "Point", "Ppn1Review"]

PERSONAL_DATA_NOTE = (
    "The PPN1 itself is personal data about the person at risk. It stays in this library: "
    "it is never part of an export or a case study, and every time it is shown or changed "
    "the audit log records who did so."
)


def start_review(lib: Library, incident: str, officer: str, ppn1_text: str = "") -> Ppn1Review:
    """Review the PPN1 ``officer`` (collar number or name) completed for ``incident``."""
    summary = incidents.get_incident(lib.db, incident)
    book = templates()
    return ppn1.create_review(
        lib.db,
        incident_id=summary.id,
        officer_id=person_id(lib, officer, role="officer"),
        points=book.ppn1_points,
        points_version=book.version,
        actor=lib.actor,
        ppn1_text=ppn1_text,
    )


def get_review(lib: Library, review_id: int) -> Ppn1Review:
    return ppn1.get_review(lib.db, review_id)


def list_reviews(lib: Library, incident_id: int | None = None) -> list[Ppn1Review]:
    return ppn1.list_reviews(lib.db, incident_id=incident_id)


def rate_point(
    lib: Library,
    review_id: int,
    point: str,
    rating: str | None,
    *,
    note: str | None = None,
    suggested_wording: str | None = None,
) -> Point:
    return ppn1.rate_point(
        lib.db,
        review_id,
        point,
        rating=rating,
        note=note,
        suggested_wording=suggested_wording,
        actor=lib.actor,
    )


def link_moment(
    lib: Library, review_id: int, point: str, annotation_id: int, linked: bool = True
) -> Point:
    return ppn1.link_moment(lib.db, review_id, point, annotation_id, linked=linked, actor=lib.actor)


def set_strengths(lib: Library, review_id: int, text: str) -> Ppn1Review:
    return ppn1.update_review(lib.db, review_id, strengths=text, actor=lib.actor)


def set_ppn1_text(lib: Library, review_id: int, text: str) -> Ppn1Review:
    """Paste (or clear, with "") the PPN1: audited by length, never its words."""
    return ppn1.update_review(lib.db, review_id, ppn1_text=text, actor=lib.actor)


def read_ppn1_text(lib: Library, review_id: int) -> str:
    """The PPN1 as pasted in (audited)."""
    return ppn1.read_ppn1_text(lib.db, review_id, actor=lib.actor)


def share_review(lib: Library, review_id: int, shared: bool = True) -> Ppn1Review:
    return ppn1.share_review(lib.db, review_id, actor=lib.actor, shared=shared)
