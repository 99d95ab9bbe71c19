"""The presidio recogniser every rule-based UK recogniser builds on: it reads plain text
into (start, end, score) spans. Imported only when an analyser is built."""

from __future__ import annotations

from collections.abc import Iterator

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from bwvreview.personal_data.uk_recognisers.spoken import MatchAt, tokens_of


class SpokenRecognizer(EntityRecognizer):
    """A presidio recogniser that yields (start, end, score) spans from plain text."""

    ENTITY = ""
    CONTEXT: tuple[str, ...] = ()

    def __init__(self, name: str) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=name, context=list(self.CONTEXT))

    def load(self) -> None:  # nothing to load: rules only
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if self.ENTITY not in entities:
            return []
        return [self._result(start, end, score) for start, end, score in self.find(text)]

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        raise NotImplementedError

    @staticmethod
    def spans_at_tokens(text: str, match_at: MatchAt) -> Iterator[tuple[int, int, float]]:
        """Spans found by trying ``match_at`` at each token in turn: it returns (the token
        after the match, score) or None, and a match's tokens are not tried again."""
        tokens = tokens_of(text)
        i = 0
        while i < len(tokens):
            found = match_at(tokens, i, text)
            if found is None:
                i += 1
                continue
            end, score = found
            yield tokens[i].start, tokens[end - 1].end, score
            i = end

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=score, textual_explanation=self.name
        )
        return RecognizerResult(self.ENTITY, start, end, score, explanation)
