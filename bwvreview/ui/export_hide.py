"""The export's second step: what to hide, in the picture and in the sound.

Everything anonymising is on by default; turning something off is a visible choice that
the report records. The lists of people seen and personal details heard are
``export_people``'s; the masks are ``export_masks``'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, clip_plan
from bwvreview.ui.export_masks import MaskPanel, Run
from bwvreview.ui.export_people import HeardPanel, PeopleSeenPanel

FACE_CHOICES = (("Blur (strong)", "blur"), ("Pixelate", "pixelate"), ("Solid box", "box"),
                ("Leave faces visible", "none"))  # fmt: skip


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class HideStep(QWidget):
    """Faces, banner and masks (the picture); personal details and voices (the sound);
    captions, an opening card and the file's details (also)."""

    def __init__(self, lib: Library, recording: Any, span_ms: tuple[int, int], run: Run,
                 say: Callable[[str], None], has_annotation: bool) -> None:  # fmt: skip
        super().__init__()
        columns = QHBoxLayout(self)
        columns.addLayout(self._picture(lib, recording, span_ms, run, say), 1)
        columns.addLayout(self._sound(lib, recording.id, say, has_annotation), 1)

    def _picture(self, lib: Library, recording: Any, span_ms: tuple[int, int], run: Run,
                 say: Callable[[str], None]) -> QVBoxLayout:  # fmt: skip
        column = QVBoxLayout()
        faces = QGroupBox("Faces")
        form = QFormLayout(faces)
        self.faces = QComboBox()
        for label, value in FACE_CHOICES:
            self.faces.addItem(label, value)
        form.addRow("Hide faces by", self.faces)
        self.seen = PeopleSeenPanel()
        form.addRow(self.seen)
        column.addWidget(faces)

        banner = QGroupBox("The camera's on-screen banner")
        form = QFormLayout(banner)
        self.banner = QCheckBox("Cover it (date, camera serial, collar number)")
        self.banner.setChecked(True)
        form.addRow(self.banner)
        self.banner_where = QComboBox()
        self.banner_where.addItem("Find it automatically", None)
        for name in clip_plan.BANNER_PRESETS:
            self.banner_where.addItem(f"Always the {name.replace('-', ' ')} of the frame", name)
        self.banner.toggled.connect(self.banner_where.setEnabled)
        form.addRow("Where it is", self.banner_where)
        column.addWidget(banner)

        masks = QGroupBox("Anything else that identifies someone")
        box = QVBoxLayout(masks)
        self.masks = MaskPanel(lib, recording, span_ms, run, say)
        box.addWidget(self.masks)
        column.addWidget(masks, 1)
        return column

    def _sound(self, lib: Library, recording_id: int, say: Callable[[str], None],
               has_annotation: bool) -> QVBoxLayout:  # fmt: skip
        column = QVBoxLayout()
        speech = QGroupBox("Personal details in what is said")
        form = QFormLayout(speech)
        self.bleep = QCheckBox("Bleep the personal details ticked below")
        self.bleep.setChecked(True)
        form.addRow(self.bleep)
        self.mute = QCheckBox("Silence instead of a bleep tone")
        form.addRow(self.mute)
        self.disguise = QCheckBox("Disguise voices (pitch shift)")
        form.addRow(self.disguise)
        column.addWidget(speech)
        self.heard = HeardPanel(lib, recording_id, say)
        self.heard.hit_list.setMinimumHeight(90)
        self.heard.hit_list.setMaximumHeight(200)
        column.addWidget(self.heard.found)
        column.addWidget(self.heard.listed)

        also = QGroupBox("Also")
        form = QFormLayout(also)
        self.captions = QCheckBox("Burn in captions (hidden words shown as ████)")
        form.addRow(self.captions)
        self.card = QCheckBox("Open with a card: the category, principle, note and better wording")
        self.card.setEnabled(has_annotation)
        self.card.setChecked(has_annotation)
        if not has_annotation:
            self.card.setToolTip("Only for a clip of an annotation: export it from its moment")
        form.addRow(self.card)
        self.metadata = QCheckBox("Keep the source's file details (not recommended)")
        self.metadata.setToolTip("The date, camera and place a file can carry")
        form.addRow(self.metadata)
        column.addWidget(also)
        column.addStretch(1)
        return column

    def plan(self) -> list[str]:
        """What will be hidden, in words (said before the export)."""
        faces = {"blur": "blurred", "pixelate": "pixelated", "box": "covered with a solid box"}
        plan = []
        how = faces.get(self.faces.currentData())
        if how:
            found = self.seen.people_list.count()
            seen = (f"{found} person{'s' * (found != 1)} found in the clip" if found
                    else "every face found while the clip is written")  # fmt: skip
            plan.append(f"Faces {how}: {seen}")
        if self.banner.isChecked():
            where = self.banner_where.currentText().lower()
            plan.append(f"The camera's on-screen banner covered ({where})")
        if self.bleep.isChecked():
            heard = len(self.heard.hits) - len(self.heard.kept_audible())
            sound = "silenced" if self.mute.isChecked() else "bleeped"
            plan.append(f"Personal details heard: {heard} {sound}, and anything on the"
                        " incident's list of people and places")  # fmt: skip
        masks = self.masks.mask_list.count()
        if masks:
            plan.append(f"{masks} area{'s' * (masks != 1)} you drew (masks)")
        if self.disguise.isChecked():
            plan.append("Voices disguised (pitch shifted)")
        if not self.metadata.isChecked():
            plan.append("The file's details (date, camera, place) removed")
        return plan

    def opt_outs(self) -> list[str]:
        """What is left in on purpose, in words: said again before the export."""
        left = []
        if self.faces.currentData() == "none":
            left.append("faces are left visible")
        kept = self.seen.kept_visible()
        if kept and self.faces.currentData() != "none":
            left.append(f"{len(kept)} person{'s' * (len(kept) != 1)} left visible (consented)")
        if not self.banner.isChecked():
            left.append("the on-screen banner is left uncovered")
        if not self.bleep.isChecked():
            left.append("personal details in speech are not bleeped")
        elif self.heard.kept_audible():
            count = len(self.heard.kept_audible())
            left.append(f"{count} personal detail{'s' * (count != 1)} left audible")
        if self.metadata.isChecked():
            left.append("the source's file details are kept")
        return left
