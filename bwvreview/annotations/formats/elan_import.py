"""Importing an ELAN ``.eaf`` file's coded moments onto a recording, all or nothing.

The file is read with ``elan.read_eaf`` (which refuses bad XML, DOCTYPEs, missing time
slots, unknown categories and impossible times) before anything is stored; then every
moment is stored in one transaction, authored by a named TIP (made if new).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import REVIEW, ROLE_LABELS, require, users
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.formats.elan import read_eaf
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models import user_name_key


@dataclass(frozen=True)
class ImportResult:
    recording_id: int
    author_id: int | None
    author: str
    created: int
    skipped: int  # already present for this author (importing twice adds nothing)


def _known(db: Database, name: str) -> bool:
    try:
        users.find_user(db, name)
    except NotFoundError:
        return False
    return True


def _tip_user(session: Session, name: str, actor: str) -> models.User:
    """The user called ``name`` (any case), made as a TIP if there is none."""
    name = users.clean_name(name)
    user = session.scalar(select(models.User).where(models.User.name_key == user_name_key(name)))
    if user is None:
        user = models.User(name=name, role="tip")
        session.add(user)
        session.flush()
        record_event(
            session,
            actor=actor,
            action="user-create",
            object_type="user",
            object_id=user.id,
            details={"role": "tip", "via": "import-annotations"},
        )
    elif user.role not in ("tip", "admin"):
        role = ROLE_LABELS.get(user.role, user.role).lower()
        raise DomainError(f"{name} is registered as {role}, not as a TIP who reviews")
    return user


def _categories(session: Session, codebook_id: int) -> dict[str, models.CodebookCategory]:
    rows = session.scalars(
        select(models.CodebookCategory).where(models.CodebookCategory.codebook_id == codebook_id)
    )
    return {row.key: row for row in rows}


def import_eaf(
    db: Database,
    recording_id: int,
    path: Path,
    *,
    codebook_id: int,
    actor: str,
    author: str | None = None,
) -> ImportResult:
    """Store the coded moments of an EAF file on a recording, all or nothing.

    The annotations are authored by ``author`` (a TIP, made if new), else by the file's
    AUTHOR, else by the signed-in user. Moments already stored for that author (same
    category, times and note) are skipped, so importing a file twice adds nothing. Needs
    REVIEW.
    """
    require(db.principal, REVIEW)
    with db.begin() as session:
        categories = _categories(session, codebook_id)
    document = read_eaf(path, known_categories=categories)
    name = (author or document.author or "").strip()
    if name and not _known(db, name):  # the author becomes a TIP who will sign in
        users.check_first_to_sign_in(db, "tip", None)
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        late = [a for a in document.annotations if a.end_ms > recording.duration_ms]
        if late:
            raise DomainError(
                f"{path}: an annotation ends at {late[0].end_ms} ms, after the "
                f"recording ends ({recording.duration_ms} ms)"
            )
        user = _tip_user(session, name, actor) if name else None
        author_id = user.id if user else db.principal.user_id
        categories = _categories(session, codebook_id)
        existing = Counter(
            (row.category.key, row.start_ms, row.end_ms, row.note)
            for row in session.scalars(
                select(models.Annotation).where(
                    models.Annotation.recording_id == recording_id,
                    models.Annotation.author_id == author_id,
                )
            )
        )
        created = skipped = 0
        for moment in document.annotations:
            key = (moment.category_key, moment.start_ms, moment.end_ms, moment.note)
            if existing[key] > 0:
                existing[key] -= 1
                skipped += 1
                continue
            row = models.Annotation(
                recording_id=recording_id,
                category=categories[key[0]],
                start_ms=moment.start_ms,
                end_ms=moment.end_ms,
                note=moment.note,
                author_id=author_id,
                status="draft",
                source="human",
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                actor=actor,
                action="annotate",
                object_type="annotation",
                object_id=row.id,
                details={"recording": recording_id, "category": key[0], "source": "eaf"},
            )
            created += 1
        record_event(
            session,
            actor=actor,
            action="import-annotations",
            object_type="recording",
            object_id=recording_id,
            details={"format": "eaf", "created": created, "skipped": skipped, "author": author_id},
        )
        return ImportResult(recording_id, author_id, user.name if user else "", created, skipped)
