"""Phrase-cue suggestions: prompts for a person to look, never verdicts."""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path

from bwvreview.annotations.cues import find_cues, suggestions
from bwvreview.annotations.cues.lexicon import Lexicon, load_lexicon
from bwvreview.annotations.formats.transcript_json import read_transcript_file
from bwvreview.annotations.records import Recording
from bwvreview.annotations.review import library, transcripts
from bwvreview.app.importing import resolve_target_hashed
from bwvreview.app.opening import Library
from bwvreview.app.transcription import iter_transcribe_and_store
from bwvreview.bundled import resource_path
from bwvreview.media.transcribe import TranscribeProgress

CUE_LEXICON = ("cues.yaml",)


@dataclass(frozen=True)
class SuggestedMoment:
    """One suggested moment as the command line and the window show it (times in ms)."""

    start_ms: int
    end_ms: int
    category: str
    label: str
    polarity: str
    prompt: str
    cue_id: str
    text: str
    speaker: str
    precision: str
    state: str  # pending | accepted | rejected, or "unsaved" when computed from a file
    suggestion_id: int | None
    priority: bool = False  # a priority welfare flag: to be looked at first

    def to_json(self) -> dict[str, object]:
        """The shape of ``bwvreview suggest --json`` (a stable contract; seconds)."""
        return {
            "start": round(self.start_ms / 1000, 3),
            "end": round(self.end_ms / 1000, 3),
            "category": self.category,
            "polarity": self.polarity,
            "cue": self.cue_id,
            "text": self.text,
            "speaker": self.speaker,
            "precision": self.precision,
        }


@dataclass(frozen=True)
class SuggestResult:
    source: str  # the footage or transcript file the suggestions were made for
    recording: Recording | None  # None for a transcript file (nothing stored)
    moments: tuple[SuggestedMoment, ...]


def load_cue_lexicon(lib: Library, path: Path | None = None) -> Lexicon:
    """The cue lexicon (default: the bundled cues.yaml), checked against the codebook."""
    return load_lexicon(path or resource_path(*CUE_LEXICON), lib.codebook)


def _category_words(lib: Library, lexicon: Lexicon, key: str) -> tuple[str, str, str]:
    """Label, polarity and learning prompt of a category (the codebook's definition if an
    edited lexicon no longer has the category)."""
    category = lib.codebook.category(key)
    known = {c.key for c in lexicon.categories}
    prompt = lexicon.category(key).prompt if key in known else category.definition
    return category.label, category.polarity, prompt


def _is_priority(lexicon: Lexicon, key: str) -> bool:
    return any(c.key == key and c.priority for c in lexicon.categories)


def suggest_from_transcript_file(
    lib: Library, path: Path, lexicon: Lexicon | None = None
) -> SuggestResult:
    """Suggestions for a ``transcribe --json`` file, computed without storing anything."""
    lexicon = lexicon or load_cue_lexicon(lib)
    moments = tuple(
        SuggestedMoment(
            s.start_ms,
            s.end_ms,
            s.category,
            *_category_words(lib, lexicon, s.category),
            s.cue_id,
            s.text,
            s.speaker,
            s.precision,
            "unsaved",
            None,
            _is_priority(lexicon, s.category),
        )
        for s in find_cues(lexicon, read_transcript_file(path))
    )
    return SuggestResult(Path(path).name, None, moments)


def suggest_for_recording(
    lib: Library, recording_id: int, lexicon: Lexicon | None = None
) -> SuggestResult:
    """Generate and store suggestions for a transcribed recording (idempotent) and return
    those a person has not rejected, in time order."""
    lexicon = lexicon or load_cue_lexicon(lib)
    recording = library.get_recording(lib.db, recording_id)
    stored = suggestions.generate_suggestions(lib.db, lexicon, recording_id, actor=lib.actor)
    moments = suggested_moments(lib, lexicon, stored)
    return SuggestResult(Path(recording.path).name, recording, moments)


def suggested_moments(
    lib: Library, lexicon: Lexicon, stored: Iterable[suggestions.Suggestion]
) -> tuple[SuggestedMoment, ...]:
    """Stored suggestions as the command line and the window show them, leaving out those a
    person rejected (the workspace stores a plan made off the GUI thread, then calls this)."""
    return tuple(
        SuggestedMoment(
            s.start_ms,
            s.end_ms,
            s.category_key,
            *_category_words(lib, lexicon, s.category_key),
            s.cue_id,
            s.quote,
            s.speaker,
            s.precision,
            s.state,
            s.id,
            _is_priority(lexicon, s.category_key),
        )
        for s in stored
        if s.state != "rejected"
    )


def iter_suggest(
    lib: Library,
    target: str,
    *,
    model: str | None = None,
    device: str = "auto",
    cancel: threading.Event | None = None,
) -> Generator[TranscribeProgress, None, SuggestResult]:
    """Suggestions for a command-line TARGET, yielding transcription progress if any.

    TARGET is a transcript file from ``transcribe --json`` (suggested without storing), a
    recording id, or a media path (imported first). A recording with no current transcript
    is transcribed and stored first.
    """
    if Path(target).suffix.lower() == ".json":
        return suggest_from_transcript_file(lib, Path(target))
    lexicon = load_cue_lexicon(lib)  # a broken lexicon is reported before any long work
    recording, hashed_now = resolve_target_hashed(lib, target)
    if transcripts.current_transcript(lib.db, recording.id) is None:
        yield from iter_transcribe_and_store(
            lib, recording.id, model=model, device=device, cancel=cancel, hashed_now=hashed_now
        )
    return suggest_for_recording(lib, recording.id, lexicon)
