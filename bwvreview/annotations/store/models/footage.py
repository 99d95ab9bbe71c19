"""Footage and what was heard in it: recordings, transcripts, segments and words."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bwvreview.annotations.store.models.base import Base, span_check, utcnow

if TYPE_CHECKING:  # the other side of a relationship, resolved by name at run time
    from bwvreview.annotations.store.models.people import Incident


class Recording(Base):
    __tablename__ = "recordings"
    __table_args__ = (
        CheckConstraint(
            "status IN ('new', 'transcribed', 'in_review', 'reviewed', 'shared', 'archived')",
            name="ck_recordings_status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="SET NULL"))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    fps: Mapped[float | None] = mapped_column(Float)
    variable_frame_rate: Mapped[bool] = mapped_column(Boolean, default=False)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    container: Mapped[str] = mapped_column(String(64), default="")
    video_codec: Mapped[str | None] = mapped_column(String(32))
    audio_codec: Mapped[str | None] = mapped_column(String(32))
    audio_channels: Mapped[int] = mapped_column(Integer, default=0)
    has_audio: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="new")
    content_warning: Mapped[str | None] = mapped_column(Text)

    incident: Mapped[Incident | None] = relationship(back_populates="recordings")


class Transcript(Base):
    __tablename__ = "transcripts"
    __table_args__ = (
        CheckConstraint(
            "state IN ('running', 'complete', 'cancelled', 'failed')", name="ck_transcripts_state"
        ),
        Index("ix_transcripts_recording_current", "recording_id", "is_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(200))
    device: Mapped[str] = mapped_column(String(16), default="cpu")
    compute_type: Mapped[str] = mapped_column(String(16), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    state: Mapped[str] = mapped_column(String(16), default="running")
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    speaker_confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    segments: Mapped[list[Segment]] = relationship(
        back_populates="transcript", order_by="Segment.start_ms", cascade="all, delete-orphan"
    )


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (
        span_check("segments"),
        Index("ix_segments_transcript_start", "transcript_id", "start_ms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(String(100), default="other")
    edited: Mapped[bool] = mapped_column(Boolean, default=False)

    transcript: Mapped[Transcript] = relationship(back_populates="segments")
    words: Mapped[list[Word]] = relationship(
        back_populates="segment", order_by="Word.start_ms", cascade="all, delete-orphan"
    )


class Word(Base):
    __tablename__ = "words"
    __table_args__ = (
        span_check("words"),
        Index("ix_words_segment_start", "segment_id", "start_ms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    probability: Mapped[float] = mapped_column(Float, default=1.0)
    edited: Mapped[bool] = mapped_column(Boolean, default=False)

    segment: Mapped[Segment] = relationship(back_populates="words")
