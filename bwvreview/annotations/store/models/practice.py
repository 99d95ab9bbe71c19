"""A TIP's practice beyond one recording (migration 0012): observations in the field, PPN1
reviews and reflective practice sessions, and the text each is found by in search.

An observation is a source of an incident as a recording is: its time-stamped notes are
``annotations`` rows with ``observation_id`` set instead of ``recording_id`` (times relative
to the start of the observation, no media). A template's points, and a PPN1's quality
points, are copied into the record with their words, so a later template keeps the old
records' meaning, as codebook versions do for annotations.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from bwvreview.annotations.store.models.base import Base, utcnow

RATINGS = ("met", "partly", "not")  # a PPN1 quality point, or a template point as seen
CHECK_ANSWERS = (*RATINGS, "not_applicable")
RECORD_STATES = ("draft", "shared")
SESSION_KINDS = ("individual", "pair", "team")
SESSION_STARTS = ("debrief", "scratch")
SEARCH_KINDS = ("observation", "ppn1", "ppn1_text", "session")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user() -> Mapped[int | None]:
    return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class _SharedRecord:
    """A record of an incident that a TIP drafts and shares with its officer (an observation,
    a PPN1 review): its state, when it was shared, made and last changed, after the table's
    own columns; its state's check and its incident's index, named for the table."""

    status: Mapped[str] = mapped_column(String(16), default="draft")
    shared_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[CheckConstraint | Index, ...]:  # noqa: N805
        table = cls.__tablename__
        return (
            CheckConstraint(_in("status", RECORD_STATES), name=f"ck_{table}_status"),
            Index(f"ix_{table}_incident", "incident_id"),
        )


class Observation(_SharedRecord, Base):
    """A TIP's field notes on one encounter (patrol, custody booking-in, stop and search)."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = _user()  # the officer observed
    observer_id: Mapped[int | None] = _user()  # the TIP
    observer_name: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)  # local wall-clock time
    context: Mapped[str] = mapped_column(Text, default="")
    template_key: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(50))


class ObservationCheck(Base):
    """One of the template's points as the TIP saw it: met, partly, not, or not applicable."""

    __tablename__ = "observation_checks"
    __table_args__ = (
        UniqueConstraint("observation_id", "point_key", name="uq_observation_checks_point"),
        CheckConstraint(
            "answer IS NULL OR " + _in("answer", CHECK_ANSWERS), name="ck_observation_checks_answer"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    group_label: Mapped[str] = mapped_column(String(200))
    point_key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(Text, default="")
    category_key: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class Ppn1Review(_SharedRecord, Base):
    """A TIP's review of the PPN1 an officer completed for an incident. ``ppn1_text`` (the
    PPN1 itself, pasted in) is personal data: never exported, searched only by those who
    may see the incident."""

    __tablename__ = "ppn1_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = _user()  # who completed the PPN1
    reviewer_id: Mapped[int | None] = _user()
    reviewer_name: Mapped[str] = mapped_column(String(200), default="")
    ppn1_text: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    points_version: Mapped[str] = mapped_column(String(50))


class Ppn1Point(Base):
    """One quality point of a PPN1 review: met, partly or not, with a note and wording."""

    __tablename__ = "ppn1_points"
    __table_args__ = (
        UniqueConstraint("review_id", "point_key", name="uq_ppn1_points_point"),
        CheckConstraint(
            "rating IS NULL OR " + _in("rating", RATINGS), name="ck_ppn1_points_rating"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("ppn1_reviews.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    point_key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    suggested_wording: Mapped[str] = mapped_column(Text, default="")


# the recording moments a PPN1 quality point refers to (a disclosure, a child overlooked)
ppn1_point_moments = Table(
    "ppn1_point_moments",
    Base.metadata,
    Column("point_id", ForeignKey("ppn1_points.id", ondelete="CASCADE"), primary_key=True),
    Column("annotation_id", ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True),
)


class PracticeSession(Base):
    """A reflective practice session (a debrief): who was there, what was agreed."""

    __tablename__ = "practice_sessions"
    __table_args__ = (
        CheckConstraint(_in("kind", SESSION_KINDS), name="ck_practice_sessions_kind"),
        CheckConstraint(_in("started_from", SESSION_STARTS), name="ck_practice_sessions_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    tip_id: Mapped[int | None] = _user()
    tip_name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16))
    team: Mapped[str | None] = mapped_column(String(100))
    started_from: Mapped[str] = mapped_column(String(16), default="scratch")
    went_well: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


session_attendees = Table(
    "session_attendees",
    Base.metadata,
    Column("session_id", ForeignKey("practice_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class SessionTopic(Base):
    """An incident, or one moment of a recording, discussed in a session."""

    __tablename__ = "session_topics"
    __table_args__ = (
        CheckConstraint(
            "(incident_id IS NULL) <> (annotation_id IS NULL)", name="ck_session_topics_one"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE")
    )


class SessionEntry(Base):
    """A line of a session's record: a learning point agreed, or a note added afterwards
    (an officer may add to the record of a session they attended)."""

    __tablename__ = "session_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('learning', 'note')", name="ck_session_entries_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = _user()
    author_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class FollowUp(Base):
    """Something agreed to do after a session, by someone, by a date; listed until done."""

    __tablename__ = "session_follow_ups"
    __table_args__ = (Index("ix_session_follow_ups_open", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = _user()
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    done_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PracticeText(Base):
    """The words a practice record is found by (kept by the services on every change),
    indexed like notes: FTS5 on SQLite (``practice_search_fts``), a generated tsvector on
    PostgreSQL (neither in the ORM). ``ppn1_text`` rows hold a pasted PPN1: personal data."""

    __tablename__ = "practice_search"
    __table_args__ = (
        CheckConstraint(_in("kind", SEARCH_KINDS), name="ck_practice_search_kind"),
        UniqueConstraint("kind", "record_id", name="uq_practice_search_record"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(Integer)
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE")
    )
    ppn1_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("ppn1_reviews.id", ondelete="CASCADE")
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text, default="")
