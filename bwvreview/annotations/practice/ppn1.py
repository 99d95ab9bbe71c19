"""PPN1 reviews: a TIP's feedback on the PPN1 (the Public Protection Notice an officer
completes when a child or vulnerable adult may be at risk), point by point.

Each quality point is met, partly or not, with a note and suggested wording, and may be
linked to moments of the incident's recordings (a disclosure, a child overlooked). The
PPN1 itself may be pasted in: it is personal data about the person at risk, so it is
never part of an export or a case study, it is searched only by those who may see the
incident, and every change to it and every reading of it is audited. The officer reads the
review once the TIP shares it, strengths first (``ordered_for_officer``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.practice.rules import (
    PPN1_REVIEW,
    clean_text,
    incident_row,
    index_text,
    link_officer,
    point_words,
    record_heading,
    writer,
)
from bwvreview.annotations.practice.templates import QualityPoint
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models.practice import RATINGS

# met first: what went well, then what to reflect on (partly, then not), then unrated
OFFICER_ORDER = {"met": 0, "partly": 1, "not": 2, None: 3}


@dataclass(frozen=True)
class LinkedMoment:
    annotation_id: int
    recording_id: int
    start_ms: int
    category_label: str


@dataclass(frozen=True)
class Point:
    id: int
    position: int
    point_key: str
    label: str
    prompt: str
    rating: str | None
    note: str
    suggested_wording: str
    moments: tuple[LinkedMoment, ...]


@dataclass(frozen=True)
class Ppn1Review:
    id: int
    incident_id: int
    incident_reference: str
    incident_type: str | None
    officer_id: int | None
    officer_name: str | None
    officer_collar: str | None
    reviewer_name: str
    strengths: str
    points_version: str
    status: str
    shared_at: dt.datetime | None
    has_text: bool  # a PPN1 was pasted in (read it with ``read_ppn1_text``)
    points: tuple[Point, ...]
    created_at: dt.datetime

    def ordered_for_officer(self) -> list[Point]:
        """Strengths first: points met, then partly, then not (each with its wording)."""
        return sorted(self.points, key=lambda p: (OFFICER_ORDER[p.rating], p.position))

    def to_json(self) -> dict[str, object]:
        """``bwvreview ppn1 show --json``: never the PPN1's own text (personal data)."""
        return {
            "id": self.id,
            "incident": self.incident_reference,
            "type": self.incident_type,
            "officer": self.officer_collar or self.officer_name,
            "reviewer": self.reviewer_name,
            "strengths": self.strengths,
            "points_version": self.points_version,
            "status": self.status,
            "has_ppn1_text": self.has_text,
            "shared_at": self.shared_at.isoformat() if self.shared_at else None,
            "points": [
                {
                    "key": p.point_key,
                    "label": p.label,
                    "rating": p.rating,
                    "note": p.note,
                    "suggested_wording": p.suggested_wording,
                    "moments": [m.annotation_id for m in p.moments],
                }
                for p in self.points
            ],
        }


# --- reading --------------------------------------------------------------------------------
def _moments(session: Session, point_id: int) -> tuple[LinkedMoment, ...]:
    A, link = models.Annotation, models.ppn1_point_moments  # noqa: N806
    rows = session.execute(
        select(A.id, A.recording_id, A.start_ms, models.CodebookCategory.label)
        .join(link, link.c.annotation_id == A.id)
        .join(models.CodebookCategory, models.CodebookCategory.id == A.category_id)
        .where(link.c.point_id == point_id)
        .order_by(A.recording_id, A.start_ms)
    )
    return tuple(LinkedMoment(*row) for row in rows)


def _point(session: Session, r: models.Ppn1Point) -> Point:
    return Point(
        r.id,
        r.position,
        r.point_key,
        r.label,
        r.prompt,
        r.rating,
        r.note,
        r.suggested_wording,
        _moments(session, r.id),
    )


def _record(session: Session, row: models.Ppn1Review) -> Ppn1Review:
    return Ppn1Review(
        row.id,
        *record_heading(session, row),
        row.reviewer_name,
        row.strengths,
        row.points_version,
        row.status,
        row.shared_at,
        bool(row.ppn1_text),
        tuple(_point(session, p) for p in PPN1_REVIEW.points(session, row.id)),
        row.created_at,
    )


def get_review(db: Database, review_id: int) -> Ppn1Review:
    """One review, if the reader may see it (an officer: a shared review of their PPN1)."""
    with db.begin() as session:
        return _record(session, PPN1_REVIEW.readable(session, db.principal, review_id))


def list_reviews(db: Database, *, incident_id: int | None = None) -> list[Ppn1Review]:
    """The reviews the reader may see, newest first."""
    with db.begin() as session:
        rows = PPN1_REVIEW.visible(session, db.principal, models.Ppn1Review.created_at, incident_id)
        return [_record(session, row) for row in rows]


def read_ppn1_text(db: Database, review_id: int, *, actor: str) -> str:
    """The PPN1 as pasted in, for someone who may see the review. Audited: it is personal
    data about the person at risk."""
    with db.begin() as session:
        row = PPN1_REVIEW.readable(session, db.principal, review_id)
        PPN1_REVIEW.audit(session, actor, "ppn1-text-read", row.id, chars=len(row.ppn1_text))
        return row.ppn1_text


# --- writing --------------------------------------------------------------------------------


def _reindex(session: Session, row: models.Ppn1Review) -> None:
    points = [
        f"{p.label}: {p.note} {p.suggested_wording}".strip()
        for p in PPN1_REVIEW.points(session, row.id)
        if p.note or p.suggested_wording
    ]
    index_text(session, "ppn1", row.id, [row.strengths, *points])
    index_text(session, "ppn1_text", row.id, [row.ppn1_text])


def create_review(
    db: Database,
    *,
    incident_id: int,
    officer_id: int,
    points: tuple[QualityPoint, ...],
    points_version: str,
    actor: str,
    ppn1_text: str = "",
) -> Ppn1Review:
    """Start a review of the PPN1 ``officer_id`` completed for the incident (the officer is
    linked to the incident). Audited; the PPN1's words are never in the log."""
    principal = writer(db.principal)
    ppn1_text = clean_text(ppn1_text, "the PPN1")
    with db.begin() as session:
        incident_row(session, incident_id)
        link_officer(session, incident_id, officer_id, actor)
        row = models.Ppn1Review(
            incident_id=incident_id,
            officer_id=officer_id,
            reviewer_id=principal.user_id,
            reviewer_name=principal.name,
            ppn1_text=ppn1_text,
            points_version=points_version,
        )
        session.add(row)
        session.flush()
        for n, point in enumerate(points):
            session.add(models.Ppn1Point(review_id=row.id, **point_words(n, point)))
        session.flush()
        _reindex(session, row)
        PPN1_REVIEW.audit(
            session,
            actor,
            "ppn1-review-create",
            row.id,
            incident=incident_id,
            officer=officer_id,
            ppn1_text_chars=len(ppn1_text),
        )
        return _record(session, row)


def rate_point(
    db: Database,
    review_id: int,
    point_key: str,
    *,
    actor: str,
    rating: str | None,
    note: str | None = None,
    suggested_wording: str | None = None,
) -> Point:
    """Rate one quality point met, partly or not (None: not yet), with a note and wording."""
    answering = PPN1_REVIEW.answering(db, review_id, point_key, rating, RATINGS, "a rating")
    with answering as (session, review, row):
        row.rating = rating
        if note is not None:
            row.note = clean_text(note, "a point's note")
        if suggested_wording is not None:
            row.suggested_wording = clean_text(suggested_wording, "the suggested wording")
        session.flush()
        _reindex(session, review)
        PPN1_REVIEW.audit(session, actor, "ppn1-point", review_id, point=point_key, rating=rating)
        return _point(session, row)


def link_moment(
    db: Database,
    review_id: int,
    point_key: str,
    annotation_id: int,
    *,
    actor: str,
    linked: bool = True,
) -> Point:
    """Link a point to a moment of one of the incident's recordings (or unlink it)."""
    link = models.ppn1_point_moments
    with PPN1_REVIEW.writing(db, review_id) as (session, review):
        point = PPN1_REVIEW.point(session, review_id, point_key)
        moment = session.get(models.Annotation, annotation_id)
        recording = (
            session.get(models.Recording, moment.recording_id)
            if moment and moment.recording_id
            else None
        )
        if recording is None or recording.incident_id != review.incident_id:
            raise NotFoundError(f"no moment {annotation_id} on this incident's recordings")
        where = (link.c.point_id == point.id, link.c.annotation_id == annotation_id)
        there = session.execute(select(link).where(*where)).first() is not None
        if linked and not there:
            session.execute(link.insert().values(point_id=point.id, annotation_id=annotation_id))
        elif not linked and there:
            session.execute(link.delete().where(*where))
        PPN1_REVIEW.audit(
            session,
            actor,
            "ppn1-moment-link" if linked else "ppn1-moment-unlink",
            review_id,
            point=point_key,
            annotation=annotation_id,
        )
        return _point(session, point)


def update_review(
    db: Database,
    review_id: int,
    *,
    actor: str,
    strengths: str | None = None,
    ppn1_text: str | None = None,
) -> Ppn1Review:
    """Write what was done well overall, or paste (or clear) the PPN1. Audited: the PPN1's
    length, never its words."""
    with PPN1_REVIEW.writing(db, review_id) as (session, row):
        if strengths is not None:
            row.strengths = clean_text(strengths, "what was done well")
            PPN1_REVIEW.audit(session, actor, "ppn1-review-change", row.id)
        if ppn1_text is not None:
            row.ppn1_text = clean_text(ppn1_text, "the PPN1")
            PPN1_REVIEW.audit(session, actor, "ppn1-text-set", row.id, chars=len(row.ppn1_text))
        session.flush()
        _reindex(session, row)
        return _record(session, row)


def share_review(db: Database, review_id: int, *, actor: str, shared: bool = True) -> Ppn1Review:
    """Share the review with the officer whose PPN1 it is (or take it back)."""
    with PPN1_REVIEW.writing(db, review_id) as (session, row):
        PPN1_REVIEW.share(session, actor, row, shared, "ppn1-review")
        return _record(session, row)
