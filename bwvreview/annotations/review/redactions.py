"""Masks a reviewer draws on a recording (a plate, a house number, a document, a screen).

Stored once per recording, so every clip cut from it hides the same things. A mask is a
list of keyframes ``[time_ms, x0, y0, x1, y1]`` in the footage's pixels; the media layer
moves the box between keyframes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from bwvreview.annotations.access import REVIEW, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

MODES = ("box", "blur", "pixelate")
Keyframe = tuple[int, float, float, float, float]


@dataclass(frozen=True)
class RegionMask:
    id: int
    recording_id: int
    label: str
    mode: str
    keyframes: tuple[Keyframe, ...]
    start_ms: int  # the first keyframe's time
    end_ms: int  # the last keyframe's time


def _to_record(row: models.Redaction) -> RegionMask:
    frames = tuple(
        (int(k[0]), float(k[1]), float(k[2]), float(k[3]), float(k[4])) for k in row.keyframes
    )
    return RegionMask(
        row.id, row.recording_id, row.label, row.mode, frames, row.start_ms, row.end_ms
    )


def _checked(keyframes: Sequence[Sequence[float]], mode: str) -> list[list[float]]:
    if mode not in MODES:
        raise DomainError(f"unknown mask mode {mode!r}; choose one of {', '.join(MODES)}")
    if not keyframes:
        raise DomainError("a mask needs at least one keyframe")
    cleaned = sorted(
        ([int(k[0]), *(float(v) for v in k[1:5])] for k in keyframes), key=lambda k: k[0]
    )
    for t, x0, y0, x1, y1 in cleaned:
        if t < 0 or x1 <= x0 or y1 <= y0:
            raise DomainError("a mask keyframe needs a time from 0 and a box with some size")
    return cleaned


def list_region_masks(db: Database, recording_id: int) -> list[RegionMask]:
    require(db.principal, REVIEW)
    with db.begin() as session:
        rows = session.scalars(
            select(models.Redaction)
            .where(models.Redaction.recording_id == recording_id)
            .where(models.Redaction.kind == "region")
            .order_by(models.Redaction.id)
        )
        return [_to_record(row) for row in rows]


def save_region_mask(
    db: Database,
    recording_id: int,
    keyframes: Sequence[Sequence[float]],
    *,
    actor: str,
    label: str = "",
    mode: str = "box",
    mask_id: int | None = None,
) -> RegionMask:
    """Create a mask, or replace the keyframes of mask ``mask_id``."""
    require(db.principal, REVIEW)
    frames = _checked(keyframes, mode)
    with db.begin() as session:
        if mask_id is None:
            if session.get(models.Recording, recording_id) is None:
                raise NotFoundError(f"no recording with id {recording_id}")
            row = models.Redaction(recording_id=recording_id, kind="region")
            session.add(row)
        else:
            row = session.get(models.Redaction, mask_id)
            if row is None or row.kind != "region":
                raise NotFoundError(f"no mask with id {mask_id}")
        row.label, row.mode, row.keyframes = label, mode, frames
        row.start_ms, row.end_ms = frames[0][0], frames[-1][0]
        session.flush()
        record_event(
            session, actor=actor, action="mask.saved", object_type="redaction",
            object_id=row.id, details={"recording_id": recording_id, "keyframes": len(frames)},
        )  # fmt: skip
        return _to_record(row)


def delete_region_mask(db: Database, mask_id: int, *, actor: str) -> None:
    require(db.principal, REVIEW)
    with db.begin() as session:
        row = session.get(models.Redaction, mask_id)
        if row is None or row.kind != "region":
            raise NotFoundError(f"no mask with id {mask_id}")
        session.delete(row)
        record_event(
            session, actor=actor, action="mask.deleted", object_type="redaction",
            object_id=mask_id, details={"recording_id": row.recording_id},
        )  # fmt: skip
