"""Coding the footage: codebook versions and categories, annotations with their reflections,
redaction masks, and cue suggestions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bwvreview.annotations.store.models.base import Base, span_check, utcnow


class CodebookVersion(Base):
    """One loaded codebook file; categories hang off it so old annotations keep their meaning."""

    __tablename__ = "codebook_versions"
    __table_args__ = (UniqueConstraint("version", "sha256", name="uq_codebook_version_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64))
    principles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Set when an admin installs this version for everyone using the library (team mode
    # included); the YAML is kept so every machine reads the same codebook.
    installed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    source_yaml: Mapped[str | None] = mapped_column(Text)

    categories: Mapped[list[CodebookCategory]] = relationship(back_populates="codebook")


class CodebookCategory(Base):
    __tablename__ = "codebook_categories"
    __table_args__ = (
        UniqueConstraint("codebook_id", "key", name="uq_codebook_category_key"),
        CheckConstraint(
            "polarity IN ('concern', 'good_practice', 'observation')",
            name="ck_codebook_categories_polarity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebook_versions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    principles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    polarity: Mapped[str] = mapped_column(String(16))
    definition: Mapped[str] = mapped_column(Text, default="")
    hotkey: Mapped[str | None] = mapped_column(String(16))

    codebook: Mapped[CodebookVersion] = relationship(back_populates="categories")


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (
        span_check("annotations"),
        CheckConstraint("status IN ('draft', 'final', 'shared')", name="ck_annotations_status"),
        CheckConstraint("source IN ('human', 'cue')", name="ck_annotations_source"),
        CheckConstraint("severity IS NULL OR severity BETWEEN 1 AND 3", name="ck_annotations_sev"),
        Index("ix_annotations_recording_start", "recording_id", "start_ms"),
        Index("ix_annotations_category_span", "category_id", "recording_id", "start_ms", "end_ms"),
        # migration 0012: a note belongs to one source, a recording or an observation
        CheckConstraint(
            "(recording_id IS NULL) <> (observation_id IS NULL)", name="ck_annotations_one_source"
        ),
        Index("ix_annotations_observation_start", "observation_id", "start_ms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE")
    )
    # times relative to the observation's start; no media (models/practice.py)
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE")
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("codebook_categories.id"))
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text, default="")
    first_word_id: Mapped[int | None] = mapped_column(ForeignKey("words.id", ondelete="SET NULL"))
    last_word_id: Mapped[int | None] = mapped_column(ForeignKey("words.id", ondelete="SET NULL"))
    suggested_wording: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    source: Mapped[str] = mapped_column(String(16), default="human")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    category: Mapped[CodebookCategory] = relationship()
    reflections: Mapped[list[Reflection]] = relationship(
        back_populates="annotation", cascade="all, delete-orphan"
    )


class Reflection(Base):
    __tablename__ = "reflections"
    __table_args__ = (
        CheckConstraint(
            "annotation_id IS NOT NULL OR incident_id IS NOT NULL", name="ck_reflections_target"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE")
    )
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # when a TIP or admin first read it (the officer sees that their reflection was read)
    seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    annotation: Mapped[Annotation | None] = relationship(back_populates="reflections")


class Redaction(Base):
    """A manual mask (region with keyframes) or an audio span to bleep, on one recording."""

    __tablename__ = "redactions"
    __table_args__ = (
        CheckConstraint("kind IN ('region', 'audio')", name="ck_redactions_kind"),
        span_check("redactions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[str] = mapped_column(String(16), default="box")  # box | blur | pixelate
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    keyframes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Suggestion(Base):
    """A phrase-cue suggestion on a transcript, waiting for a person to accept or reject it.

    Acceptance counts per cue are always derived from these rows by a query, never kept in
    a counter that could drift (see ``suggestions.cue_statistics``).
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        span_check("suggestions"),
        CheckConstraint(
            "state IN ('pending', 'accepted', 'rejected')", name="ck_suggestions_state"
        ),
        CheckConstraint("precision IN ('high', 'low')", name="ck_suggestions_precision"),
        UniqueConstraint(
            "transcript_id", "category_key", "start_ms", "end_ms", name="uq_suggestions_span"
        ),
        Index("ix_suggestions_recording_start", "recording_id", "start_ms"),
        Index("ix_suggestions_cue_state", "cue_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    category_key: Mapped[str] = mapped_column(String(64))
    cue_id: Mapped[str] = mapped_column(String(100))
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    first_word_id: Mapped[int | None] = mapped_column(ForeignKey("words.id", ondelete="SET NULL"))
    last_word_id: Mapped[int | None] = mapped_column(ForeignKey("words.id", ondelete="SET NULL"))
    quote: Mapped[str] = mapped_column(Text, default="")
    speaker: Mapped[str] = mapped_column(String(100), default="other")
    precision: Mapped[str] = mapped_column(String(8), default="low")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
