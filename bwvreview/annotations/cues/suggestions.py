"""Stored phrase-cue suggestions: generate them for a transcript, then a person decides.

A suggestion is only ever a prompt to look. ``generate_suggestions`` stores what the cue
lexicon finds in a recording's current transcript (idempotent, and never again for a span a
person rejected for that category); ``accept_suggestion`` turns one into a draft annotation
(source "cue"); ``reject_suggestion`` dismisses it. How often each cue was accepted or
rejected is counted from the rows themselves (``cue_statistics``), so it cannot drift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, selectinload

from bwvreview.annotations import review
from bwvreview.annotations.access import REVIEW, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.cues import CueSuggestion, find_cues, spread_words
from bwvreview.annotations.cues.lexicon import Lexicon
from bwvreview.annotations.cues.match import SpokenWord, Utterance
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.review.transcripts import Transcript
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.rows import record_from_row

STATES = ("pending", "accepted", "rejected")


class SuggestionDecidedError(DomainError):
    """The suggestion was already accepted or rejected (perhaps by a colleague)."""


@dataclass(frozen=True)
class Suggestion:
    id: int
    recording_id: int
    transcript_id: int
    category_key: str
    cue_id: str
    start_ms: int
    end_ms: int
    first_word_id: int | None
    last_word_id: int | None
    quote: str
    speaker: str
    precision: str
    state: str
    annotation_id: int | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class CueStats:
    """How one cue's suggestions were decided: counted from the suggestion rows."""

    cue_id: str
    category_key: str
    suggested: int
    accepted: int
    rejected: int
    pending: int

    @property
    def acceptance(self) -> float | None:
        """Share of decided suggestions that were accepted (None before any decision)."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


def _to_record(row: models.Suggestion) -> Suggestion:
    return record_from_row(Suggestion, row)


def _current_transcript(session: Session, recording_id: int) -> models.Transcript:
    if session.get(models.Recording, recording_id) is None:
        raise NotFoundError(f"no recording with id {recording_id}")
    transcript = session.scalar(
        select(models.Transcript)
        .where(
            models.Transcript.recording_id == recording_id,
            models.Transcript.is_current.is_(True),
        )
        .options(selectinload(models.Transcript.segments).selectinload(models.Segment.words))
    )
    if transcript is None:
        raise DomainError(f"recording {recording_id} has no transcript yet; transcribe it first")
    return transcript


def _utterances(transcript: models.Transcript | Transcript) -> list[Utterance]:
    utterances = []
    for segment in transcript.segments:
        words = tuple(SpokenWord(w.start_ms, w.end_ms, w.text, w.id) for w in segment.words)
        utterances.append(
            Utterance(segment.speaker, words or spread_words(segment.text, segment.start_ms,
                                                             segment.end_ms))
        )  # fmt: skip
    return utterances


def _rejected_spans(session: Session, recording_id: int) -> dict[str, list[tuple[int, int]]]:
    rows = session.execute(
        select(models.Suggestion.category_key, models.Suggestion.start_ms, models.Suggestion.end_ms)
        .where(models.Suggestion.recording_id == recording_id)
        .where(models.Suggestion.state == "rejected")
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for key, start_ms, end_ms in rows:
        spans.setdefault(key, []).append((start_ms, end_ms))
    return spans


def _overlaps(found: CueSuggestion, spans: Iterable[tuple[int, int]]) -> bool:
    return any(found.start_ms <= end and start <= found.end_ms for start, end in spans)


def _current_rows(session: Session, transcript_id: int) -> list[models.Suggestion]:
    return list(
        session.scalars(
            select(models.Suggestion)
            .where(models.Suggestion.transcript_id == transcript_id)
            .order_by(models.Suggestion.start_ms, models.Suggestion.end_ms, models.Suggestion.id)
        )
    )


@dataclass(frozen=True)
class SuggestionPlan:
    """What matching a transcript found that is not stored yet, worked out without writing:
    the slow part of ``generate_suggestions``, safe to run on a worker thread."""

    recording_id: int
    transcript_id: int
    new: tuple[CueSuggestion, ...]
    stale: int  # pending suggestions left on the recording's older transcripts
    stored: tuple[Suggestion, ...]  # the suggestions already stored on this transcript

    @property
    def changes(self) -> bool:
        return bool(self.new or self.stale)


def plan_suggestions(
    db: Database, lexicon: Lexicon, recording_id: int, transcript: Transcript | None = None
) -> SuggestionPlan:
    """Match the lexicon's cues on the recording's current transcript (or on ``transcript``,
    already read by the caller) and compare with what is stored; reads only.

    Leaves out spans already suggested for a category on this transcript and spans a person
    rejected for a category on this recording.
    """
    require(db.principal, REVIEW)
    with db.begin() as session:
        if transcript is None:
            found_in: models.Transcript | Transcript = _current_transcript(session, recording_id)
        elif transcript.recording_id != recording_id:
            raise DomainError(f"transcript {transcript.id} is not of recording {recording_id}")
        else:
            found_in = transcript
        rejected = _rejected_spans(session, recording_id)
        stored = _current_rows(session, found_in.id)
        stale = session.scalar(
            select(func.count(models.Suggestion.id)).where(
                models.Suggestion.recording_id == recording_id,
                models.Suggestion.transcript_id != found_in.id,
                models.Suggestion.state == "pending",
            )
        )
        records = tuple(_to_record(row) for row in stored)
    existing = {(s.category_key, s.start_ms, s.end_ms) for s in records}
    new = []
    for cue in find_cues(lexicon, _utterances(found_in)):
        key = (cue.category, cue.start_ms, cue.end_ms)
        if key in existing or _overlaps(cue, rejected.get(cue.category, ())):
            continue
        existing.add(key)
        new.append(cue)
    return SuggestionPlan(recording_id, found_in.id, tuple(new), stale or 0, records)


def store_suggestions(
    db: Database, lexicon: Lexicon, plan: SuggestionPlan, *, actor: str
) -> list[Suggestion]:
    """Store what ``plan_suggestions`` found and remove stale pending suggestions; returns
    every suggestion on the plan's transcript, in time order.

    A plan with nothing new touches nothing (re-opening a recording writes nothing). A plan
    for a transcript that is no longer current stores nothing. Spans stored or rejected
    since the plan was made (by a colleague) are not stored twice.
    """
    require(db.principal, REVIEW)
    if not plan.changes:
        return list(plan.stored)
    with db.begin() as session:
        current = session.scalar(
            select(models.Transcript.is_current).where(models.Transcript.id == plan.transcript_id)
        )
        if not current:
            return []
        rejected = _rejected_spans(session, plan.recording_id)
        S = models.Suggestion  # noqa: N806
        spans = select(S.category_key, S.start_ms, S.end_ms)
        existing = set(session.execute(spans.where(S.transcript_id == plan.transcript_id)))
        added = [
            _new_row(plan.recording_id, plan.transcript_id, cue)
            for cue in plan.new
            if (cue.category, cue.start_ms, cue.end_ms) not in existing
            and not _overlaps(cue, rejected.get(cue.category, ()))
        ]
        session.add_all(added)
        stale = session.execute(
            models.Suggestion.__table__.delete().where(
                models.Suggestion.recording_id == plan.recording_id,
                models.Suggestion.transcript_id != plan.transcript_id,
                models.Suggestion.state == "pending",
            )
        )
        session.flush()
        if added or stale.rowcount:
            record_event(session, actor=actor, action="suggest", object_type="recording",
                         object_id=plan.recording_id,
                         details={"transcript": plan.transcript_id, "added": len(added),
                                  "removed_stale": stale.rowcount, "lexicon": lexicon.version,
                                  "lexicon_sha256": lexicon.sha256})  # fmt: skip
        if existing != {(s.category_key, s.start_ms, s.end_ms) for s in plan.stored}:
            # Someone stored or removed suggestions since the plan was made: read them all.
            return [_to_record(row) for row in _current_rows(session, plan.transcript_id)]
        every = list(plan.stored) + [_to_record(row) for row in added]
        return sorted(every, key=lambda s: (s.start_ms, s.end_ms, s.id))


def generate_suggestions(
    db: Database,
    lexicon: Lexicon,
    recording_id: int,
    *,
    actor: str,
    transcript: Transcript | None = None,
) -> list[Suggestion]:
    """Find the lexicon's cues in the recording's current transcript and store new ones.

    Idempotent: a span already suggested for a category on this transcript is not stored
    twice, and a span that a person rejected for a category on this recording (on any of its
    transcripts) is never suggested again. Pending suggestions left on older transcripts are
    removed, since their words are no longer the ones in force. Pass ``transcript`` when it
    has just been read, to spare reading it again. Returns every suggestion on the current
    transcript, in time order.
    """
    require(db.principal, REVIEW)
    plan = plan_suggestions(db, lexicon, recording_id, transcript)
    return store_suggestions(db, lexicon, plan, actor=actor)


def _new_row(recording_id: int, transcript_id: int, cue: CueSuggestion) -> models.Suggestion:
    return models.Suggestion(
        recording_id=recording_id,
        transcript_id=transcript_id,
        category_key=cue.category,
        cue_id=cue.cue_id,
        start_ms=cue.start_ms,
        end_ms=max(cue.end_ms, cue.start_ms),
        first_word_id=cue.first_word_id,
        last_word_id=cue.last_word_id,
        quote=cue.text,
        speaker=cue.speaker,
        precision=cue.precision,
        state="pending",
    )


def list_suggestions(
    db: Database, recording_id: int, *, states: Sequence[str] = STATES
) -> list[Suggestion]:
    """The suggestions on a recording's current transcript in the given states, in time order
    (empty when it has no transcript)."""
    require(db.principal, REVIEW)
    unknown = set(states) - set(STATES)
    if unknown:
        raise DomainError(f"unknown suggestion state(s): {', '.join(sorted(unknown))}")
    with db.begin() as session:
        if session.get(models.Recording, recording_id) is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        rows = session.scalars(
            select(models.Suggestion)
            .join(models.Transcript, models.Transcript.id == models.Suggestion.transcript_id)
            .where(
                models.Suggestion.recording_id == recording_id,
                models.Transcript.is_current.is_(True),
                models.Suggestion.state.in_(list(states)),
            )
            .order_by(models.Suggestion.start_ms, models.Suggestion.end_ms, models.Suggestion.id)
        )
        return [_to_record(row) for row in rows]


def get_suggestion(db: Database, suggestion_id: int) -> Suggestion:
    require(db.principal, REVIEW)
    with db.begin() as session:
        return _to_record(_pending_or_any(session, suggestion_id, pending=False))


def _pending_or_any(session: Session, suggestion_id: int, *, pending: bool) -> models.Suggestion:
    row = session.get(models.Suggestion, suggestion_id)
    if row is None:
        raise NotFoundError(f"no suggestion with id {suggestion_id}")
    if pending and row.state != "pending":
        raise SuggestionDecidedError(f"suggestion {suggestion_id} was already {row.state}")
    return row


def accept_suggestion(
    db: Database,
    suggestion_id: int,
    *,
    codebook_id: int,
    actor: str,
    note: str = "",
    author_id: int | None = None,
) -> tuple[Suggestion, review.Annotation]:
    """Accept a pending suggestion: it becomes a draft annotation (source "cue") with the
    suggestion's span, quote and word ids. Returns the suggestion and the new annotation.

    The annotation is created through ``review.create_annotation`` (its own transaction and
    audit event); if a colleague decided the suggestion in the meantime, that annotation is
    removed again and ``SuggestionDecidedError`` is raised.
    """
    require(db.principal, REVIEW)
    pending = get_suggestion(db, suggestion_id)
    if pending.state != "pending":
        raise SuggestionDecidedError(f"suggestion {suggestion_id} was already {pending.state}")
    annotation = review.create_annotation(
        db,
        recording_id=pending.recording_id,
        codebook_id=codebook_id,
        category_key=pending.category_key,
        start_ms=pending.start_ms,
        end_ms=pending.end_ms,
        actor=actor,
        note=note,
        quote=pending.quote,
        first_word_id=pending.first_word_id,
        last_word_id=pending.last_word_id,
        source="cue",
        author_id=author_id,
    )
    try:
        decided = _decide(db, suggestion_id, "accepted", actor=actor, annotation_id=annotation.id)
    except SuggestionDecidedError:
        review.delete_annotation(db, annotation.id, actor=actor)
        raise
    return decided, annotation


def reject_suggestion(db: Database, suggestion_id: int, *, actor: str) -> Suggestion:
    """Reject a pending suggestion; its span is not suggested again for that category."""
    require(db.principal, REVIEW)
    return _decide(db, suggestion_id, "rejected", actor=actor)


def reopen_suggestion(db: Database, suggestion_id: int, *, actor: str) -> Suggestion:
    """Take a decision back (undo): the suggestion is pending again and no longer linked to
    an annotation. Removing an accepted suggestion's annotation is the caller's part."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        row = _pending_or_any(session, suggestion_id, pending=False)
        if row.state == "pending":
            raise SuggestionDecidedError(f"suggestion {suggestion_id} is not decided")
        row.state, row.annotation_id, row.decided_at = "pending", None, None
        session.flush()
        record_event(session, actor=actor, action="suggestion-reopen", object_type="suggestion",
                     object_id=suggestion_id,
                     details={"recording": row.recording_id, "category": row.category_key,
                              "cue": row.cue_id})  # fmt: skip
        return _to_record(row)


def _decide(db: Database, suggestion_id: int, state: str, *, actor: str,
            annotation_id: int | None = None) -> Suggestion:  # fmt: skip
    with db.begin() as session:
        row = _pending_or_any(session, suggestion_id, pending=True)
        # Guarded on the state, so two people deciding at once cannot both win.
        result = session.execute(
            update(models.Suggestion)
            .where(models.Suggestion.id == suggestion_id, models.Suggestion.state == "pending")
            .values(state=state, annotation_id=annotation_id, decided_at=models.utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise SuggestionDecidedError(f"suggestion {suggestion_id} was already decided")
        session.refresh(row)
        details = {"recording": row.recording_id, "category": row.category_key, "cue": row.cue_id}
        if annotation_id is not None:
            details["annotation"] = annotation_id
        action = "suggestion-accept" if state == "accepted" else "suggestion-reject"
        record_event(session, actor=actor, action=action, object_type="suggestion",
                     object_id=suggestion_id, details=details)  # fmt: skip
        return _to_record(row)


def cue_statistics(db: Database, *, recording_id: int | None = None) -> list[CueStats]:
    """Per cue: how many suggestions were made and how many accepted, rejected or pending,
    counted from the suggestion rows (all recordings, or one)."""

    require(db.principal, REVIEW)

    def count(state: str) -> Any:
        return func.sum(case((models.Suggestion.state == state, 1), else_=0))

    query = select(
        models.Suggestion.cue_id,
        models.Suggestion.category_key,
        func.count(models.Suggestion.id),
        count("accepted"),
        count("rejected"),
        count("pending"),
    ).group_by(models.Suggestion.cue_id, models.Suggestion.category_key)
    if recording_id is not None:
        query = query.where(models.Suggestion.recording_id == recording_id)
    with db.begin() as session:
        order = (models.Suggestion.cue_id, models.Suggestion.category_key)
        rows = session.execute(query.order_by(*order))
        return [CueStats(cue, key, total, int(a or 0), int(r or 0), int(p or 0))
                for cue, key, total, a, r, p in rows]  # fmt: skip
