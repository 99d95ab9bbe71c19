"""Names: a name after a title ("PC Hughes"), and spaCy's names and places cut down to what
identifies a person in speech (with its dates kept only as dates of birth)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from bwvreview.personal_data.uk_recognisers.dates import birth_cue_near
from bwvreview.personal_data.uk_recognisers.spoken import DATE_OF_BIRTH, TITLED_NAME
from bwvreview.personal_data.uk_recognisers.spoken_recogniser import SpokenRecognizer

_TITLE = (
    r"(?:P\.?\s?C\.?\s?S\.?\s?O\.?|[PD]\.?\s?[CS]\.?|D\.?\s?I\.?|Sgt\.?|Sergeant|Constable"
    r"|Inspector|Detective|Officer|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Dr\.?|Doctor)"
)
_NAME_WORD = r"(?:[A-Z]['\u2019])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"  # O'Brien, McRae
_TITLED_NAME = re.compile(rf"\b{_TITLE}\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?")
_NOT_A_NAME = frozenset({"The", "This", "That", "There", "Then", "What", "When", "Where"})


class TitledNameRecognizer(SpokenRecognizer):
    """A name after a title: "PC Hughes", "D.C. Hughes", "Sergeant Patel", "Mrs Whitfield".

    Officers introduce themselves this way on every body-worn video, and spaCy's small
    model often reads "D.C. Hughes" as an organisation. Case matters: the name must be
    capitalised and the title written as a title ("miss" the verb is not one).
    """

    ENTITY = TITLED_NAME

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        for match in _TITLED_NAME.finditer(text):
            if match.group().split()[-1] not in _NOT_A_NAME:
                yield match.start(), match.end(), 0.7


class SpeechSpacyRecognizer(SpacyRecognizer):
    """spaCy's names, places and dates, cut down to what identifies a person in speech.

    * A name or place with no proper noun in it ("Calm down." read as a person) is demoted
      below any sensible threshold rather than dropped, so ``min_score=0`` still shows it.
    * A date is kept only as a date of birth (``birth_cue_near``): bleeping every
      "tomorrow" and "tonight" would make clips useless for training, and a date alone
      does not identify anyone.
    """

    ENTITIES = ["PERSON", "LOCATION", "DATE_TIME"]
    DEMOTED_SCORE = 0.2

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self.ENTITIES), name="SpacyRecognizer")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        kept = []
        for result in results:
            if result.entity_type == "DATE_TIME":
                if not birth_cue_near(text, result.start, result.end):
                    continue
                result.entity_type = DATE_OF_BIRTH
            elif doc is not None and not self._has_proper_noun(doc, result.start, result.end):
                result.score = min(result.score, self.DEMOTED_SCORE)
            kept.append(result)
        return kept

    @staticmethod
    def _has_proper_noun(doc: Any, start: int, end: int) -> bool:
        span = doc.char_span(start, end, alignment_mode="expand")
        return span is None or any(token.pos_ == "PROPN" for token in span)
