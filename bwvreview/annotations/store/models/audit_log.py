"""The audit log's tables: the hash-chained events and the seals over them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bwvreview.annotations.store.models.base import Base, utcnow


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
