"""Training packs: an ordered set of library clips with a title, facilitator notes and
discussion prompts per clip, for a trainer to run a session from.

Every function needs the ``BUILD_PACKS`` right (trainers, TIPs, admins); a pack takes only
clips approved for trainers by a second person (``clips.py``), so a trainer never handles
footage through a pack. A clip withdrawn later stays listed; exporting the pack refuses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import BUILD_PACKS, READ_FOOTAGE, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.learning import clips
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.rows import record_from_row

MAX_TITLE = 200
SESSION_MINUTES = (5, 8 * 60)  # a session the pack is planned for: 5 minutes to a day
DISCUSSION_MINUTES = (0, 240)  # the time to talk after one clip


@dataclass(frozen=True)
class PackItem:
    id: int
    clip_id: int
    position: int  # 0-based, contiguous
    facilitator_notes: str
    prompts: tuple[str, ...]
    discussion_minutes: int = 10  # time to talk after the clip, for the session plan


@dataclass(frozen=True)
class Pack:
    id: int
    title: str
    description: str
    created_by: int | None
    created_at: dt.datetime
    updated_at: dt.datetime | None
    items: tuple[PackItem, ...]
    session_minutes: int = 90  # the session it is planned for


def _to_record(row: models.TrainingPack) -> Pack:
    return record_from_row(
        Pack,
        row,
        description=row.description or "",
        items=tuple(
            PackItem(
                i.id,
                i.clip_id,
                i.position,
                i.facilitator_notes or "",
                tuple(i.prompts or ()),
                i.discussion_minutes,
            )  # fmt: skip
            for i in sorted(row.items, key=lambda i: i.position)
        ),
    )


def _minutes(minutes: int, limits: tuple[int, int], what: str) -> int:
    low, high = limits
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not low <= minutes <= high:
        raise DomainError(f"{what} is {low} to {high} minutes, not {minutes!r}")
    return minutes


def _title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise DomainError("a training pack needs a title")
    if len(cleaned) > MAX_TITLE:
        raise DomainError(f"a pack title is at most {MAX_TITLE} characters")
    return cleaned


def _prompts(prompts: Sequence[str]) -> list[str]:
    return [p.strip() for p in prompts if p.strip()]


def _pack(session: Session, pack_id: int) -> models.TrainingPack:
    row = session.get(models.TrainingPack, pack_id)
    if row is None:
        raise NotFoundError(f"no training pack with id {pack_id}")
    return row


def _item(session: Session, pack_id: int, item_id: int) -> models.TrainingPackItem:
    row = session.get(models.TrainingPackItem, item_id)
    if row is None or row.pack_id != pack_id:
        raise NotFoundError(f"training pack {pack_id} has no item {item_id}")
    return row


def _audit(session: Session, db: Database, action: str, pack_id: int, **details: object) -> None:
    record_event(session, actor=db.principal.name, action=action, object_type="training_pack",
                 object_id=pack_id, details=details)  # fmt: skip


def _touch(row: models.TrainingPack) -> None:
    row.updated_at = models.utcnow()


def create_pack(db: Database, title: str, description: str = "") -> Pack:
    """A new, empty pack."""
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = models.TrainingPack(
            title=_title(title), description=description.strip(), created_by=db.principal.user_id
        )
        session.add(row)
        session.flush()
        _audit(session, db, "pack.created", row.id)
        return _to_record(row)


def list_packs(db: Database) -> list[Pack]:
    """Every pack, most recently changed first."""
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        rows = session.scalars(select(models.TrainingPack).order_by(models.TrainingPack.id.desc()))
        packs = [_to_record(r) for r in rows]
    return sorted(packs, key=lambda p: p.updated_at or p.created_at, reverse=True)


def get_pack(db: Database, pack_id: int) -> Pack:
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        return _to_record(_pack(session, pack_id))


def rename_pack(db: Database, pack_id: int, title: str) -> Pack:
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = _pack(session, pack_id)
        row.title = _title(title)
        _touch(row)
        _audit(session, db, "pack.renamed", pack_id)
        return _to_record(row)


def describe_pack(db: Database, pack_id: int, description: str) -> Pack:
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = _pack(session, pack_id)
        row.description = description.strip()
        _touch(row)
        _audit(session, db, "pack.described", pack_id)
        return _to_record(row)


def delete_pack(db: Database, pack_id: int) -> None:
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        session.delete(_pack(session, pack_id))
        _audit(session, db, "pack.deleted", pack_id)


def add_clip(
    db: Database,
    pack_id: int,
    clip_id: int,
    *,
    facilitator_notes: str = "",
    prompts: Sequence[str] = (),
) -> Pack:
    """Append an approved library clip to the pack (any other clip is refused)."""
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = _pack(session, pack_id)
        clip = session.get(models.Clip, clip_id)
        if clip is None or not (clip.in_library or db.principal.can(READ_FOOTAGE)):
            raise NotFoundError(f"no library clip with id {clip_id}")  # a trainer learns no more
        if not clip.in_library:
            state = clips.STATE_WORDS.get(clip.release_state, clip.release_state).lower()
            raise DomainError(
                f"clip {clip_id} is not approved for trainers ({state}); a pack takes only"
                " approved clips"
            )
        session.add(
            models.TrainingPackItem(
                pack_id=pack_id,
                clip_id=clip_id,
                position=len(row.items),
                facilitator_notes=facilitator_notes.strip(),
                prompts=_prompts(prompts),
            )
        )
        _touch(row)
        session.flush()
        session.refresh(row)
        _audit(session, db, "pack.clip_added", pack_id, clip_id=clip_id)
        return _to_record(row)


def _renumber(session: Session, items: Sequence[models.TrainingPackItem]) -> None:
    """Give ``items`` positions 0..n-1 in the order given (two steps: positions are unique)."""
    for index, item in enumerate(items):
        item.position = -1 - index
    session.flush()
    for index, item in enumerate(items):
        item.position = index
    session.flush()


def remove_item(db: Database, pack_id: int, item_id: int) -> Pack:
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = _pack(session, pack_id)
        item = _item(session, pack_id, item_id)
        clip_id = item.clip_id
        session.delete(item)
        session.flush()
        session.expire(row, ["items"])
        _renumber(session, sorted(row.items, key=lambda i: i.position))
        _touch(row)
        _audit(session, db, "pack.clip_removed", pack_id, clip_id=clip_id)
        session.refresh(row)
        return _to_record(row)


def reorder(db: Database, pack_id: int, item_ids: Sequence[int]) -> Pack:
    """Put the pack's items in the order of ``item_ids`` (every item, each once)."""
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = _pack(session, pack_id)
        by_id = {i.id: i for i in row.items}
        if sorted(item_ids) != sorted(by_id):
            raise DomainError("a new order must list each of the pack's items exactly once")
        _renumber(session, [by_id[i] for i in item_ids])
        _touch(row)
        _audit(session, db, "pack.reordered", pack_id, items=list(item_ids))
        session.refresh(row)
        return _to_record(row)


def move_item(db: Database, pack_id: int, item_id: int, to_position: int) -> Pack:
    """Move one item to ``to_position`` (clamped to the pack), the others closing up."""
    current = [i.id for i in get_pack(db, pack_id).items]
    if item_id not in current:
        raise NotFoundError(f"training pack {pack_id} has no item {item_id}")
    current.remove(item_id)
    current.insert(max(0, min(to_position, len(current))), item_id)
    return reorder(db, pack_id, current)


def set_item_notes(db: Database, pack_id: int, item_id: int, facilitator_notes: str) -> Pack:
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = _pack(session, pack_id)
        _item(session, pack_id, item_id).facilitator_notes = facilitator_notes.strip()
        _touch(row)
        _audit(session, db, "pack.notes_set", pack_id, item_id=item_id)
        return _to_record(row)


def set_item_prompts(db: Database, pack_id: int, item_id: int, prompts: Sequence[str]) -> Pack:
    require(db.principal, BUILD_PACKS)
    with db.begin() as session:
        row = _pack(session, pack_id)
        cleaned = _prompts(prompts)
        _item(session, pack_id, item_id).prompts = cleaned
        _touch(row)
        _audit(session, db, "pack.prompts_set", pack_id, item_id=item_id, count=len(cleaned))
        return _to_record(row)


def set_session_minutes(db: Database, pack_id: int, minutes: int) -> Pack:
    """The length of the session the pack is planned for (5 minutes to 8 hours)."""
    require(db.principal, BUILD_PACKS)
    minutes = _minutes(minutes, SESSION_MINUTES, "a session")
    with db.begin() as session:
        row = _pack(session, pack_id)
        row.session_minutes = minutes
        _touch(row)
        _audit(session, db, "pack.session_set", pack_id, minutes=minutes)
        return _to_record(row)


def set_item_discussion(db: Database, pack_id: int, item_id: int, minutes: int) -> Pack:
    """The time allowed to talk after one clip (0 to 4 hours), for the session plan."""
    require(db.principal, BUILD_PACKS)
    minutes = _minutes(minutes, DISCUSSION_MINUTES, "the talk after a clip")
    with db.begin() as session:
        row = _pack(session, pack_id)
        _item(session, pack_id, item_id).discussion_minutes = minutes
        _touch(row)
        _audit(session, db, "pack.discussion_set", pack_id, item_id=item_id, minutes=minutes)
        return _to_record(row)
