"""Searching transcripts and annotations across the library."""

from bwvreview.annotations.search import KINDS, SearchHit, search

__all__ = ["KINDS", "SearchHit", "search"]
