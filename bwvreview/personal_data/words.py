"""Transcript words and the hits tied to them: the joined text of a run of words and where
each word sits in it, so a detection in the text comes back as words with their times."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TimedWord:
    """One transcript word as the caller has it."""

    text: str  # as Whisper gives it: may have a leading space and punctuation
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class PersonalDataHit:
    """One stretch of the transcript that may identify someone."""

    kind: str  # "name", "address", "phone", ..., or "list_item" for the incident's list
    text: str  # the words as transcribed
    first_word: int  # index into the words (inclusive)
    last_word: int  # inclusive
    start_ms: int
    end_ms: int
    score: float
    source: str  # "presidio:<recogniser>", "uk:<recogniser>" or "list:<the list entry>"


# In words given without their spacing, a piece starting with one of these continues the
# previous word (Whisper's "D" ".C." and "0" "-7").
_GLUED = tuple(".,;:!?-%)'\u2019")


@dataclass(frozen=True)
class Layout:
    """The words joined into one text, with each word's [start, end) in it (no spaces)."""

    text: str
    starts: list[int]
    ends: list[int]

    def word_range(self, start: int, end: int) -> tuple[int, int] | None:
        """The first and last word overlapping text[start:end], or None."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end) - 1
        while first <= last and self.starts[first] == self.ends[first]:
            first += 1
        while last >= first and self.starts[last] == self.ends[last]:
            last -= 1
        return (first, last) if first <= last else None


def layout_of(words: Sequence[TimedWord]) -> Layout:
    """Join words as Whisper spaced them, or with single spaces if their spacing was lost."""
    as_given = any(w.text[:1].isspace() for w in words)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for index, word in enumerate(words):
        piece = word.text if as_given else word.text.strip()
        if not as_given and index and piece and not piece.startswith(_GLUED):
            piece = " " + piece
        body = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        starts.append(at + lead if body else at + len(piece))
        ends.append(starts[-1] + len(body))
        parts.append(piece)
        at += len(piece)
    return Layout("".join(parts), starts, ends)


def hit_over(
    words: Sequence[TimedWord],
    layout: Layout,
    span: tuple[int, int],
    kind: str,
    score: float,
    source: str,
) -> PersonalDataHit:
    """A hit over words ``span`` (first, last), with their text and times."""
    first, last = span
    chosen = words[first : last + 1]
    return PersonalDataHit(
        kind=kind,
        text=layout.text[layout.starts[first] : layout.ends[last]],
        first_word=first,
        last_word=last,
        start_ms=min(w.start_ms for w in chosen),
        end_ms=max(w.end_ms for w in chosen),
        score=round(float(score), 3),
        source=source,
    )
