"""UK personal-data recognisers for presidio, tuned to speech as Whisper writes it.

Presidio's own UK recognisers expect typed text ("SO14 7DU", "07700 900123"). A body-worn
camera hears people *say* these things, and Whisper writes what it hears in several ways:
"07700 900123", "0-7-7-0-0-9-0-0-1-2-3", "oh seven seven double oh nine hundred one two
three"; "S O 14 7 D U"; "Alpha Bravo one two Charlie Delta Echo" (officers use the phonetic
alphabet for registrations). So these recognisers work on word tokens: each token is read as
digits, a letter or a word, and runs of them are joined and tested against the UK formats.
Scores are modest on their own and rise with presidio's context words ("ring me on",
"postcode", "lives at"); every hit is shown to a reviewer before anything is bleeped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import tldextract
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer, SpacyRecognizer

# Entity names these recognisers report (personal_data maps them to hit kinds).
PHONE = "UK_PHONE"
POSTCODE = "UK_POSTCODE"
VEHICLE = "UK_VEHICLE_REGISTRATION"
ADDRESS = "UK_ADDRESS"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
TITLED_NAME = "UK_TITLED_NAME"
SPOKEN_EMAIL = "SPOKEN_EMAIL"
COLLAR_NUMBER = "UK_COLLAR_NUMBER"


@dataclass(frozen=True)
class Token:
    start: int  # character offsets into the analysed text
    end: int
    text: str


# A word is letters/digits, with contractions kept whole so "I'm" is never the letter "I".
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)*")
# What may sit between the pieces of one spoken number or code: spaces, dashes, dots,
# commas, brackets, a slash ("0-7-7", "S.O. 14, 7DU", "(01632) 960 001").
_JOINER = re.compile(r"[\s\-.,()/]{0,3}")

_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_TEEN_WORDS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS_WORDS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5",
    "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9",
}  # fmt: skip
_REPEATS = {"double": 2, "treble": 3, "triple": 3}
_NATO = {
    "alpha": "A", "alfa": "A", "bravo": "B", "charlie": "C", "delta": "D", "echo": "E",
    "foxtrot": "F", "golf": "G", "hotel": "H", "india": "I", "juliet": "J", "juliett": "J",
    "kilo": "K", "lima": "L", "mike": "M", "november": "N", "oscar": "O", "papa": "P",
    "quebec": "Q", "romeo": "R", "sierra": "S", "tango": "T", "uniform": "U", "victor": "V",
    "whiskey": "W", "whisky": "W", "xray": "X", "yankee": "Y", "zulu": "Z",
}  # fmt: skip


def tokens_of(text: str) -> list[Token]:
    """Split ``text`` into word tokens with their character offsets."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _joined(text: str, left: Token, right: Token) -> bool:
    """Whether two tokens are close enough to be read as one number or code."""
    return _JOINER.fullmatch(text, left.end, right.start) is not None


def read_number(tokens: Sequence[Token], i: int, text: str) -> tuple[str, int] | None:
    """Read one spoken or written number at ``tokens[i]``: its digits and the next index.

    Handles digits ("07700"), digit words ("oh", "seven"), "double"/"triple" before a digit,
    teens, tens with an optional unit ("twenty three" is 23) and a digit before "hundred"
    or "thousand" ("nine hundred" is 900, as people read phone numbers aloud).
    """
    word = tokens[i].text.lower()
    nxt = (
        tokens[i + 1].text.lower()
        if i + 1 < len(tokens) and _joined(text, tokens[i], tokens[i + 1])
        else None
    )
    if word.isdigit():
        return word, i + 1
    if word in _REPEATS and nxt is not None:
        digit = _DIGIT_WORDS.get(nxt, nxt if len(nxt) == 1 and nxt.isdigit() else None)
        return (digit * _REPEATS[word], i + 2) if digit else None
    if word in _DIGIT_WORDS:
        digit = _DIGIT_WORDS[word]
        if nxt in ("hundred", "thousand") and digit != "0":
            return digit + ("00" if nxt == "hundred" else "000"), i + 2
        return digit, i + 1
    if word in _TEEN_WORDS:
        return _TEEN_WORDS[word], i + 1
    if word in _TENS_WORDS:
        if nxt in _DIGIT_WORDS and _DIGIT_WORDS[nxt] != "0":
            return _TENS_WORDS[word] + _DIGIT_WORDS[nxt], i + 2
        return _TENS_WORDS[word] + "0", i + 1
    return None


def _read_code_piece(tokens: Sequence[Token], i: int, text: str) -> tuple[str, int] | None:
    """One piece of a spoken code (postcode, registration): letters or digits, and next index.

    A single letter is a letter ("S", "o"); a phonetic-alphabet word is its letter; a short
    token typed in capitals ("SO14", "7DU") is itself. Ordinary lower-case words are never
    pieces, so "to 4 5am" cannot turn into a postcode.
    """
    raw = tokens[i].text
    word = raw.lower()
    if len(raw) == 1 and raw.isalpha():
        if word == "x" and i + 1 < len(tokens) and tokens[i + 1].text.lower() == "ray":
            return "X", i + 2  # "X-ray"
        return raw.upper(), i + 1
    if word in _NATO:
        return _NATO[word], i + 1
    number = read_number(tokens, i, text)
    if number is not None:
        return number
    if len(raw) <= 4 and raw.isalnum() and raw == raw.upper():
        return raw, i + 1
    return None


# (first token, next token, digits or letters) of one piece of a number or code
_Piece = tuple[int, int, str]
_Reader = Callable[[Sequence[Token], int, str], tuple[str, int] | None]


def _chain(tokens: Sequence[Token], i: int, text: str, reader: _Reader) -> list[_Piece]:
    """Consecutive pieces from ``tokens[i]`` as (first token, next token, text)."""
    pieces: list[_Piece] = []
    while i < len(tokens):
        if pieces and not _joined(text, tokens[i - 1], tokens[i]):
            break
        piece = reader(tokens, i, text)
        if piece is None:
            break
        pieces.append((i, piece[1], piece[0]))
        i = piece[1]
    return pieces


class _SpokenRecognizer(EntityRecognizer):
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

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=score, textual_explanation=self.name
        )
        return RecognizerResult(self.ENTITY, start, end, score, explanation)


_UK_NATIONAL = re.compile(r"0(?:7[1-9]\d{8}|[1-3]\d{8,9}|8\d{8,9})")
_UK_INTERNATIONAL = re.compile(r"440?(?:7[1-9]\d{8}|[1-3]\d{8,9})")


class SpokenPhoneRecognizer(_SpokenRecognizer):
    """UK phone numbers however they are spoken: 07700 900123, 0-7-7-0-0..., "oh seven"...

    A run of numbers is joined into digits and tested against the UK numbering plan (0
    then 10 digits, or 01/08 with 9 digits; +44 forms after "+" or "plus"). The run may
    start with other numbers ("I'm 34, 07700 ..."): the number is found inside it.
    """

    ENTITY = PHONE
    CONTEXT = ("phone", "number", "mobile", "ring", "call", "contact", "text", "landline")

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        tokens = tokens_of(text)
        i = 0
        while i < len(tokens):
            chain = _chain(tokens, i, text, read_number)
            if not chain:
                i += 1
                continue
            yield from self._numbers_in(chain, tokens, text)
            i = chain[-1][1]

    def _numbers_in(
        self, chain: list[_Piece], tokens: list[Token], text: str
    ) -> Iterator[tuple[int, int, float]]:
        first = 0
        while first < len(chain):
            found = self._longest_from(chain, first, tokens, text)
            if found is None:
                first += 1
                continue
            last, start, score = found
            yield start, tokens[chain[last][1] - 1].end, score
            first = last + 1

    @staticmethod
    def _longest_from(
        chain: list[_Piece], first: int, tokens: list[Token], text: str
    ) -> tuple[int, int, float] | None:
        """The longest phone number starting at piece ``first``: (last piece, start, score)."""
        begin = tokens[chain[first][0]]
        plus = text[max(0, begin.start - 1) : begin.start] == "+"
        said_plus = chain[first][0] > 0 and tokens[chain[first][0] - 1].text.lower() == "plus"
        digits, best = "", None
        for last in range(first, len(chain)):
            digits += chain[last][2]
            if len(digits) > 13:
                break
            if _UK_NATIONAL.fullmatch(digits):
                best = (last, begin.start, 0.6 if digits[1] == "7" else 0.5)
            elif (plus or said_plus) and _UK_INTERNATIONAL.fullmatch(digits):
                start = begin.start - 1 if plus else tokens[chain[first][0] - 1].start
                best = (last, start, 0.6)
        return best


_POSTCODE = re.compile(
    r"GIR0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r"[0-9][ABD-HJLNP-UW-Z]{2}"
)
_REG_CURRENT = re.compile(
    r"[A-HJ-PR-Y][A-HJ-PR-Y](?:0[2-9]|[12][0-9]|5[1-9]|[67][0-9])[A-HJ-PR-Z]{3}"
)
_REG_PREFIX = re.compile(r"[A-HJ-NPR-TV-Y][1-9][0-9]{0,2}[A-HJ-PR-Y][A-HJ-PR-Z]{2}")
_REG_SUFFIX = re.compile(r"[A-HJ-PR-Z]{3}[1-9][0-9]{0,2}[A-HJ-NPR-TV-Y]")


class _SpokenCodeRecognizer(_SpokenRecognizer):
    """Letters and digits said or typed in pieces, joined and tested against a format."""

    FORMATS: tuple[tuple[re.Pattern[str], float], ...] = ()
    MAX_CHARS = 8

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        tokens = tokens_of(text)
        i = 0
        while i < len(tokens):
            chain = _chain(tokens, i, text, _read_code_piece)
            found = self._longest(chain)
            if found is None:
                i += 1
                continue
            last, score = found
            yield tokens[i].start, tokens[chain[last][1] - 1].end, score
            i = chain[last][1]

    def _longest(self, chain: list[_Piece]) -> tuple[int, float] | None:
        compact, best = "", None
        for last, (_, _, piece) in enumerate(chain):
            compact += piece.upper()
            if len(compact) > self.MAX_CHARS:
                break
            for pattern, score in self.FORMATS:
                if pattern.fullmatch(compact):
                    best = (last, score)
                    break
        return best


class SpokenPostcodeRecognizer(_SpokenCodeRecognizer):
    """UK postcodes: "SO14 7DU", "S O 14 7 D U", "Sierra Oscar one four seven Delta Uniform"."""

    ENTITY = POSTCODE
    CONTEXT = ("postcode", "post", "code", "address", "live", "area")
    FORMATS = ((_POSTCODE, 0.6),)


class SpokenVehicleRegistrationRecognizer(_SpokenCodeRecognizer):
    """UK number plates: current (AB12 CDE), prefix (A123 BCD) and suffix (ABC 123D) forms.

    The older forms are short enough to occur by chance, so they score lower and need a
    context word ("car", "reg", "index", "plate") to pass the default threshold.
    """

    ENTITY = VEHICLE
    CONTEXT = ("car", "vehicle", "registration", "reg", "plate", "index", "vrm", "van", "drive")
    FORMATS = ((_REG_CURRENT, 0.5), (_REG_PREFIX, 0.3), (_REG_SUFFIX, 0.3))


_STREET_TYPES = frozenset({
    "road", "rd", "street", "st", "avenue", "ave", "lane", "close", "court", "drive", "way",
    "crescent", "place", "gardens", "terrace", "grove", "hill", "park", "square", "walk", "rise",
    "mews", "row", "view", "parade", "green", "estate", "house", "mansions", "gate", "wharf",
    "quay", "lodge", "cottages", "villas", "boulevard",
})  # fmt: skip
_FLAT_WORDS = frozenset({"flat", "apartment", "apt", "unit", "room"})
_NOT_NAMES = frozenset({
    "the", "a", "an", "in", "on", "at", "to", "of", "my", "your", "our", "his", "her", "their",
    "this", "that", "and", "or", "for", "with", "from", "by", "is", "was", "are", "be", "been",
    "down", "up", "out", "over", "into", "near", "off", "seconds", "minutes", "minute", "hours",
    "hour", "days", "weeks", "months", "years", "miles", "mile", "yards", "metres", "times",
})  # fmt: skip
_HOUSE_NUMBER = re.compile(r"\d{1,4}[A-Za-z]?")


class AddressRecognizer(_SpokenRecognizer):
    """Street addresses as said: "14 Maple Road", "flat 3, 22 Harbour Court", "Maple Road".

    A house number then one to three name words then a street type. With a number and a
    capitalised name it scores 0.6; written in lower case (Whisper sometimes does) 0.3, which
    a context word ("live", "address") lifts over the threshold; a bare "Maple Road" with no
    number 0.4. The town is left to spaCy's place names.
    """

    ENTITY = ADDRESS
    CONTEXT = ("live", "address", "flat", "home", "house", "stay", "street", "road")

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        tokens = tokens_of(text)
        i = 0
        while i < len(tokens):
            found = self._address_at(tokens, i, text)
            if found is None:
                i += 1
                continue
            end, score = found
            yield tokens[i].start, tokens[end - 1].end, score
            i = end

    def _address_at(self, tokens: list[Token], i: int, text: str) -> tuple[int, float] | None:
        """(end token, score) of an address starting at ``tokens[i]``, or None."""
        j, numbered = i, False
        if tokens[j].text.lower() in _FLAT_WORDS:
            number = self._house_number(tokens, j + 1, text)
            if number is None:
                return None
            j, numbered = number, True
        number = self._house_number(tokens, j, text)
        if number is not None:
            j, numbered = number, True
        names = j
        while j < len(tokens) and j - names < 4 and self._name_like(tokens[j].text):
            if j > names and tokens[j].text.lower() in _STREET_TYPES:
                end = j + 1
                capitalised = tokens[names].text[:1].isupper()
                if not numbered and not (capitalised and tokens[j].text[:1].isupper()):
                    return None
                score = (0.6 if capitalised else 0.3) if numbered else 0.4
                return end, score
            if j + 1 < len(tokens) and not _joined(text, tokens[j], tokens[j + 1]):
                return None
            j += 1
        return None

    @staticmethod
    def _house_number(tokens: list[Token], i: int, text: str) -> int | None:
        if i >= len(tokens):
            return None
        if tokens[i].text.lower() in ("number", "no") and i + 1 < len(tokens):
            i += 1
        if _HOUSE_NUMBER.fullmatch(tokens[i].text):
            return i + 1
        number = read_number(tokens, i, text)
        return number[1] if number is not None and len(number[0]) <= 3 else None

    @staticmethod
    def _name_like(word: str) -> bool:
        lower = word.lower()
        return (
            word.isalpha()
            and lower not in _NOT_NAMES
            and lower not in _DIGIT_WORDS
            and lower not in _TEEN_WORDS
            and lower not in _TENS_WORDS
        )


_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|thirtieth|(?:twenty|thirty)[\s-]+(?:first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth))"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL})"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|Sept|October|November"
    r"|December)"
)
_YEAR_WORDS = (
    rf"(?:(?:nineteen|twenty)[\s-]+(?:{_TENS}(?:[\s-]+{_UNIT})?|{_TEEN}|oh[\s-]+{_UNIT}"
    rf"|hundred)|two[\s-]+thousand(?:[\s-]+and)?(?:[\s-]+(?:{_TEEN}|{_TENS}(?:[\s-]+{_UNIT})?"
    rf"|{_UNIT}))?)"
)
_YEAR = rf"(?:\d{{4}}|'\d{{2}}|\d{{2}}|{_YEAR_WORDS})"
_DATES = re.compile(
    r"\b(?:"
    rf"(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"  # the 3rd of May 1987
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s+{_YEAR})?"  # May the third, 1987
    rf"|{_MONTH},?\s+{_YEAR}"  # May 1987
    r"|\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?(?:\d{4}|\d{2})"  # 03/05/1987
    r")\b",
    re.IGNORECASE,
)
_BORN_IN_YEAR = re.compile(rf"\bborn\s+(?:in\s+)?(?P<year>{_YEAR})\b", re.IGNORECASE)
_BIRTH_CUE = re.compile(r"\b(?:born|birth|birthday|dob|d\.\s?o\.\s?b)\b", re.IGNORECASE)
CUE_BEFORE_CHARS = 60  # about ten words: "my date of birth is the ..."
CUE_AFTER_CHARS = 30  # "... 1987, that's my birthday"


def birth_cue_near(text: str, start: int, end: int) -> bool:
    """Whether a date at ``text[start:end]`` is said as a date of birth.

    Dates on their own are not personal data worth bleeping ("tonight", "on the 3rd"):
    only a date near "born", "birth", "birthday" or "DOB" is taken as a date of birth.
    """
    before = text[max(0, start - CUE_BEFORE_CHARS) : start]
    after = text[end : end + CUE_AFTER_CHARS]
    return bool(_BIRTH_CUE.search(before) or _BIRTH_CUE.search(after))


class DateOfBirthRecognizer(_SpokenRecognizer):
    """Dates of birth as said: "born on the 3rd of May 1987", "date of birth 03/05/1987",
    "DOB the third of May nineteen eighty seven", "born in 1987".

    A date counts only with a birth cue close by (see ``birth_cue_near``).
    """

    ENTITY = DATE_OF_BIRTH

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        spans = [
            (m.start(), m.end()) for m in _DATES.finditer(text)
            if birth_cue_near(text, m.start(), m.end())
        ]  # fmt: skip
        spans += [(m.start("year"), m.end("year")) for m in _BORN_IN_YEAR.finditer(text)]
        kept_end = -1
        for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start >= kept_end:
                yield start, end, 0.85
                kept_end = end


_TITLE = (
    r"(?:P\.?\s?C\.?\s?S\.?\s?O\.?|[PD]\.?\s?[CS]\.?|D\.?\s?I\.?|Sgt\.?|Sergeant|Constable"
    r"|Inspector|Detective|Officer|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Dr\.?|Doctor)"
)
_NAME_WORD = r"(?:[A-Z]['\u2019])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"  # O'Brien, McRae
_TITLED_NAME = re.compile(rf"\b{_TITLE}\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?")
_COLLAR = re.compile(
    r"\b(?:(?:P\.?\s?C|PCSO|Sgt|Sergeant|Constable)\.?"
    r"|(?i:(?:collar|shoulder|warrant)\s+(?:number|no\.?)(?:\s+is)?))"
    r"\s+\d(?:[\s-]?\d){1,4}\b"
)
_NOT_A_NAME = frozenset({"The", "This", "That", "There", "Then", "What", "When", "Where"})


class TitledNameRecognizer(_SpokenRecognizer):
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


class CollarNumberRecognizer(_SpokenRecognizer):
    """An officer's collar (shoulder) number: "PC 4471", "collar number 4471"."""

    ENTITY = COLLAR_NUMBER

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        for match in _COLLAR.finditer(text):
            yield match.start(), match.end(), 0.7


_SPOKEN_EMAIL = re.compile(
    r"\b[a-z0-9]+(?:(?:\s+dot\s+|[._])[a-z0-9]+)*\s+at\s+[a-z0-9]+(?:\s+dot\s+[a-z0-9]+)*"
    r"\s+dot\s+(?:com|co\s+dot\s+uk|org(?:\s+dot\s+uk)?|net|uk|gov\s+dot\s+uk|ac\s+dot\s+uk"
    r"|me|io)\b",
    re.IGNORECASE,
)


class SpokenEmailRecognizer(_SpokenRecognizer):
    """An email address read aloud: "sarah dot whitfield at gmail dot com"."""

    ENTITY = SPOKEN_EMAIL

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        for match in _SPOKEN_EMAIL.finditer(text):
            yield match.start(), match.end(), 0.6


@cache
def _offline_tld() -> tldextract.TLDExtract:
    # No URLs: tldextract uses the public suffix list snapshot in its own wheel, and no
    # cache folder, so nothing is fetched or written.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recogniser, checking the domain without going online.

    The stock one calls ``tldextract.extract``, whose default extractor downloads the
    public suffix list over HTTP on first use (footage must never cause network traffic).
    """

    def validate_result(self, pattern_text: str) -> bool:
        return _offline_tld()(pattern_text).fqdn != ""


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


def uk_recognisers() -> list[EntityRecognizer]:
    """Fresh instances of every recogniser in this module, for one analyser engine."""
    return [
        SpokenPhoneRecognizer("phone"),
        SpokenPostcodeRecognizer("postcode"),
        SpokenVehicleRegistrationRecognizer("vehicle_registration"),
        AddressRecognizer("address"),
        DateOfBirthRecognizer("date_of_birth"),
        TitledNameRecognizer("titled_name"),
        CollarNumberRecognizer("collar_number"),
        SpokenEmailRecognizer("spoken_email"),
    ]


UK_RECOGNISER_NAMES = frozenset(
    {"phone", "postcode", "vehicle_registration", "address", "date_of_birth", "titled_name",
     "collar_number", "spoken_email"}
)  # fmt: skip
