"""Guess which stretches of a recording the camera wearer spoke, from the sound alone.

A body-worn camera sits on the wearer's chest, so the wearer's voice reaches its
microphone louder, with more low-frequency body (proximity) and less room sound than any
other voice. Each span (a word or a segment) is described by a few features measured over
its voiced frames (level, spectral centroid, spectral tilt, pitch), the spans are split
into two groups with a small 2-means, and the louder group is taken to be the wearer. Nothing is
downloaded and nothing leaves the machine. This is a guess for a reviewer to correct, not
a diarisation model: a single speaker whose loudness swings widely can be split in two.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

WEARER = "wearer"
OTHER = "other"

FRAME = 512  # samples: 32 ms at 16 kHz, long enough for two periods of a 70 Hz voice
HOP = 256
VOICED_RANGE_DB = 20.0  # frames within this of a segment's loudest frame count as voiced
SILENCE_DBFS = -60.0  # frames quieter than this are never voiced
ONE_VOICE_WEARER_DBFS = -30.0  # a lone voice at least this loud is taken as the wearer
MIN_GAP_DB = 3.0  # louder group must be this much louder to be told apart at all
MIN_SEPARATION = 1.5  # ... and this many pooled standard deviations louder
ONE_VOICE_CONFIDENCE = 0.5

# Feature scales: a difference of one "unit" is about as telling in each column.
# Columns: level dB, centroid Hz, tilt dB, pitch octaves. Level (closeness) and pitch
# (who) count fully; the spectral shape, which words themselves change, counts half.
_SCALE_FLOOR = np.array([3.0, 150.0, 3.0, 0.15])
_WEIGHT = np.array([1.0, 0.5, 0.5, 1.0])


@dataclass(frozen=True)
class SpeakerGuess:
    roles: tuple[str, ...]  # "wearer" or "other", one per span
    confidence: float  # 0..1; about 0.5 means "could not tell two voices apart"


def guess_speakers(
    audio: np.ndarray, sample_rate: int, spans_ms: Sequence[tuple[int, int]]
) -> SpeakerGuess:
    """Label each span of ``audio`` as spoken by the camera ``wearer`` or an ``other`` voice.

    Spans are clustered into two groups on level, centroid, tilt and pitch; the group
    whose mean level is higher is the wearer. Confidence grows with how far apart the two
    groups' levels are, measured in pooled within-group standard deviations (a d-prime):
    0.5 at the decision boundary rising towards 1. When the groups are not at least 3 dB
    and 1.5 standard deviations apart there is taken to be one voice (or two that cannot be
    told apart by closeness): every span gets the same role, ``wearer`` if its average
    voiced level is at least -30 dBFS (close to the microphone) else ``other``, with
    confidence 0.5. A span too short (under 32 ms) or too quiet to measure takes the role
    of the nearest measured span before it. No spans gives no roles and confidence 0.0.
    """
    if not spans_ms:
        return SpeakerGuess(roles=(), confidence=0.0)
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    features = np.array([_features(samples, sample_rate, span) for span in spans_ms])
    measured = ~np.isnan(features[:, 0])
    if not measured.any():
        return SpeakerGuess(roles=(OTHER,) * len(spans_ms), confidence=0.0)
    known = _fill_missing(features[measured])
    labels = _two_means(_standardise(known))
    guess = _two_voice_guess(known[:, 0], labels) or _one_voice_guess(known[:, 0])
    roles = _spread_roles(guess.roles, measured)
    log.debug("speaker guess: %d spans, confidence %.2f", len(spans_ms), guess.confidence)
    return SpeakerGuess(roles=roles, confidence=guess.confidence)


def speaker_turns(roles: Sequence[str], min_words: int = 2) -> list[tuple[int, int, str]]:
    """Group per-word roles into turns: ``(first, end, role)`` index ranges, end exclusive.

    A run of fewer than ``min_words`` words is taken as a misheard word rather than a turn
    and joins the turn before it (the one after, at the start); neighbouring turns with the
    same role then merge. So a segment splits only where at least ``min_words`` words in a
    row sound like the other voice.
    """
    turns: list[list] = []
    for index, role in enumerate(roles):
        if turns and turns[-1][2] == role:
            turns[-1][1] = index + 1
        else:
            turns.append([index, index + 1, role])
    while len(turns) > 1:
        short = next((i for i, t in enumerate(turns) if t[1] - t[0] < min_words), None)
        if short is None:
            break
        if short == 0:
            turns[1][0] = turns[0][0]
            del turns[0]
            continue
        turns[short - 1][1] = turns[short][1]
        del turns[short]
        if short < len(turns) and turns[short][2] == turns[short - 1][2]:
            turns[short - 1][1] = turns[short][1]
            del turns[short]
    return [(first, end, role) for first, end, role in turns]


def _spread_roles(known_roles: tuple[str, ...], measured: np.ndarray) -> tuple[str, ...]:
    """Give each unmeasurable span the role of the nearest measured span before it (or,
    at the start, after it): too short or too quiet to judge, it most likely continues
    the same turn."""
    found = iter(known_roles)
    roles: list[str | None] = [next(found) if ok else None for ok in measured]
    first = next(role for role in roles if role is not None)
    previous = first
    for index, role in enumerate(roles):
        if role is None:
            roles[index] = previous
        else:
            previous = role
    return tuple(role or first for role in roles)


def _two_voice_guess(level: np.ndarray, labels: np.ndarray) -> SpeakerGuess | None:
    groups = [level[labels == k] for k in (0, 1)]
    if any(len(g) == 0 for g in groups):
        return None
    loud = 0 if groups[0].mean() >= groups[1].mean() else 1
    gap_db = abs(groups[0].mean() - groups[1].mean())
    pooled = np.sqrt(sum(((g - g.mean()) ** 2).sum() for g in groups) / max(len(level) - 2, 1))
    separation = gap_db / max(pooled, 1.0)  # 1 dB floor: synthetic voices can be too steady
    if gap_db < MIN_GAP_DB or separation < MIN_SEPARATION:
        return None
    confidence = 0.5 + 0.5 * (1.0 - np.exp(-(separation - MIN_SEPARATION) / 2.0))
    roles = tuple(WEARER if label == loud else OTHER for label in labels)
    return SpeakerGuess(roles=roles, confidence=round(float(confidence), 3))


def _one_voice_guess(level: np.ndarray) -> SpeakerGuess:
    power = np.mean(10.0 ** (level / 10.0))
    role = WEARER if 10.0 * np.log10(power) >= ONE_VOICE_WEARER_DBFS else OTHER
    return SpeakerGuess(roles=(role,) * len(level), confidence=ONE_VOICE_CONFIDENCE)


def _features(samples: np.ndarray, sample_rate: int, span_ms: tuple[int, int]) -> np.ndarray:
    """[level dBFS, centroid Hz, tilt dB, pitch octaves re 100 Hz] over voiced frames."""
    start = max(0, int(span_ms[0] * sample_rate // 1000))
    end = min(len(samples), int(span_ms[1] * sample_rate // 1000))
    segment = samples[start:end]
    if len(segment) < FRAME:
        return np.full(4, np.nan)
    frames = np.lib.stride_tricks.sliding_window_view(segment, FRAME)[::HOP]
    power = np.mean(frames.astype(np.float64) ** 2, axis=1)
    frame_db = 10.0 * np.log10(power + 1e-12)
    voiced = (frame_db >= frame_db.max() - VOICED_RANGE_DB) & (frame_db >= SILENCE_DBFS)
    if not voiced.any():
        return np.full(4, np.nan)
    chosen = frames[voiced]
    level_db = 10.0 * np.log10(np.mean(power[voiced]) + 1e-12)
    centroid, tilt = _spectral_shape(chosen, sample_rate)
    return np.array([level_db, centroid, tilt, _pitch_octaves(chosen, sample_rate)])


def _spectral_shape(frames: np.ndarray, sample_rate: int) -> tuple[float, float]:
    spectrum = np.mean(np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1)) ** 2, axis=0)
    freqs = np.fft.rfftfreq(FRAME, 1.0 / sample_rate)
    band = (freqs >= 80) & (freqs <= min(8000, sample_rate / 2))
    centroid = float(np.sum(freqs[band] * spectrum[band]) / (np.sum(spectrum[band]) + 1e-20))
    low = np.sum(spectrum[(freqs >= 80) & (freqs < 1000)])
    high = np.sum(spectrum[(freqs >= 1000) & (freqs < 4000)])
    tilt = float(10.0 * np.log10((low + 1e-20) / (high + 1e-20)))
    return centroid, tilt


def _pitch_octaves(frames: np.ndarray, sample_rate: int) -> float:
    """Median pitch of clearly periodic frames (autocorrelation, 70-400 Hz), in octaves."""
    lo, hi = int(sample_rate / 400), int(sample_rate / 70)
    centred = frames - frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(centred, n=2 * FRAME, axis=1)
    corr = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, : hi + 1]
    energy = corr[:, :1] + 1e-12
    normalised = corr[:, lo : hi + 1] / energy
    best = np.argmax(normalised, axis=1)
    strength = normalised[np.arange(len(best)), best]
    periodic = strength >= 0.3
    if not periodic.any():
        return float("nan")
    pitch_hz = sample_rate / (best[periodic] + lo)
    return float(np.log2(np.median(pitch_hz) / 100.0))


def _fill_missing(features: np.ndarray) -> np.ndarray:
    filled = features.copy()
    for column in range(filled.shape[1]):
        values = filled[:, column]
        missing = np.isnan(values)
        if missing.all():
            values[:] = 0.0
        elif missing.any():
            values[missing] = np.median(values[~missing])
    return filled


def _standardise(features: np.ndarray) -> np.ndarray:
    scale = np.maximum(features.std(axis=0), _SCALE_FLOOR)
    return (features - features.mean(axis=0)) / scale * _WEIGHT


def _two_means(points: np.ndarray, iterations: int = 25) -> np.ndarray:
    """Split points in two, seeded with the loudest and the quietest (column 0)."""
    if len(points) < 2:
        return np.zeros(len(points), dtype=int)
    centres = points[[np.argmax(points[:, 0]), np.argmin(points[:, 0])]].copy()
    labels = np.zeros(len(points), dtype=int)
    for step in range(iterations):
        distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
        new_labels = np.argmin(distances, axis=1)
        if step > 0 and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for k in (0, 1):
            if np.any(labels == k):
                centres[k] = points[labels == k].mean(axis=0)
    return labels
