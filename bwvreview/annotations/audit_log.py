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
from bwvreview.annotations.audit import GENESIS, verify_chain
from bwvreview.annotations.db import Database
from bwvreview.annotations.models import AuditEvent

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

    @property
    def summary(self) -> str:
        if self.ok:
            return f"Chain intact: all {self.events} events checked, none changed or removed."
        return f"Chain broken at event #{self.broken.id if self.broken else '?'}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "events_checked": self.events, "summary": self.summary,
                "broken_event": self.broken.to_json() if self.broken else None,
                "reason": self.reason}  # fmt: skip


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
    """Check every event's hash and link; say which event broke the chain and why.

    A changed event no longer matches its own hash. A deleted event leaves the next one
    pointing at a hash that is not its predecessor's (and a gap in the ids). Removing the
    newest events leaves no trace in the chain itself; compare the count with a copy.
    """
    require(db.principal, READ_AUDIT)
    with db.begin() as session:
        check = verify_chain(session)
        if check.ok or check.first_bad_id is None:
            return ChainReport(check.ok, check.events, reason=check.reason)
        bad = session.get(AuditEvent, check.first_bad_id)
        before = session.scalar(
            select(AuditEvent).where(AuditEvent.id < check.first_bad_id)
            .order_by(AuditEvent.id.desc()).limit(1)
        )  # fmt: skip
        entry = _entry(bad)
        reason = _explain(check.reason, entry, before.id if before else None, bad.prev_hash)
        return ChainReport(False, check.events, entry, reason)


def _explain(reason: str, bad: AuditEntry, before_id: int | None, prev_hash: str) -> str:
    if reason == "event content changed":
        return ("it was changed after it was written: its time, actor, action, object or "
                "details no longer match its hash.")  # fmt: skip
    if before_id is None:
        if prev_hash != GENESIS:
            return "it is the first event left but does not start the chain: earlier events " \
                   "were deleted."  # fmt: skip
        return reason
    if bad.id - before_id == 2:
        return f"it does not follow on from event #{before_id}: event #{before_id + 1} was deleted."
    if bad.id - before_id > 2:
        return (f"it does not follow on from event #{before_id}: events #{before_id + 1} to "
                f"#{bad.id - 1} were deleted.")  # fmt: skip
    return (f"it does not follow on from event #{before_id}: #{before_id} was rewritten "
            "(its hash changed) or this event's link was altered.")  # fmt: skip
