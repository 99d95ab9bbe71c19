"""Transcript exports: the ``transcribe --json`` document, SRT, WebVTT and plain text.

Times are integer milliseconds inside bwvreview and become seconds (JSON) or time codes
(SRT/VTT) only here, at the edge.
"""

from __future__ import annotations

from typing import Any

from bwvreview.annotations.review.transcripts import Transcript
from bwvreview.timecode import precise

SPEAKER_LABELS = {"wearer": "Officer (camera)", "other": "Other speaker"}


def speaker_label(speaker: str) -> str:
    return SPEAKER_LABELS.get(speaker, speaker)


def _seconds(ms: int) -> float:
    return round(ms / 1000, 3)


def to_json(transcript: Transcript, duration_ms: int) -> dict[str, Any]:
    """The document ``bwvreview transcribe --json`` prints (a stable contract)."""
    return {
        "recording": transcript.recording_id,
        "model": transcript.model,
        "device": transcript.device,
        "language": transcript.language,
        "duration": _seconds(duration_ms),
        "segments": [
            {
                "start": _seconds(s.start_ms),
                "end": _seconds(s.end_ms),
                "speaker": s.speaker,
                "text": s.text.strip(),
                "words": [
                    {
                        "start": _seconds(w.start_ms),
                        "end": _seconds(w.end_ms),
                        "word": w.text.strip(),
                        "probability": round(w.probability, 4),
                    }
                    for w in s.words
                ],
            }
            for s in transcript.segments
        ],
    }


def _cues(transcript: Transcript, separator: str) -> list[str]:
    return [
        f"{precise(s.start_ms, separator)} --> {precise(s.end_ms, separator)}\n"
        f"{speaker_label(s.speaker)}: {s.text.strip()}"
        for s in transcript.segments
    ]


def to_srt(transcript: Transcript) -> str:
    cues = _cues(transcript, ",")
    return "".join(f"{n}\n{cue}\n\n" for n, cue in enumerate(cues, start=1))


def to_vtt(transcript: Transcript) -> str:
    return "WEBVTT\n\n" + "".join(f"{cue}\n\n" for cue in _cues(transcript, "."))


def to_txt(transcript: Transcript) -> str:
    lines = [
        f"[{precise(s.start_ms, '.')[:-4]}] {speaker_label(s.speaker)}: {s.text.strip()}"
        for s in transcript.segments
    ]
    return "\n".join(lines) + ("\n" if lines else "")
