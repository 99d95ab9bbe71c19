"""The export dialog's lists of who and what is hidden: the people seen in the span (untick
to leave a consenting person visible), the personal data heard in it (untick to leave it
audible) and the incident's people & places, which are always bleeped, with what was found
in its transcripts and not yet confirmed (bleeped until unticked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, clip_plan
from bwvreview.app import clip_workflow as clips
from bwvreview.app.errors import BAD_INPUT
from bwvreview.timecode import clock, span
from bwvreview.ui.mask_canvas import bgr_pixmap


def scaled_pixmap(frame: np.ndarray, width_px: int) -> QPixmap:
    return bgr_pixmap(frame).scaledToWidth(width_px, Qt.TransformationMode.SmoothTransformation)


def _unticked(items: QListWidget) -> list[QListWidgetItem]:
    found = (items.item(i) for i in range(items.count()))
    return [item for item in found if item.checkState() != Qt.CheckState.Checked]


def _tickable(text: str) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked)
    return item


class PeopleSeenPanel(QWidget):
    """The faces tracked in the span, ticked (hidden) until someone unticks one."""

    NOT_LOOKED = (
        "Every face found while the clip is written is hidden. To leave someone visible who"
        " agreed to be seen, press “Find people…” and untick them."
    )

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(self.NOT_LOOKED)
        self.hint.setWordWrap(True)
        self.people_list = QListWidget()
        self.people_list.setIconSize(QSize(48, 48))
        self.people_list.setMaximumHeight(120)
        self.people_list.setAccessibleName("People seen in the clip (ticked: face hidden)")
        self.people_list.hide()
        self.find_people_button = QPushButton("Find people…")
        self.find_people_button.setToolTip(
            "Looks for faces in the clip, so you can leave a consenting person visible"
        )
        row = QHBoxLayout()
        row.addWidget(self.find_people_button)
        row.addStretch(1)
        box.addWidget(self.hint)
        box.addWidget(self.people_list)
        box.addLayout(row)

    def clear(self) -> None:
        self.people_list.clear()
        self.people_list.hide()
        self.hint.setText(self.NOT_LOOKED)

    def kept_visible(self) -> frozenset[int]:
        return frozenset(
            int(item.data(Qt.ItemDataRole.UserRole)) for item in _unticked(self.people_list)
        )

    def show_people(self, people: list[clips.PersonInSpan]) -> str:
        """List the people found; returns what to tell the reviewer."""
        self.people_list.clear()
        for person in people:
            item = _tickable(
                f"Person {person.track_id}: {span(person.first_ms, person.last_ms)}"
            )
            if person.thumbnail.size:
                item.setIcon(QIcon(scaled_pixmap(person.thumbnail, 48)))
            item.setData(Qt.ItemDataRole.UserRole, person.track_id)
            self.people_list.addItem(item)
        count = len(people)
        self.people_list.setVisible(bool(count))
        if not count:
            self.hint.setText("No faces were found in the clip.")
            return "No faces found in the clip."
        who = "person" if count == 1 else "people"
        self.hint.setText(f"{count} {who} seen in the clip (ticked: face hidden). Untick"
                          " anyone who agreed to be seen.")  # fmt: skip
        return f"{count} {who} found; untick anyone who agreed to be seen."


class HeardPanel:
    """The personal data heard in the span and the incident's people & places list."""

    def __init__(self, lib: Library, recording_id: int, say: Callable[[str], None]) -> None:
        self.lib, self.recording_id, self._say = lib, recording_id, say
        self.hits: list[Any] = []
        self.found = QGroupBox("Heard in the clip (ticked: bleeped)")
        box = QVBoxLayout(self.found)
        self.hit_list = QListWidget()
        box.addWidget(self.hit_list)
        self.listed = QGroupBox("People && places for this incident (one per line)")
        box = QVBoxLayout(self.listed)
        self.people = QPlainTextEdit()
        self.people.setPlaceholderText("e.g. Sarah Whitfield\nMaple Road")
        self.people.setPlainText("\n".join(clip_plan.people_and_places(lib, recording_id)))
        self.save_button = QPushButton("Save list and look again")
        self.found_list = QListWidget()
        self.found_list.setToolTip(
            "Names, places and numbers found in the incident's transcripts. Ticked ones are"
            " bleeped wherever they are said; untick one that is not personal data, or type"
            " it into the list above to confirm it, then save."
        )
        box.addWidget(self.people)
        box.addWidget(QLabel("Found in the transcripts, not yet confirmed (ticked = bleeped):"))
        box.addWidget(self.found_list)
        box.addWidget(self.save_button)

    def kept_audible(self) -> frozenset[int]:
        items = self.hit_list
        return frozenset(
            i for i in range(items.count()) if items.item(i).checkState() != Qt.CheckState.Checked
        )

    def refresh(self, span_ms: tuple[int, int]) -> None:
        try:
            self.hits = clips.personal_data_in_span(self.lib, self.recording_id, *span_ms)
        except BAD_INPUT as exc:
            self._say(str(exc))
            self.hits = []
        self.hit_list.clear()
        for hit in self.hits:
            kind = hit.kind.replace("_", " ")
            self.hit_list.addItem(
                _tickable(f"{clock(hit.start_ms, tenths=True)}  {kind}: “{hit.text.strip()}”")
            )
        self._show_found()
        if not self.hits:
            self.hit_list.addItem(
                "No personal details found in the transcript of the clip."
                if clip_plan.has_transcript(self.lib, self.recording_id)
                else "No transcript yet: the export will listen to the clip and bleep the"
                " personal details it hears."
            )

    def _show_found(self) -> None:
        self.found_list.clear()
        for text, kind in clip_plan.found_people_and_places(self.lib, self.recording_id):
            item = _tickable(f"{text}  ({kind.replace('_', ' ')})")
            item.setData(Qt.ItemDataRole.UserRole, text)
            self.found_list.addItem(item)

    def save_people(self, span_ms: tuple[int, int]) -> None:
        items = self.people.toPlainText().splitlines()
        clip_plan.set_people_and_places(self.lib, self.recording_id, items)
        dismissed = [item.data(Qt.ItemDataRole.UserRole) for item in _unticked(self.found_list)]
        clip_plan.dismiss_found(self.lib, self.recording_id, dismissed)
        self.refresh(span_ms)
