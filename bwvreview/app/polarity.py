"""The words for a moment's kind, from one place: one vocabulary for every window and file.

The codebook gives every category a polarity: ``good_practice`` (a moment to reinforce),
``concern`` (a moment to learn from) or ``observation`` (context). Wherever a window lists
or labels them it uses these words, good practice first: specific and framed for learning,
not blame. Reviewers and trainers read "Good practice", "To learn from" and "Context";
officers read their own words (the feedback service's headings): "What went well", "To
reflect on" and "Context". The column or filter naming the three is "Kind".
"""

from bwvreview.annotations.codebook import POLARITIES
from bwvreview.annotations.learning.feedback import HEADINGS as OFFICER_HEADINGS

POLARITY_ORDER = ("good_practice", "concern", "observation")  # good practice first, wherever listed
assert set(POLARITY_ORDER) == set(POLARITIES)

KIND_HEADER = "Kind"  # the name of the three in a column header or a filter

# What reviewers and trainers read: in lists, filters, menus, tooltips, charts and print.
POLARITY_LABELS = {"good_practice": "Good practice", "concern": "To learn from",
                   "observation": "Context"}  # fmt: skip

# The officer's timeline lanes: the headings of their feedback, good practice first.
OFFICER_LANES = [(key, OFFICER_HEADINGS[key]) for key in POLARITY_ORDER]

# Trainers' printed and offline material (training packs, handouts) uses the same words.
PRINTED_LABELS = POLARITY_LABELS


def polarity_label(polarity: str | None) -> str:
    """A polarity as a reviewer reads it (an unknown one as it is stored)."""
    return POLARITY_LABELS.get(polarity or "", polarity or "")


def officer_heading(polarity: str | None) -> str:
    """A polarity as an officer reads it (an unknown one as context)."""
    return OFFICER_HEADINGS.get(polarity or "", OFFICER_HEADINGS["observation"])


def counted(number: int, polarity: str, *, officer: bool = False) -> str:
    """``3 things that went well`` / ``2 to reflect on`` / ``1 to learn from``: a count of
    moments of one kind, in the reader's words."""
    if polarity == "good_practice":
        if officer:
            return f"{number} thing{'s' if number != 1 else ''} that went well"
        return f"{number} good practice"
    if polarity == "concern":
        return f"{number} to {'reflect on' if officer else 'learn from'}"
    return f"{number} context"


def quoted(text: str) -> str:
    """Words in curly quotes, once: a reviewer often types the quotes themselves."""
    inner = text.strip()
    marks = '"“”'
    whole = len(inner) > 1 and inner[0] in marks and inner[-1] in marks
    if whole and not any(mark in inner[1:-1] for mark in marks):  # one quotation, not two
        inner = inner[1:-1].strip()
    return f"“{inner}”" if inner else ""


__all__ = [
    "KIND_HEADER",
    "OFFICER_HEADINGS",
    "OFFICER_LANES",
    "POLARITIES",
    "POLARITY_LABELS",
    "POLARITY_ORDER",
    "PRINTED_LABELS",
    "counted",
    "officer_heading",
    "polarity_label",
    "quoted",
]
