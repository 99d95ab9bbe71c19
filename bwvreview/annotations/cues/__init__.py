"""Trauma-informed phrase cues: suggestions from a transcript, for a person to confirm.

``find_cues`` reads what was said (utterances of timed words), finds the phrases of the cue
lexicon (``resources/cues.yaml``) in it, drops what was recited or not addressed to the
person (caution, search script, radio), applies the context rules (a directive with no option
offered, an action with no reason given) and returns suggestions anchored to word times and
ids. A suggestion is a prompt to look, worded for learning; it is never a verdict, and
nothing here scores or ranks anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bwvreview.annotations.cues.lexicon import Lexicon
from bwvreview.annotations.cues.match import (
    Hit,
    Prepared,
    SpokenWord,
    Utterance,
    find_hits,
    prepare,
)
from bwvreview.annotations.cues.rules import apply_rules, find_zones, outside_zones
from bwvreview.annotations.review.transcripts import Transcript

__all__ = ["CueSuggestion", "SpokenWord", "Utterance", "find_cues", "utterances_from_transcript"]


@dataclass(frozen=True)
class CueSuggestion:
    """One suggested moment: which category, which cue found it, and the words it rests on."""

    category: str
    polarity: str
    prompt: str
    priority: bool
    cue_id: str
    precision: str
    speaker: str
    utterance: int
    start_ms: int
    end_ms: int
    first_word_id: int | None
    last_word_id: int | None
    text: str


def utterances_from_transcript(transcript: Transcript) -> list[Utterance]:
    """A stored transcript's segments as utterances (word ids kept)."""
    utterances = []
    for segment in transcript.segments:
        words = tuple(SpokenWord(w.start_ms, w.end_ms, w.text, w.id) for w in segment.words)
        if not words:
            words = spread_words(segment.text, segment.start_ms, segment.end_ms)
        utterances.append(Utterance(segment.speaker, words))
    return utterances


def spread_words(text: str, start_ms: int, end_ms: int) -> tuple[SpokenWord, ...]:
    """Words of a text without word times, spread evenly over ``start_ms``–``end_ms``."""
    raw = text.split()
    if not raw:
        return ()
    step = max(end_ms - start_ms, 0) / len(raw)
    return tuple(
        SpokenWord(round(start_ms + i * step), round(start_ms + (i + 1) * step), word)
        for i, word in enumerate(raw)
    )


ATTACHED = frozenset(".,?!;:%'’")  # a word starting with one of these follows without a space


def quote(words: Sequence[SpokenWord]) -> str:
    """The words as said. Whisper's words carry their own leading space (" D", ".C."), so they
    join back exactly; words stripped of it (a JSON file, split text) are joined with a
    space unless they start with punctuation."""
    if any(w.text[:1].isspace() for w in words):
        return "".join(w.text for w in words).strip()
    joined = ""
    for word in (w.text.strip() for w in words):
        attach = not joined or word[:1] in ATTACHED
        joined += word if attach else f" {word}"
    return joined


def _merge(hits: Iterable[Hit], gap_ms: int) -> list[Hit]:
    """One suggestion per category for a run of nearby hits in the same utterance."""
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.category, h.utterance, h.start_ms, h.first_word)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.category, last.utterance) == (hit.category, hit.utterance)
            and hit.start_ms - last.end_ms <= gap_ms
        ):
            merged[-1] = Hit(
                last.category, last.cue_id, last.tags, True,
                "high" if "high" in (last.precision, hit.precision) else "low",
                last.utterance, last.speaker, last.first_word,
                max(last.last_word, hit.last_word), last.start_ms,
                max(last.end_ms, hit.end_ms),
            )  # fmt: skip
        else:
            merged.append(hit)
    return merged


def _suggestion(lexicon: Lexicon, prepared: Sequence[Prepared], hit: Hit) -> CueSuggestion:
    category = lexicon.category(hit.category)
    words = prepared[hit.utterance].utterance.words[hit.first_word : hit.last_word + 1]
    return CueSuggestion(
        category=hit.category,
        polarity=category.polarity,
        prompt=category.prompt,
        priority=category.priority,
        cue_id=hit.cue_id,
        precision=hit.precision,
        speaker=hit.speaker,
        utterance=hit.utterance,
        start_ms=hit.start_ms,
        end_ms=hit.end_ms,
        first_word_id=words[0].id,
        last_word_id=words[-1].id,
        text=quote(words),
    )


def find_cues(lexicon: Lexicon, utterances: Sequence[Utterance]) -> list[CueSuggestion]:
    """Suggestions for the utterances, in time order (see the module docstring)."""
    prepared = prepare(lexicon, utterances)
    zones = find_zones(lexicon, prepared)
    hits = outside_zones(find_hits(lexicon, prepared), zones)
    suggested = [h for h in hits if h.suggest] + apply_rules(lexicon, hits, zones)
    merged = _merge(suggested, lexicon.merge_gap_ms)
    suggestions = [_suggestion(lexicon, prepared, hit) for hit in merged]
    return sorted(suggestions, key=lambda s: (s.start_ms, s.end_ms, s.category))
