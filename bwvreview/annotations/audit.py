"""The audit log: an append-only chain where each event carries the previous event's hash.

Changing or deleting any stored event breaks the chain at that point, which
``verify_chain`` reports. Details hold ids and facts, never transcript text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bwvreview.annotations.models import AuditEvent, utcnow

GENESIS = "0" * 64
CHAIN_LOCK = 0x62777661  # "bwva": the advisory lock that serialises appends on PostgreSQL


def _digest(prev_hash: str, at: str, actor: str, action: str, obj: str, details: Any) -> str:
    payload = json.dumps(
        [prev_hash, at, actor, action, obj, details], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _event_digest(event: AuditEvent) -> str:
    obj = f"{event.object_type}:{event.object_id}"
    return _digest(
        event.prev_hash, event.at.isoformat(), event.actor, event.action, obj, event.details
    )


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    On PostgreSQL, writers take a transaction-scoped advisory lock first, so two reviewers
    saving at once cannot both link to the same previous event (a fork in the chain); it is
    released when their transaction ends. SQLite allows one writer at a time already.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = _event_digest(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    events: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain(session: Session) -> ChainCheck:
    """Walk the whole log in order and check every link and every hash."""
    prev = GENESIS
    count = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        count += 1
        if event.prev_hash != prev:
            return ChainCheck(False, count, event.id, "previous-hash link broken")
        if _event_digest(event) != event.hash:
            return ChainCheck(False, count, event.id, "event content changed")
        prev = event.hash
    return ChainCheck(True, count)
