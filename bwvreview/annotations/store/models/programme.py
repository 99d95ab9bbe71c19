"""The training programme: its curriculum and questionnaires (versioned data files), the
sessions held from it, who attended, and the questionnaires answered (migration 0011).

Nothing here is keyed by officer for counting: attendance names who was there (the trainer
needs a register), and an answer carries its respondent only when they chose to be named.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bwvreview.annotations.store.models.base import Base, utcnow

if TYPE_CHECKING:  # the other side of a relationship, resolved by name at run time
    from bwvreview.annotations.store.models.learning import TrainingPack

DOCUMENT_KINDS = ("curriculum", "questionnaire")
ATTENDEE_KINDS = ("officer", "staff")
PHASES = ("before", "after")
ENTRY_MODES = ("paper", "laptop")

training_session_packs = Table(
    "training_session_packs",
    Base.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("pack_id", ForeignKey("training_packs.id", ondelete="CASCADE"), primary_key=True),
)


class ProgrammeDocument(Base):
    """One version of a curriculum or questionnaire file, kept whole (like the codebook's
    installed YAML) so sessions and answers keep their meaning when the file changes."""

    __tablename__ = "programme_documents"
    __table_args__ = (
        UniqueConstraint("kind", "key", "sha256", name="uq_programme_document"),
        CheckConstraint("kind IN ('curriculum', 'questionnaire')", name="ck_programme_doc_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64))
    source_yaml: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    installed_by: Mapped[str] = mapped_column(String(200), default="")


class TrainingSession(Base):
    """A session of the curriculum held (or planned) on a day, for a team, by a trainer."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("length_minutes > 0", name="ck_training_sessions_length"),
        Index("ix_training_sessions_held_on", "held_on"),
        Index("ix_training_sessions_team", "team", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("programme_documents.id"))
    module_key: Mapped[str] = mapped_column(String(64))
    held_on: Mapped[dt.date] = mapped_column(Date)
    length_minutes: Mapped[int] = mapped_column(Integer)
    team: Mapped[str] = mapped_column(String(100))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    trainer_name: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, onupdate=utcnow)

    attendance: Mapped[list[TrainingAttendance]] = relationship(
        order_by="TrainingAttendance.id", cascade="all, delete-orphan", passive_deletes=True
    )
    responses: Mapped[list[QuestionnaireResponse]] = relationship(
        order_by="QuestionnaireResponse.id", cascade="all, delete-orphan", passive_deletes=True
    )
    packs: Mapped[list[TrainingPack]] = relationship(
        secondary=training_session_packs, order_by="TrainingPack.id"
    )


class TrainingAttendance(Base):
    """One person at one session: an officer or member of staff by name and collar number,
    linked to their user when one has that collar number (so they can see it)."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "person_key", name="uq_training_attendance_person"),
        CheckConstraint("kind IN ('officer', 'staff')", name="ck_training_attendance_kind"),
        Index("ix_training_attendance_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    collar_number: Mapped[str | None] = mapped_column(String(32))
    # one person once per session: the collar number (case folded) or else the name's key
    person_key: Mapped[str] = mapped_column(String(340))
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class QuestionnaireResponse(Base):
    """One person's answers to one questionnaire at one session, before or after it.

    Anonymous unless ``respondent_id`` is set, which happens only when the person chose to
    put their name to it (they can then read it back)."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        CheckConstraint("phase IN ('before', 'after')", name="ck_questionnaire_phase"),
        CheckConstraint("entry IN ('paper', 'laptop')", name="ck_questionnaire_entry"),
        Index("ix_questionnaire_responses_session", "session_id", "phase"),
        Index("ix_questionnaire_responses_respondent", "respondent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("programme_documents.id"))
    phase: Mapped[str] = mapped_column(String(8))
    entry: Mapped[str] = mapped_column(String(8))
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
