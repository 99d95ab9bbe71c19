"""The review workspace's services: annotations, corrections to the transcript, and the
decisions on phrase-cue suggestions. Each is one undoable step in the window."""

from bwvreview.annotations.cues.suggestions import (
    SuggestionPlan,
    accept_suggestion,
    plan_suggestions,
    reject_suggestion,
    reopen_suggestion,
    store_suggestions,
)
from bwvreview.annotations.formats.interchange import speaker_label
from bwvreview.annotations.review import (
    EDITABLE,
    STATUSES,
    Annotation,
    ConflictError,
    create_annotation,
    delete_annotation,
    get_annotation,
    list_annotations,
    update_annotation,
)
from bwvreview.annotations.review.transcripts import (
    SegmentState,
    Transcript,
    Word,
    correct_word,
    current_transcript,
    merge_segments,
    restore_segment,
    segment_of_word,
    segment_state,
    split_segment,
    toggle_wearer,
)

__all__ = [
    "EDITABLE",
    "STATUSES",
    "Annotation",
    "ConflictError",
    "SegmentState",
    "SuggestionPlan",
    "Transcript",
    "Word",
    "accept_suggestion",
    "correct_word",
    "create_annotation",
    "current_transcript",
    "delete_annotation",
    "get_annotation",
    "list_annotations",
    "merge_segments",
    "plan_suggestions",
    "reject_suggestion",
    "reopen_suggestion",
    "restore_segment",
    "segment_of_word",
    "segment_state",
    "speaker_label",
    "split_segment",
    "store_suggestions",
    "toggle_wearer",
    "update_annotation",
]
