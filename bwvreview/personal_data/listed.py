"""The incident's people and places heard again: each entry matched in transcript words
through what speech recognition does to names (case, punctuation, possessives, plurals,
misheard letters, words run together or split), and a multi-word entry's distinctive parts
on their own."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bwvreview.personal_data.uk_recognisers.spoken import read_chain, read_number, tokens_of
from bwvreview.personal_data.words import (
    Layout,
    PersonalDataHit,
    TimedWord,
    hit_over,
    layout_of,
)

LIST_ITEM = "list_item"

# A heard word this common is never taken as a mis-hearing of a list entry ("more" is not
# "Moore", "here" is not "Hera"); an exact match still counts.
_COMMON_WORDS = frozenset({
    "a", "about", "after", "again", "all", "alright", "an", "and", "any", "are", "arm", "around",
    "as", "at", "away", "baby", "back", "be", "because", "been", "being", "but", "by", "call",
    "called", "came", "can", "car", "child", "come", "could", "day", "did", "do", "does", "doing",
    "done", "door", "down", "every", "feel", "for", "from", "gave", "get", "give", "going", "gone",
    "good", "had", "has", "have", "he", "her", "here", "him", "his", "hold", "home", "house",
    "how", "hurt", "i", "if", "in", "is", "it", "its", "just", "know", "last", "left", "let",
    "like", "live", "lives", "long", "look", "love", "made", "make", "man", "many", "may", "me",
    "mean", "might", "more", "much", "must", "my", "name", "near", "need", "never", "new", "next",
    "night", "no", "not", "nothing", "now", "of", "off", "okay", "old", "on", "one", "only", "or",
    "other", "our", "out", "over", "phone", "please", "police", "put", "really", "right", "said",
    "same", "saw", "say", "says", "see", "she", "should", "sister", "so", "some", "someone",
    "something", "sorry", "still", "such", "sure", "take", "talk", "tell", "than", "thanks",
    "that", "the", "their", "them", "then", "there", "these", "they", "thing", "think", "this",
    "those", "three", "time", "to", "today", "told", "tomorrow", "too", "two", "under", "up", "us",
    "use", "very", "want", "was", "way", "we", "well", "went", "were", "what", "when", "where",
    "which", "while", "who", "why", "will", "with", "would", "yeah", "yes", "you", "your",
})  # fmt: skip
# Parts of an entry that say what kind of thing it is, not which one: "Maple Road" is
# matched as a whole, never "Road" alone.
_GENERIC_PARTS = frozenset({
    "road", "rd", "street", "st", "avenue", "ave", "lane", "close", "court", "drive", "way",
    "crescent", "place", "gardens", "terrace", "grove", "hill", "park", "square", "walk", "rise",
    "mews", "row", "view", "parade", "green", "estate", "house", "flat", "mr", "mrs", "ms", "miss",
    "mx", "dr", "pc", "dc", "sir", "madam", "lord", "lady", "dame", "prof", "sgt",
    "sergeant", "constable", "inspector", "officer", "detective",
    "the", "and", "of",
})  # fmt: skip
_FULL_SCORE = 1.0
_PART_SCORE = 0.8
_PER_EDIT = 0.1


@functools.cache
def _everyday() -> frozenset[str]:
    """Never a part matched alone, nor a sound-alike: everyday words and spaCy's stop words
    (spaCy is imported here, when words are first matched: it takes half a second)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return _COMMON_WORDS | frozenset(STOP_WORDS)


def _normalised(text: str) -> str:
    """Lower case, accents and punctuation gone, apostrophes kept for the possessive."""
    plain = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return re.sub(
        r"[^a-z0-9']", "", "".join(c for c in plain if not unicodedata.combining(c)).lower()
    )


def _forms(word: str) -> set[str]:
    """The ways a heard word may stand for a name: as is, without 's, -es or -s."""
    bare = word.replace("'", "")
    forms = {bare}
    if word.endswith("'s"):
        forms.add(word[:-2].replace("'", ""))
    if bare.endswith("es") and len(bare) > 5:
        forms.add(bare[:-2])
    if bare.endswith("s") and len(bare) > 4:
        forms.add(bare[:-1])
    return forms


def _allowed_edits(length: int) -> int:
    """How many letters may be misheard in an entry this long (none in short ones)."""
    return 0 if length <= 4 else 1 if length <= 7 else 2 if length <= 11 else 3


def _edit_distance(a: str, b: str, limit: int) -> int | None:
    """Levenshtein distance between ``a`` and ``b`` if it is at most ``limit``, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


@dataclass(frozen=True)
class _Match:
    first: int  # word indices, inclusive
    last: int
    edits: int


def heard_items(words: Sequence[TimedWord], items: Sequence[str]) -> list[PersonalDataHit]:
    """Where each of ``items`` (people and places named by the reviewer) is heard in ``words``.

    Matching forgives what speech recognition does to names: case and punctuation, a
    possessive or plural ("Sarah's", "Hugheses"), a few misheard letters ("Whitfeld",
    "Witfield": one edit in five to seven letters, two in eight to eleven, three beyond;
    none in four letters or fewer) and words run together or split ("Maple-Road"). A
    multi-word entry is matched as a sequence, and each distinctive part of it (four letters
    or more, not "Road" or "Mr") on its own too, since a surname alone still identifies.
    A three-letter part ("Tom") counts only heard exactly, and a part that is an everyday
    word ("Will", "Rose") is never matched alone. A name of five letters or more is also
    heard by its sound ("Kathryn" for "Catherine", "Meghan" for "Megan": ``_sound``), as
    one more edit than its length allows. A number in an entry (a phone number) is heard
    however it is said ("oh seven seven double oh..."): ``_number_matches``. A common word
    ("more") is never a fuzzy match. Hits have kind ``list_item``, score 1.0 less 0.1 per
    edit (0.8 for a part) and source ``list:<entry>``.
    """
    heard = [_normalised(w.text) for w in words]
    content = [i for i, form in enumerate(heard) if form.replace("'", "")]
    if not content:  # no word has a letter or digit: nothing to match
        return []
    layout = layout_of(words)
    hits = []
    for item in items:
        parts = [
            p for p in (_normalised(w).replace("'", "") for w in re.split(r"[\s\-.,/]+", item)) if p
        ]
        if not parts or len("".join(parts)) < 2:
            continue
        found = _whole_matches(heard, content, parts)
        claimed = {i for m in found for i in range(m.first, m.last + 1)}
        for match in found:
            score = _FULL_SCORE - _PER_EDIT * match.edits
            hits.append(
                hit_over(words, layout, (match.first, match.last), LIST_ITEM, score, f"list:{item}")
            )
        if len(parts) > 1:
            for match in _part_matches(heard, content, parts, claimed):
                score = _PART_SCORE - _PER_EDIT * match.edits
                span = (match.first, match.last)
                hits.append(hit_over(words, layout, span, LIST_ITEM, score, f"list:{item}"))
                claimed.update(range(match.first, match.last + 1))
        for span in _number_matches(layout, item):
            if not claimed.issuperset(range(span[0], span[1] + 1)):
                hits.append(hit_over(words, layout, span, LIST_ITEM, _PART_SCORE, f"list:{item}"))
    return sorted(hits, key=lambda h: (h.first_word, h.last_word, h.source))


def _whole_matches(heard: list[str], content: list[int], parts: list[str]) -> list[_Match]:
    """Non-overlapping runs of heard words that spell the whole entry, best first."""
    target = "".join(parts)
    limit = _allowed_edits(len(target))
    candidates = []
    for at in range(len(content)):
        for size in {max(1, len(parts) - 1), len(parts), len(parts) + 1}:
            run = content[at : at + size]
            if len(run) < size:
                continue
            edits = _run_edits([heard[i] for i in run], target, limit)
            if edits is not None:
                candidates.append((edits, -size, run[0], run[-1]))
    taken: set[int] = set()
    matches = []
    for edits, _, first, last in sorted(candidates):  # fewest edits, then the longest run
        if not taken.intersection(range(first, last + 1)):
            taken.update(range(first, last + 1))
            matches.append(_Match(first, last, edits))
    return matches


def _run_edits(run: list[str], target: str, limit: int) -> int | None:
    """Fewest edits from the run of heard words (last one in any of its forms) to ``target``."""
    head = "".join(word.replace("'", "") for word in run[:-1])
    best = None
    for form in _forms(run[-1]):
        edits = _edit_distance(head + form, target, limit)
        if edits is not None and (best is None or edits < best):
            best = edits
    if best is None and len(target) >= 5:
        forms = {head + form for form in _forms(run[-1])}
        key = _sound(target)
        if len(key) >= 3 and not forms & _everyday() and any(_sound(f) == key for f in forms):
            best = limit + 1  # heard by its sound: one edit more than its length allows
    if best and len(run) == 1 and run[0].replace("'", "") in _COMMON_WORDS:
        return None
    return best


_SOUNDS = (
    ("ph", "f"), ("ck", "k"), ("gh", "g"), ("wh", "w"), ("kn", "n"), ("qu", "kw"), ("q", "k"),
    ("x", "ks"), ("z", "s"), ("y", "i"), ("ce", "se"), ("ci", "si"), ("c", "k"), ("th", "t"),
    ("dg", "j"),
)  # fmt: skip


def _sound(word: str) -> str:
    """A rough key for how an English name sounds: its first letter, then its consonants
    after common spellings of one sound are made one ("Kathryn" and "Catherine": ktrn)."""
    key = word.lower()
    for spelt, sound in _SOUNDS:
        key = key.replace(spelt, sound)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key[:1] + re.sub(r"[aeiouh']", "", key[1:])


def _part_matches(
    heard: list[str], content: list[int], parts: list[str], claimed: set[int]
) -> list[_Match]:
    """Single heard words matching one distinctive part of a multi-word entry."""
    matches = []
    distinctive = [
        p
        for p in parts
        if len(p) >= 3 and not p.isdigit() and p not in _GENERIC_PARTS and p not in _everyday()
    ]
    for i in content:
        if i in claimed:
            continue
        found = [
            edits
            for part in distinctive
            if (edits := _run_edits([heard[i]], part, _allowed_edits(len(part)))) is not None
        ]
        if found:
            matches.append(_Match(i, i, min(found)))
    return matches


def _number_matches(layout: Layout, item: str) -> list[tuple[int, int]]:
    """(first, last) words where a number in ``item`` is said again, in any spoken form.

    The entry's digits (all its numbers joined: "07700 900123" is 07700900123) are compared
    with each run of numbers heard ("oh seven seven zero zero"): a run of four digits or
    more that is part of the entry's number, or holds it, is a match.
    """
    wanted = "".join(digits for digits, _, _ in number_runs(item))
    if len(wanted) < 5:
        return []
    found = []
    for digits, start, end in number_runs(layout.text):
        if len(digits) >= 4 and (digits in wanted or wanted in digits):
            span = layout.word_range(start, end)
            if span is not None:
                found.append(span)
    return found


def number_runs(text: str) -> list[tuple[str, int, int]]:
    """(digits, start, end) of each run of spoken or written numbers in ``text``."""
    tokens = tokens_of(text)
    runs, i = [], 0
    while i < len(tokens):
        chain = read_chain(tokens, i, text, read_number)
        if not chain:
            i += 1
            continue
        digits = "".join(piece for _, _, piece in chain)
        runs.append((digits, tokens[chain[0][0]].start, tokens[chain[-1][1] - 1].end))
        i = chain[-1][1]
    return runs
