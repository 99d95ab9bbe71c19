"""The trainers' clip library: anonymised, verified clips with what they were cut to show.

A trainer sees only clips that are in the library (approved for release by a second person,
see ``clips.py``) and the annotation each was cut for: its category, principles, polarity,
note and suggested wording, and a summary of the clip's anonymisation report. Never the
source recording's path, its transcript, or annotations no library clip was cut for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import (
    READ_CLIPS,
    READ_FOOTAGE,
    Principal,
    annotation_filter,
    require,
)
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.learning import clips
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database


@dataclass(frozen=True)
class LibraryClip:
    """One library clip as a trainer may see it (times of the source span in ms)."""

    clip_id: int
    annotation_id: int | None
    start_ms: int
    end_ms: int
    clip_path: str  # the anonymised clip file, never the footage it was cut from
    sha256: str
    verified: bool
    overridden: bool  # in the library although verification failed (a reason was recorded)
    verdict: str  # pass | fail | unverified
    category_key: str
    category_label: str
    polarity: str
    principles: tuple[str, ...]
    note: str
    suggested_wording: str
    report_summary: dict[str, Any]
    created_at: dt.datetime
    release_state: str = clips.APPROVED  # see clips.py: held, awaiting, approved, not_approved
    exported_by: str = ""  # left empty for someone who may not read footage
    exporter_id: int | None = None
    override_reason: str = ""  # why a clip that failed verification was put forward
    override_by: str = ""
    override_by_id: int | None = None
    decided_by: str = ""  # who approved it (or did not), or clips.BEFORE_SECOND_PERSON
    decided_at: dt.datetime | None = None
    decision_reason: str = ""

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def state_words(self) -> str:
        return clips.STATE_WORDS.get(self.release_state, self.release_state)


def own_clip(principal: Principal, clip: LibraryClip) -> bool:
    """Whether ``principal`` exported the clip or overrode its verification: then a second
    person approves it."""
    if clips.same_person(clip.exporter_id, clip.exported_by, principal):
        return True
    return bool(clip.override_reason) and clips.same_person(
        clip.override_by_id, clip.override_by, principal
    )


@dataclass(frozen=True)
class CaptionSource:
    """The words heard in a library clip's span and the incident's people & places.

    Only for the app layer's redaction step (``app.training_pack``), which replaces every
    personal-data hit before a caption is written; never shown as it is.
    """

    words: tuple[tuple[str, int, int], ...]  # (text, start_ms, end_ms) in source time
    people_places: tuple[str, ...]


def summarise_report(report: dict[str, Any]) -> dict[str, Any]:
    """What a trainer needs from a clip report: verdict, checks, what was hidden, opt-outs."""
    verification = report.get("verification") or {}
    redaction = report.get("redaction") or {}
    settings = report.get("settings") or {}
    opt_outs = report.get("opt_outs") or {}
    return {
        "verdict": report.get("verdict", "unverified"),
        "checks": {
            c.get("name", "?"): bool(c.get("passed")) for c in verification.get("checks", [])
        },
        "faces": settings.get("faces", "blur"),
        "banner": settings.get("banner", "auto"),
        "bleeped": len(redaction.get("audio") or []),
        "opt_outs": sorted(k for k, v in opt_outs.items() if v and k != "people_kept_visible"),
        "duration_ms": (report.get("clip") or {}).get("duration_ms"),
        "opening_card_ms": (report.get("clip") or {}).get("opening_card_ms") or 0,
        "captions_burned_in": bool(settings.get("captions")),
    }


def _to_library_clip(
    clip: models.Clip, annotation: models.Annotation | None, reviewer: bool = False
) -> LibraryClip:
    category = annotation.category if annotation is not None else None
    report = dict(clip.report or {})
    return LibraryClip(
        clip_id=clip.id,
        annotation_id=annotation.id if annotation is not None else None,
        start_ms=clip.start_ms,
        end_ms=clip.end_ms,
        clip_path=clip.output_path,
        sha256=clip.sha256,
        verified=clip.verified,
        overridden=not clip.verified and clip.release_state != clips.HELD,
        verdict=str(report.get("verdict", "pass" if clip.verified else "unverified")),
        category_key=category.key if category else "",
        category_label=category.label if category else "(no annotation)",
        polarity=category.polarity if category else "observation",
        principles=tuple(category.principles) if category else (),
        note=annotation.note if annotation is not None else "",
        suggested_wording=annotation.suggested_wording if annotation is not None else "",
        report_summary=summarise_report(report),
        created_at=clip.created_at,
        release_state=clip.release_state,
        exported_by=(clip.exported_by or "") if reviewer else "",
        exporter_id=clip.created_by if reviewer else None,
        override_reason=clip.override_reason or "",
        override_by=(clip.override_by or "") if reviewer else "",
        override_by_id=clip.override_by_id if reviewer else None,
        decided_by=clip.decided_by or "",
        decided_at=clip.decided_at,
        decision_reason=clip.decision_reason or "",
    )


def _query(
    db: Database, *, released_only: bool = True
) -> Select[tuple[models.Clip, models.Annotation]]:
    # An annotation the principal may not read is left out, even on a library clip.
    visible = select(models.Annotation.id).where(annotation_filter(db.principal))
    query = (
        select(models.Clip, models.Annotation)
        .outerjoin(
            models.Annotation,
            (models.Annotation.id == models.Clip.annotation_id) & models.Annotation.id.in_(visible),
        )
        .outerjoin(
            models.CodebookCategory, models.CodebookCategory.id == models.Annotation.category_id
        )
    )
    if released_only or not db.principal.can(READ_FOOTAGE):
        query = query.where(models.Clip.in_library.is_(True))
    return query


def list_release_clips(db: Database, states: Sequence[str] = ()) -> list[LibraryClip]:
    """Clips with their release state, oldest first: every clip for a TIP or an admin (or
    those in ``states``), and only approved ones for a trainer. Officers may not."""
    require(db.principal, READ_CLIPS)
    reviewer = db.principal.can(READ_FOOTAGE)
    query = _query(db, released_only=False).order_by(models.Clip.id)
    if states:
        query = query.where(models.Clip.release_state.in_(list(states)))
    with db.begin() as session:
        rows = session.execute(query).all()
        return [_to_library_clip(clip, ann, reviewer) for clip, ann in rows]


def get_release_clip(db: Database, clip_id: int) -> LibraryClip:
    """One clip with its release state (a trainer: only an approved one)."""
    require(db.principal, READ_CLIPS)
    reviewer = db.principal.can(READ_FOOTAGE)
    with db.begin() as session:
        row = session.execute(_query(db, released_only=False).where(models.Clip.id == clip_id))
        found = row.first()
        if found is None:
            raise NotFoundError(f"no clip with id {clip_id}")
        return _to_library_clip(found[0], found[1], reviewer)


def list_library_clips(
    db: Database,
    *,
    category: str | None = None,
    principle: str | None = None,
    polarity: str | None = None,
    text: str = "",
) -> list[LibraryClip]:
    """Library clips, newest first, filtered by category key, principle, polarity and text.

    The text filter matches (case-insensitively) the category's label, the annotation's
    note and its suggested wording.
    """
    require(db.principal, READ_CLIPS)
    query = _query(db).order_by(models.Clip.created_at.desc(), models.Clip.id.desc())
    if category:
        query = query.where(models.CodebookCategory.key == category)
    if polarity:
        query = query.where(models.CodebookCategory.polarity == polarity)
    needle = text.strip()
    if needle:
        pattern = f"%{needle}%"
        query = query.where(
            or_(
                models.CodebookCategory.label.ilike(pattern),
                models.Annotation.note.ilike(pattern),
                models.Annotation.suggested_wording.ilike(pattern),
            )
        )
    with db.begin() as session:
        reviewer = db.principal.can(READ_FOOTAGE)
        rows = session.execute(query).all()
        found = [_to_library_clip(clip, ann, reviewer) for clip, ann in rows]
    if principle:  # principles are a JSON list: filtered here, the same on both engines
        found = [c for c in found if principle in c.principles]
    return found


def _library_row(session: Session, db: Database, clip_id: int) -> tuple[models.Clip, Any]:
    row = session.execute(_query(db).where(models.Clip.id == clip_id)).first()
    if row is None:
        # the same answer for "no such clip" and "not in the library": nothing leaks
        raise NotFoundError(f"no library clip with id {clip_id}")
    return row[0], row[1]


def get_library_clip(db: Database, clip_id: int) -> LibraryClip:
    """One library clip (``NotFoundError`` for a clip that is not in the library)."""
    require(db.principal, READ_CLIPS)
    with db.begin() as session:
        clip, annotation = _library_row(session, db, clip_id)
        return _to_library_clip(clip, annotation)


def library_clips_by_id(db: Database, clip_ids: Sequence[int]) -> dict[int, LibraryClip]:
    """The library clips among ``clip_ids`` (others are left out), in one query."""
    require(db.principal, READ_CLIPS)
    with db.begin() as session:
        rows = session.execute(_query(db).where(models.Clip.id.in_(list(clip_ids)))).all()
        return {clip.id: _to_library_clip(clip, ann) for clip, ann in rows}


def caption_source(db: Database, clip_id: int) -> CaptionSource:
    """The current transcript's words in a library clip's span, for redacted captions.

    The caller must replace every personal-data hit before writing anything. Someone who
    may read footage gets the words as heard and the incident's people & places list, for
    the same search that clip export runs. A trainer never gets the list: the words of its
    entries are masked here (``LISTED_MASK``), and the caller's search finds the rest.
    """
    require(db.principal, READ_CLIPS)
    with db.begin() as session:
        clip, _annotation = _library_row(session, db, clip_id)
        recording = session.get(models.Recording, clip.recording_id)
        listed = (
            tuple(recording.incident.people_places or [])
            if recording and recording.incident
            else ()
        )
        transcript_id = session.scalar(
            select(models.Transcript.id).where(
                models.Transcript.recording_id == clip.recording_id,
                models.Transcript.is_current.is_(True),
            )
        )
        if transcript_id is None:
            return CaptionSource((), listed)
        words = session.execute(
            select(models.Word.text, models.Word.start_ms, models.Word.end_ms)
            .join(models.Segment, models.Segment.id == models.Word.segment_id)
            .where(
                models.Segment.transcript_id == transcript_id,
                models.Word.end_ms > clip.start_ms,
                models.Word.start_ms < clip.end_ms,
            )
            .order_by(models.Word.start_ms, models.Word.id)
        ).all()
        heard = tuple((t, s, e) for t, s, e in words)
    if db.principal.can(READ_FOOTAGE):
        return CaptionSource(heard, listed)
    return CaptionSource(mask_listed(heard, listed), ())


LISTED_MASK = "[name or place]"
_EDGES = ".,;:!?\"'()[]“”‘’"


def _norm(text: str) -> str:
    word = text.strip().strip(_EDGES).lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


def mask_listed(
    words: Sequence[tuple[str, int, int]], listed: Sequence[str]
) -> tuple[tuple[str, int, int], ...]:
    """``words`` with every word of a listed entry heard whole, or of a distinctive part of
    one (four letters or more, e.g. a surname alone), replaced by ``LISTED_MASK``."""
    heard = [_norm(t) for t, _s, _e in words]
    hidden: set[int] = set()
    for entry in listed:
        parts = [_norm(p) for p in entry.split() if _norm(p)]
        if not parts:
            continue
        for at in range(len(heard) - len(parts) + 1):
            if heard[at : at + len(parts)] == parts:
                hidden.update(range(at, at + len(parts)))
        distinctive = (
            {p for p in parts if len(p) >= 4 and not p.isdigit()} if len(parts) > 1 else set()
        )
        hidden.update(i for i, w in enumerate(heard) if w in distinctive)
    masked: list[tuple[str, int, int]] = []
    for index, (text, start, end) in enumerate(words):
        if index not in hidden:
            masked.append((text, start, end))
            continue
        tail = text.rstrip()[-1:] if text.rstrip()[-1:] in ".,;:!?" else ""
        if index - 1 in hidden and masked:  # one mask for a run of listed words
            first_text, first_start, _ = masked[-1]
            masked[-1] = (first_text.rstrip(".,;:!?") + tail, first_start, end)
            continue
        lead = " " if text[:1].isspace() else ""
        masked.append((f"{lead}{LISTED_MASK}{tail}", start, end))
    return tuple(masked)
