"""Every text colour the officer's feedback, the debrief, the dashboard, the pack editor and
the audit viewer draw on a background of their own reaches WCAG AA (4.5:1 for body text).

Each module lists its pairs as data (``CONTRAST_PAIRS``: name -> (text, background)); the
ratio is WCAG 2's, from the sRGB relative luminance of each colour.
"""

import pytest

from bwvreview.ui import audit_viewer, dashboard, debrief, feedback_window, pack_editor

AA_BODY = 4.5
MODULES = (feedback_window, debrief, dashboard, pack_editor, audit_viewer)


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(text: str, background: str) -> float:
    lighter, darker = sorted((luminance(text), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_formula_gives_the_known_ratios():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # the measurements of the old green headings: 3.4:1 on white, 2.98:1 on grey
    assert contrast("#009E73", "#FFFFFF") == pytest.approx(3.4, abs=0.05)
    assert contrast("#009E73", "#EFEFEF") == pytest.approx(2.98, abs=0.05)


PAIRS = [(module.__name__.rsplit(".", 1)[1], name, pair)
         for module in MODULES for name, pair in module.CONTRAST_PAIRS.items()]  # fmt: skip


@pytest.mark.parametrize(("window", "name", "pair"), PAIRS, ids=[f"{w}:{n}" for w, n, _ in PAIRS])
def test_every_text_colour_reaches_aa(window, name, pair):
    text, background = pair
    assert contrast(text, background) >= AA_BODY, f"{window}: {name} {text} on {background}"
