"""What a clip bleeps, read once from the transcript, and what verification listens for.

The span's words are read with the conversation around them (``SpeechContext``): the words
said just before the span, and the incident's people, places and numbers, which are the
reviewer's list plus what is found anywhere in the incident's transcripts (names, places,
addresses, phone numbers...), less what the reviewer dismissed. The export dialog and the
export call ``speech_plan`` alike, so the hits a reviewer unticks are the hits exported;
verification is given the same items and the same words before the span
(``verify_context``), so it reads what it hears as the redaction read the transcript.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from bwvreview.annotations.learning import clips
from bwvreview.annotations.review import library, transcripts
from bwvreview.app import Library
from bwvreview.personal_data.conversation import (
    SpeechContext,
    find_in_conversation,
    found_items,
    words_before,
)
from bwvreview.personal_data.finder import PersonalDataHit, TimedWord, find_personal_data


@dataclass(frozen=True)
class SpeechPlan:
    words: tuple[TimedWord, ...]  # the span's words, as the transcript has them
    context: SpeechContext  # the words before the span; the items bleeped wherever heard
    hits: tuple[PersonalDataHit, ...]  # what the export bleeps (unless unticked), on words
    found: tuple[tuple[str, str], ...]  # (text, kind) found and not on the reviewer's list
    transcribed: bool = True  # False: the recording has no transcript yet


def words_in(
    transcript: transcripts.Transcript | None, start_ms: int, end_ms: int
) -> list[TimedWord]:
    """The transcript's words heard in ``[start_ms, end_ms)`` (none without a transcript)."""
    if transcript is None:
        return []
    return [
        TimedWord(w.text, w.start_ms, w.end_ms)
        for w in transcript.words
        if w.end_ms > start_ms and w.start_ms < end_ms
    ]


def speech_plan(lib: Library, recording_id: int, start_ms: int, end_ms: int) -> SpeechPlan:
    """The span's words, their context and the personal data in them (see the module)."""
    transcript = transcripts.current_transcript(lib.db, recording_id)
    everything = _all_words(transcript)
    listed = clips.people_and_places(lib.db, recording_id)
    found = _found(lib, recording_id, listed)
    context = SpeechContext(words_before(everything, start_ms), tuple(listed), found)
    words = tuple(w for w in everything if w.end_ms > start_ms and w.start_ms < end_ms)
    hits = tuple(find_in_conversation(words, context))
    return SpeechPlan(words, context, hits, found, transcribed=transcript is not None)


def verify_context(context: SpeechContext) -> tuple[str, ...]:
    """The words said before the span, as verification is given them (text only)."""
    return tuple(w.text for w in context.before)


def store_found(lib: Library, recording_id: int, plan: SpeechPlan) -> int:
    """Keep what was found as unconfirmed entries of the incident's people & places."""
    if not plan.found:
        return 0
    return clips.add_found_people_and_places(lib.db, recording_id, plan.found, lib.actor)


def _all_words(transcript: transcripts.Transcript | None) -> list[TimedWord]:
    if transcript is None:
        return []
    return [TimedWord(w.text, w.start_ms, w.end_ms) for w in transcript.words]


def found_people_and_places(lib: Library, recording_id: int) -> list[tuple[str, str]]:
    """(text, kind) found in the incident's transcripts, not on the reviewer's list and not
    dismissed: bleeped wherever said until the reviewer confirms or dismisses each."""
    return list(_found(lib, recording_id, clips.people_and_places(lib.db, recording_id)))


def dismiss_found(lib: Library, recording_id: int, texts: Sequence[str]) -> None:
    """The reviewer says these found entries are not personal data."""
    if texts:  # what was found but never stored is stored first, to be dismissed
        kinds = dict(found_people_and_places(lib, recording_id))
        found = [(text, kinds.get(text, "name")) for text in texts]
        clips.add_found_people_and_places(lib.db, recording_id, found, lib.actor)
        clips.dismiss_found(lib.db, recording_id, texts, lib.actor)


def _found(lib: Library, recording_id: int, listed: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Names, places and numbers found in the incident's transcripts, and those found
    before, that are not on the reviewer's list and were not dismissed."""
    stored = clips.found_people_and_places(lib.db, recording_id)
    dismissed = {e.text.casefold() for e in stored if e.state == clips.DISMISSED}
    listed_keys = {item.casefold() for item in listed}
    fresh: list[tuple[str, str]] = []
    for transcript in _incident_transcripts(lib, recording_id):
        fresh += _found_in(transcript.id, tuple(_all_words(transcript)), tuple(listed))
    candidates = [*((e.text, e.kind) for e in stored if e.state == clips.FOUND), *fresh]
    kept: dict[str, tuple[str, str]] = {}
    for text, kind in candidates:
        key = text.casefold()
        if key not in dismissed and key not in listed_keys:
            kept.setdefault(key, (text, kind))
    return tuple(kept.values())


def _incident_transcripts(lib: Library, recording_id: int) -> list[transcripts.Transcript]:
    """The current transcripts of every recording of this recording's incident."""
    recording = library.get_recording(lib.db, recording_id)
    ids = [recording_id]
    if recording.incident_reference:
        ids += [
            r.id
            for r in library.list_recordings(lib.db)
            if r.incident_reference == recording.incident_reference and r.id != recording_id
        ]
    found = (transcripts.current_transcript(lib.db, rid) for rid in ids)
    return [t for t in found if t is not None]


@functools.lru_cache(maxsize=8)
def _found_in(
    transcript_id: int, words: tuple[TimedWord, ...], listed: tuple[str, ...]
) -> list[tuple[str, str]]:
    """What one transcript gives away, once per transcript (the dialog asks often)."""
    return found_items(find_personal_data(words, listed))
