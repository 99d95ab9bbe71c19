"""Burned-in captions from the redacted transcript, and the clip's opening card.

Captions are drawn onto the frames after the faces and banner are masked, so they stay
readable; a redacted word is drawn as a solid block (the ████ a reader expects), never as
its text. Drawing uses OpenCV's built-in Hershey font: it needs no font file on any
machine, and covers the plain English a Whisper ``.en`` model writes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

REDACTED = "\u2588\u2588\u2588\u2588"
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_WHITE = (255, 255, 255)
_BOX = (20, 20, 20)
# The caption line sits this far down the picture: above the bottom 10 %, where a camera's
# banner usually is, so a kept banner is not hidden and verification can still see it.
CAPTION_BASELINE = 0.86


@dataclass(frozen=True)
class CaptionWord:
    text: str
    start_ms: int
    end_ms: int
    redacted: bool = False


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    words: tuple[CaptionWord, ...]

    @property
    def text(self) -> str:
        return " ".join(REDACTED if w.redacted else w.text.strip() for w in self.words)


def build_cues(
    words: Sequence[CaptionWord], *, max_chars: int = 42, max_ms: int = 4_000, gap_ms: int = 1_000
) -> list[Cue]:
    """Group words into caption cues: a cue ends at a pause, a length limit or a sentence end."""
    cues: list[Cue] = []
    current: list[CaptionWord] = []
    for word in words:
        if current and _starts_new_cue(current, word, max_chars, max_ms, gap_ms):
            cues.append(_cue(current))
            current = []
        current.append(word)
    if current:
        cues.append(_cue(current))
    return cues


def _starts_new_cue(
    current: list[CaptionWord], word: CaptionWord, max_chars: int, max_ms: int, gap_ms: int
) -> bool:
    length = len(_cue(current).text) + 1 + len(word.text.strip())
    return (
        length > max_chars
        or word.end_ms - current[0].start_ms > max_ms
        or word.start_ms - current[-1].end_ms > gap_ms
        or current[-1].text.rstrip().endswith((".", "?", "!"))
    )


def _cue(words: list[CaptionWord]) -> Cue:
    return Cue(words[0].start_ms, words[-1].end_ms, tuple(words))


def cue_at(cues: Sequence[Cue], time_ms: int, linger_ms: int = 400) -> Cue | None:
    """The cue to show at ``time_ms`` (held briefly after its last word, for reading)."""
    for cue in cues:
        if cue.start_ms <= time_ms < cue.end_ms + linger_ms:
            return cue
    return None


def draw_cue(frame: np.ndarray, cue: Cue) -> None:
    """Draw ``cue`` centred near the bottom of ``frame`` (in place) on a dark box."""
    height, width = frame.shape[:2]
    scale, thickness, text_h, pad, baseline = _line_layout(width, height)
    pieces = [(REDACTED if w.redacted else w.text.strip(), w.redacted) for w in cue.words]
    space = cv2.getTextSize(" ", _FONT, scale, thickness)[0][0]
    sizes = [_piece_size(text, redacted, scale, thickness) for text, redacted in pieces]
    total = sum(w for w, _ in sizes) + space * (len(pieces) - 1)
    x = max(4, (width - total) // 2)
    cv2.rectangle(
        frame, (x - pad, baseline - text_h - pad), (x + total + pad, baseline + pad), _BOX, -1
    )
    for (text, redacted), (w, _) in zip(pieces, sizes, strict=True):
        if redacted:
            cv2.rectangle(frame, (x, baseline - text_h), (x + w, baseline), _WHITE, -1)
        else:
            cv2.putText(frame, text, (x, baseline), _FONT, scale, _WHITE, thickness, cv2.LINE_AA)
        x += w + space


def caption_band(width: int, height: int) -> tuple[int, int]:
    """The rows (top, bottom) that ``draw_cue`` may paint, for the verifier to look past."""
    _scale, _thickness, text_h, pad, baseline = _line_layout(width, height)
    return max(0, baseline - text_h - pad - 2), min(height, baseline + pad + 2)


def _line_layout(width: int, height: int) -> tuple[float, int, int, int, int]:
    """Font scale, stroke, text height, box padding and baseline row of the caption line."""
    scale = max(0.4, width / 1100)
    thickness = max(1, round(scale * 2))
    text_h = cv2.getTextSize("Hg", _FONT, scale, thickness)[0][1]
    return scale, thickness, text_h, max(4, text_h // 2), int(height * CAPTION_BASELINE)


def _piece_size(text: str, redacted: bool, scale: float, thickness: int) -> tuple[int, int]:
    sample = "XXXX" if redacted else text
    (w, h), _ = cv2.getTextSize(sample, _FONT, scale, thickness)
    return w, h


@dataclass(frozen=True)
class OpeningCard:
    """What the clip shows before it starts: what to watch for, framed for learning."""

    heading: str  # the category, e.g. "Triggering language"
    principle: str = ""
    note: str = ""
    alternative: str = ""  # suggested alternative wording
    duration_ms: int = 6_000


def render_card(card: OpeningCard, width: int, height: int) -> np.ndarray:
    """A calm dark frame with the card's text, wrapped to the frame's width."""
    frame = np.full((height, width, 3), (48, 36, 28), np.uint8)
    scale = max(0.45, width / 1000)
    thickness = max(1, round(scale * 1.6))
    chars = max(20, int(width / (scale * 20)))
    blocks = [(card.heading, 1.4), (card.principle and f"Principle: {card.principle}", 1.0)]
    blocks += [(card.note, 1.0), (card.alternative and f"Try instead: {card.alternative}", 1.0)]
    y = int(height * 0.16)
    for text, size in blocks:
        if not text:
            continue
        for line in textwrap.wrap(text, width=int(chars / size)):
            line_h = cv2.getTextSize(line, _FONT, scale * size, thickness)[0][1]
            y += int(line_h * 1.8)
            cv2.putText(
                frame,
                line,
                (int(width * 0.07), y),
                _FONT,
                scale * size,
                _WHITE,
                thickness,
                cv2.LINE_AA,
            )
        y += int(height * 0.04)
    return frame
