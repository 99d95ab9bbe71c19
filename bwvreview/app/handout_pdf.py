"""Printable PDFs with fpdf2: the training pack's handout and the case study.

Only fpdf2's core fonts are used (nothing to bundle or find on the machine). They cover
Latin-1, so text is made safe first: typographic quotes and dashes become their plain
forms, accents outside Latin-1 are dropped to the base letter, and anything else becomes
"?" rather than failing the whole document.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF

from bwvreview.app.polarity import PRINTED_LABELS, quoted

_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u2022": "-", "\u00a0": " ",
    "\u2192": "->", "\u2190": "<-", "\u200b": "",
})  # fmt: skip
_POLARITY = PRINTED_LABELS
FONT = "Helvetica"
INK = (31, 42, 48)
ACCENT = (47, 79, 79)


def latin1(text: str) -> str:
    """``text`` in what a core PDF font can show (see the module docstring)."""
    text = str(text).translate(_PLAIN)
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base if base.strip() else "?")
    return "".join(out)


class Document(FPDF):
    """A4 pages with a running title and page numbers, in one core font."""

    def __init__(self, running_title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = latin1(running_title)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_title(self.running_title)
        self.set_creator("bwvreview")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{self.running_title}  -  page {self.page_no()}", align="C")

    def heading(self, text: str, size: float = 16) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def label(self, text: str) -> None:
        self.set_font(FONT, "B", 10)
        self.set_text_color(*INK)
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def para(self, text: str, size: float = 10, style: str = "") -> None:
        if not text.strip():
            return
        self.set_font(FONT, style, size)
        self.set_text_color(*INK)
        self.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(1)

    def bullets(self, items: Sequence[str], numbered: bool = False) -> None:
        self.set_font(FONT, "", 10)
        self.set_text_color(*INK)
        for n, item in enumerate(items, start=1):
            mark = f"{n}." if numbered else "-"
            self.cell(7, 5, mark)
            self.multi_cell(0, 5, latin1(item), new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(1)

    def note_lines(self, count: int = 5) -> None:
        """Ruled lines to write on."""
        self.set_draw_color(190, 190, 190)
        for _ in range(count):
            self.ln(7)
            if self.get_y() > self.h - self.b_margin:
                self.add_page()
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def rule(self) -> None:
        self.set_draw_color(*ACCENT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)


def principles_text(principles: Sequence[str]) -> str:
    return ", ".join(p.replace("_", " ").capitalize() for p in principles) or "-"


def write_handout(path: Path, manifest: dict[str, Any]) -> Path:
    """The training pack's handout: per clip its category, principle, learning point and
    prompts, with room for notes."""
    doc = Document(manifest["title"])
    doc.add_page()
    doc.heading(manifest["title"], 20)
    doc.para(manifest.get("description") or "", 11)
    doc.para(
        "Each clip is anonymised: faces are blurred, the camera banner is hidden and personal"
        " details are bleeped. Watch for what helps a person feel safe, and what does not.",
        9,
        "I",
    )
    doc.ln(2)
    for clip in manifest["clips"]:
        if doc.get_y() > doc.h * 0.62:
            doc.add_page()
        doc.rule()
        doc.heading(f"Clip {clip['position']}: {clip['category_label']}", 14)
        polarity = _POLARITY.get(clip["polarity"], clip["polarity"])
        doc.para(f"{polarity}   |   Principle: {principles_text(clip['principles'])}", 10, "B")
        if clip.get("learning_point"):
            doc.label("The learning point")
            doc.para(clip["learning_point"])
        if clip.get("suggested_wording"):
            doc.label("Another way to say it")
            doc.para(quoted(clip["suggested_wording"]), 10, "I")
        if clip.get("prompts"):
            doc.label("To discuss")
            doc.bullets(clip["prompts"], numbered=True)
        doc.label("Your notes")
        doc.note_lines(4)
    doc.output(str(path))
    return path
