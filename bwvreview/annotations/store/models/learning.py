"""Learning from the footage: exported clips with their release state, and training packs."""

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

CLIP_RELEASE_STATES = ("held", "awaiting", "approved", "not_approved")


def _clip_release_default(context: Any) -> str:
    # A row stored straight into the library (fixtures, imports of old data) is approved;
    # the services never do that: they store "awaiting" or "held" and approve explicitly.
    return "approved" if context.get_current_parameters().get("in_library") else "held"


class Clip(Base):
    __tablename__ = "clips"
    __table_args__ = (
        span_check("clips"),
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
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
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
    # the session the pack is planned for (migration 0013)
    session_minutes: Mapped[int] = mapped_column(Integer, default=90, server_default="90")

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
    # time allowed to talk after the clip, for the session plan (migration 0013)
    discussion_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
