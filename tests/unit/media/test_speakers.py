"""Guessing the camera wearer's segments from level and voice character."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bwvreview.media.audio import decode_audio
from bwvreview.media.speakers import SpeakerGuess, guess_speakers, speaker_turns

RATE = 16000
SPEECH_PATH = Path(__file__).parents[2] / "data" / "speech_two_voices.mp4"
# Where the four turns of speech_two_voices.mp4 fall (see tests/data/make_speech.py).
SPEECH_TURNS_MS = ((460, 4920), (5680, 9140), (10160, 11660), (12580, 13980))
SPEECH_ROLES = ("wearer", "other", "wearer", "other")


def _voice(f0_hz: float, level_dbfs: float, seconds: float, seed: int) -> np.ndarray:
    """A buzzy harmonic 'voice' with a syllable rhythm, at a given RMS level."""
    t = np.arange(int(seconds * RATE)) / RATE
    wobble = 1 + 0.03 * np.sin(2 * np.pi * 5 * t)
    phase = 2 * np.pi * f0_hz * np.cumsum(wobble) / RATE
    wave = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = 0.6 + 0.4 * np.abs(np.sin(2 * np.pi * 2.5 * t))
    noise = np.random.default_rng(seed).normal(0, 0.02, len(t))
    signal = wave * syllables + noise
    rms = np.sqrt(np.mean(signal**2))
    return (signal / rms * 10 ** (level_dbfs / 20)).astype(np.float32)


def _conversation(turns: list[tuple[float, float]]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Concatenate (f0, level) turns of 2 s with 0.5 s gaps; return audio and turn spans."""
    gap = np.zeros(RATE // 2, dtype=np.float32)
    pieces, spans, at_ms = [gap], [], 500
    for index, (f0, level) in enumerate(turns):
        pieces += [_voice(f0, level, 2.0, seed=index), gap]
        spans.append((at_ms, at_ms + 2000))
        at_ms += 2500
    return np.concatenate(pieces), spans


def _guess(turns: list[tuple[float, float]]) -> SpeakerGuess:
    audio, spans = _conversation(turns)
    return guess_speakers(audio, RATE, spans)


def test_louder_voice_is_the_wearer() -> None:
    near, far = (110.0, -14.0), (210.0, -30.0)
    audio, spans = _conversation([far, near, near, far, near, far])
    guess = guess_speakers(audio, RATE, spans)
    assert guess.roles == ("other", "wearer", "wearer", "other", "wearer", "other")
    assert guess.confidence > 0.6


def test_same_pitch_told_apart_by_level_alone() -> None:
    near, far = (150.0, -16.0), (150.0, -34.0)
    guess = _guess([near, far, near, far])
    assert guess.roles == ("wearer", "other", "wearer", "other")
    assert guess.confidence > 0.6


def test_one_loud_voice_is_all_wearer_with_middling_confidence() -> None:
    guess = _guess([(120.0, -15.0), (122.0, -16.0), (118.0, -15.5)])
    assert guess.roles == ("wearer",) * 3
    assert guess.confidence == pytest.approx(0.5, abs=0.05)


def test_one_distant_voice_is_all_other() -> None:
    guess = _guess([(200.0, -40.0), (205.0, -41.0)])
    assert guess.roles == ("other", "other")
    assert guess.confidence == pytest.approx(0.5, abs=0.05)


def test_no_spans_gives_no_roles() -> None:
    guess = guess_speakers(np.zeros(RATE, dtype=np.float32), RATE, [])
    assert guess.roles == ()
    assert guess.confidence == 0.0


def test_silent_or_out_of_range_spans_get_a_role_each_and_no_confidence() -> None:
    audio = np.zeros(3 * RATE, dtype=np.float32)
    guess = guess_speakers(audio, RATE, [(0, 1000), (1000, 1000), (5000, 6000)])
    assert len(guess.roles) == 3
    assert guess.confidence == 0.0


def test_two_voice_recording_finds_the_wearer() -> None:
    audio = decode_audio(SPEECH_PATH)
    guess = guess_speakers(audio, RATE, SPEECH_TURNS_MS)
    assert guess.roles == SPEECH_ROLES
    assert guess.confidence > 0.6


@pytest.mark.parametrize(
    ("roles", "turns"),
    [
        ("", []),
        ("w", [(0, 1, "w")]),
        ("wwwoowww", [(0, 3, "w"), (3, 5, "o"), (5, 8, "w")]),
        ("wwowww", [(0, 6, "w")]),  # one odd word is not a turn
        ("owww", [(0, 4, "w")]),
        ("wwowoo", [(0, 4, "w"), (4, 6, "o")]),
    ],
)
def test_speaker_turns_need_two_words_in_a_row(roles: str, turns: list) -> None:
    assert speaker_turns(list(roles)) == turns
