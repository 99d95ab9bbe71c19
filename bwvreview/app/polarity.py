"""The words for a moment's polarity, from one place.

The codebook gives every category a polarity: ``good_practice`` (a moment to reinforce),
``concern`` (a moment to learn from) or ``observation`` (context). Wherever a window lists
or labels them it uses these words, good practice first: specific and framed for learning,
not blame. Officers read their own words (the feedback service's headings), shortened here
for the lanes of their timeline.
"""

from bwvreview.annotations.codebook import POLARITIES
from bwvreview.annotations.learning.feedback import HEADINGS as OFFICER_HEADINGS

POLARITY_ORDER = ("good_practice", "concern", "observation")  # good practice first, wherever listed
assert set(POLARITY_ORDER) == set(POLARITIES)

# What reviewers and trainers read: in lists, filters, menus, tooltips and charts.
POLARITY_LABELS = {"good_practice": "Good practice", "concern": "To learn from",
                   "observation": "Observation"}  # fmt: skip

# The officer's timeline lanes: the headings of their feedback, short enough for a lane.
OFFICER_LANES = [("good_practice", "What went well"), ("concern", "To reflect on"),
                 ("observation", "Context")]  # fmt: skip


# Trainers' printed and offline material (training packs, handouts): a sentence's start.
PRINTED_LABELS = {"good_practice": "Good practice", "concern": "A moment to learn from",
                  "observation": "Context"}  # fmt: skip


def polarity_label(polarity: str | None) -> str:
    """A polarity as a reviewer reads it (an unknown one as it is stored)."""
    return POLARITY_LABELS.get(polarity or "", polarity or "")


__all__ = [
    "OFFICER_HEADINGS",
    "OFFICER_LANES",
    "POLARITIES",
    "POLARITY_LABELS",
    "POLARITY_ORDER",
    "PRINTED_LABELS",
    "polarity_label",
]
