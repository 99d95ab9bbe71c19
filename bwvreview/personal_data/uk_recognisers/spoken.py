"""Reading speech as Whisper writes it: word tokens with their offsets, spoken numbers
("oh seven seven double oh"), pieces of spoken codes ("Sierra Oscar one four"), and the
entity names the recognisers report. Plain Python: the presidio recogniser every
rule-based recogniser builds on is in ``spoken_recogniser``, so the list matcher and the
export read words without importing presidio."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Entity names these recognisers report (personal_data maps them to hit kinds).
PHONE = "UK_PHONE"
POSTCODE = "UK_POSTCODE"
VEHICLE = "UK_VEHICLE_REGISTRATION"
ADDRESS = "UK_ADDRESS"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
TITLED_NAME = "UK_TITLED_NAME"
SPOKEN_EMAIL = "SPOKEN_EMAIL"
COLLAR_NUMBER = "UK_COLLAR_NUMBER"
ANSWERED_NAME = "ANSWERED_NAME"  # a name given in answer to "Your name?"


@dataclass(frozen=True)
class Token:
    start: int  # character offsets into the analysed text
    end: int
    text: str


# A word is letters/digits, with contractions kept whole so "I'm" is never the letter "I",
# and a word Whisper starred out ("f**k": what it often writes for a bleep) kept whole too.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\*+[A-Za-z0-9]*)*(?:['\u2019][A-Za-z]+)*")
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


def joined(text: str, left: Token, right: Token) -> bool:
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
        if i + 1 < len(tokens) and joined(text, tokens[i], tokens[i + 1])
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


def read_code_piece(tokens: Sequence[Token], i: int, text: str) -> tuple[str, int] | None:
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
Piece = tuple[int, int, str]
Reader = Callable[[Sequence[Token], int, str], tuple[str, int] | None]
# (token after the match, score) of a match starting at a token, or None
MatchAt = Callable[[list[Token], int, str], tuple[int, float] | None]


def read_chain(tokens: Sequence[Token], i: int, text: str, reader: Reader) -> list[Piece]:
    """Consecutive pieces from ``tokens[i]`` as (first token, next token, text)."""
    pieces: list[Piece] = []
    while i < len(tokens):
        if pieces and not joined(text, tokens[i - 1], tokens[i]):
            break
        piece = reader(tokens, i, text)
        if piece is None:
            break
        pieces.append((i, piece[1], piece[0]))
        i = piece[1]
    return pieces


def is_number_word(word: str) -> bool:
    """Whether a lower-case word is a spoken digit, teen or tens ("oh", "twelve", "forty")."""
    return word in _DIGIT_WORDS or word in _TEEN_WORDS or word in _TENS_WORDS
