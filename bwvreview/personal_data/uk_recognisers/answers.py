"""Answers to the questions officers ask: what is said after "Date of birth?", "How old are
you?", "And a phone number?", "Your name?" or "Where do you live?" is that detail, whatever
words it is given in.

People answer in fragments ("Third June, ninety one."; "Oh seven seven... yes... nine
double oh"), with no birth or phone word of their own, and Whisper writes the question and
its answer as separate segments, often without a question mark ("Thanks, Sarah, date of
birth."). So these recognisers find the question by its words and take what follows it, up
to ``ANSWER_TOKENS`` words or the next question, as the answer: the numbers, dates and
months in it for a date of birth, an age or a phone number; the proper names in it for a
name or an address. The text analysed must hold the question: the export and the
verification both analyse the words said before the span or window too
(``personal_data.conversation``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS

from bwvreview.personal_data.uk_recognisers.spoken import (
    ADDRESS,
    ANSWERED_NAME,
    DATE_OF_BIRTH,
    PHONE,
    Token,
    is_number_word,
    tokens_of,
)
from bwvreview.personal_data.uk_recognisers.spoken_recogniser import SpokenRecognizer

ANSWER_TOKENS = 24  # about 8 s of speech: an answer, a "yes?" and the rest of the answer

_Q = r"(?:^|(?<=\W))"
CUES = {
    DATE_OF_BIRTH: re.compile(
        _Q + r"(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\b|birth(?:\s?day)?\b|born\b|how\s+old"
        r"|what\s+age|your\s+age)",
        re.IGNORECASE,
    ),
    PHONE: re.compile(
        _Q + r"(?:(?:phone|mobile|telephone|contact|landline|best)\s+(?:number|no\b)|mobile\b"
        r"|(?:ring|call|text|reach)\s+(?:you|me|him|her|them)\s+on|number\s+(?:to|for)\s+"
        r"(?:call|ring|reach|contact))",
        re.IGNORECASE,
    ),
    ANSWERED_NAME: re.compile(
        _Q + r"(?:(?:your|his|her|their|full|first|last|sur)\s*name|my\s+name\s+is|name['\u2019]s"
        r"|(?:are\s+you|is\s+(?:he|she))\s+called|who\s+are\s+you|spell\s+(?:that|it))",
        re.IGNORECASE,
    ),
    ADDRESS: re.compile(
        _Q + r"(?:where\s+(?:do|does|did)\s+(?:you|he|she|they)\s+(?:live|stay)|(?:your|home|"
        r"current|his|her|their)\s+address|post\s?code|where\s+(?:are\s+you|is\s+(?:he|she))"
        r"\s+(?:living|staying))",
        re.IGNORECASE,
    ),
}

_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "sept", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "oct", "nov", "dec",
})  # fmt: skip
_ORDINALS = re.compile(
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|twentieth|thirtieth)",
    re.IGNORECASE,
)
_NUMBER_GLUE = frozenset({"double", "treble", "triple", "hundred", "thousand", "and"})
_DATE_GLUE = frozenset({"the", "of", "and", "hundred", "thousand"})
# Words inside an answer that are not the detail itself.
_NOT_A_NAME = frozenset({
    "sir", "madam", "mate", "love", "officer", "please", "yes", "yeah", "yep", "no", "okay",
    "ok", "right", "sorry", "thanks", "thank", "it's", "its", "i'm", "im", "i", "my", "name",
    "is", "it", "called", "me", "and", "you", "your", "the", "a", "an", "of", "that", "this",
    "he's", "she's", "his", "her", "we", "they", "mr", "mrs", "ms", "miss", "mx", "dr", "pc",
    "dc", "sergeant", "constable", "brother", "sister", "mother", "father", "mum", "dad",
    "son", "daughter", "wife", "husband", "partner", "friend", "boyfriend", "girlfriend",
    "neighbour", "well", "um", "uh", "er", "erm", "so", "just", "what", "why", "who", "where",
    "when", "how", "can", "could", "would", "will", "do", "does", "did", "have", "has", "was",
    "are", "am", "be", "not", "don't", "at", "in", "on", "to", "for", "with", "from", "by",
    "live", "lives", "living", "address", "flat", "number", "house", "home", "here", "there",
    "now", "then", "again", "spell", "surname", "first", "last", "full", "also", "date",
    "birth", "born", "phone", "old", "age", "years", "year", "oh", "hello", "hi",
})  # fmt: skip


_SENTENCE_END = re.compile(r"[.?!]")


def _is_number(token: Token) -> bool:
    word = token.text.lower()
    return word.isdigit() or is_number_word(word) or word in ("o", "zero", "nought")


def _is_date_part(token: Token) -> bool:
    word = token.text.lower()
    return _is_number(token) or word in _MONTHS or bool(_ORDINALS.fullmatch(word))


def _is_name_part(token: Token) -> bool:
    word = token.text.lower().replace("\u2019", "'")
    if not token.text.isalpha() or len(word) < 2 or word in _NOT_A_NAME:
        return False
    return token.text[:1].isupper()


def _is_address_part(token: Token) -> bool:
    return token.text[:1].isdigit() or (_is_name_part(token) and token.text[:1].isupper())


class _AnswerRecognizer(SpokenRecognizer):
    """Spans of the words that answer a question with this recogniser's cue."""

    PART = staticmethod(_is_number)
    GLUE: frozenset[str] = _NUMBER_GLUE
    BRIDGE = 0
    SCORE = 0.6

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        tokens = tokens_of(text)
        for start, end in self._answers(text, tokens):
            yield from self._spans(text, tokens[start:end])

    def _answers(self, text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
        """(first, end) token indices of each answer to this recogniser's question."""
        asked = [m.end() for m in CUES[self.ENTITY].finditer(text)]
        other = sorted(m.start() for cue in CUES.values() for m in cue.finditer(text))
        for at in asked:
            first = next((i for i, t in enumerate(tokens) if t.start >= at), len(tokens))
            end = min(len(tokens), first + ANSWER_TOKENS)
            cut = next((o for o in other if o >= at), None)
            if cut is not None:
                end = min(end, next((i for i, t in enumerate(tokens) if t.start >= cut), end))
            yield first, end

    def _spans(self, text: str, answer: list[Token]) -> Iterator[tuple[int, int, float]]:
        """Runs of this recogniser's parts in the answer. A glue word ("double", "the",
        "Mr") is taken with the part after it, and up to ``BRIDGE`` other words between
        two parts are taken with them (a digit misheard as a word: "9 down below, 456")."""
        run: list[Token] = []
        index = 0
        while index < len(answer):
            token = answer[index]
            glued = (
                token.text.lower() in self.GLUE
                and index + 1 < len(answer)
                and self.PART(answer[index + 1])
            )
            if self.PART(token) or glued:
                run.append(token)
            elif run and (ahead := self._part_within(answer, index, self.BRIDGE + 1)):
                run += answer[index : index + ahead]
                index += ahead
                continue
            elif run:
                yield run[0].start, run[-1].end, self.SCORE
                run = []
            index += 1
        if run:
            yield run[0].start, run[-1].end, self.SCORE

    def _part_within(self, answer: list[Token], index: int, limit: int) -> int:
        """How many tokens from ``index`` to the next part, if it is within ``limit``; else 0."""
        for step, token in enumerate(answer[index : index + limit]):
            if self.PART(token):
                return step
        return 0


class DateOfBirthAnswerRecognizer(_AnswerRecognizer):
    """The answer to "Date of birth?", "When were you born?", "How old are you?": its
    numbers, ordinals and months ("Third June, ninety one", "Zero three, zero six, ninety
    one", "Nineteen sixty two. He is sixty three")."""

    ENTITY = DATE_OF_BIRTH
    PART = staticmethod(_is_date_part)
    GLUE = _DATE_GLUE
    BRIDGE = 1


class PhoneAnswerRecognizer(_AnswerRecognizer):
    """The answer to "And a phone number?": every number in it, so a number given in
    pieces ("oh seven seven zero zero ... yes ... nine double oh") is hidden whole."""

    ENTITY = PHONE
    BRIDGE = 2


class NameAnswerRecognizer(_AnswerRecognizer):
    """The answer to "Your name?": the words in it that are not everyday words ("Sarah
    Ashworth", and "ashworth" when Whisper writes it in lower case)."""

    ENTITY = ANSWERED_NAME
    PART = staticmethod(_is_name_part)

    def _spans(self, text: str, answer: list[Token]) -> Iterator[tuple[int, int, float]]:
        # A surname Whisper wrote in lower case after a capitalised first name ("Remaker
        # ashworth") is part of the name; a lower-case word alone is not a name.
        for start, end, score in super()._spans(text, answer):
            after = [t for t in answer if t.start >= end]
            if after and _SENTENCE_END.search(text, end, after[0].start) is None:
                word = after[0].text.lower()
                if after[0].text.isalpha() and word not in STOP_WORDS | _NOT_A_NAME:
                    end = after[0].end
            yield start, end, score

    GLUE = frozenset({"sir", "mr", "mrs", "ms", "miss", "mx", "dr", "de", "van", "von", "la"})
    ANSWER_WORDS = 8

    def _answers(self, text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
        # A name is the first thing said: up to ANSWER_WORDS words, and the answer ends
        # with the sentence in which a name was given ("Liam Ashworth. When were...").
        for first, end in super()._answers(text, tokens):
            end = min(end, first + self.ANSWER_WORDS)
            named = False
            for i in range(first, end):
                named = named or _is_name_part(tokens[i])
                if (
                    named
                    and i + 1 < end
                    and _SENTENCE_END.search(text, tokens[i].end, tokens[i + 1].start)
                ):
                    end = i + 1
                    break
            yield first, end


class AddressAnswerRecognizer(_AnswerRecognizer):
    """The answer to "Where do you live?": house numbers and capitalised names in it."""

    ENTITY = ADDRESS
    PART = staticmethod(_is_address_part)
    BRIDGE = 1
    GLUE = frozenset({
        "road", "street", "avenue", "lane", "close", "court", "drive", "way", "crescent",
        "place", "gardens", "terrace", "grove", "flat", "in", "on",
    })  # fmt: skip
