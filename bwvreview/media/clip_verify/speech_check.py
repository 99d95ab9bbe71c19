"""The speech check: the sound transcribed again in short overlapping windows and searched
for the redacted items and for personal data that identifies someone on its own."""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np

from bwvreview.media.audio import SAMPLE_RATE, decode_audio
from bwvreview.media.clip_verify.verdict import Check, VerifyOptions, VerifyProgress, check_cancel
from bwvreview.media.errors import MediaError
from bwvreview.media.transcribe import DECODE_OPTIONS, SAMPLING_SEED, load_model
from bwvreview.personal_data.conversation import SpeechContext, find_in_conversation
from bwvreview.personal_data.finder import TimedWord

LIST_SOURCE = "list:"  # a hit on one of the items every clip of the incident hides

# Kinds of personal data that identify someone on their own when heard in a clip.
IDENTIFYING_KINDS = {
    "phone",
    "email",
    "postcode",
    "vehicle_registration",
    "date_of_birth",
    "address",
    "name",
}
LISTEN_WINDOW_S = 10  # the speech check transcribes windows this long ...
LISTEN_HOP_S = 5  # ... this often: anything said within 5 s (a phone number) is heard whole


def decode_sound(path: Path, cancel: threading.Event | None) -> np.ndarray:
    """The clip's sound, 16 kHz mono; sound that does not decode is none at all."""
    try:
        return decode_audio(path, cancel=cancel)
    except MediaError:
        return np.zeros(0, dtype=np.float32)


def speech_check(
    sound: np.ndarray, options: VerifyOptions, cancel: threading.Event | None
) -> Generator[VerifyProgress, None, Check]:
    """Listen to the sound again and fail on any redacted item or identifying personal data
    heard (sound that does not decode fails: nothing could be listened to).

    Each window's words are read by the redaction's own detector
    (``find_in_conversation``) with the same context: the words said before the clip's
    span (``options.context_before``), then what the earlier windows heard, and the items
    that are bleeped wherever they are said (``options.redacted_items``).
    """
    if len(sound) == 0:
        return Check("speech", False, "the sound does not decode: nothing could be listened to")
    items = tuple(options.redacted_items)
    earlier = [TimedWord(text, -1, -1) for text in options.context_before]
    heard: list[Any] = []
    detected: list[Any] = []
    spoken = 0
    for fraction, words in listen_to(sound, options.model, cancel):
        spoken += len(words)
        window_start = words[0].start_ms if words else 0
        before = tuple(w for w in earlier if w.end_ms <= window_start)
        for hit in find_in_conversation(words, SpeechContext(before, items)):
            if hit.source.startswith(LIST_SOURCE):
                heard.append(hit)
            elif hit.kind in IDENTIFYING_KINDS:
                detected.append(hit)
        earlier += [w for w in words if w.end_ms > (earlier[-1].end_ms if earlier else -1)]
        yield VerifyProgress("speech", 0.6 + 0.38 * fraction)
    heard_items_, detected = _distinct(heard), _distinct(detected)
    findings = [_hit(h, "a redacted item is audible") for h in heard_items_]
    findings += [_hit(h, "personal data is audible") for h in detected]
    if findings:
        kinds = ", ".join(sorted({f["kind"] for f in findings}))
        return Check("speech", False, f"personal data can still be heard: {kinds}", findings)
    return Check(
        "speech",
        True,
        f"none of {len(options.redacted_items)} redacted items and no personal data heard"
        f" ({spoken} words transcribed in {LISTEN_WINDOW_S:g} s windows)",
    )


def listen(
    path: Path,
    model: str | None,
    cancel: threading.Event | None,
    start_ms: int = 0,
    end_ms: int | None = None,
) -> Iterator[tuple[float, list[TimedWord]]]:
    """Transcribe a span in short overlapping windows, yielding (fraction, words).

    A clip starts mid-conversation, and the small Whisper model given the whole of it
    often writes the first sentence and stops; a fresh look every few seconds hears what
    is there (tested on the demo: the whole clip gave 3 words, windows gave all of it).
    Word times are in the file's time.
    """
    first = start_ms * SAMPLE_RATE // 1000
    last = None if end_ms is None else end_ms * SAMPLE_RATE // 1000
    samples = decode_audio(path, cancel=cancel)[first:last]
    yield from listen_to(samples, model, cancel, start_ms)


def listen_to(
    samples: np.ndarray, model: str | None, cancel: threading.Event | None, start_ms: int = 0
) -> Iterator[tuple[float, list[TimedWord]]]:
    """``listen`` on sound already decoded (16 kHz mono) that starts at ``start_ms``."""
    whisper, _, _ = load_model(model, "auto")
    window, hop = LISTEN_WINDOW_S * SAMPLE_RATE, LISTEN_HOP_S * SAMPLE_RATE
    starts = list(range(0, max(1, len(samples) - (window - hop)), hop)) or [0]
    for n, start in enumerate(starts):
        check_cancel(cancel)
        offset_ms = start_ms + start * 1000 // SAMPLE_RATE
        ctranslate2.set_random_seed(SAMPLING_SEED)  # the same clip always hears the same
        pieces, _ = whisper.transcribe(
            samples[start : start + window], language="en", vad_filter=False, **DECODE_OPTIONS
        )
        words = [
            TimedWord(w.word, offset_ms + round(w.start * 1000), offset_ms + round(w.end * 1000))
            for piece in pieces
            for w in (piece.words or ())
        ]
        yield (n + 1) / len(starts), words


def _distinct(hits: Iterable[Any]) -> list[Any]:
    """One finding per kind and moment: overlapping windows hear the same words twice."""
    seen: dict[tuple[str, int], Any] = {}
    for hit in hits:
        seen.setdefault((hit.kind, hit.start_ms // 1000), hit)
    return list(seen.values())


def _hit(hit: Any, why: str) -> dict[str, Any]:
    return {"why": why, "kind": hit.kind, "start_ms": hit.start_ms, "end_ms": hit.end_ms}
