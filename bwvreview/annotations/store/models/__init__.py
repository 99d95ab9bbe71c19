"""SQLAlchemy 2.x models for every entity in the design.

Times are integer milliseconds with a check that end >= start. Rows are never handed to
widgets: services turn them into frozen dataclasses (see ``records.py`` and ``store/rows``).

One module per concern: ``people`` (users, incidents), ``footage`` (recordings and their
transcripts), ``coding`` (codebook, annotations, reflections, masks, suggestions),
``learning`` (clips, training packs), ``programme`` (curriculum, sessions, attendance,
questionnaires), ``practice`` (observations, PPN1 reviews, reflective practice sessions),
``audit_log`` and ``jobs``; every table is here, so
``models.Recording`` is all a caller needs.
"""

from __future__ import annotations

from bwvreview.annotations.store.models.audit_log import AuditEvent, AuditSeal
from bwvreview.annotations.store.models.base import Base, utcnow
from bwvreview.annotations.store.models.coding import (
    Annotation,
    CodebookCategory,
    CodebookVersion,
    Redaction,
    Reflection,
    Suggestion,
)
from bwvreview.annotations.store.models.footage import Recording, Segment, Transcript, Word
from bwvreview.annotations.store.models.jobs import Job
from bwvreview.annotations.store.models.learning import (
    CLIP_RELEASE_STATES,
    Clip,
    TrainingPack,
    TrainingPackItem,
)
from bwvreview.annotations.store.models.people import (
    Incident,
    User,
    incident_officers,
    user_name_key,
)
from bwvreview.annotations.store.models.practice import (
    FollowUp,
    Observation,
    ObservationCheck,
    Ppn1Point,
    Ppn1Review,
    PracticeSession,
    PracticeText,
    SessionEntry,
    SessionTopic,
    ppn1_point_moments,
    session_attendees,
)
from bwvreview.annotations.store.models.programme import (
    ATTENDEE_KINDS,
    DOCUMENT_KINDS,
    ENTRY_MODES,
    PHASES,
    ProgrammeDocument,
    QuestionnaireResponse,
    TrainingAttendance,
    TrainingSession,
    training_session_packs,
)

__all__ = [
    "ATTENDEE_KINDS",
    "CLIP_RELEASE_STATES",
    "DOCUMENT_KINDS",
    "ENTRY_MODES",
    "PHASES",
    "ProgrammeDocument",
    "QuestionnaireResponse",
    "TrainingAttendance",
    "TrainingSession",
    "training_session_packs",
    "Annotation",
    "AuditEvent",
    "AuditSeal",
    "Base",
    "Clip",
    "FollowUp",
    "CodebookCategory",
    "CodebookVersion",
    "Incident",
    "Job",
    "Observation",
    "ObservationCheck",
    "Ppn1Point",
    "Ppn1Review",
    "PracticeSession",
    "PracticeText",
    "Recording",
    "Redaction",
    "Reflection",
    "Segment",
    "SessionEntry",
    "SessionTopic",
    "Suggestion",
    "TrainingPack",
    "TrainingPackItem",
    "Transcript",
    "User",
    "Word",
    "incident_officers",
    "ppn1_point_moments",
    "session_attendees",
    "user_name_key",
    "utcnow",
]
