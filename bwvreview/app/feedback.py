"""Feedback and reflective practice: what an officer is shown of their own incidents, the
debrief, and reflections (with the officer-facing words the service owns).

The window and the debrief read moments here with the codebook's officer titles, so an
officer always reads the softened title of a category, never the reviewers' label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bwvreview.annotations.learning.feedback import (
    ALTERNATIVE_HEADING,
    CONSENT_EXPLANATION,
    CONSENT_LABEL,
    HEADINGS,
    LEARNING_NOTE,
    NOT_CONDUCT_NOTE,
    NOTHING_SHARED,
    QUOTE_HEADING,
    FeedbackItem,
    FeedbackRecording,
    OfficerIncident,
    Reflection,
    add_reflection,
    list_reflections,
    my_incidents,
    set_reflection_consent,
    unread_reflections,
)
from bwvreview.annotations.learning.feedback import debrief_items as _debrief_items
from bwvreview.annotations.learning.feedback import shared_feedback as _shared_feedback
from bwvreview.annotations.review.transcripts import current_transcript
from bwvreview.app import Library
from bwvreview.app.polarity import POLARITY_ORDER, counted

Line = tuple[int, int, str, str]  # start_ms, end_ms, speaker, text: a transcript lane's line


def shared_feedback(lib: Library, recording_id: int) -> list[FeedbackItem]:
    """The moments shared with the officer (good practice first), titled for officers."""
    return _shared_feedback(lib.db, recording_id, lib.codebook.officer_titles())


def debrief_items(
    lib: Library, recording_id: int, *, shared_only: bool = True
) -> list[FeedbackItem]:
    """A recording's moments in time order for a debrief, titled for officers."""
    return _debrief_items(lib.db, recording_id, shared_only=shared_only,
                          officer_titles=lib.codebook.officer_titles())  # fmt: skip


def counts_line(items: Sequence[FeedbackItem], *, officer: bool = True) -> str:
    """``3 things that went well, 2 to reflect on``: the moments counted by kind, good
    practice first, kinds with none left out (``nothing shared yet`` when there are none)."""
    counts = Counter(item.polarity for item in items)
    parts = [counted(counts[k], k, officer=officer) for k in POLARITY_ORDER if counts[k]]
    if not parts:
        return "nothing shared yet"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def strengths(items: Sequence[FeedbackItem]) -> list[FeedbackItem]:
    """The good practice among the moments, in time order: what a debrief opens with."""
    good = [i for i in items if i.polarity == "good_practice"]
    return sorted(good, key=lambda i: (i.start_ms, i.annotation_id))


def spoken_lines(lib: Library, recording_id: int) -> list[Line]:
    """What was said, line by line, for the transcript lane of the officer's timeline (an
    officer may read their own incidents' transcripts); empty when there is none yet."""
    transcript = current_transcript(lib.db, recording_id)
    if transcript is None:
        return []
    return [(s.start_ms, s.end_ms, s.speaker, s.text) for s in transcript.segments]


__all__ = [
    "ALTERNATIVE_HEADING",
    "CONSENT_EXPLANATION",
    "CONSENT_LABEL",
    "HEADINGS",
    "LEARNING_NOTE",
    "NOTHING_SHARED",
    "NOT_CONDUCT_NOTE",
    "QUOTE_HEADING",
    "FeedbackItem",
    "FeedbackRecording",
    "OfficerIncident",
    "Reflection",
    "add_reflection",
    "counts_line",
    "debrief_items",
    "list_reflections",
    "my_incidents",
    "set_reflection_consent",
    "shared_feedback",
    "spoken_lines",
    "strengths",
    "unread_reflections",
]
