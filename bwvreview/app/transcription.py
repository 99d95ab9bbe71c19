"""Transcribing a recording's footage (off the GUI thread) and storing the result as its
current transcript (on it).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Generator
from pathlib import Path

from bwvreview.annotations.review import library, transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord, Transcript
from bwvreview.app.footage import iter_confirm_footage
from bwvreview.app.opening import Library
from bwvreview.media.devices import backend_label, requested_device
from bwvreview.media.errors import MediaError
from bwvreview.media.transcribe import (
    TranscribeProgress,
    TranscriptionCancelled,
    TranscriptionResult,
    transcribe,
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
    hashed_now: bool = False,
) -> Generator[TranscribeProgress, None, TranscriptionResult]:
    """Transcribe a recording's footage, yielding progress; return the result (nothing stored).

    Touches the database only to read where the footage is, so the window can run it on a
    worker thread and store the result with ``store_transcription`` on the main thread.
    The footage is first checked against its SHA-256, unless ``hashed_now`` says the caller
    has just imported it (``resolve_target_hashed``).
    """
    chosen_device(device)  # a mistyped BWVREVIEW_DEVICE is refused before any work
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
    if not hashed_now:
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


def chosen_device(device: str | None = None) -> str:
    """The device a transcription asks for (auto, cpu or cuda): ``device`` if cpu or cuda,
    else ``BWVREVIEW_DEVICE``, else auto. A name bwvreview does not know raises
    ``MediaError``, before any work is done."""
    return requested_device(device)


def device_label(device: str, compute_type: str) -> str:
    """Where a transcript was made, in plain words: "CPU (int8, oneDNN)", "GPU (CUDA, float16)"."""
    return backend_label(device, compute_type)


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
    hashed_now: bool = False,
) -> Generator[TranscribeProgress, None, Transcript]:
    """Transcribe then store (for the command line, which has no GUI thread to keep free)."""
    result = yield from iter_transcription(
        lib, recording_id, model=model, device=device, cancel=cancel, hashed_now=hashed_now
    )
    return store_transcription(lib, recording_id, result)
