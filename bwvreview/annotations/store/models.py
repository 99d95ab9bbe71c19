"""SQLAlchemy 2.x models for every entity in the design.

Times are integer milliseconds with a check that end >= start. Rows are never handed to
widgets: services turn them into frozen dataclasses (see ``records.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


incident_officers = Table(
    "incident_officers",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


def user_name_key(name: str) -> str:
    """A name as sign-in compares it: case folded, runs of white space made one space."""
    return " ".join(name.split()).casefold()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('tip', 'trainer', 'officer', 'admin')", name="ck_users_role"),
        Index("ux_users_name_key", "name_key", unique=True),  # migration 0007
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Two people may not share a name in any case or spacing: sign-in by name finds one.
    name_key: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    collar_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    team: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @validates("name")
    def _keep_name_key(self, _attribute: str, value: str) -> str:
        self.name_key = user_name_key(value)
        return value


class Incident(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    # Names and places the reviewer lists once, bleeped wherever they are heard in a clip.
    people_places: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    officers: Mapped[list[User]] = relationship(secondary=incident_officers)
    recordings: Mapped[list[Recording]] = relationship(back_populates="incident")


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
        CheckConstraint("end_ms >= start_ms", name="ck_segments_span"),
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
        CheckConstraint("end_ms >= start_ms", name="ck_words_span"),
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
        CheckConstraint("end_ms >= start_ms", name="ck_annotations_span"),
        CheckConstraint("status IN ('draft', 'final', 'shared')", name="ck_annotations_status"),
        CheckConstraint("source IN ('human', 'cue')", name="ck_annotations_source"),
        CheckConstraint("severity IS NULL OR severity BETWEEN 1 AND 3", name="ck_annotations_sev"),
        Index("ix_annotations_recording_start", "recording_id", "start_ms"),
        Index(
            "ix_annotations_category_span", "category_id", "recording_id", "start_ms", "end_ms"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
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
        CheckConstraint("end_ms >= start_ms", name="ck_redactions_span"),
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


CLIP_RELEASE_STATES = ("held", "awaiting", "approved", "not_approved")


def _clip_release_default(context: Any) -> str:
    # A row stored straight into the library (fixtures, imports of old data) is approved;
    # the services never do that: they store "awaiting" or "held" and approve explicitly.
    return "approved" if context.get_current_parameters().get("in_library") else "held"


class Clip(Base):
    __tablename__ = "clips"
    __table_args__ = (
        CheckConstraint("end_ms >= start_ms", name="ck_clips_span"),
        Index("ix_clips_sha256", "sha256"),
        # migration 0009: release needs a second person (see annotations/clips.py)
        CheckConstraint(
            "release_state IN ('held', 'awaiting', 'approved', 'not_approved')",
            name="ck_clips_release_state",
        ),
        CheckConstraint(
            "(in_library AND release_state = 'approved')"
            " OR (NOT in_library AND release_state <> 'approved')",
            name="ck_clips_in_library_is_approved",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="SET NULL")
    )
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    output_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    # Released to trainers: true exactly when a second person approved it (release_state).
    in_library: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # held (failed verification) → awaiting (a second person) → approved | not_approved
    release_state: Mapped[str] = mapped_column(String(16), default=_clip_release_default)
    exported_by: Mapped[str] = mapped_column(String(200), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    override_by: Mapped[str] = mapped_column(String(200), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class TrainingPack(Base):
    __tablename__ = "training_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, onupdate=utcnow)

    items: Mapped[list[TrainingPackItem]] = relationship(
        order_by="TrainingPackItem.position", cascade="all, delete-orphan"
    )


class TrainingPackItem(Base):
    __tablename__ = "training_pack_items"
    __table_args__ = (UniqueConstraint("pack_id", "position", name="uq_pack_item_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("training_packs.id", ondelete="CASCADE"))
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    facilitator_notes: Mapped[str] = mapped_column(Text, default="")
    prompts: Mapped[list[Any]] = mapped_column(JSON, default=list)


class AuditEvent(Base):
    """Append-only; each row stores the hash of the one before (see ``audit.py``)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ux_audit_events_seq", "seq", unique=True),)  # migration 0008

    id: Mapped[int] = mapped_column(primary_key=True)
    # 1, 2, 3 … with no gaps, assigned under the chain's lock: a missing number is a deletion
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditSeal(Base):
    """The one row saying where the audit chain became keyed (see ``audit.py``)."""

    __tablename__ = "audit_seal"
    __table_args__ = (CheckConstraint("id = 1", name="ck_audit_seal_one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16))  # the key's public fingerprint
    legacy_through: Mapped[int] = mapped_column(Integer)  # seqs chained before the key existed
    sealed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Suggestion(Base):
    """A phrase-cue suggestion on a transcript, waiting for a person to accept or reject it.

    Acceptance counts per cue are always derived from these rows by a query, never kept in
    a counter that could drift (see ``suggestions.cue_statistics``).
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint("end_ms >= start_ms", name="ck_suggestions_span"),
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


class Job(Base):
    """One unit of batch work (transcription or export) in the shared queue.

    Workers claim the oldest queued job with ``SELECT … FOR UPDATE SKIP LOCKED`` on
    PostgreSQL (an immediate transaction on SQLite) and beat a heartbeat while they run; a
    running job whose heartbeat is stale belongs to a worker that died and is queued again.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("kind IN ('transcribe', 'export')", name="ck_jobs_kind"),
        CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="ck_jobs_state"
        ),
        Index("ix_jobs_state_priority", "state", "priority", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE")
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    worker: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
