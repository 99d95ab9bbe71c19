"""Dates of birth as said: a date, spoken or written, with a birth cue close by."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bwvreview.personal_data.uk_recognisers.spoken import DATE_OF_BIRTH
from bwvreview.personal_data.uk_recognisers.spoken_recogniser import SpokenRecognizer

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


class DateOfBirthRecognizer(SpokenRecognizer):
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
