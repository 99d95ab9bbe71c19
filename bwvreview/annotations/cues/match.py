"""Finding the lexicon's phrases in what was said: utterances prepared for matching, and hits.

A hit is one cue's pattern found in one utterance, by a speaker the cue applies to, and not
blocked by what comes just before it in the same sentence (reported speech, negation, a
quotation) or just after it. Hits carry word indices and times; the context rules
(``cue_rules``) and the suggestion list (``cues``) are built from them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bwvreview.annotations.cues.lexicon import Cue, Lexicon
from bwvreview.annotations.cues.patterns import Pattern
from bwvreview.annotations.cues.text import NormalText, normalise

CONTEXT_TOKENS = 8  # how far blockers look before (and after) a match, within the sentence


@dataclass(frozen=True)
class SpokenWord:
    start_ms: int
    end_ms: int
    text: str
    id: int | None = None


@dataclass(frozen=True)
class Utterance:
    """What one speaker said in one stretch: ``wearer``, ``other`` or a person's name."""

    speaker: str
    words: tuple[SpokenWord, ...]


@dataclass(frozen=True)
class Prepared:
    """An utterance with its normalised text and where its clauses begin and end."""

    index: int
    utterance: Utterance
    text: NormalText
    clause_starts: frozenset[int]
    clause_ends: frozenset[int]

    @property
    def speaker(self) -> str:
        return self.utterance.speaker

    def word_span(self, first_token: int, end_token: int) -> tuple[int, int]:
        """First and last word index of a token span."""
        return self.text.word_of[first_token], self.text.word_of[end_token - 1]

    def ms(self, first_word: int, last_word: int) -> tuple[int, int]:
        words = self.utterance.words
        return words[first_word].start_ms, max(words[last_word].end_ms, words[first_word].start_ms)

    def sentence_bounds(self, token: int) -> tuple[int, int]:
        """Token range of the sentence holding ``token``."""
        starts = self.text.sentence_start
        first = token
        while first > 0 and not starts[first]:
            first -= 1
        end = token + 1
        while end < len(starts) and not starts[end]:
            end += 1
        return first, end

    def spans(self, pattern: Pattern) -> list[tuple[int, int]]:
        return pattern.spans(self.text, self.clause_starts, self.clause_ends)


@dataclass(frozen=True)
class Hit:
    category: str
    cue_id: str
    tags: frozenset[str]
    suggest: bool
    precision: str
    utterance: int
    speaker: str
    first_word: int
    last_word: int
    start_ms: int
    end_ms: int


def officer_speaking(speaker: str, titles: frozenset[str]) -> bool:
    """The wearer, or someone named with a police title ("PC Hughes", "Sgt Patel")."""
    if speaker == "wearer":
        return True
    first = speaker.strip().lower().replace(".", "").split(" ", 1)[0]
    return first in titles


def speaker_fits(condition: str, speaker: str, titles: frozenset[str]) -> bool:
    if condition == "any":
        return True
    if condition == "wearer":
        return speaker == "wearer"
    officer = officer_speaking(speaker, titles)
    return officer if condition == "officer" else not officer


def _clause_starts(text: NormalText, lead_ins: Sequence[Pattern]) -> frozenset[int]:
    starts = {i for i, brk in enumerate(text.break_before) if brk}
    for position in sorted(starts):  # lead-ins chain: "okay, right, mate, sit down"
        frontier = [position]
        while frontier:
            at = frontier.pop()
            for pattern in lead_ins:
                end = pattern.match_at(text, at, ()) if at < len(text.tokens) else None
                if end is not None and end not in starts and end < len(text.tokens):
                    starts.add(end)
                    frontier.append(end)
    return frozenset(starts)


def prepare(lexicon: Lexicon, utterances: Sequence[Utterance]) -> list[Prepared]:
    prepared = []
    for index, utterance in enumerate(utterances):
        text = normalise([w.text for w in utterance.words], lexicon.clause_words)
        ends = {i for i, brk in enumerate(text.break_before) if brk and i > 0}
        ends.add(len(text.tokens))
        prepared.append(
            Prepared(
                index, utterance, text, _clause_starts(text, lexicon.lead_ins), frozenset(ends)
            )
        )
    return prepared


def _context(prep: Prepared, first: int, end: int) -> tuple[str, str]:
    """The words just before and just after a match, within its sentence."""
    sentence_first, _ = prep.sentence_bounds(first)
    _, sentence_end = prep.sentence_bounds(end - 1)
    tokens = prep.text.tokens
    before = tokens[max(sentence_first, first - CONTEXT_TOKENS) : first]
    after = tokens[end : min(sentence_end, end + CONTEXT_TOKENS)]
    return " ".join(before), " ".join(after)


def _blocked(cue: Cue, prep: Prepared, first: int, end: int) -> bool:
    if not (cue.not_after or cue.not_before):
        return False
    before, after = _context(prep, first, end)
    return any(p.ends_text(before) for p in cue.not_after if before) or any(
        p.starts_text(after) for p in cue.not_before if after
    )


def cue_hits(cue: Cue, prep: Prepared) -> Iterator[Hit]:
    """Every unblocked match of one cue in one utterance (overlaps within the cue removed)."""
    taken: list[tuple[int, int]] = []
    for pattern in cue.patterns:
        for first, end in prep.spans(pattern):
            if any(first < e and s < end for s, e in taken) or _blocked(cue, prep, first, end):
                continue
            taken.append((first, end))
            first_word, last_word = prep.word_span(first, end)
            start_ms, end_ms = prep.ms(first_word, last_word)
            yield Hit(cue.category, cue.id, cue.tags, cue.suggest, cue.precision, prep.index,
                      prep.speaker, first_word, last_word, start_ms, end_ms)  # fmt: skip


def find_hits(lexicon: Lexicon, prepared: Sequence[Prepared]) -> list[Hit]:
    """All hits of every cue whose speaker condition fits, in time order."""
    hits = [
        hit
        for prep in prepared
        if prep.text.tokens
        for cue in lexicon.cues
        if speaker_fits(cue.speaker, prep.speaker, lexicon.officer_titles)
        for hit in cue_hits(cue, prep)
    ]
    return sorted(hits, key=lambda h: (h.start_ms, h.utterance, h.first_word))
