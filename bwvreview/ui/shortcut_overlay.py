"""Every key in the review workspace on one screen (F1 or ?), over the workspace itself.

Categories come first, in the reviewer's own keys, good practice first; then the player's,
the selection's, editing, the transcript's and the lanes' keys (``app.key_scheme``). Esc,
F1, ? or a click closes it. While it is open, category keys code nothing.
"""

from __future__ import annotations

from html import escape
from itertools import combinations

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.key_scheme import WORKSPACE_KEYS, KeyScheme
from bwvreview.app.polarity import POLARITY_ORDER, polarity_label
from bwvreview.app.records import Codebook
from bwvreview.ui.kind_marks import KIND_GLYPHS
from bwvreview.ui.palette import KEY_CAP_BACKGROUND, KEY_CAP_TEXT

CLOSING_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_F1, Qt.Key.Key_Question)
MOST_COLUMNS = 5
COLUMN_GAP_PX = 24


def _columns(sizes: list[QSize], count: int, room: int) -> list[list[int]] | None:
    """Sections (by their sizes) split in order into ``count`` columns no wider together
    than ``room``, the tallest column as short as can be; None if no split fits."""
    best, best_height = None, None
    for cuts in combinations(range(1, len(sizes)), count - 1):
        bounds = [0, *cuts, len(sizes)]
        groups = [list(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False)]
        width = sum(max(sizes[i].width() for i in g) for g in groups)
        width += COLUMN_GAP_PX * (count - 1)
        height = max(sum(sizes[i].height() for i in g) for g in groups)
        if width <= room and (best_height is None or height < best_height):
            best, best_height = groups, height
    return best


def _cap(key: str) -> str:
    shown = escape(key or "—")
    return (f'<span style="background:{KEY_CAP_BACKGROUND}; color:{KEY_CAP_TEXT};'
            f' font-weight:600;">&nbsp;{shown}&nbsp;</span>')  # fmt: skip


def _section(title: str, rows: list[tuple[str, str]]) -> str:
    lines = "".join(f"<tr><td align='right' style='padding:1px 8px 1px 0'>{keys}</td>"
                    f"<td style='padding:1px 0'>{escape(label)}</td></tr>"
                    for keys, label in rows)  # fmt: skip
    return f"<p style='margin:8px 0 2px 0'><b>{escape(title)}</b></p><table>{lines}</table>"


class ShortcutOverlay(QFrame):
    closed = Signal()

    def __init__(self, codebook: Codebook, parent: QWidget) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self._return_focus: QWidget | None = None
        self.sections: list[str] = []  # HTML, in reading order
        self.setObjectName("shortcut_overlay")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        title = QLabel("<b>Every key</b> — a category's key codes the moment at the "
                       "playhead; hold it while playing to code a span. Esc, F1 or ? closes "
                       "this.")  # fmt: skip
        title.setWordWrap(True)
        self.columns = [QLabel() for _ in range(MOST_COLUMNS)]
        body = QWidget()
        body.setBackgroundRole(QPalette.ColorRole.Window)
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(COLUMN_GAP_PX)
        for column in self.columns:
            column.setTextFormat(Qt.TextFormat.RichText)
            column.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            row.addWidget(column)
        row.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(self.scroll, 1)
        self.hide()

    def set_scheme(self, scheme: KeyScheme) -> None:
        self.sections = []
        for polarity in POLARITY_ORDER:
            rows = [(_cap(scheme.key_for(c.key)), c.label) for c in self.codebook.categories
                    if c.polarity == polarity]  # fmt: skip
            title = f"{KIND_GLYPHS.get(polarity, '')} {polarity_label(polarity)}"
            self.sections.append(_section(title, rows))
        groups: dict[str, list[tuple[str, str]]] = {}
        for key in WORKSPACE_KEYS:
            caps = " ".join(_cap(k) for k in key.keys)
            groups.setdefault(key.group, []).append((caps, key.label))
        self.sections += [_section(group, rows) for group, rows in groups.items()]
        self.arrange()

    def arrange(self) -> None:
        """As many columns as fit across, each section whole, in reading order; what does
        not fit down scrolls."""
        room = max(self.scroll.viewport().width(), self.width() - 40)
        measure = QLabel()
        measure.setFont(self.font())
        sizes = []
        for html in self.sections:
            measure.setText(html)
            sizes.append(measure.sizeHint())
        for count in range(min(MOST_COLUMNS, len(self.sections)), 0, -1):
            best = _columns(sizes, count, room)
            if best is not None:
                break
        else:
            best = [list(range(len(self.sections)))]
        for index, column in enumerate(self.columns):
            chosen = best[index] if index < len(best) else []
            column.setText("".join(self.sections[i] for i in chosen))
            column.setVisible(bool(chosen))

    def text(self) -> str:
        """What the overlay says, as plain text (for tests and screen readers)."""
        return "\n".join(column.text() for column in self.columns)

    def open(self) -> None:
        focus = QApplication.focusWidget()
        self._return_focus = focus if focus is not self else None
        self.resize_to_parent(force=True)
        self.show()
        self.raise_()
        self.setFocus()

    def close_overlay(self) -> None:
        if self.isVisible():
            self.hide()
            if self._return_focus is not None and shiboken6.isValid(self._return_focus):
                self._return_focus.setFocus()  # back where the keys were going
            self.closed.emit()

    def toggle(self) -> None:
        self.close_overlay() if self.isVisible() else self.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in CLOSING_KEYS:
            self.close_overlay()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.close_overlay()

    def resize_to_parent(self, force: bool = False) -> None:
        """Cover the window below its menu bar."""
        if self.isVisible() or force:
            parent = self.parentWidget()
            top = parent.menuWidget().height() if hasattr(parent, "menuWidget") else 0
            self.setGeometry(parent.rect().adjusted(8, top + 4, -8, -8))
            self.arrange()
