"""The plain, frozen records the window and the command line show, from one place (the funnel).

Services return these; widgets hold them, never ORM rows. Append-only: several people add
re-exports here, so add at the end of a group and keep the names stable.
"""

from bwvreview.annotations.access import ROLE_LABELS, ROLES, Principal
from bwvreview.annotations.access.users import UserRecord
from bwvreview.annotations.audit.entries import AuditEntry, AuditFilter, ChainReport
from bwvreview.annotations.codebook import Category, Codebook, Principle
from bwvreview.annotations.jobs import JobRecord
from bwvreview.annotations.learning.agreement import (
    AgreementReport,
    Annotator,
    PrincipleAgreement,
    Span,
)
from bwvreview.annotations.learning.clip_library import LibraryClip
from bwvreview.annotations.learning.feedback import (
    FeedbackItem,
    FeedbackRecording,
    OfficerIncident,
    Reflection,
)
from bwvreview.annotations.learning.insights import Insights
from bwvreview.annotations.records import Recording
from bwvreview.annotations.review import EDITABLE, STATUSES, Annotation
from bwvreview.annotations.review.library import STATUS_LABELS
from bwvreview.annotations.review.transcripts import Segment, SegmentState, Transcript, Word
from bwvreview.annotations.search import SearchHit
from bwvreview.media.waveform import Peaks

__all__ = [
    "EDITABLE",
    "ROLES",
    "ROLE_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "AgreementReport",
    "Annotation",
    "Annotator",
    "AuditEntry",
    "AuditFilter",
    "Category",
    "ChainReport",
    "Codebook",
    "FeedbackItem",
    "FeedbackRecording",
    "Insights",
    "JobRecord",
    "LibraryClip",
    "OfficerIncident",
    "Peaks",
    "Principal",
    "Principle",
    "PrincipleAgreement",
    "Recording",
    "Reflection",
    "SearchHit",
    "Segment",
    "SegmentState",
    "Span",
    "Transcript",
    "UserRecord",
    "Word",
]
