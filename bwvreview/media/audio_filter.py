"""The FFmpeg audio filter graph for a clip: cut, bleep or mute spans, disguise the voice.

Built as a plain string so it can be read in a test and in the clip's report; FFmpeg does
the work. Times in the graph are seconds from the start of the clip's sound.
"""

from __future__ import annotations

from dataclasses import dataclass

SAMPLE_RATE = 48_000
BLEEP_HZ = 1_000
# About -20 dBFS: clearly a bleep, near the level of speech, so it neither hurts in a
# training room nor drowns the quieter words around it (which verification re-transcribes).
BLEEP_LEVEL = 0.1
# Filters switch on and off per audio frame; 5 ms frames keep a bleep's edges within 5 ms
# of the word timings (the safety margin around each word is much wider).
_FRAME_SAMPLES = 240
# Pitch up by a factor of 1.2 (about three semitones) at the same speed: a different-
# sounding voice that stays intelligible.
DISGUISE_FACTOR = 1.2


@dataclass(frozen=True)
class AudioPlan:
    duration_ms: int
    spans_ms: tuple[tuple[int, int], ...] = ()  # from the start of the clip's sound
    mode: str = "bleep"  # "bleep" (a 1 kHz tone) or "mute"
    voice_disguise: bool = False
    lead_in_ms: int = 0  # silence before the sound starts (under an opening card)


def audio_filter(plan: AudioPlan, source: str = "1:a", output: str = "aout") -> str:
    """A ``-filter_complex`` graph that reads ``[source]`` and writes ``[output]``."""
    if plan.mode not in {"bleep", "mute"}:
        raise ValueError(f"unknown audio redaction mode {plan.mode!r}")
    seconds = _s(plan.duration_ms)
    speech = [
        f"aresample={SAMPLE_RATE}",
        "aformat=channel_layouts=mono",
        "asetpts=PTS-STARTPTS",
        f"apad=whole_dur={seconds}",
        f"atrim=0:{seconds}",
        f"asetnsamples=n={_FRAME_SAMPLES}:p=0",
    ]
    if plan.voice_disguise:
        factor = DISGUISE_FACTOR
        speech += [
            f"asetrate={SAMPLE_RATE * factor:.0f}",
            f"aresample={SAMPLE_RATE}",
            f"atempo={1 / factor:.6f}",
            f"asetnsamples=n={_FRAME_SAMPLES}:p=0",
        ]
    covered = _covered(plan.spans_ms)
    if covered:
        speech.append(f"volume=0:enable='{covered}'")
    chains = [f"[{source}]{','.join(speech)}[speech]"]
    last = "speech"
    if covered and plan.mode == "bleep":
        chains.append(
            f"sine=frequency={BLEEP_HZ}:sample_rate={SAMPLE_RATE}:duration={seconds},"
            f"aformat=channel_layouts=mono,asetnsamples=n={_FRAME_SAMPLES}:p=0,"
            f"volume={BLEEP_LEVEL},volume=0:enable='not({covered})'[tone]"
        )
        chains.append("[speech][tone]amix=inputs=2:duration=first:normalize=0[mixed]")
        last = "mixed"
    tail = f"adelay={plan.lead_in_ms}:all=1" if plan.lead_in_ms > 0 else "anull"
    chains.append(f"[{last}]{tail}[{output}]")
    return ";".join(chains)


def _covered(spans_ms: tuple[tuple[int, int], ...]) -> str:
    """An FFmpeg expression true while ``t`` is inside any span (empty if there are none)."""
    parts = [f"between(t,{_s(a)},{_s(b)})" for a, b in spans_ms if b > a]
    return "+".join(parts)


def _s(ms: int) -> str:
    return f"{ms / 1000:.3f}"
