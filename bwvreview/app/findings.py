"""What the library has found and decided, for reading: full-text search, agreement
between two TIPs, how each phrase cue's suggestions were decided, and clips with their
release state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bwvreview.annotations import search as full_text
from bwvreview.annotations.cues import suggestions
from bwvreview.annotations.cues.suggestions import CueStats
from bwvreview.annotations.learning import agreement as kappa
from bwvreview.annotations.learning import clip_library
from bwvreview.annotations.learning.agreement import AgreementReport
from bwvreview.annotations.learning.clip_library import LibraryClip
from bwvreview.annotations.learning.clips import STATE_WORDS
from bwvreview.annotations.search import SearchHit
from bwvreview.app import Library

__all__ = ["STATE_WORDS", "AgreementReport", "CueStats", "LibraryClip", "SearchHit"]

SEARCH_KINDS = full_text.KINDS
ALL_SEARCH_KINDS = full_text.ALL_KINDS  # with "practice": observations, PPN1s, sessions


def search(
    lib: Library,
    query: str,
    *,
    categories: Sequence[str] = (),
    principles: Sequence[str] = (),
    polarity: str | None = None,
    officer: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = SEARCH_KINDS,
    limit: int = 50,
) -> list[SearchHit]:
    """Transcript lines and annotations matching ``query`` (the window's search syntax)."""
    return full_text.search(
        lib.db, query, categories=categories, principles=principles, polarity=polarity,
        officer=officer, date_from=date_from, date_to=date_to, statuses=statuses,
        kinds=kinds, limit=limit,
    )  # fmt: skip


def agreement(lib: Library, recording_id: int, first: str, second: str) -> AgreementReport:
    """Cohen's kappa per principle between two TIPs (by name or user id) on a recording."""
    a = kappa.find_annotator(lib.db, recording_id, first)
    b = kappa.find_annotator(lib.db, recording_id, second)
    return kappa.compare(lib.db, recording_id, a, b, lib.codebook_id)


def cue_statistics(lib: Library) -> list[CueStats]:
    """Suggestions per cue and how people decided them: which cues are noisy."""
    return suggestions.cue_statistics(lib.db)


def release_clips(lib: Library, states: Sequence[str] = ()) -> list[LibraryClip]:
    """Clips the reader may see, with their release state (only ``states``, if given)."""
    return clip_library.list_release_clips(lib.db, states)
