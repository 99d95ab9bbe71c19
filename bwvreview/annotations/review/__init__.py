"""Annotations on a recording: create, read, change and remove, each saved at once.

An annotation points at a category of one stored codebook version, so it keeps its
meaning when the codebook changes. Every change bumps the row's ``version`` (optimistic
locking): a save based on an older version is refused with ``ConflictError`` instead of
silently overwriting a colleague's edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from bwvreview.annotations.access import REVIEW, annotation_filter, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.review.library import note_progress
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.rows import category_fields, record_from_row

STATUSES = ("draft", "final", "shared")
SOURCES = ("human", "cue")


class ConflictError(DomainError):
    """Someone else changed the annotation since it was read."""


@dataclass(frozen=True)
class Annotation:
    id: int
    recording_id: int
    start_ms: int
    end_ms: int
    category_key: str
    category_label: str
    polarity: str
    principles: tuple[str, ...]
    codebook_version: str
    note: str
    severity: int | None
    quote: str
    first_word_id: int | None
    last_word_id: int | None
    suggested_wording: str
    status: str
    source: str
    author_id: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


EDITABLE = ("start_ms", "end_ms", "note", "severity", "quote", "suggested_wording", "status")


def _to_record(row: models.Annotation) -> Annotation:
    return record_from_row(
        Annotation,
        row,
        **category_fields(row.category),
        codebook_version=row.category.codebook.version,
    )


def category_row(session: Session, codebook_id: int, key: str) -> models.CodebookCategory:
    """The category of that key in one stored codebook version (a DomainError if none)."""
    category = session.scalar(
        select(models.CodebookCategory).where(
            models.CodebookCategory.codebook_id == codebook_id,
            models.CodebookCategory.key == key,
        )
    )
    if category is None:
        raise DomainError(f"the codebook has no category {key!r}")
    return category


def _check(start_ms: int, end_ms: int, severity: int | None, polarity: str, status: str) -> None:
    if start_ms < 0 or end_ms < start_ms:
        raise DomainError(f"an annotation must end after it starts ({start_ms}–{end_ms} ms)")
    if severity is not None and (polarity != "concern" or not 1 <= severity <= 3):
        raise DomainError("severity is 1–3 and only for concerns")
    if status not in STATUSES:
        raise DomainError(f"status must be one of {', '.join(STATUSES)}")


def create_annotation(
    db: Database,
    *,
    recording_id: int,
    codebook_id: int,
    category_key: str,
    start_ms: int,
    end_ms: int,
    actor: str,
    note: str = "",
    severity: int | None = None,
    quote: str = "",
    first_word_id: int | None = None,
    last_word_id: int | None = None,
    suggested_wording: str = "",
    status: str = "draft",
    source: str = "human",
    author_id: int | None = None,
) -> Annotation:
    """Add an annotation to a recording and return it."""
    require(db.principal, REVIEW)
    if source not in SOURCES:
        raise DomainError(f"source must be one of {', '.join(SOURCES)}")
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        category = category_row(session, codebook_id, category_key)
        _check(start_ms, end_ms, severity, category.polarity, status)
        row = models.Annotation(
            recording_id=recording_id,
            category=category,
            start_ms=start_ms,
            end_ms=end_ms,
            note=note,
            severity=severity,
            quote=quote,
            first_word_id=first_word_id,
            last_word_id=last_word_id,
            suggested_wording=suggested_wording,
            status=status,
            source=source,
            author_id=author_id,
        )
        session.add(row)
        session.flush()
        note_progress(session, recording, "in_review", actor)
        details = {"recording": recording_id, "category": category_key, "source": source}
        record_event(session, actor=actor, action="annotate", object_type="annotation",
                     object_id=row.id, details=details)  # fmt: skip
        return _to_record(row)


def _readable(db: Database) -> Select[tuple[models.Annotation]]:
    """Annotations the reader may see: all, an officer's shared ones, a trainer's clip ones."""
    return (
        select(models.Annotation)
        .join(models.Recording, models.Recording.id == models.Annotation.recording_id)
        .where(annotation_filter(db.principal))
    )


def get_annotation(db: Database, annotation_id: int) -> Annotation:
    with db.begin() as session:
        row = session.scalar(_readable(db).where(models.Annotation.id == annotation_id))
        if row is None:
            raise NotFoundError(f"no annotation with id {annotation_id}")
        return _to_record(row)


def list_annotations(db: Database, recording_id: int) -> list[Annotation]:
    """A recording's annotations in time order."""
    with db.begin() as session:
        rows = session.scalars(
            _readable(db)
            .where(models.Annotation.recording_id == recording_id)
            .order_by(models.Annotation.start_ms, models.Annotation.id)
            # one query for the categories and codebooks, not one per annotation
            .options(
                selectinload(models.Annotation.category).selectinload(
                    models.CodebookCategory.codebook
                )
            )
        )
        return [_to_record(row) for row in rows]


def update_annotation(
    db: Database, annotation_id: int, *, expected_version: int, actor: str, **changes: object
) -> Annotation:
    """Change the given fields (see ``EDITABLE``) if nobody changed the row since
    ``expected_version``; otherwise raise ``ConflictError``."""
    require(db.principal, REVIEW)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"cannot change {', '.join(sorted(unknown))}")
    with _versioned(db, annotation_id, expected_version) as (session, row):
        for name, value in changes.items():
            setattr(row, name, value)
        _check(row.start_ms, row.end_ms, row.severity, row.category.polarity, row.status)
        session.flush()
        record_event(session, actor=actor, action="annotation-change", object_type="annotation",
                     object_id=row.id, details={"fields": sorted(changes)})  # fmt: skip
        return _to_record(row)


@contextmanager
def _versioned(
    db: Database, annotation_id: int, expected_version: int | None
) -> Iterator[tuple[Session, models.Annotation]]:
    """The annotation's row in a transaction, if it is still at ``expected_version`` (the
    version the reviewer is looking at; ``None``: any). A row changed since, before or
    while the transaction writes, is a ``ConflictError``; a missing one ``NotFoundError``."""
    try:
        with db.begin() as session:
            row = session.get(models.Annotation, annotation_id)
            if row is None:
                raise NotFoundError(f"no annotation with id {annotation_id}")
            if expected_version is not None and row.version != expected_version:
                raise ConflictError(
                    f"annotation {annotation_id} was changed by someone else "
                    f"(version {row.version}, you saw {expected_version})"
                )
            yield session, row
    except StaleDataError as exc:
        raise ConflictError(f"annotation {annotation_id} was changed by someone else") from exc


def delete_annotation(
    db: Database, annotation_id: int, *, actor: str, expected_version: int | None = None
) -> Annotation:
    """Remove an annotation; returns what it was (so it can be restored by undo). With
    ``expected_version`` (the version the reviewer is looking at), an annotation someone
    else changed since is left alone and ``ConflictError`` raised: they may have reworded
    it for a reason the reviewer has not seen."""
    require(db.principal, REVIEW)
    with _versioned(db, annotation_id, expected_version) as (session, row):
        gone = _to_record(row)
        session.delete(row)
        record_event(session, actor=actor, action="annotation-delete", object_type="annotation",
                     object_id=annotation_id, details={"recording": gone.recording_id})  # fmt: skip
        return gone
