"""Normalised transcript text for phrase cues: one canonical spelling for the many ways people
say (and Whisper writes) the same words.

Each transcript word becomes zero or more tokens: lower case, punctuation removed, contractions
expanded ("don't" -> "do not", "I'd" -> "i would", "gonna" -> "going to"), number words as
digits ("two" -> "2"), American spellings as British ("apologize" -> "apologise") and fillers
("um", "er") dropped. Every token remembers the word it came from, so a match maps back to word
times and ids. Cue patterns go through the same function, so a pattern may be written in any of
these forms.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FILLERS = frozenset(_words("um umm uh uhh uhm erm er err ah ahh eh hmm hm mm mmm mhm"))

# Whole words that stand for several (or another spelling of one).
WHOLE = {
    "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
    "ain't": "is not", "let's": "let us", "'cause": "because",
    "'cos": "because", "cos": "because", "coz": "because", "cuz": "because",
    "y'all": "you all", "ma'am": "madam", "maam": "madam", "'em": "them", "c'mon": "come on",
    "y'know": "you know", "o'clock": "oclock", "gonna": "going to", "wanna": "want to",
    "gotta": "got to", "gimme": "give me", "lemme": "let me", "dunno": "do not know",
    "innit": "is it not", "kinda": "kind of", "sorta": "sort of", "outta": "out of",
    "whatcha": "what are you", "ya": "you", "yer": "your", "u": "you", "ur": "your",
    "ok": "okay", "alright": "all right", "dont": "do not", "doesnt": "does not",
    "didnt": "did not", "cant": "can not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "havent": "have not", "hasnt": "has not",
    "couldnt": "could not", "shouldnt": "should not", "wouldnt": "would not", "im": "i am",
    "ive": "i have", "youre": "you are", "youve": "you have", "youll": "you will",
    "theyre": "they are", "thats": "that is", "whats": "what is", "theres": "there is",
}  # fmt: skip

# 's after these words is "is"; after anything else it is a possessive and is dropped.
S_IS = frozenset(
    _words(
        "it that what there here he she who where how when why everything nothing something "
        "everyone someone somebody nobody everybody this"
    )
)
CLITICS = (("n't", "not"), ("'m", "am"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"),
           ("'d", "would"))  # fmt: skip

NUMBERS = {
    word: str(value)
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
} | {
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000",
}  # fmt: skip

SPELLING = {
    "behavior": "behaviour", "color": "colour", "favor": "favour", "honor": "honour",
    "neighbor": "neighbour", "neighbors": "neighbours", "neighborhood": "neighbourhood",
    "center": "centre", "defense": "defence", "offense": "offence", "license": "licence",
    "jewelry": "jewellery", "mom": "mum", "moms": "mums", "mommy": "mummy", "gray": "grey",
    "traveled": "travelled", "counseling": "counselling", "counselor": "counsellor",
    "judgment": "judgement", "aging": "ageing", "pajamas": "pyjamas", "favorite": "favourite",
    "rumor": "rumour", "humor": "humour", "program": "programme", "practice": "practise",
}  # fmt: skip
_IZE = re.compile(r"^(\w{2,}[^s])iz(e|ed|es|ing|ation|ations)$")
_IZE_KEEP = frozenset(
    ["size", "sized", "prize", "prized", "seize", "seized", "capsize", "maize", "baize"]
)
_YZE = re.compile(r"^(\w+)yz(e|ed|es|ing)$")

# A word ending in one of these ends a sentence, unless it is an abbreviation.
_SENTENCE_END = re.compile(r"[.?!;…]+[\"')\]]*$")
_CLAUSE_END = re.compile(r"[,:—–]+[\"')\]]*$|\s[-–—]$")
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "pc",
        "dc",
        "ps",
        "sgt",
        "insp",
        "det",
        "no",
        "vs",
        "etc",
        "approx",
    ]
)
_PIECES = re.compile(r"(?:[^\W_]|')+")


@dataclass(frozen=True)
class NormalText:
    """Tokens of one utterance with where they came from and where clauses break.

    ``text`` is the tokens joined by single spaces with a space before and after, which is
    what compiled patterns search; ``offsets[i]`` is where token ``i`` starts in it.
    """

    tokens: tuple[str, ...]
    word_of: tuple[int, ...]
    sentence_start: tuple[bool, ...]  # token begins a sentence (. ? ! ; before it)
    break_before: tuple[bool, ...]  # token begins a clause (sentence, comma or dash before it)
    text: str
    offsets: tuple[int, ...]

    def token_at(self, char_offset: int) -> int:
        """The token starting at ``char_offset``, or the token count at the end of the text."""
        if char_offset >= len(self.text) - 1:
            return len(self.tokens)
        return bisect.bisect_left(self.offsets, char_offset)


def _spelling(token: str) -> str:
    if token in SPELLING:
        return SPELLING[token]
    if token not in _IZE_KEEP and (m := _IZE.match(token)):
        return f"{m.group(1)}is{m.group(2)}"
    if m := _YZE.match(token):
        return f"{m.group(1)}ys{m.group(2)}"
    return token


def _expand(piece: str, previous: str | None) -> list[str]:
    """One lower-case piece (letters, digits, apostrophes) as canonical tokens."""
    if piece in WHOLE:
        return WHOLE[piece].split()
    stripped = piece.strip("'")
    if stripped in WHOLE:  # "gonna'", a quotation mark read as an apostrophe
        return WHOLE[stripped].split()
    for clitic, full in CLITICS:
        if piece.endswith(clitic):  # "he'd've" -> "he would have"
            base = piece[: -len(clitic)]
            return (_expand(base, previous) if base else []) + [full]
    if piece.endswith("'s"):
        base = piece[:-2]
        if not base:  # a detached clitic: "it" "'s"
            return ["is"] if previous in S_IS else []
        return [base, "is"] if base in S_IS else [base]
    return [stripped.replace("'", "")] if stripped else []


def word_tokens(raw: str, previous: str | None = None) -> list[str]:
    """The canonical tokens of one written word (possibly none, for a filler or a dash)."""
    text = raw.strip().lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)  # acronyms: d.c. -> dc.
    tokens: list[str] = []
    for piece in _PIECES.findall(text.replace("-", " ")):
        for token in _expand(piece, tokens[-1] if tokens else previous):
            if not token or token in FILLERS:
                continue
            tokens.append(NUMBERS.get(token) or _spelling(token))
    return tokens


def _ends_sentence(raw: str) -> bool:
    word = raw.strip()
    if not _SENTENCE_END.search(word):
        return False
    bare = word.rstrip(".?!;…\"')]").lower().replace(".", "")
    return not (word.endswith(".") and (bare in ABBREVIATIONS or "." in word.rstrip(".")))


def normalise(words: Sequence[str], clause_words: frozenset[str] = frozenset()) -> NormalText:
    """Normalise an utterance given as its written words (Whisper's words, or text split on
    spaces). ``clause_words`` (such as "and", "but") also begin a new clause."""
    tokens: list[str] = []
    word_of: list[int] = []
    sentence_start: list[bool] = []
    break_before: list[bool] = []
    new_sentence, new_clause = True, True
    for index, raw in enumerate(words):
        for token in word_tokens(raw, tokens[-1] if tokens else None):
            tokens.append(token)
            word_of.append(index)
            sentence_start.append(new_sentence)
            break_before.append(new_clause or token in clause_words)
            new_sentence, new_clause = False, False
        if _ends_sentence(raw):
            new_sentence, new_clause = True, True
        elif _CLAUSE_END.search(raw.strip()) or raw.strip() in {"-", "–", "—"}:
            new_clause = True
    offsets, position = [], 1
    for token in tokens:
        offsets.append(position)
        position += len(token) + 1
    return NormalText(
        tokens=tuple(tokens),
        word_of=tuple(word_of),
        sentence_start=tuple(sentence_start),
        break_before=tuple(break_before),
        text=" " + " ".join(tokens) + " " if tokens else " ",
        offsets=tuple(offsets),
    )


def normalise_phrase(text: str) -> list[str]:
    """The canonical tokens of a written phrase (used for pattern words)."""
    tokens: list[str] = []
    for raw in text.split():
        tokens.extend(word_tokens(raw, tokens[-1] if tokens else None))
    return tokens
