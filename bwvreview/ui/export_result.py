"""The export's last step: where to save, and afterwards the checks on the clip as a
checklist in plain words (passed / needs attention, and what to do next)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.clip_checklist import ATTENTION, PASSED, ChecklistItem

# A mark and a word for each state: never colour alone.
MARKS = {PASSED: ("✓", "Passed"), ATTENTION: ("!", "Needs attention"),
         "not checked": ("–", "Not checked")}  # fmt: skip


def item_html(item: ChecklistItem) -> str:
    """One check: its mark and state in words, what was checked; below, what it found and,
    when it needs attention, what to do."""
    mark, word = MARKS[item.state]
    lines = [escape(item.found), *(f"• {escape(d)}" for d in item.details)]
    if item.next_step:
        lines.append(f"<b>What to do:</b> {escape(item.next_step)}")
    return (
        f"<table cellspacing=0 cellpadding=1><tr><td width=22 valign=top><b>{mark}</b></td>"
        f"<td><b>{word}:</b> {escape(item.title)}<br>{'<br>'.join(lines)}</td></tr></table>"
    )


class SaveStep(QWidget):
    """Save as, then the verdict: one line each check, and what happens to the clip next."""

    def __init__(self, out: str) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        row = QHBoxLayout()
        self.out = QLineEdit(out)
        self.out.setAccessibleName("Save the clip as")
        self.browse = QPushButton("Choose…")
        row.addWidget(QLabel("Save as"))
        row.addWidget(self.out, 1)
        row.addWidget(self.browse)
        box.addLayout(row)
        hint = QLabel(
            "A report of what was hidden is saved beside the clip. The clip is then checked"
            " from the file alone: faces, the banner, what can be heard and the file's details."
        )
        hint.setWordWrap(True)
        box.addWidget(hint)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.verdict)
        self.items_box = QVBoxLayout()
        box.addLayout(self.items_box)
        self.items: list[QLabel] = []
        self.override_button = QPushButton("Send for a second person's approval anyway…")
        self.override_button.setToolTip(
            "Only if you have watched the clip and are sure it identifies no one: your reason"
            " is recorded, and another TIP or an admin must approve it too"
        )
        self.override_button.hide()
        override_row = QHBoxLayout()
        override_row.addWidget(self.override_button)
        override_row.addStretch(1)
        box.addLayout(override_row)
        box.addStretch(1)

    def clear(self) -> None:
        self.verdict.clear()
        for label in self.items:
            self.items_box.removeWidget(label)
            label.deleteLater()
        self.items = []
        self.override_button.hide()

    def show_checklist(self, name: str, checklist: list[ChecklistItem], passed: bool) -> None:
        self.clear()
        if passed:
            self.verdict.setText(
                f"<p><b>✓ {escape(name)} is saved and passed every check.</b> Trainers can use"
                " it once another TIP or an admin has watched and approved it (clip"
                " library).</p>"
            )
        else:
            waiting = sum(item.state == ATTENTION for item in checklist)
            self.verdict.setText(
                f"<p><b>! {escape(name)} is saved, but {waiting} check"
                f"{'s' * (waiting != 1)} need{'s' * (waiting == 1)} attention.</b> It is kept"
                " under a name ending “.failed” and trainers will not see it. The checks say"
                " what to do; then export again.</p>"
            )
        for item in sorted(checklist, key=lambda i: i.state != ATTENTION):  # attention first
            label = QLabel(item_html(item))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setProperty("state", item.state)
            self.items_box.addWidget(label)
            self.items.append(label)
        self.override_button.setVisible(not passed)
