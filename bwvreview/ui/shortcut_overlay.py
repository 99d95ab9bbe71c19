"""Every key in the review workspace on one screen (F1 or ?), over the workspace itself.

Categories come first, in the reviewer's own keys, good practice first; then the player's,
the selection's, editing, the transcript's and the lanes' keys (``app.key_scheme``). Esc,
F1, ? or a click closes it. While it is open, category keys code nothing.
"""

from __future__ import annotations

from html import escape

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from bwvreview.app.key_scheme import PLAYING, SELECTING, WORKSPACE_KEYS, KeyScheme
from bwvreview.app.polarity import POLARITY_ORDER, polarity_label
from bwvreview.app.records import Codebook
from bwvreview.ui.kind_marks import KIND_GLYPHS
from bwvreview.ui.palette import KEY_CAP_BACKGROUND, KEY_CAP_TEXT

CLOSING_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_F1, Qt.Key.Key_Question)


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
        self.setObjectName("shortcut_overlay")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        title = QLabel("<b>Every key</b> — a category's key codes the moment at the "
                       "playhead; hold it while playing to code a span. Esc, F1 or ? closes "
                       "this.")  # fmt: skip
        title.setWordWrap(True)
        self.columns = [QLabel() for _ in range(4)]
        row = QHBoxLayout()
        for column in self.columns:
            column.setTextFormat(Qt.TextFormat.RichText)
            column.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            row.addWidget(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(row, 1)
        self.hide()

    def set_scheme(self, scheme: KeyScheme) -> None:
        kinds = []
        for polarity in POLARITY_ORDER:
            rows = [(_cap(scheme.key_for(c.key)), c.label) for c in self.codebook.categories
                    if c.polarity == polarity]  # fmt: skip
            title = f"{KIND_GLYPHS.get(polarity, '')} {polarity_label(polarity)}"
            kinds.append(_section(title, rows))
        groups: dict[str, list[tuple[str, str]]] = {}
        for key in WORKSPACE_KEYS:
            caps = " ".join(_cap(k) for k in key.keys)
            groups.setdefault(key.group, []).append((caps, key.label))
        sections = {group: _section(group, rows) for group, rows in groups.items()}
        self.columns[0].setText(kinds[0])
        self.columns[1].setText("".join(kinds[1:]))
        third = (PLAYING, SELECTING)
        self.columns[2].setText("".join(sections.get(group, "") for group in third))
        rest = [html for group, html in sections.items() if group not in third]
        self.columns[3].setText("".join(rest))

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
