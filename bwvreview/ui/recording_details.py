"""A recording's details in the library window: the facts pane, and the dialog that sets or
changes its incident and officers after import (the window's side of ``bwvreview
set-details``: both call ``app.recordings.set_details``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.errors import DomainError
from bwvreview.app.records import Recording
from bwvreview.timecode import clock

# Saves (incident reference, collar numbers) and returns the recording as stored.
Save = Callable[[str, list[str]], Recording]


def collar_numbers(text: str) -> list[str]:
    """ "4471, 5522" or "4471 5522" → ["4471", "5522"]."""
    return [part for part in text.replace(",", " ").split() if part]


class RecordingDetailsDialog(QDialog):
    """Incident reference and officers; a refusal is said in the dialog, which stays open
    with what was typed."""

    def __init__(self, recording: Recording, save: Save | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Recording details")
        self.recording, self._save = recording, save
        self.saved: Recording | None = None
        intro = QLabel(f"<b>{Path(recording.path).name}</b>")
        intro.setWordWrap(True)
        self.incident = QLineEdit(recording.incident_reference or "")
        self.incident.setPlaceholderText("e.g. INC-0412")
        self.incident.setMaxLength(100)
        self.officers = QLineEdit(", ".join(recording.officers))
        self.officers.setPlaceholderText("collar numbers, e.g. 4471, 5522")
        form = QFormLayout()
        form.addRow("Incident reference", self.incident)
        form.addRow("Officers", self.officers)
        note = QLabel(
            "The officers named here see the feedback shared on this incident, and only"
            " that. They belong to the incident: every recording filed under it shows them."
            " Leave the reference empty to take the recording out of its incident."
        )
        note.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def chosen(self) -> tuple[str, list[str]]:
        return self.incident.text().strip(), collar_numbers(self.officers.text())

    def accept(self) -> None:
        if self._save is not None:
            try:
                self.saved = self._save(*self.chosen())
            except DomainError as exc:
                self.problem.setText(f"⚠ Not saved: {exc}.")
                self.problem.show()
                return
        super().accept()


class RecordingDetails(QWidget):
    """The facts of the selected recording, as a TIP would want to check them."""

    FIELDS = ("Content warning", "Incident", "Officer", "Length", "Frame rate", "Picture",
              "Sound", "Recorded", "Imported", "SHA-256", "File")  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for name in self.FIELDS:
            label = QLabel("—")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self.values[name] = label
            form.addRow(f"{name}:", label)
        fingerprint = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fingerprint.setPointSizeF(self.font().pointSizeF() * 0.85)
        self.values["SHA-256"].setFont(fingerprint)  # 64 characters: narrow enough to read whole
        self.edit_button = QPushButton("Incident and officers…")
        self.edit_button.setToolTip("File the recording under an incident and name its officers")
        self.warning_button = QPushButton("Content warning…")
        self.warning_button.setToolTip("What a reviewer should know before this footage opens")
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.warning_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addLayout(buttons)
        box.addLayout(form)
        box.addStretch(1)
        self.show_recording(None)

    def show_recording(self, r: Recording | None) -> None:
        self.edit_button.setEnabled(r is not None)
        self.warning_button.setEnabled(r is not None)
        if r is None:
            for label in self.values.values():
                label.setText("—")
            return
        fps = f"{r.fps:g} fps" if r.fps else "unknown"
        picture = f"{r.width}×{r.height} {r.video_codec}" + (
            f", rotated {r.rotation}°" if r.rotation else ""
        )
        facts = {
            "Content warning": r.content_warning or "none",
            "Incident": r.incident_reference or "—",
            "Officer": ", ".join(r.officers) or "—",
            "Length": clock(r.duration_ms, tenths=True),
            "Frame rate": fps + (" (variable)" if r.variable_frame_rate else ""),
            "Picture": picture,
            "Sound": f"{r.audio_codec}, {r.audio_channels} channel(s)" if r.has_audio else "none",
            "Recorded": r.recorded_at.strftime("%d %b %Y %H:%M:%S") if r.recorded_at else "—",
            "Imported": r.imported_at.strftime("%d %b %Y %H:%M:%S"),
            "SHA-256": r.sha256,
            "File": r.path,
        }
        for name, value in facts.items():
            self.values[name].setText(value)
