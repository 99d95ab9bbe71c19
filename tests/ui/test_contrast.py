"""WCAG contrast of the colours the workspace writes and draws with, and kinds that differ by
more than colour (greyscale, protanopia).

``bwvreview.ui.palette.COLOUR_PAIRS`` lists every fixed pair; the timeline reports what it
paints from the system palette (``contrast_pairs``), checked with a light and a dark one.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication

from bwvreview.ui.kind_marks import kind_icon
from bwvreview.ui.palette import COLOUR_PAIRS, WCAG_MINIMUM, contrast_ratio
from bwvreview.ui.timeline import TimelineWidget
from bwvreview.ui.timeline_style import Row, TimelineItem, TimelineStyle

KINDS = ("good_practice", "concern", "observation")


def test_the_contrast_ratio_is_wcags():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WebAIM's
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")


@pytest.mark.parametrize("pair", COLOUR_PAIRS, ids=lambda pair: pair.name)
def test_every_fixed_colour_pair_meets_wcag_aa(pair):
    ratio = contrast_ratio(pair.foreground, pair.background)
    assert ratio >= WCAG_MINIMUM[pair.kind], (
        f"{pair.name}: {pair.foreground} on {pair.background} is {ratio:.2f}:1"
    )


def dark_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, colour in ((QPalette.ColorRole.Window, "#2b2d30"),
                         (QPalette.ColorRole.WindowText, "#dfe1e5"),
                         (QPalette.ColorRole.Base, "#1e1f22"),
                         (QPalette.ColorRole.Text, "#dfe1e5"),
                         (QPalette.ColorRole.Highlight, "#3574f0")):  # fmt: skip
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_everything_the_timeline_paints_meets_wcag_aa(qtbot, scheme):
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    if scheme == "dark":
        widget.setPalette(dark_palette())
    failures = []
    for name, foreground, background, kind in widget.contrast_pairs():
        ratio = contrast_ratio(foreground.name(), background.name())
        if ratio < WCAG_MINIMUM[kind]:
            failures.append(f"{name}: {foreground.name()} on {background.name()} {ratio:.2f}:1")
    assert not failures, failures
    assert len(widget.contrast_pairs()) >= 15


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_coding_panel_meets_wcag_aa(qtbot, scheme):
    from bwvreview.annotations.codebook import load_codebook
    from bwvreview.bundled import resource_path
    from bwvreview.ui.coding_panel import CodingPanel

    panel = CodingPanel(load_codebook(resource_path("codebook.yaml")))
    qtbot.addWidget(panel)
    if scheme == "dark":
        panel.list.setPalette(dark_palette())
    for name, foreground, background, kind in panel.contrast_pairs():
        ratio = contrast_ratio(foreground.name(), background.name())
        assert ratio >= WCAG_MINIMUM[kind], f"{name}: {ratio:.2f}:1"


def render_chip(style: TimelineStyle, polarity: str, status: str = "final",
                length_ms: int = 4000) -> np.ndarray:  # fmt: skip
    """One chip (or point) on a white lane, as an RGB array."""
    image = QImage(220, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(style.font)
    item = TimelineItem(1, 0, length_ms, ("safety",), polarity, "Moment", status)
    end = 200 if length_ms else 10
    style.item(painter, Row("lane", "safety", "Safety", 0, 30), item, 10, end)
    painter.end()
    pointer = image.constBits()
    pixels = np.frombuffer(pointer, dtype=np.uint8).reshape(30, image.bytesPerLine() // 4, 4)
    return pixels[:, :220, 2::-1].astype(np.float64)  # BGRA → RGB


def grey(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114])


# Machado, Oliveira and Fernandes (2009), protanopia at full severity, on linear-ish RGB.
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868],
                       [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]])  # fmt: skip


def differing_pixels(a: np.ndarray, b: np.ndarray, levels: float = 40) -> int:
    return int((np.abs(a - b) > levels).sum())


@pytest.fixture
def style(qapp):
    return TimelineStyle(QApplication.palette(), QApplication.font())


@pytest.mark.parametrize("length_ms", [4000, 0], ids=["span", "point"])
def test_kinds_differ_in_greyscale_and_under_protanopia(style, length_ms):
    renders = {kind: render_chip(style, kind, length_ms=length_ms) for kind in KINDS}
    for i, first in enumerate(KINDS):
        for second in KINDS[i + 1 :]:
            a, b = renders[first], renders[second]
            assert differing_pixels(grey(a), grey(b)) >= 15, (first, second)
            assert differing_pixels(grey(a @ PROTANOPIA.T), grey(b @ PROTANOPIA.T)) >= 15


@pytest.mark.parametrize("length_ms", [4000, 0], ids=["span", "point"])
def test_kinds_differ_even_drawn_in_one_colour(style, length_ms):
    """Colour is not the only cue: with every kind given the same colours, the shapes and
    glyphs still tell them apart."""
    same = style.tones["observation"]
    style.tones = {kind: same for kind in KINDS}
    style._sprites.clear()
    renders = {kind: grey(render_chip(style, kind, length_ms=length_ms)) for kind in KINDS}
    for i, first in enumerate(KINDS):
        for second in KINDS[i + 1 :]:
            assert differing_pixels(renders[first], renders[second]) >= 15, (first, second)


@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_differs_from_a_shared_moment_in_greyscale(style, kind):
    draft = grey(render_chip(style, kind, "draft"))
    shared = grey(render_chip(style, kind, "shared"))
    final = grey(render_chip(style, kind, "final"))
    assert differing_pixels(draft, shared) >= 10
    assert differing_pixels(shared, final) >= 4  # the shared dot


def test_list_icons_differ_by_shape(qapp):
    images = [kind_icon(kind).pixmap(16, 16).toImage() for kind in KINDS]
    masks = []
    for image in images:
        alpha = [[image.pixelColor(x, y).alpha() > 60 for x in range(16)] for y in range(16)]
        masks.append(np.array(alpha))
    for i in range(3):
        for j in range(i + 1, 3):
            assert (masks[i] != masks[j]).sum() >= 6


@pytest.mark.parametrize("kind", KINDS)
def test_a_chip_stays_inside_its_span(style, kind):
    rgb = render_chip(style, kind, "shared")
    assert (rgb[:, 202:] == 255).all() and (rgb[:, :9] == 255).all()
