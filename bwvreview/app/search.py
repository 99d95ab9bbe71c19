"""Searching transcripts and annotations across the library."""

from bwvreview.annotations.search import KINDS, PRACTICE, SearchHit, search

__all__ = ["KINDS", "PRACTICE", "SearchHit", "search"]
