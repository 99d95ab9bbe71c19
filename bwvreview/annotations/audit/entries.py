"""Reading the audit log: pages of events with filters, and a verification of the chain that
says in words which event broke it and how. Both need READ_AUDIT (admins).

Events are shown newest first. Times are stored and shown in UTC; date filters are whole
UTC days, both ends included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, true

from bwvreview.annotations.access import READ_AUDIT, require
from bwvreview.annotations.audit import ChainCheck, verify_chain
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models import AuditEvent

PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime  # UTC
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    hash: str

    @property
    def object(self) -> str:
        return f"{self.object_type} {self.object_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat() + "Z",
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "details": self.details,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    since: dt.date | None = None  # first UTC day included
    until: dt.date | None = None  # last UTC day included


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    total: int  # events matching the filter
    offset: int


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int  # events checked (up to and including the broken one)
    broken: AuditEntry | None = None
    reason: str = ""
    first_bad_seq: int | None = None
    head_seq: int | None = None  # the last event checked, when the log is intact
    head_hash: str = ""
    behind: int = 0  # events newer than this machine's checkpoint (written elsewhere)

    @property
    def summary(self) -> str:
        """One line: intact (with the head to write down), or the first thing found wrong."""
        if self.ok:
            if not self.events:
                return "Chain intact: no events recorded yet."
            text = (f"Chain intact: all {self.events} events checked, none changed or removed "
                    f"(head: seq {self.head_seq}, hash {self.head_hash[:16]}).")  # fmt: skip
            if self.behind:
                text += (f" The newest {self.behind} were recorded after this machine's "
                         "checkpoint: their removal would not be detected here.")  # fmt: skip
            return text
        if self.broken is not None:
            return f"Chain broken at event #{self.broken.id}: {self.reason}"
        return f"Audit log not verified: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "events_checked": self.events, "summary": self.summary,
                "broken_event": self.broken.to_json() if self.broken else None,
                "reason": self.reason, "first_bad_seq": self.first_bad_seq,
                "head": {"seq": self.head_seq, "hash": self.head_hash} if self.ok else None,
                "behind_checkpoint": self.behind}  # fmt: skip


def _entry(row: AuditEvent) -> AuditEntry:
    details = dict(row.details) if isinstance(row.details, dict) else {"value": row.details}
    return AuditEntry(row.id, row.at, row.actor, row.action, row.object_type, row.object_id,
                      details, row.hash)  # fmt: skip


def _where(filters: AuditFilter) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if filters.actor:
        clauses.append(AuditEvent.actor == filters.actor)
    if filters.action:
        clauses.append(AuditEvent.action == filters.action)
    if filters.since:
        clauses.append(AuditEvent.at >= dt.datetime.combine(filters.since, dt.time()))
    if filters.until:
        next_day = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time())
        clauses.append(AuditEvent.at < next_day)
    return and_(true(), *clauses)


def list_events(db: Database, filters: AuditFilter = AuditFilter(), *, offset: int = 0,
                limit: int = PAGE_SIZE) -> AuditPage:  # fmt: skip
    """One page of events matching ``filters``, newest first, and how many match in all."""
    require(db.principal, READ_AUDIT)
    where = _where(filters)
    with db.begin() as session:
        total = session.scalar(select(func.count(AuditEvent.id)).where(where)) or 0
        rows = session.scalars(
            select(AuditEvent).where(where).order_by(AuditEvent.id.desc())
            .offset(max(0, offset)).limit(max(1, limit))
        )  # fmt: skip
        return AuditPage(tuple(_entry(row) for row in rows), total, max(0, offset))


def offset_of(db: Database, event_id: int, filters: AuditFilter = AuditFilter()) -> int:
    """Where an event sits in the newest-first list (to show the page that holds it)."""
    require(db.principal, READ_AUDIT)
    with db.begin() as session:
        newer = select(func.count(AuditEvent.id)).where(_where(filters), AuditEvent.id > event_id)
        return session.scalar(newer) or 0


def facets(db: Database) -> tuple[list[str], list[str]]:
    """The actors and the actions that occur in the log, for filter choices."""
    require(db.principal, READ_AUDIT)
    with db.begin() as session:
        actors = session.scalars(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor))
        actions = session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        return list(actors), list(actions)


def verify(db: Database) -> ChainReport:
    """Check every event's seq, link and keyed hash, and the log against its signed checkpoint.

    Says which event broke the chain and why, or which seqs are missing at the end. See
    ``audit.py`` for what this does and does not prove.
    """
    require(db.principal, READ_AUDIT)
    with db.begin() as session:
        check = verify_chain(session)
        if check.ok:
            seq, digest = check.head or (None, "")
            return ChainReport(True, check.events, head_seq=seq, head_hash=digest,
                               behind=check.behind)  # fmt: skip
        if check.first_bad_id is None:
            reason = check.reason
            if check.kind == "truncated" and check.missing:
                first, last = check.missing
                reason += f" (seq {first} to {last}): the signed checkpoint records {last} events"
            return ChainReport(False, check.events, reason=reason,
                               first_bad_seq=check.first_bad_seq)  # fmt: skip
        bad = session.get(AuditEvent, check.first_bad_id)
        before = session.scalar(
            select(AuditEvent).where(AuditEvent.seq < bad.seq)
            .order_by(AuditEvent.seq.desc()).limit(1)
        )  # fmt: skip
        reason = _explain(check, _entry(bad), before.id if before else None)
        return ChainReport(False, check.events, _entry(bad), reason, check.first_bad_seq)


def _explain(check: ChainCheck, bad: AuditEntry, before_id: int | None) -> str:
    seq = check.first_bad_seq
    if check.kind == "changed":
        if check.reason == "differs from the signed checkpoint":
            return (f"seq {seq} is not the event the signed checkpoint recorded: the log was "
                    "rewritten by someone holding the key, or forked.")  # fmt: skip
        return (f"it was changed after it was written (seq {seq}): its time, actor, action, "
                "object, details or links no longer match its hash.")  # fmt: skip
    if check.kind == "missing" and check.missing:
        first, last = check.missing
        if before_id is None:
            return (f"it is the first event left but does not start the chain: earlier events "
                    f"were deleted (seq {first} to {last} missing).")  # fmt: skip
        if first == last:
            return (f"it does not follow on from event #{before_id}: event #{first} was deleted "
                    f"(seq {first} is missing).")  # fmt: skip
        return (f"it does not follow on from event #{before_id}: events #{first} to #{last} were "
                f"deleted (seq {first} to {last} are missing).")  # fmt: skip
    if check.reason == "the keyed cut-over event is missing":
        return (f"seq {seq} should record where the keyed chain begins, and does not: the log "
                "was altered around the cut-over.")  # fmt: skip
    if before_id is None:
        return f"seq {seq} does not start the chain: its link was altered."
    return (f"it does not follow on from event #{before_id} (seq {seq}): #{before_id} was "
            "rewritten (its hash changed) or this event's link was altered.")  # fmt: skip
