"""Street addresses as said: "14 Maple Road", "flat 3, 22 Harbour Court"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bwvreview.personal_data.uk_recognisers.spoken import (
    ADDRESS,
    Token,
    is_number_word,
    joined,
    read_number,
)
from bwvreview.personal_data.uk_recognisers.spoken_recogniser import SpokenRecognizer

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


class AddressRecognizer(SpokenRecognizer):
    """Street addresses as said: "14 Maple Road", "flat 3, 22 Harbour Court", "Maple Road".

    A house number then one to three name words then a street type. With a number and a
    capitalised name it scores 0.6; written in lower case (Whisper sometimes does) 0.3, which
    a context word ("live", "address") lifts over the threshold; a bare "Maple Road" with no
    number 0.4. The town is left to spaCy's place names.
    """

    ENTITY = ADDRESS
    CONTEXT = ("live", "address", "flat", "home", "house", "stay", "street", "road")

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        return self.spans_at_tokens(text, self._address_at)

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
            if j + 1 < len(tokens) and not joined(text, tokens[j], tokens[j + 1]):
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
        return word.isalpha() and lower not in _NOT_NAMES and not is_number_word(lower)
