"""Learning from reviewed footage: the clip library and second-person release, the team
dashboard's counts, and agreement between two annotators."""

from bwvreview.annotations.learning.agreement import annotators
from bwvreview.annotations.learning.agreement import compare as compare_annotators
from bwvreview.annotations.learning.clip_library import (
    LibraryClip,
    library_clips_by_id,
    list_library_clips,
    list_release_clips,
    own_clip,
)
from bwvreview.annotations.learning.clips import APPROVED, AWAITING, HELD, NOT_APPROVED
from bwvreview.annotations.learning.insights import Insights, insights, list_teams

__all__ = [
    "APPROVED",
    "AWAITING",
    "HELD",
    "NOT_APPROVED",
    "Insights",
    "LibraryClip",
    "annotators",
    "compare_annotators",
    "insights",
    "library_clips_by_id",
    "list_library_clips",
    "list_release_clips",
    "list_teams",
    "own_clip",
]
