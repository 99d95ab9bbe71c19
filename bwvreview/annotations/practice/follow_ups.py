"""Follow-ups agreed in reflective practice sessions: what, who (a user or any name), by
when; listed until the TIP or the officer who owns one marks it done. Also what every
session record shares with them: its child rows and the words it is found by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import RECORD_PRACTICE, PermissionDenied
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.practice.rules import (
    SESSION,
    clean_text,
    index_text,
    person,
    session_filter,
    user_row,
    writer,
)
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database


@dataclass(frozen=True)
class FollowUp:
    id: int
    session_id: int
    text: str
    owner_id: int | None
    owner_name: str
    due_on: dt.date | None
    done_at: dt.datetime | None
    done_by: str

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "session": self.session_id,
            "text": self.text,
            "owner": self.owner_name,
            "due": self.due_on.isoformat() if self.due_on else None,
            "done_at": self.done_at.isoformat() if self.done_at else None,
            "done_by": self.done_by or None,
        }


def follow_up_record(row: models.FollowUp) -> FollowUp:
    return FollowUp(
        row.id,
        row.session_id,
        row.text,
        row.owner_id,
        row.owner_name,
        row.due_on,
        row.done_at,
        row.done_by,
    )


def children(session: Session, model: type, session_id: int, order: Iterable) -> list:
    return list(
        session.scalars(select(model).where(model.session_id == session_id).order_by(*order))
    )


def reindex_session(session: Session, row: models.PracticeSession) -> None:
    entries = children(session, models.SessionEntry, row.id, [models.SessionEntry.id])
    follow_ups = children(session, models.FollowUp, row.id, [models.FollowUp.id])
    index_text(
        session,
        "session",
        row.id,
        [row.went_well, *(e.text for e in entries), *(f.text for f in follow_ups)],
    )


def list_follow_ups(db: Database, *, open_only: bool = True) -> list[FollowUp]:
    """Follow-ups of the sessions the reader may see, soonest due first (open ones only,
    unless ``open_only`` is false): listed until someone marks them done."""
    F, S = models.FollowUp, models.PracticeSession  # noqa: N806
    conditions: list[ColumnElement[bool]] = [session_filter(db.principal)]
    if open_only:
        conditions.append(F.done_at.is_(None))
    with db.begin() as session:
        rows = session.scalars(
            select(F)
            .join(S, S.id == F.session_id)
            .where(*conditions)
            .order_by(F.due_on.is_(None), F.due_on, F.id)
        )
        return [follow_up_record(r) for r in rows]


def add_follow_up(
    db: Database,
    session_id: int,
    text: str,
    *,
    actor: str,
    owner_id: int | None = None,
    owner_name: str = "",
    due_on: dt.date | None = None,
) -> FollowUp:
    """Something to do after the session: by a person (a user, or a name) and a date."""
    writer(db.principal)
    text = clean_text(text, "a follow-up", required=True)
    with db.begin() as session:
        row = SESSION.row(session, session_id)
        if owner_id is not None:
            owner_name = person(session, user_row(session, owner_id).id)[0]
        owner_name = " ".join(owner_name.split())[:200]
        if not owner_name:
            raise DomainError("a follow-up needs an owner")
        follow_up = models.FollowUp(
            session_id=row.id, text=text, owner_id=owner_id, owner_name=owner_name, due_on=due_on
        )
        session.add(follow_up)
        session.flush()
        reindex_session(session, row)
        SESSION.audit(
            session,
            actor,
            "session-follow-up",
            row.id,
            follow_up=follow_up.id,
            owner=owner_id,
            due=due_on.isoformat() if due_on else None,
        )
        return follow_up_record(follow_up)


def complete_follow_up(
    db: Database, follow_up_id: int, *, actor: str, done: bool = True
) -> FollowUp:
    """Mark a follow-up done (or open again): the TIP, or the officer who owns it."""
    principal = db.principal
    with db.begin() as session:
        row = session.get(models.FollowUp, follow_up_id)
        if principal.can(RECORD_PRACTICE):
            if row is None:
                raise NotFoundError(f"no follow-up with id {follow_up_id}")
        elif principal.is_officer and row is not None and row.owner_id == principal.user_id:
            SESSION.readable(session, db.principal, row.session_id)
        elif principal.is_officer:
            raise NotFoundError(f"no follow-up of yours with id {follow_up_id}")
        else:
            raise PermissionDenied(f"{principal.name} may not change follow-ups")
        row.done_at = models.utcnow() if done else None
        row.done_by = principal.name if done else ""
        SESSION.audit(
            session,
            actor,
            "follow-up-done" if done else "follow-up-reopen",
            row.session_id,
            follow_up=row.id,
        )
        return follow_up_record(row)
