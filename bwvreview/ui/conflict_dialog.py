"""Two people changed the same annotation: show both versions and let the reviewer choose.

Saving checks the annotation's version; when someone else saved it since this window read it,
nothing is overwritten. This dialog lays the two side by side, field by field (what this
reviewer was saving, and what is stored now), marks the fields that differ, and offers
"Keep theirs" (take the stored version) or "Apply mine on top" (save only the fields this
reviewer changed, over the stored version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.records import EDITABLE, Annotation
from bwvreview.timecode import clock

LABELS = {
    "start_ms": "Start",
    "end_ms": "End",
    "note": "Note",
    "severity": "Severity",
    "quote": "Quote",
    "suggested_wording": "Suggested wording",
    "status": "Status",
}
KEEP_THEIRS = "theirs"
APPLY_MINE = "mine"


def local_time(utc: dt.datetime) -> dt.datetime:
    """Times are stored in UTC without a zone; people read them in their own."""
    return utc.replace(tzinfo=dt.timezone.utc).astimezone()


def shown_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name.endswith("_ms"):
        return clock(int(value), tenths=True)
    return str(value)


def shown_pair(name: str, mine: Any, stored: Any) -> tuple[str, str]:
    """Both versions of a field as shown; two times less than a tenth apart would read the
    same, so the stored one says by how much it differs."""
    texts = shown_value(name, mine), shown_value(name, stored)
    apart = name.endswith("_ms") and None not in (mine, stored) and mine != stored
    if apart and texts[0] == texts[1]:
        texts = texts[0], f"{texts[1]} ({int(stored) - int(mine):+d} ms)"
    return texts


class ConflictDialog(QDialog):
    """Yours and the stored version of one annotation; ``choice`` is KEEP_THEIRS or APPLY_MINE
    once the dialog is finished (KEEP_THEIRS when it is closed without a choice)."""

    def __init__(
        self,
        mine: Annotation,
        changes: Mapping[str, Any],
        stored: Annotation,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Someone else changed this annotation")
        self.mine, self.changes, self.stored = mine, dict(changes), stored
        self.choice = KEEP_THEIRS
        intro = QLabel(
            f"“{stored.category_label}” was saved by someone else at "
            f"{local_time(stored.updated_at):%H:%M} while you were editing it. Nothing has been "
            "overwritten. Fields that differ are in bold; the ones you changed are marked ✎."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(EDITABLE), 2, self)
        self.table.setHorizontalHeaderLabels(["Yours", "Stored now"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        self.differing: list[str] = []
        for row, name in enumerate(EDITABLE):
            self._fill_row(row, name)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # long notes wrap to the columns' width, whatever the dialog's size
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_: self.table.resizeRowsToContents()
        )

        buttons = QDialogButtonBox(self)
        self.keep_theirs = QPushButton("Keep theirs")
        self.keep_theirs.setToolTip("Discard your change and show the stored version")
        self.apply_mine = QPushButton("Apply mine on top")
        self.apply_mine.setToolTip(
            "Save the fields you changed ("
            + ", ".join(LABELS[n].lower() for n in self.changes)
            + ") over the stored version; the other fields stay as stored"
        )
        buttons.addButton(self.keep_theirs, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.apply_mine, QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_theirs.clicked.connect(self._keep_theirs)
        self.apply_mine.clicked.connect(self._apply_mine)
        self.keep_theirs.setDefault(True)  # Enter never overwrites someone else's work

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 380)

    def _fill_row(self, row: int, name: str) -> None:
        mine_value, stored_value = getattr(self.mine, name), getattr(self.stored, name)
        mark = " ✎" if name in self.changes else ""
        header = QTableWidgetItem(LABELS[name] + mark)
        self.table.setVerticalHeaderItem(row, header)
        cells = [QTableWidgetItem(text) for text in shown_pair(name, mine_value, stored_value)]
        if mine_value != stored_value:
            self.differing.append(name)
            bold = QFont()
            bold.setBold(True)
            for cell in cells:
                cell.setFont(bold)
        for column, cell in enumerate(cells):
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, column, cell)

    def cell_text(self, name: str, column: int) -> str:
        """The text shown for a field: column 0 is yours, 1 the stored version."""
        item = self.table.item(list(EDITABLE).index(name), column)
        return item.text() if item is not None else ""

    def _keep_theirs(self) -> None:
        self.choice = KEEP_THEIRS
        self.reject()

    def _apply_mine(self) -> None:
        self.choice = APPLY_MINE
        self.accept()
