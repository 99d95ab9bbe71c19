"""The audit log in plain words, for the admin's viewer: what each kind of event means, and
its details as ``Key: value`` lines rather than JSON with snake_case keys.

The log itself keeps its stored names (``clip.not_approved``, ``recording_id``): the command
line's ``audit --json`` prints those for scripts. This module only says them to a person.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bwvreview.annotations.audit.entries import AuditEntry
from bwvreview.annotations.codebook import category_labels
from bwvreview.annotations.review.library import STATUS_LABELS

# What happened, by the stored action: a sentence a person reads. A detail in braces is
# filled in when the event has it (else the words in the brackets' fallback are used).
ACTIONS: dict[str, str] = {
    "import": "Imported a recording",
    "import-again": "Imported a recording that was already in the library",
    "relocate": "Found a moved recording's footage again",
    "content-warning-set": "Set a content warning on a recording",
    "content-warning-clear": "Cleared a recording's content warning",
    "transcribe": "Transcribed a recording",
    "status-change": "Changed a review's status",
    "annotate": "Added an annotation",
    "annotation-change": "Changed an annotation",
    "annotation-delete": "Deleted an annotation",
    "import-annotations": "Imported annotations from a file",
    "suggest": "Found moments for the phrase cues to suggest",
    "suggestion-accept": "Accepted a suggestion as an annotation",
    "suggestion-reject": "Set a suggestion aside",
    "suggestion-reopen": "Reopened a suggestion",
    "mask.saved": "Saved a mask over part of the picture",
    "mask.deleted": "Deleted a mask",
    "incident.people_places_set": "Listed the people and places to hide in an incident",
    "clip.exported": "Exported an anonymised clip",
    "clip.library_override": "Put forward a clip that did not pass verification",
    "clip.approved": "Approved a clip for trainers",
    "clip.not_approved": "Did not approve a clip for trainers",
    "pack.created": "Created a training pack",
    "pack.renamed": "Renamed a training pack",
    "pack.described": "Described a training pack",
    "pack.deleted": "Deleted a training pack",
    "pack.clip_added": "Added a clip to a training pack",
    "pack.clip_removed": "Removed a clip from a training pack",
    "pack.reordered": "Put a training pack's clips in a new order",
    "pack.notes_set": "Wrote facilitator notes in a training pack",
    "pack.prompts_set": "Wrote discussion prompts in a training pack",
    "pack.session_set": "Set the session length of a training pack",
    "pack.discussion_set": "Set the time to talk after a clip in a training pack",
    "reflect": "Wrote a reflection",
    "reflection-consent": "Changed whether a reflection may be used in training",
    "reflection-seen": "Read officers' reflections",
    "sign-in": "Signed in",
    "sign-in-failed": "Tried to sign in, without success",
    "user-create": "Added a person",
    "user-activate": "Let a person sign in again",
    "user-deactivate": "Stopped a person from signing in",
    "password-change": "Changed a password",
    "officer-link": "Let an officer read an incident's feedback",
    "officer-unlink": "Stopped an officer reading an incident's feedback",
    "codebook-install": "Installed a codebook version",
    "details-set": "Set which incident and officers a recording belongs to",
    "incident-create": "Started an incident's record",
    "incident-type": "Set what kind of incident it was",
    "link-officer": "Named an officer as one of an incident's officers",
    "observation-create": "Started an observation",
    "observation-change": "Changed an observation",
    "observation-check": "Answered a point of an observation's checklist",
    "observation-note": "Added a note to an observation",
    "observation-note-change": "Changed a note in an observation",
    "observation-note-delete": "Deleted a note from an observation",
    "observation-share": "Shared an observation with the officer",
    "observation-unshare": "Stopped sharing an observation with the officer",
    "ppn1-review-create": "Started a PPN1 review",
    "ppn1-review-change": "Changed a PPN1 review",
    "ppn1-point": "Rated a point of a PPN1 review",
    "ppn1-text-set": "Put in or changed the text of a PPN1",
    "ppn1-text-read": "Read the text of a PPN1",
    "ppn1-moment-link": "Linked a moment of the footage to a PPN1 review",
    "ppn1-moment-unlink": "Took a moment of the footage off a PPN1 review",
    "ppn1-review-share": "Shared a PPN1 review with the officer",
    "ppn1-review-unshare": "Stopped sharing a PPN1 review with the officer",
    "session-create": "Recorded a reflective practice session",
    "session-change": "Changed a reflective practice session",
    "session-learning-point": "Wrote down a learning point agreed in a session",
    "session-note": "Added a note to a reflective practice session",
    "session-entry-delete": "Deleted an entry from a reflective practice session",
    "session-follow-up": "Agreed something to do after a session",
    "follow-up-done": "Marked something to do after a session as done",
    "follow-up-reopen": "Reopened something to do after a session",
    "programme.session_scheduled": "Scheduled a training session",
    "programme.session_changed": "Changed a training session",
    "programme.session_deleted": "Deleted a training session",
    "programme.attendee_added": "Added someone to a training session's register",
    "programme.attendee_removed": "Took someone off a training session's register",
    "programme.sign_in_imported": "Imported a training session's sign-in sheet",
    "programme.answers_recorded": "Recorded questionnaire answers from a training session",
    "programme.answers_deleted": "Deleted questionnaire answers from a training session",
    "programme.document_installed": "Put a curriculum or a questionnaire set in force",
    "queue job": "Put a job in the batch queue",
    "claim job": "Started a batch job",
    "cancel job": "Cancelled a batch job",
    "retry job": "Put a batch job back in the queue",
}

# The words for stored detail keys a person would not guess; others are written out
# ("recording_id" → "Recording", "keyframes" → "Keyframes").
KEYS: dict[str, str] = {
    "sha256": "Fingerprint (SHA-256)",
    "fields": "What changed",
    "from": "From",
    "to": "To",
    "now": "Now",
    "was": "Was",
    "moved": "Footage had moved",
    "consent": "May be used in training",
    "added": "Added",
    "n": "Number",
    "ms": "Milliseconds",
}

OBJECTS = {"training_pack": "training pack", "redaction": "mask", "codebook": "codebook"}
STATUS_KEYS = {"from", "to", "status"}  # details whose value is a review status
CATEGORY_KEYS = {"category", "category_key"}  # details whose value is a codebook category
_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")  # a stored name: closure_next_steps


def action_words(action: str) -> str:
    """What happened, in a sentence (an action not listed: its name written out)."""
    known = ACTIONS.get(action)
    if known is not None:
        return known
    words = action.replace(".", " ").replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Something happened"


def object_words(entry: AuditEntry) -> str:
    """``recording 3``, ``training pack 2``: what the event was about."""
    kind = OBJECTS.get(entry.object_type, entry.object_type.replace("_", " "))
    return f"{kind} {entry.object_id}".strip()


def key_words(key: str) -> str:
    """A stored detail key as a label: ``recording_id`` → ``Recording``."""
    if key in KEYS:
        return KEYS[key]
    words = key.replace("_", " ").replace("-", " ").strip()
    if words.endswith(" id"):
        words = words[:-3]
    return words[:1].upper() + words[1:]


def value_words(value: Any, key: str = "", categories: Mapping[str, str] | None = None) -> str:
    """A stored detail value as a person reads it: yes/no, lists joined, nothing as —, a
    review status in its words, a category by its codebook label (``categories``: key →
    label, from ``category_labels``), another stored name (``closure_next_steps``) written
    out."""
    if value is None or value == "":
        return "—"
    if key in STATUS_KEYS and value in STATUS_LABELS:
        return STATUS_LABELS[value]
    if key in CATEGORY_KEYS and categories and isinstance(value, str) and value in categories:
        return categories[value]
    if isinstance(value, str) and _NAME.match(value):
        return value.replace("_", " ")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(v) for v in value) or "—"
    if isinstance(value, Mapping):
        return "; ".join(f"{key_words(str(k))}: {value_words(v)}" for k, v in value.items())
    return str(value)


def detail_lines(
    details: Mapping[str, Any], categories: Mapping[str, str] | None = None
) -> list[str]:
    """The event's details, one ``Key: value`` line each, in the order they were stored;
    categories by their codebook labels when ``categories`` (key → label) is given."""
    return [f"{key_words(str(key))}: {value_words(value, str(key), categories)}"
            for key, value in details.items()]  # fmt: skip


def summary(entry: AuditEntry) -> str:
    """One line for the log's table: what happened, and to what."""
    return f"{action_words(entry.action)} ({object_words(entry)})"


__all__ = [
    "ACTIONS",
    "action_words",
    "category_labels",
    "detail_lines",
    "key_words",
    "object_words",
    "summary",
    "value_words",
]
