"""Numbers and codes said aloud: UK phone numbers, postcodes, vehicle registrations, and an
officer's collar number."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bwvreview.personal_data.uk_recognisers.spoken import (
    COLLAR_NUMBER,
    PHONE,
    POSTCODE,
    VEHICLE,
    Piece,
    Token,
    read_chain,
    read_code_piece,
    read_number,
    tokens_of,
)
from bwvreview.personal_data.uk_recognisers.spoken_recogniser import SpokenRecognizer

_UK_NATIONAL = re.compile(r"0(?:7[1-9]\d{8}|[1-3]\d{8,9}|8\d{8,9})")
_UK_INTERNATIONAL = re.compile(r"440?(?:7[1-9]\d{8}|[1-3]\d{8,9})")


class SpokenPhoneRecognizer(SpokenRecognizer):
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
            chain = read_chain(tokens, i, text, read_number)
            if not chain:
                i += 1
                continue
            yield from self._numbers_in(chain, tokens, text)
            i = chain[-1][1]

    def _numbers_in(
        self, chain: list[Piece], tokens: list[Token], text: str
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
        chain: list[Piece], first: int, tokens: list[Token], text: str
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


class _SpokenCodeRecognizer(SpokenRecognizer):
    """Letters and digits said or typed in pieces, joined and tested against a format."""

    FORMATS: tuple[tuple[re.Pattern[str], float], ...] = ()
    MAX_CHARS = 8

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        return self.spans_at_tokens(text, self._code_at)

    def _code_at(self, tokens: list[Token], i: int, text: str) -> tuple[int, float] | None:
        chain = read_chain(tokens, i, text, read_code_piece)
        found = self._longest(chain)
        if found is None:
            return None
        last, score = found
        return chain[last][1], score

    def _longest(self, chain: list[Piece]) -> tuple[int, float] | None:
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


_COLLAR = re.compile(
    r"\b(?:(?:P\.?\s?C|PCSO|Sgt|Sergeant|Constable)\.?"
    r"|(?i:(?:collar|shoulder|warrant)\s+(?:number|no\.?)(?:\s+is)?))"
    r"\s+\d(?:[\s-]?\d){1,4}\b"
)


class CollarNumberRecognizer(SpokenRecognizer):
    """An officer's collar (shoulder) number: "PC 4471", "collar number 4471"."""

    ENTITY = COLLAR_NUMBER

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        for match in _COLLAR.finditer(text):
            yield match.start(), match.end(), 0.7
