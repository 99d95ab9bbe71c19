"""The clip's audio graph, run through the real FFmpeg: bleeps, mutes, lead-in, disguise."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from bwvreview.media.audio_filter import SAMPLE_RATE, AudioPlan, audio_filter
from bwvreview.media.ffmpeg import ffmpeg_exe
from tests.mediafactory import make_clip


@pytest.fixture(scope="module")
def tone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("af") / "tone.m4a", seconds=3.0, video=False)


def _render(source: Path, plan: AudioPlan) -> np.ndarray:
    cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-i", str(source)]
    cmd += ["-filter_complex", audio_filter(plan, source="0:a"), "-map", "[aout]"]
    cmd += ["-f", "f32le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"]
    raw = subprocess.run(cmd, check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.float32)


def _window(samples: np.ndarray, at_s: float, length_s: float = 0.1) -> np.ndarray:
    a = int(at_s * SAMPLE_RATE)
    return samples[a : a + int(length_s * SAMPLE_RATE)]


def _pitch(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)[np.argmax(spectrum)])


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


def test_without_spans_the_sound_is_cut_to_length(tone: Path) -> None:
    out = _render(tone, AudioPlan(duration_ms=2000))
    assert abs(len(out) - 2 * SAMPLE_RATE) < SAMPLE_RATE * 0.01
    assert _pitch(_window(out, 1.0)) == pytest.approx(440, abs=15)


def test_a_span_is_replaced_by_a_1khz_tone(tone: Path) -> None:
    out = _render(tone, AudioPlan(duration_ms=3000, spans_ms=((1000, 1600),)))
    assert _pitch(_window(out, 0.5)) == pytest.approx(440, abs=15)
    inside = _window(out, 1.2)
    assert _pitch(inside) == pytest.approx(1000, abs=15)
    # Only the tone: no trace of the 440 Hz speech stand-in inside the span.
    spectrum = np.abs(np.fft.rfft(inside * np.hanning(len(inside))))
    freqs = np.fft.rfftfreq(len(inside), 1 / SAMPLE_RATE)
    near_440 = spectrum[(freqs > 420) & (freqs < 460)].max()
    assert near_440 < spectrum.max() * 0.01
    assert _pitch(_window(out, 2.0)) == pytest.approx(440, abs=15)


def test_span_edges_are_within_a_few_milliseconds(tone: Path) -> None:
    out = _render(tone, AudioPlan(duration_ms=3000, spans_ms=((1000, 1600),), mode="mute"))
    level = np.array([_rms(_window(out, t / 1000, 0.002)) for t in range(950, 1650, 2)])
    silent_ms = [950 + 2 * i for i, v in enumerate(level) if v < 1e-4]
    assert min(silent_ms) == pytest.approx(1000, abs=6)
    assert max(silent_ms) == pytest.approx(1598, abs=6)


def test_mute_leaves_silence(tone: Path) -> None:
    out = _render(tone, AudioPlan(duration_ms=3000, spans_ms=((500, 900), (2000, 2500)),
                                  mode="mute"))
    assert _rms(_window(out, 0.6)) < 1e-4
    assert _rms(_window(out, 2.2)) < 1e-4
    assert _rms(_window(out, 1.2)) > 0.05


def test_lead_in_is_silent_and_shifts_the_sound(tone: Path) -> None:
    out = _render(tone, AudioPlan(duration_ms=2000, lead_in_ms=1000))
    assert abs(len(out) - 3 * SAMPLE_RATE) < SAMPLE_RATE * 0.01
    assert _rms(_window(out, 0.4)) < 1e-4
    assert _pitch(_window(out, 1.5)) == pytest.approx(440, abs=15)


def test_voice_disguise_raises_pitch_and_keeps_duration(tone: Path) -> None:
    out = _render(tone, AudioPlan(duration_ms=3000, voice_disguise=True))
    assert abs(len(out) - 3 * SAMPLE_RATE) < SAMPLE_RATE * 0.02
    assert _pitch(_window(out, 1.5, 0.2)) == pytest.approx(440 * 1.2, abs=20)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        audio_filter(AudioPlan(duration_ms=1000, mode="scramble"))
