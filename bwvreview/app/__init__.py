"""Qt-free workflows that join media and annotations; the CLI and the window both call these.

``open_library`` is the composition root for everything that is not a widget: it resolves
where the data lives, opens and migrates the database, and loads the codebook.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bwvreview import locations
from bwvreview.annotations.access import os_account
from bwvreview.annotations.codebook import (
    Codebook,
    installed_codebook,
    load_codebook,
    store_codebook,
)
from bwvreview.annotations.cues import find_cues, suggestions
from bwvreview.annotations.cues.lexicon import Lexicon, load_lexicon
from bwvreview.annotations.formats.transcript_json import read_transcript_file
from bwvreview.annotations.records import NewRecording, Recording
from bwvreview.annotations.review import library, transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord, Transcript
from bwvreview.annotations.store.backup import backup_if_due
from bwvreview.annotations.store.db import Database, open_database
from bwvreview.app.demo import seed_demo
from bwvreview.bundled import resource_path
from bwvreview.media.errors import MediaError
from bwvreview.media.hashing import iter_sha256
from bwvreview.media.probe import probe
from bwvreview.media.transcribe import (
    TranscribeProgress,
    TranscriptionCancelled,
    TranscriptionResult,
    transcribe,
)
from bwvreview.media.waveform import Peaks, iter_cached_peaks, peaks_cache_path
from bwvreview.steps import drain

log = logging.getLogger(__name__)

DEMO_FOOTAGE = ("demo", "demo_incident.mp4")
DEMO_FACTS = ("demo", "demo_incident.json")


@dataclass(frozen=True)
class Library:
    """An open library: database, data folder and the codebook in force."""

    db: Database
    data_dir: Path
    codebook: Codebook
    codebook_id: int
    actor: str

    def close(self) -> None:
        self.db.close()


def current_actor() -> str:
    """Who is acting, for the audit log, until someone signs in: the OS account."""
    return os_account()


def open_library(
    db_url: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    codebook_path: Path | None = None,
) -> Library:
    """Open the library: resolve locations, migrate the database, load and record the codebook."""
    data = locations.data_dir(data_dir)
    url = locations.database_url(db_url, data)
    # The codebook in force: a file given here, else the one an admin installed in the
    # library, else the bundled one. A bad file is refused before the database is touched.
    explicit = load_codebook(codebook_path) if codebook_path else None
    db = open_database(url)
    backup_if_due(db, data / "backups")  # SQLite only, once a day; cheap when not due
    codebook = explicit or installed_codebook(db) or load_codebook(resource_path("codebook.yaml"))
    with db.begin() as session:
        codebook_id = store_codebook(session, codebook)
    return Library(db, data, codebook, codebook_id, current_actor())


T = TypeVar("T")


@dataclass(frozen=True)
class ImportProgress:
    path: Path
    stage: str  # "probing" | "hashing"
    fraction: float


def _check_storable_name(path: Path) -> None:
    """Refuse a path whose bytes are not UTF-8 (possible on Linux): it cannot be stored as text."""
    try:
        str(path.absolute()).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path.name).decode("utf-8", "replace")
        raise MediaError(
            f"{shown}: the file or folder name is not valid UTF-8 text, so the library cannot "
            "record where it is; rename it and import it again"
        ) from None


def iter_examine(path: Path) -> Generator[ImportProgress, None, NewRecording]:
    """Probe and hash one file (read-only), yielding progress; return what to store.

    Touches no database, so the window can run it on a worker thread. A bad file raises
    ``MediaError`` before anything is stored.
    """
    path = Path(path)
    _check_storable_name(path)
    yield ImportProgress(path, "probing", 0.0)
    info = probe(path)
    if not info.has_audio:
        raise MediaError(
            f"{path.name}: this recording has no audio stream; body-worn video needs its sound"
        )
    hashing = iter_sha256(path)
    while True:
        try:
            yield ImportProgress(path, "hashing", next(hashing))
        except StopIteration as finished:
            sha = finished.value
            break
    return NewRecording(
        path=str(path.resolve()),
        sha256=sha,
        size_bytes=info.size_bytes,
        duration_ms=info.duration_ms,
        container=info.container,
        fps=info.fps,
        variable_frame_rate=info.variable_frame_rate,
        width=info.width,
        height=info.height,
        rotation=info.rotation,
        video_codec=info.video_codec,
        audio_codec=info.audio_codec,
        audio_channels=info.audio_channels,
        recorded_at=info.recorded_at,
    )


def store_import(
    lib: Library, new: NewRecording, *, incident: str | None = None, officer: str | None = None
) -> tuple[Recording, bool]:
    """Store an examined file (idempotent by SHA-256); return ``(recording, created)``."""
    return library.add_recording(
        lib.db, new, incident_reference=incident, officer_collar=officer, actor=lib.actor
    )


def iter_import(
    lib: Library, path: Path, *, incident: str | None = None, officer: str | None = None
) -> Generator[ImportProgress, None, tuple[Recording, bool]]:
    """Examine then store one file, yielding progress; return ``(recording, created)``."""
    new = yield from iter_examine(path)
    return store_import(lib, new, incident=incident, officer=officer)


def import_media(
    lib: Library, path: Path, *, incident: str | None = None, officer: str | None = None
) -> tuple[Recording, bool]:
    """Import one file (see ``iter_import``) and return ``(recording, created)``."""
    return drain(iter_import(lib, path, incident=incident, officer=officer))


def demo_facts() -> dict:
    """The demo incident's ground truth (script, speakers, planted personal data)."""
    return json.loads(resource_path(*DEMO_FACTS).read_text(encoding="utf-8"))


def import_demo(lib: Library) -> Recording:
    """Import the bundled demo incident (idempotent) and return its recording.

    Transcription is a separate step (``iter_transcribe_and_store``) so the window can run
    it with a progress bar.
    """
    facts = demo_facts()
    recording, _created = import_media(
        lib,
        resource_path(*DEMO_FOOTAGE),
        incident=facts.get("incident_reference", "DEMO-0001"),
        officer=str(facts.get("officer", "")).split()[-1] or None,  # "PC 4471" -> "4471"
    )
    seed_demo(lib, recording.id, facts.get("utterances", []))
    return library.get_recording(lib.db, recording.id)


def resolve_target(lib: Library, target: str) -> Recording:
    """A TARGET on the command line: a recording id, or a media path imported first."""
    path = Path(target)
    if target.isdigit() and not path.is_file():
        return library.get_recording(lib.db, int(target))
    recording, _created = import_media(lib, path)
    return recording


def iter_confirm_footage(
    recording: Recording, doing: str, cancel: threading.Event | None = None
) -> Generator[float, None, None]:
    """The footage must still be the file that was imported, byte for byte: SHA-256 now
    against the one stored at import, yielding the fraction hashed. Export and
    transcription both vouch for what they derive from it, so both call this.

    Raises ``MediaError`` ("... nothing {doing}") when it is missing or has changed.
    """
    path = Path(recording.path)
    if not path.is_file():
        raise MediaError(
            f"{path}: the footage is no longer there (moved or on a disconnected drive);"
            f" nothing {doing}"
        )
    hashing = iter_sha256(path)
    while True:
        if cancel is not None and cancel.is_set():
            hashing.close()
            return  # the caller's own check of its flag raises its own kind of cancel
        try:
            yield next(hashing)
        except StopIteration as finished:
            digest = finished.value
            break
    if digest != recording.sha256:
        raise MediaError(
            f"{path.name} has changed since it was imported (SHA-256 differs); nothing {doing}"
        )


# The whole sound track is decoded into memory (16 kHz float32, about 230 MB an hour, twice
# that while it is converted) and then searched for speech: 4 hours is about 2 GB at the
# peak. A 10-hour file took more than 150 s before transcribing a word, so it is refused at
# once rather than left to run out of memory.
MAX_TRANSCRIBE_MS = 4 * 3_600_000


def iter_transcription(
    lib: Library,
    recording_id: int,
    *,
    model: str | None = None,
    device: str = "auto",
    cancel: threading.Event | None = None,
) -> Generator[TranscribeProgress, None, TranscriptionResult]:
    """Transcribe a recording's footage, yielding progress; return the result (nothing stored).

    Touches the database only to read where the footage is, so the window can run it on a
    worker thread and store the result with ``store_transcription`` on the main thread.
    """
    recording = library.get_recording(lib.db, recording_id)
    path = Path(recording.path)
    if not recording.has_audio:
        raise MediaError(f"{path.name}: this recording has no audio")
    if recording.duration_ms > MAX_TRANSCRIBE_MS:
        hours, minutes = divmod(recording.duration_ms // 60_000, 60)
        raise MediaError(
            f"{path.name} is {hours} h {minutes:02d} min long; transcription takes up to "
            f"{MAX_TRANSCRIBE_MS // 3_600_000} hours at a time (the sound is held in memory): "
            "split the file into shorter parts and import those"
        )
    # Hashed without progress records: a refusal is one line, not "transcribing 0%" first.
    # The flag is still looked at between chunks.
    for _fraction in iter_confirm_footage(recording, "transcribed", cancel):
        pass
    if cancel is not None and cancel.is_set():
        raise TranscriptionCancelled()
    chosen = model or os.environ.get("BWVREVIEW_MODEL") or None
    for step in transcribe(path, model=chosen, device=device, cancel=cancel):
        if isinstance(step, TranscriptionResult):
            return step
        yield step
    raise MediaError(f"{path.name}: transcription produced no result")


def store_transcription(lib: Library, recording_id: int, result: TranscriptionResult) -> Transcript:
    """Store a finished transcription as the recording's current transcript."""
    segments = [
        NewSegment(
            start_ms=s.start_ms,
            end_ms=s.end_ms,
            text=s.text,
            speaker=s.speaker,
            words=tuple(NewWord(w.start_ms, w.end_ms, w.text, w.probability) for w in s.words),
        )
        for s in result.segments
    ]
    return transcripts.store_transcript(
        lib.db,
        recording_id,
        segments,
        model=result.model,
        device=result.device,
        compute_type=result.compute_type,
        language=result.language,
        speaker_confidence=result.speaker_confidence,
        actor=lib.actor,
    )


def iter_transcribe_and_store(
    lib: Library,
    recording_id: int,
    *,
    model: str | None = None,
    device: str = "auto",
    cancel: threading.Event | None = None,
) -> Generator[TranscribeProgress, None, Transcript]:
    """Transcribe then store (for the command line, which has no GUI thread to keep free)."""
    result = yield from iter_transcription(
        lib, recording_id, model=model, device=device, cancel=cancel
    )
    return store_transcription(lib, recording_id, result)


# --- Phrase-cue suggestions: prompts for a person to look, never verdicts ------------------

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
    recording = resolve_target(lib, target)
    if transcripts.current_transcript(lib.db, recording.id) is None:
        yield from iter_transcribe_and_store(
            lib, recording.id, model=model, device=device, cancel=cancel
        )
    return suggest_for_recording(lib, recording.id, lexicon)


def iter_waveform(
    lib: Library, recording: Recording, cancel: threading.Event | None = None
) -> Generator[float, None, Peaks]:
    """The recording's waveform peaks: from the cache beside the database, else computed
    (yielding the fraction done) and cached, so re-opening is instant."""
    cache = peaks_cache_path(lib.data_dir / "cache" / "peaks", recording.sha256)
    return (yield from iter_cached_peaks(Path(recording.path), cache, cancel=cancel))
