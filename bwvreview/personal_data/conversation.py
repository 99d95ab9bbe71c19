"""The one detector that redaction and verification both run: personal data in words heard
in a span, read with the conversation around them.

A detail is often given where nothing in its own words says what it is: the answer to a
question asked just before the span starts ("Date of birth?" ... "Third June, ninety
one"), a first name repeated by the officer after the full name was given a minute
earlier ("Thanks, Sarah."). So the words are analysed together with ``SpeechContext``: the
words said just before them (``before``; hits are kept only where they touch the span's own
words) and the incident's people, places and numbers (``items``: the reviewer's list and
what was found anywhere in the incident's transcript), matched wherever they are heard.

The export runs ``find_in_conversation`` over the stored transcript of the span and bleeps
every hit; verification runs it over its own re-transcription of the clip, window by
window, with the same context. After the hits are chosen, the detector looks again at the
words that would stay audible (``AUDIBLE_PASSES``): taking some words out can leave others
that still say something (a number whose middle was bleeped), and that is what a listener
to the clip would hear.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bwvreview.personal_data.finder import (
    DEFAULT_MIN_SCORE,
    audio_spans,
    find_personal_data,
    without_contained,
)
from bwvreview.personal_data.listed import LIST_ITEM, number_runs
from bwvreview.personal_data.words import PersonalDataHit, TimedWord, hit_over, layout_of

CONTEXT_BEFORE_MS = 45_000  # the question just asked, and what was said before it
AUDIBLE_PASSES = 3
# Whisper's word times can be far out (a year said over 1.4 s was given 0 ms), and the
# pause it leaves beside a detail is where the rest of the detail was said: a bleep runs on
# into the silence either side of a hit, up to these lengths.
PAUSE_BEFORE_MS = 1_500
PAUSE_AFTER_MS = 500
# Kinds of hit whose words are bleeped wherever they are said again in the incident.
ITEM_KINDS = frozenset({
    "name", "place", "address", "postcode", "phone", "email", "vehicle_registration",
    "collar_number",
})  # fmt: skip


@dataclass(frozen=True)
class SpeechContext:
    """What a listener to a span already knows: the words said just before it, and the
    incident's people, places and numbers."""

    before: tuple[TimedWord, ...] = ()
    items: tuple[str, ...] = ()  # the reviewer's list: hits are list items
    # (text, kind) found elsewhere in the incident: hits keep the kind found ("phone")
    found: tuple[tuple[str, str], ...] = ()

    @property
    def everything(self) -> tuple[str, ...]:
        """Every item bleeped wherever it is heard, listed or found."""
        return tuple(dict.fromkeys([*self.items, *(text for text, _ in self.found)]))


def words_before(words: Iterable[TimedWord], start_ms: int, within_ms: int = CONTEXT_BEFORE_MS):
    """The words that end by ``start_ms`` and start within ``within_ms`` before it."""
    return tuple(w for w in words if w.end_ms <= start_ms and w.start_ms >= start_ms - within_ms)


def find_in_conversation(
    words: Sequence[TimedWord],
    context: SpeechContext = SpeechContext(),
    *,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[PersonalDataHit]:
    """Every stretch of ``words`` that may identify someone, read in ``context``.

    Hits index into ``words``. After the first look, the words that would stay audible are
    looked at again (up to ``AUDIBLE_PASSES`` times) and what they still give away is
    added.
    """
    if not words:
        return []
    hits = _in_context(words, context, min_score)
    for _ in range(AUDIBLE_PASSES):
        hidden = {i for h in hits for i in range(h.first_word, h.last_word + 1)}
        audible = [i for i in range(len(words)) if i not in hidden]
        if not hidden or not audible:
            break
        layout = layout_of(words)
        more = [
            hit_over(words, layout, (audible[h.first_word], audible[h.last_word]), h.kind,
                     h.score, h.source)
            for h in _in_context([words[i] for i in audible], context, min_score)
        ]  # fmt: skip
        new = [h for h in more if not hidden.issuperset(range(h.first_word, h.last_word + 1))]
        if not new:
            break
        hits = without_contained([*hits, *new])
    return hits


def _in_context(
    words: Sequence[TimedWord], context: SpeechContext, min_score: float
) -> list[PersonalDataHit]:
    """The finder over the context's words and ``words`` together; hits on ``words`` only."""
    before = list(context.before)
    found = find_personal_data([*before, *words], context.everything, min_score=min_score)
    kinds = {f"list:{text}": kind for text, kind in context.found}
    kinds.update({f"list:{text}": LIST_ITEM for text in context.items})
    layout = layout_of(words)
    shift = len(before)
    return [
        hit_over(words, layout, (max(h.first_word, shift) - shift, h.last_word - shift),
                 kinds.get(h.source, h.kind), h.score, h.source)
        for h in found
        if h.last_word >= shift
    ]  # fmt: skip


def into_pauses(hits: Iterable[PersonalDataHit], words: Sequence[TimedWord]):
    """The hits with their times run on into the silence either side (``PAUSE_*_MS``)."""
    widened = []
    for hit in hits:
        before = words[hit.first_word - 1].end_ms if hit.first_word > 0 else 0
        after = words[hit.last_word + 1].start_ms if hit.last_word + 1 < len(words) else None
        start = max(min(before, hit.start_ms), hit.start_ms - PAUSE_BEFORE_MS)
        end = hit.end_ms + PAUSE_AFTER_MS
        if after is not None:
            end = max(hit.end_ms, min(end, after))
        widened.append(dataclasses.replace(hit, start_ms=start, end_ms=end))
    return widened


def bleep_spans(
    hits: Iterable[PersonalDataHit],
    words: Sequence[TimedWord],
    duration_ms: int | None = None,
) -> list[tuple[int, int]]:
    """The (start_ms, end_ms) spans to bleep for hits on ``words``: into the pauses either
    side, widened by ``audio_spans``' margin, merged."""
    return audio_spans(into_pauses(hits, words), duration_ms=duration_ms)


def found_items(hits: Iterable[PersonalDataHit]) -> list[tuple[str, str]]:
    """(text, kind) of each name, place or number among ``hits``, once each, in order: what
    is bleeped wherever it is said again, and offered to the reviewer for the incident's
    list."""
    found: dict[str, tuple[str, str]] = {}
    for hit in hits:
        if hit.kind not in ITEM_KINDS:
            continue
        text = _CLEAN_ENDS.sub("", " ".join(hit.text.split()))
        text = _POSSESSIVE.sub("", text)  # "Sarah's" is listed as Sarah
        if hit.kind == "phone":  # "077, 000. Yes. 9 down below, 456" is listed as 077000 9 456
            text = " ".join(digits for digits, _, _ in number_runs(text)) or text
        key = text.lower()
        if sum(c.isalnum() for c in text) >= 2 and key not in found:
            found[key] = (text, hit.kind)
    return list(found.values())


_CLEAN_ENDS = re.compile(r"^[\W_]+|[\W_]+$")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
