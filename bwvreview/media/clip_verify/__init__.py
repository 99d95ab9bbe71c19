"""Check a written clip the way a sceptical reviewer would, from the file alone.

Every frame goes through the face detector again; the sound is transcribed again and
searched for the redacted items and for any personal data; the tags in the file are
listed; the picture and sound are checked for length and sync, counting what actually
decodes (a clip cut short still declares its full length); sampled frames are checked for a
static text strip (a banner left readable). Each check says what it found, and the clip
passes only if every check passes. ``Verification.without_values`` is what someone who may
not see raw footage is shown: what kind of thing leaked and where, never the thing itself.

Each check is its own module (``metadata_check``, ``sync_check``, ``face_check``,
``banner_check``, ``speech_check``); ``verdict`` holds what they report and ``wording``
says it in words. This module runs them in order over one decode of the clip.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from pathlib import Path

import numpy as np

from bwvreview.media.audio import SAMPLE_RATE
from bwvreview.media.clip_verify.alongside import Alongside
from bwvreview.media.clip_verify.banner_check import banner_check
from bwvreview.media.clip_verify.face_check import SeenFrames, faces_check
from bwvreview.media.clip_verify.metadata_check import (
    ENCODER_MARKERS,
    NEUTRAL_TAGS,
    NEUTRAL_VALUES,
    metadata_check,
)
from bwvreview.media.clip_verify.speech_check import (
    IDENTIFYING_KINDS,
    LISTEN_HOP_S,
    LISTEN_WINDOW_S,
    decode_sound,
    listen,
    listen_to,
    speech_check,
)
from bwvreview.media.clip_verify.sync_check import (
    SYNC_TOLERANCE_MS,
    frame_total,
    read_streams,
    sync_check,
)
from bwvreview.media.clip_verify.verdict import (
    Check,
    Verification,
    VerifyCancelled,
    VerifyOptions,
    VerifyProgress,
)
from bwvreview.media.clip_verify.wording import describe_finding, describe_tag, summary_lines

__all__ = [
    "ENCODER_MARKERS",
    "IDENTIFYING_KINDS",
    "LISTEN_HOP_S",
    "LISTEN_WINDOW_S",
    "NEUTRAL_TAGS",
    "NEUTRAL_VALUES",
    "SYNC_TOLERANCE_MS",
    "Check",
    "SeenFrames",
    "Verification",
    "VerifyCancelled",
    "VerifyOptions",
    "VerifyProgress",
    "describe_finding",
    "describe_tag",
    "iter_verify_clip",
    "listen",
    "listen_to",
    "summary_lines",
]

_BANNER_SAMPLES = 12


def iter_verify_clip(
    path: Path,
    options: VerifyOptions | None = None,
    cancel: threading.Event | None = None,
    seen: SeenFrames | None = None,
    heard: Check | None = None,
) -> Generator[VerifyProgress, None, Verification]:
    """Run every check on ``path``; yield progress; return the verification. ``seen``
    carries the face check's work from an earlier version of the same clip (a repair):
    frames that did not change are not scanned again; ``heard`` is the speech check of an
    earlier version whose sound was written from the same source with the same bleeps (a
    repair of faces only), taken as it is rather than transcribed again."""
    options = options or VerifyOptions()
    started = time.perf_counter()
    streams = read_streams(path)
    checks = [metadata_check(path, streams["tags"])]
    # The banner is looked for in a dozen frames spread over the clip after its card,
    # kept as the face check decodes every frame (one decode, a dozen frames in memory).
    total = frame_total(path)
    first = min(total, round(options.skip_before_ms * streams["fps"] / 1000))
    eligible = total - first
    picks = {
        first + int(i) for i in np.linspace(0, eligible - 1, min(_BANNER_SAMPLES, eligible)).round()
    }
    samples: list[np.ndarray] = []
    decoded: dict[str, int] = {}
    # The sound is listened to on a helper thread while the frames are looked at here.
    listening = (
        Alongside(lambda halt: _listen(path, options, halt))
        if streams["has_audio"] and heard is None
        else None
    )
    try:
        looking = faces_check(path, options, cancel, picks, samples, decoded, seen)
        faces = yield from _beside(looking, listening)
        checks.append(faces)
        checks.append(banner_check(samples, options))
        sound_ms = None
        if not streams["has_audio"]:
            checks.append(
                Check("speech", True, "the clip has no sound: nothing to hear", skipped=True)
            )
        elif listening is not None:
            sound_ms, speech = yield from listening.result(cancel)
            checks.append(speech)
        else:
            sound_ms = len(decode_sound(path, cancel)) * 1000 // SAMPLE_RATE
            checks.append(heard)  # type: ignore[arg-type]
    finally:
        if listening is not None:
            listening.stop()
    checks.insert(1, sync_check(streams, decoded.get("frames", 0), sound_ms))
    yield VerifyProgress("done", 1.0)
    return Verification(path, tuple(checks), time.perf_counter() - started)


def _listen(
    path: Path, options: VerifyOptions, halt: threading.Event
) -> Generator[VerifyProgress, None, tuple[int, Check]]:
    """The sound's length (ms) and the speech check, ``halt`` its cancel flag."""
    sound = decode_sound(path, halt)
    speech = yield from speech_check(sound, options, halt)
    return len(sound) * 1000 // SAMPLE_RATE, speech


def _beside(
    looking: Generator[VerifyProgress, None, Check], listening: Alongside | None
) -> Generator[VerifyProgress, None, Check]:
    """The face check's progress with the speech check's share added while both run."""
    while True:
        try:
            step = next(looking)
        except StopIteration as done:
            return done.value
        heard = listening.latest if listening is not None else None
        extra = max(0.0, heard.fraction - 0.6) if heard is not None else 0.0
        yield VerifyProgress(step.stage, step.fraction + extra)
