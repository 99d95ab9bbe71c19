"""Qt-free workflows that join media and annotations; the CLI and the window both call these.

A table of contents. Each workflow lives in a module named for what it does, and the names
callers use are re-exported here, so ``from bwvreview import app; app.open_library(...)``
keeps working:

- ``opening``: ``open_library``, the composition root for everything that is not a widget
- ``importing``: probe and hash a file, store it (idempotent by SHA-256); the demo incident
- ``footage``: is the footage still the file that was imported (its SHA-256)
- ``transcription``: transcribe a recording (off the GUI thread), store the transcript
- ``suggesting``: phrase-cue suggestions, prompts for a person to look
- ``waveform``: the timeline's peaks, cached by SHA-256

What the window needs besides these comes through the small modules named for its
workflows (``records``, ``errors``, ``recordings``, ``review``, ``transcripts``, ``feedback``,
``learning``, ``packs``, ``search``, ``jobs``, ``admin``): the window imports ``app`` only.

The training programme and the evidence for its evaluation: ``programme`` (curriculum,
questionnaires, sessions, registers, answers), ``outcomes_report`` (the de-identified PDF
and CSV pack, ``report_charts`` and ``outcomes_pdf`` drawing it) and ``dashboard_export``.

A TIP's practice beyond one recording: ``practice`` (incident types and incidents, the
observation templates, what an officer is shown of their own records, the dashboard's
counts by incident type), ``observing`` (observations and their notes), ``ppn1_review``
and ``practice_sessions`` (reflective practice sessions and follow-ups).
"""

# ruff: noqa: F401 (the imports below are re-exported through _HOMES, not used here)
from __future__ import annotations

from typing import TYPE_CHECKING

from bwvreview.app.lazy import lazy_exports

# The same names, for readers, editors and import-linter; at run time each is imported when
# first used (see app.lazy; tests/unit/app/test_lazy_exports.py keeps the two lists equal).
if TYPE_CHECKING:
    from bwvreview import locations
    from bwvreview.annotations.codebook import Codebook, load_codebook
    from bwvreview.annotations.cues.lexicon import Lexicon
    from bwvreview.annotations.records import NewRecording, Recording
    from bwvreview.annotations.review import library, transcripts
    from bwvreview.annotations.review.transcripts import Transcript
    from bwvreview.annotations.store.db import Database
    from bwvreview.app.footage import iter_confirm_footage, iter_fingerprint
    from bwvreview.app.importing import (
        DEMO_FACTS,
        DEMO_FOOTAGE,
        ImportProgress,
        demo_facts,
        import_demo,
        import_media,
        iter_examine,
        iter_import,
        resolve_target,
        store_import,
    )
    from bwvreview.app.opening import Library, current_actor, open_library
    from bwvreview.app.suggesting import (
        CUE_LEXICON,
        SuggestedMoment,
        SuggestResult,
        iter_suggest,
        load_cue_lexicon,
        suggest_for_recording,
        suggest_from_transcript_file,
        suggested_moments,
    )
    from bwvreview.app.transcription import (
        MAX_TRANSCRIBE_MS,
        iter_transcribe_and_store,
        iter_transcription,
        store_transcription,
    )
    from bwvreview.app.waveform import Peaks, iter_waveform
    from bwvreview.bundled import resource_path
    from bwvreview.steps import drain

# Where each name lives: ``app.open_library`` imports bwvreview.app.opening the first time
# it is looked up, so `bwvreview --help` does not wait for the database and Whisper.
_HOMES = {
    "bwvreview": ("locations",),
    "bwvreview.annotations.codebook": ("Codebook", "load_codebook"),
    "bwvreview.annotations.cues.lexicon": ("Lexicon",),
    "bwvreview.annotations.records": ("NewRecording", "Recording"),
    "bwvreview.annotations.review": ("library", "transcripts"),
    "bwvreview.annotations.review.transcripts": ("Transcript",),
    "bwvreview.annotations.store.db": ("Database",),
    "bwvreview.app.footage": ("iter_confirm_footage", "iter_fingerprint"),
    "bwvreview.app.importing": (
        "DEMO_FACTS",
        "DEMO_FOOTAGE",
        "ImportProgress",
        "demo_facts",
        "import_demo",
        "import_media",
        "iter_examine",
        "iter_import",
        "resolve_target",
        "store_import",
    ),
    "bwvreview.app.opening": ("Library", "current_actor", "open_library"),
    "bwvreview.app.suggesting": (
        "CUE_LEXICON",
        "SuggestedMoment",
        "SuggestResult",
        "iter_suggest",
        "load_cue_lexicon",
        "suggest_for_recording",
        "suggest_from_transcript_file",
        "suggested_moments",
    ),
    "bwvreview.app.transcription": (
        "MAX_TRANSCRIBE_MS",
        "iter_transcribe_and_store",
        "iter_transcription",
        "store_transcription",
    ),
    "bwvreview.app.waveform": ("Peaks", "iter_waveform"),
    "bwvreview.bundled": ("resource_path",),
    "bwvreview.steps": ("drain",),
}

__all__, __getattr__, __dir__ = lazy_exports(globals(), _HOMES)
