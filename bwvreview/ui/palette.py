"""The colours bwvreview's windows draw and write with, as data, and their WCAG contrast.

Every fixed colour a window uses for text or for a mark that carries meaning is listed
here, with the background it sits on, so ``tests/ui/test_contrast.py`` can check each pair
against WCAG 2.1 AA: 4.5:1 for text, 3:1 for large text (18 pt, or 14 pt bold) and for
graphical objects (a chip's outline, a point's shape). Colours that follow the system
palette (the timeline's lanes, a list's text) are checked by rendering with a light and a
dark palette (``TimelineStyle.contrast_pairs``).

The three kinds keep one hue each (Okabe-Ito, safe for colour-blind readers) but never rely
on it alone: ``kind_marks`` gives each a shape, a pattern and a glyph.
"""

from __future__ import annotations

from typing import NamedTuple

# Hues for fills and marks (graphical objects). Mid-tones: legible on light and dark bases.
KIND_COLOURS = {"good_practice": "#009E73", "concern": "#D55E00", "observation": "#6A86AD"}
# The same hues darkened for text and outlines on light backgrounds (≥ 4.5:1 on white,
# on the window grey and on the warm banner), and lightened for dark backgrounds.
KIND_TEXT_COLOURS = {"good_practice": "#00694D", "concern": "#A34700", "observation": "#45607F"}
KIND_TEXT_ON_DARK = {"good_practice": "#3FD1A6", "concern": "#FF9A5C", "observation": "#A9BEDD"}

WINDOW_LIGHT = "#efefef"  # Qt's Fusion window grey, the lightest background text sits on
BASE_LIGHT = "#ffffff"
BASE_DARK = "#1e1f22"
TEXT_DARK = "#dfe1e5"

BANNER_TEXT, BANNER_BACKGROUND = "#5c4400", "#fff3cd"  # a quiet warning (footage moved)
SECONDARY_TEXT = "#555555"  # second lines and hints on light backgrounds
KEY_CAP_TEXT, KEY_CAP_BACKGROUND = "#1f2933", "#e4e7eb"  # a key, drawn as a key cap
SPOKEN_HIGHLIGHT = "#ffe7a5"  # the word being spoken, behind the transcript's text
SPOKEN_HIGHLIGHT_DARK = "#5c4400"  # the same on a dark palette
LOW_CONFIDENCE_TEXT = "#8a5200"  # a word the speech model was unsure of (also underlined)


class ColourPair(NamedTuple):
    """Something written or drawn in ``foreground`` on ``background``."""

    name: str
    foreground: str
    background: str
    kind: str  # "text" (4.5:1), "large" (large text, 3:1) or "graphic" (3:1)


WCAG_MINIMUM = {"text": 4.5, "large": 3.0, "graphic": 3.0}


def _pairs() -> list[ColourPair]:
    pairs = [
        ColourPair("workspace banner", BANNER_TEXT, BANNER_BACKGROUND, "text"),
        ColourPair("secondary text on a list", SECONDARY_TEXT, BASE_LIGHT, "text"),
        ColourPair("secondary text on the window", SECONDARY_TEXT, WINDOW_LIGHT, "text"),
        ColourPair("key cap", KEY_CAP_TEXT, KEY_CAP_BACKGROUND, "text"),
        ColourPair("transcript time", SECONDARY_TEXT, BASE_LIGHT, "text"),
        ColourPair("word being spoken", "#000000", SPOKEN_HIGHLIGHT, "text"),
        ColourPair("unsure word", LOW_CONFIDENCE_TEXT, BASE_LIGHT, "text"),
        ColourPair("unsure word being spoken", LOW_CONFIDENCE_TEXT, SPOKEN_HIGHLIGHT, "text"),
        ColourPair("word being spoken, dark", TEXT_DARK, SPOKEN_HIGHLIGHT_DARK, "text"),
    ]
    for kind in KIND_COLOURS:
        for name, background in (("white", BASE_LIGHT), ("window grey", WINDOW_LIGHT),
                                 ("banner", BANNER_BACKGROUND)):  # fmt: skip
            pairs.append(ColourPair(f"{kind} text on {name}", KIND_TEXT_COLOURS[kind],
                                    background, "text"))  # fmt: skip
        pairs.append(ColourPair(f"{kind} text on dark", KIND_TEXT_ON_DARK[kind], BASE_DARK,
                                "text"))  # fmt: skip
        pairs.append(ColourPair(f"{kind} mark on dark", KIND_COLOURS[kind], BASE_DARK,
                                "graphic"))  # fmt: skip
    return pairs


# Every fixed pair, for the contrast test (and for other windows' tests to extend).
COLOUR_PAIRS: tuple[ColourPair, ...] = tuple(_pairs())


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    text = colour.lstrip("#")
    red, green, blue = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, 1.0 to 21.0."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)  # fmt: skip
    return (lighter + 0.05) / (darker + 0.05)
