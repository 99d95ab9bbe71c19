"""Words and free text with every personal-data hit replaced by a neutral placeholder.

The same search as clip export (``media.personal_data.find_personal_data`` over the words,
plus the incident's people & places list), so a caption, a handout or a case study hides
what the clip's bleeps hide: "I'm Sarah Whitfield" becomes "I'm [name]".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bwvreview.personal_data.finder import LIST_ITEM, TimedWord, find_personal_data

PLACEHOLDERS = {
    "name": "[name]",
    "place": "[place]",
    "address": "[address]",
    "postcode": "[postcode]",
    "phone": "[phone number]",
    "email": "[email]",
    "url": "[web address]",
    "date_of_birth": "[date of birth]",
    "vehicle_registration": "[vehicle registration]",
    "collar_number": "[collar number]",
    "nhs_number": "[NHS number]",
    "national_insurance_number": "[NI number]",
    "card_number": "[card number]",
    "bank_account": "[bank account]",
    LIST_ITEM: "[name or place]",
}
_TRAILING = ".,;:!?"


def placeholder(kind: str) -> str:
    return PLACEHOLDERS.get(kind, "[personal data]")


def redact_words(words: Sequence[TimedWord], listed: Sequence[str] = ()) -> list[TimedWord]:
    """The words with each hit's run replaced by one placeholder word spanning its times."""
    hits = find_personal_data(words, listed)
    owner: dict[int, int] = {}  # word index -> index of the first hit covering it
    for number, hit in enumerate(hits):
        for index in range(hit.first_word, hit.last_word + 1):
            owner.setdefault(index, number)
    out: list[TimedWord] = []
    index = 0
    while index < len(words):
        if index not in owner:
            out.append(words[index])
            index += 1
            continue
        number = owner[index]
        run_end = index
        while run_end + 1 < len(words) and owner.get(run_end + 1) == number:
            run_end += 1
        first, last = words[index], words[run_end]
        lead = " " if first.text[:1].isspace() or index else ""
        tail = last.text.rstrip()[-1:] if last.text.rstrip()[-1:] in _TRAILING else ""
        out.append(
            TimedWord(f"{lead}{placeholder(hits[number].kind)}{tail}", first.start_ms, last.end_ms)
        )
        index = run_end + 1
    return out


def joined(words: Sequence[TimedWord]) -> str:
    """Words as one line of text (Whisper's leading spaces kept, or single spaces added)."""
    if any(w.text[:1].isspace() for w in words):
        return "".join(w.text for w in words).strip()
    return " ".join(w.text.strip() for w in words).strip()


_TOKEN = re.compile(r"\s*\S+")


def redact_text(text: str, listed: Sequence[str] = ()) -> str:
    """Free text (a note, a reflection, a suggested wording) with personal data replaced.

    Each line is searched on its own, as words with made-up times, so line breaks stay.
    """
    lines = []
    for line in text.splitlines() or [""]:
        tokens = [TimedWord(t, i, i + 1) for i, t in enumerate(_TOKEN.findall(line))]
        indent = line[: len(line) - len(line.lstrip())]
        lines.append(indent + joined(redact_words(tokens, listed)) if tokens else line)
    return "\n".join(lines)
