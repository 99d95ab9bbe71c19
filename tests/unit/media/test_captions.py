"""Burned-in captions: grouping words into cues, and redacted words drawn as blocks."""

from __future__ import annotations

import numpy as np

from bwvreview.media.captions import (
    REDACTED,
    CaptionWord,
    OpeningCard,
    build_cues,
    cue_at,
    draw_cue,
    render_card,
)


def _words(*spec: tuple[str, int, bool]) -> list[CaptionWord]:
    return [CaptionWord(f" {t}", at, at + 300, hidden) for t, at, hidden in spec]


def test_cues_break_at_sentence_ends_pauses_and_length() -> None:
    words = _words(("Sit", 0, False), ("down.", 300, False), ("I", 700, False),
                   ("live", 1000, False), ("here", 4000, False))  # fmt: skip
    cues = build_cues(words)
    assert [c.text for c in cues] == ["Sit down.", "I live", "here"]
    long = _words(*((f"word{i}", i * 300, False) for i in range(12)))
    assert all(len(c.text) <= 42 for c in build_cues(long))


def test_a_redacted_word_never_appears_as_text() -> None:
    (cue,) = build_cues(_words(("I'm", 0, False), ("Sarah", 300, True), ("Whitfield.", 600, True)))
    assert cue.text == f"I'm {REDACTED} {REDACTED}"
    assert "Sarah" not in cue.text


def test_cue_at_lingers_briefly_for_reading() -> None:
    cues = build_cues(_words(("Hello.", 1000, False)))
    assert cue_at(cues, 999) is None
    assert cue_at(cues, 1100) is cues[0]
    assert cue_at(cues, 1300 + 300) is cues[0]
    assert cue_at(cues, 1300 + 500) is None


def _drawn(hidden: bool) -> np.ndarray:
    frame = np.zeros((360, 640, 3), np.uint8)
    (cue,) = build_cues(_words(("Name", 0, hidden)))
    draw_cue(frame, cue)
    return frame


def test_a_redacted_word_is_a_solid_block() -> None:
    shown, hidden = _drawn(False), _drawn(True)
    rows = slice(260, 330)
    # A block is solid white where text is thin strokes: far more white pixels.
    assert (hidden[rows] == 255).all(axis=2).sum() > 2 * (shown[rows] == 255).all(axis=2).sum()
    assert (shown[:250] == 0).all() and (shown[330:] == 0).all()  # above the bottom strip


def test_the_opening_card_has_its_text() -> None:
    card = OpeningCard(
        "Triggering language", "Safety", "Said twice, loudly.", "Take a seat if you like"
    )
    frame = render_card(card, 640, 360)
    assert frame.shape == (360, 640, 3)
    assert (frame > 200).all(axis=2).sum() > 500  # white text on the dark card
