"""Feedback and reflective practice: what an officer is shown of their own incidents, the
debrief, and reflections (with the officer-facing words the service owns)."""

from bwvreview.annotations.learning.feedback import (
    ALTERNATIVE_HEADING,
    CONSENT_EXPLANATION,
    CONSENT_LABEL,
    HEADINGS,
    LEARNING_NOTE,
    NOTHING_SHARED,
    QUOTE_HEADING,
    FeedbackItem,
    FeedbackRecording,
    OfficerIncident,
    Reflection,
    add_reflection,
    debrief_items,
    list_reflections,
    my_incidents,
    set_reflection_consent,
    shared_feedback,
    unread_reflections,
)

__all__ = [
    "ALTERNATIVE_HEADING",
    "CONSENT_EXPLANATION",
    "CONSENT_LABEL",
    "HEADINGS",
    "LEARNING_NOTE",
    "NOTHING_SHARED",
    "QUOTE_HEADING",
    "FeedbackItem",
    "FeedbackRecording",
    "OfficerIncident",
    "Reflection",
    "add_reflection",
    "debrief_items",
    "list_reflections",
    "my_incidents",
    "set_reflection_consent",
    "shared_feedback",
    "unread_reflections",
]
