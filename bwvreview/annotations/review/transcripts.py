"""Transcripts in the library: store a finished run, read the current one, keep corrections.

A transcript is stored in one transaction when transcription has finished, and only then
becomes current, so a cancelled or crashed run never leaves a half transcript in force and
the previous transcript stays current until the new one is complete. Corrections set the
``edited`` flag on the word or segment they touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bwvreview.annotations.access import REVIEW, readable_recording, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.review.library import note_progress
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.rows import record_from_row

LOW_CONFIDENCE = 0.5  # word probability below which the window marks a word for checking
SPEAKER_ROLES = ("wearer", "other")


@dataclass(frozen=True)
class Word:
    id: int
    start_ms: int
    end_ms: int
    text: str
    probability: float
    edited: bool

    @property
    def low_confidence(self) -> bool:
        return self.probability < LOW_CONFIDENCE


@dataclass(frozen=True)
class Segment:
    id: int
    start_ms: int
    end_ms: int
    text: str
    speaker: str
    edited: bool
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Transcript:
    id: int
    recording_id: int
    model: str
    device: str
    compute_type: str
    language: str
    speaker_confidence: float | None
    segments: tuple[Segment, ...]

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def low_confidence_share(self) -> float:
        """The share of words below ``LOW_CONFIDENCE`` (0 for an empty transcript)."""
        words = self.words
        return sum(w.low_confidence for w in words) / len(words) if words else 0.0


@dataclass(frozen=True)
class NewWord:
    start_ms: int
    end_ms: int
    text: str
    probability: float


@dataclass(frozen=True)
class NewSegment:
    start_ms: int
    end_ms: int
    text: str
    speaker: str
    words: tuple[NewWord, ...]


def _to_record(row: models.Transcript) -> Transcript:
    return record_from_row(
        Transcript,
        row,
        segments=tuple(
            record_from_row(
                Segment,
                s,
                words=tuple(
                    Word(w.id, w.start_ms, w.end_ms, w.text, w.probability, w.edited)
                    for w in s.words
                ),
            )
            for s in row.segments
        ),
    )


def store_transcript(
    db: Database,
    recording_id: int,
    segments: Sequence[NewSegment],
    *,
    model: str,
    device: str,
    compute_type: str,
    language: str,
    speaker_confidence: float | None,
    actor: str,
) -> Transcript:
    """Store a finished transcription and make it the recording's current transcript."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        note_progress(session, recording, "transcribed", actor)
        session.execute(
            update(models.Transcript)
            .where(models.Transcript.recording_id == recording_id)
            .values(is_current=False)
        )
        row = models.Transcript(
            recording_id=recording_id,
            model=model,
            device=device,
            compute_type=compute_type,
            language=language,
            state="complete",
            is_current=True,
            speaker_confidence=speaker_confidence,
        )
        row.segments = [
            models.Segment(
                start_ms=s.start_ms,
                end_ms=max(s.end_ms, s.start_ms),
                text=s.text,
                speaker=s.speaker,
                words=[
                    models.Word(
                        start_ms=w.start_ms,
                        end_ms=max(w.end_ms, w.start_ms),
                        text=w.text,
                        probability=w.probability,
                    )
                    for w in s.words
                ],
            )
            for s in segments
        ]
        session.add(row)
        session.flush()
        record_event(
            session,
            actor=actor,
            action="transcribe",
            object_type="recording",
            object_id=recording_id,
            details={"transcript": row.id, "model": model, "segments": len(segments)},
        )
        return _to_record(row)


def _read(session: Session, transcript_id: int) -> Transcript:
    """The transcript as a record, read as plain rows: an hour of speech is thousands of
    words, and mapped objects for each would take several times as long to build (and
    leave that much more for the garbage collector, which stalls every thread)."""
    head = session.execute(
        select(models.Transcript.recording_id, models.Transcript.model, models.Transcript.device,
               models.Transcript.compute_type, models.Transcript.language,
               models.Transcript.speaker_confidence)
        .where(models.Transcript.id == transcript_id)
    ).one_or_none()  # fmt: skip
    if head is None:
        raise NotFoundError(f"no transcript with id {transcript_id}")
    S, W = models.Segment, models.Word  # noqa: N806
    words: dict[int, list[Word]] = {}
    for segment_id, *fields in session.execute(
        select(W.segment_id, W.id, W.start_ms, W.end_ms, W.text, W.probability, W.edited)
        .join(S, S.id == W.segment_id)
        .where(S.transcript_id == transcript_id)
        .order_by(W.segment_id, W.start_ms, W.id)
    ):
        words.setdefault(segment_id, []).append(Word(*fields))
    segments = tuple(
        Segment(id_, start_ms, end_ms, text, speaker, edited, tuple(words.get(id_, ())))
        for id_, start_ms, end_ms, text, speaker, edited in session.execute(
            select(S.id, S.start_ms, S.end_ms, S.text, S.speaker, S.edited)
            .where(S.transcript_id == transcript_id)
            .order_by(S.start_ms, S.id)
        )
    )
    return Transcript(transcript_id, *head, segments=segments)


def current_transcript(db: Database, recording_id: int) -> Transcript | None:
    """The recording's current transcript, or None if it has not been transcribed."""
    with db.begin() as session:
        readable_recording(session, db.principal, recording_id)
        transcript_id = session.scalar(
            select(models.Transcript.id).where(
                models.Transcript.recording_id == recording_id,
                models.Transcript.is_current.is_(True),
            )
        )
        return _read(session, transcript_id) if transcript_id else None


def get_transcript(db: Database, transcript_id: int) -> Transcript:
    with db.begin() as session:
        row = session.get(models.Transcript, transcript_id)
        if row is None:
            raise NotFoundError(f"no transcript with id {transcript_id}")
        readable_recording(session, db.principal, row.recording_id)
        return _read(session, transcript_id)


def _segment_text(words: Sequence[models.Word]) -> str:
    """Whisper's words carry their own leading space, so they join back exactly."""
    return "".join(w.text for w in words).strip()


def correct_word(db: Database, word_id: int, text: str) -> Word:
    """Replace a word's text (keeping its times) and flag it and its segment as edited."""
    require(db.principal, REVIEW)
    if not text.strip():
        raise DomainError("a corrected word cannot be empty; merge or delete the segment instead")
    with db.begin() as session:
        word = session.get(models.Word, word_id)
        if word is None:
            raise NotFoundError(f"no word with id {word_id}")
        leading = " " if word.text.startswith(" ") else ""
        word.text = leading + text.strip()
        word.edited = True
        segment = word.segment
        segment.text = _segment_text(segment.words)
        segment.edited = True
        session.flush()
        return Word(word.id, word.start_ms, word.end_ms, word.text, word.probability, True)


def set_speaker(db: Database, segment_id: int, speaker: str) -> None:
    """Set a segment's speaker: ``wearer``, ``other`` or a person's name."""
    require(db.principal, REVIEW)
    speaker = speaker.strip()
    if not speaker:
        raise DomainError("a speaker needs a name or role")
    with db.begin() as session:
        segment = session.get(models.Segment, segment_id)
        if segment is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        segment.speaker = speaker
        segment.edited = True


def toggle_wearer(db: Database, segment_id: int) -> str:
    """The one-keystroke correction: wearer becomes other, anything else becomes wearer."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        segment = session.get(models.Segment, segment_id)
        if segment is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        segment.speaker = "other" if segment.speaker == "wearer" else "wearer"
        segment.edited = True
        return segment.speaker


def split_segment(db: Database, segment_id: int, first_word_of_second: int) -> tuple[int, int]:
    """Split a segment before the given word; both halves keep the speaker and word times."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        segment = session.get(models.Segment, segment_id)
        if segment is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        words = list(segment.words)
        cut = next((i for i, w in enumerate(words) if w.id == first_word_of_second), None)
        if cut is None or cut == 0:
            raise DomainError("split at a word inside the segment, after its first word")
        second = models.Segment(
            transcript_id=segment.transcript_id,
            start_ms=words[cut].start_ms,
            end_ms=segment.end_ms,
            text=_segment_text(words[cut:]),
            speaker=segment.speaker,
            edited=True,
        )
        session.add(second)
        for word in words[cut:]:
            word.segment = second
        segment.end_ms = words[cut - 1].end_ms
        segment.text = _segment_text(words[:cut])
        segment.edited = True
        session.flush()
        return segment.id, second.id


def merge_segments(db: Database, first_id: int, second_id: int) -> int:
    """Merge two neighbouring segments of one transcript into the first."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        first = session.get(models.Segment, first_id)
        second = session.get(models.Segment, second_id)
        if first is None or second is None:
            raise NotFoundError("no such segment")
        if first.transcript_id != second.transcript_id:
            raise DomainError("only segments of the same transcript can be merged")
        if second.start_ms < first.start_ms:
            first, second = second, first
        for word in list(second.words):
            word.segment = first
        first.end_ms = max(first.end_ms, second.end_ms)
        session.delete(second)
        words = sorted(first.words, key=lambda w: w.start_ms)
        first.text = _segment_text(words) if words else f"{first.text} {second.text}".strip()
        first.edited = True
        return first.id


def segment_of_word(db: Database, word_id: int) -> int:
    """The id of the segment a word is in now (splits and merges move words, never change
    their ids, so undo finds its segments through their words)."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        word = session.get(models.Word, word_id)
        if word is None:
            raise NotFoundError(f"no word with id {word_id}")
        return word.segment_id


@dataclass(frozen=True)
class SegmentState:
    """A segment's own times, speaker and edited flag, to put back on undo."""

    start_ms: int
    end_ms: int
    speaker: str
    edited: bool


def segment_state(db: Database, segment_id: int) -> SegmentState:
    require(db.principal, REVIEW)
    with db.begin() as session:
        segment = session.get(models.Segment, segment_id)
        if segment is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        return SegmentState(segment.start_ms, segment.end_ms, segment.speaker, segment.edited)


def restore_segment(db: Database, segment_id: int, state: SegmentState) -> None:
    """Put a segment's times, speaker and edited flag back as they were before a split or
    merge (whose undo moves the words back but derives the times from them)."""
    require(db.principal, REVIEW)
    with db.begin() as session:
        segment = session.get(models.Segment, segment_id)
        if segment is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        segment.start_ms, segment.end_ms = state.start_ms, max(state.end_ms, state.start_ms)
        segment.speaker, segment.edited = state.speaker, state.edited
