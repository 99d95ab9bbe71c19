"""The export dialog: choose what to anonymise, confirm personal data, watch it export.

Everything anonymising is on by default; turning something off is a visible choice that
the report records. The work runs in ``app.clips`` on a worker thread; this dialog only
collects choices and shows progress, the preview and the verdict.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, clip_plan, clip_workflow
from bwvreview.app.errors import BAD_INPUT, DomainError
from bwvreview.timecode import clock
from bwvreview.ui.export_masks import MaskPanel
from bwvreview.ui.export_people import HeardPanel, PeopleSeenPanel, scaled_pixmap
from bwvreview.ui.workers import GeneratorWorker

_PREVIEW_W = 320


class ExportDialog(QDialog):
    """Export one span of one recording as an anonymised learning clip."""

    def __init__(
        self,
        lib: Library,
        recording_id: int,
        start_ms: int,
        end_ms: int,
        *,
        annotation_id: int | None = None,
        parent: QWidget | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self.lib = lib
        self.recording = clip_plan.get_recording(lib, recording_id)
        self.annotation_id = annotation_id
        self.pool = pool or QThreadPool.globalInstance()
        self.worker: GeneratorWorker | None = None
        self.outcome: clip_workflow.ClipOutcome | None = None
        self.record: Any = None  # the clip's record, once stored
        self.setWindowTitle("Export anonymised learning clip")
        self.setMinimumWidth(760)
        self._build(start_ms, end_ms)
        self.refresh_personal_data()

    # --- layout -------------------------------------------------------------------------
    def _build(self, start_ms: int, end_ms: int) -> None:
        layout = QVBoxLayout(self)
        self.status = QLabel("")  # added to the layout below the progress bar
        self.status.setWordWrap(True)
        intro = QLabel(
            f"<b>{Path(self.recording.path).name}</b> — faces, the camera banner, personal"
            " data in speech and file metadata are removed unless you choose otherwise."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        columns = QHBoxLayout()
        layout.addLayout(columns)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        span = QGroupBox("Span")
        form = QFormLayout(span)
        duration_s = self.recording.duration_ms / 1000
        self.start = self._seconds(start_ms / 1000, duration_s)
        self.end = self._seconds(end_ms / 1000, duration_s)
        self.padding = self._seconds(0.0, 30.0)
        form.addRow("Start (s)", self.start)
        form.addRow("End (s)", self.end)
        form.addRow("Padding each side (s)", self.padding)
        left.addWidget(span)

        choices = QGroupBox("Anonymise")
        form = QFormLayout(choices)
        self.faces = QComboBox()
        for label, value in (("Blur (strong)", "blur"), ("Pixelate", "pixelate"),
                             ("Solid box", "box"), ("Leave faces visible", "none")):  # fmt: skip
            self.faces.addItem(label, value)
        form.addRow("Faces", self.faces)
        self.banner = QCheckBox("Cover the camera banner (date, serial, collar number)")
        self.banner.setChecked(True)
        form.addRow(self.banner)
        self.banner_where = QComboBox()
        self.banner_where.addItem("Find it automatically", None)
        for name in clip_plan.BANNER_PRESETS:
            self.banner_where.addItem(f"Always the {name.replace('-', ' ')} of the frame", name)
        self.banner.toggled.connect(self.banner_where.setEnabled)
        form.addRow("Banner position", self.banner_where)
        self.bleep = QCheckBox("Bleep the personal data ticked below")
        self.bleep.setChecked(True)
        form.addRow(self.bleep)
        self.mute = QCheckBox("Silence instead of a bleep tone")
        form.addRow(self.mute)
        self.disguise = QCheckBox("Disguise voices (pitch shift)")
        form.addRow(self.disguise)
        self.captions = QCheckBox("Burn in captions (redacted words shown as ████)")
        form.addRow(self.captions)
        self.card = QCheckBox("Open with a card: category, principle, note, alternative wording")
        self.card.setEnabled(self.annotation_id is not None)
        self.card.setChecked(self.annotation_id is not None)
        form.addRow(self.card)
        self.metadata = QCheckBox("Keep the source's file metadata (not recommended)")
        form.addRow(self.metadata)
        left.addWidget(choices)

        tabs = QTabWidget()
        preview = QWidget()
        row = QHBoxLayout(preview)
        self.before = QLabel("Before")
        self.after = QLabel("After")
        for label in (self.before, self.after):
            label.setMinimumSize(_PREVIEW_W, _PREVIEW_W * 9 // 16)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(label)
        tabs.addTab(preview, "Preview")
        self.masks = MaskPanel(self.lib, self.recording, (start_ms, end_ms), self._run,
                               self.status.setText)  # fmt: skip
        tabs.addTab(self.masks, "Masks (plates, documents…)")
        self.preview_button = QPushButton("Show preview")
        self.preview_button.clicked.connect(self.refresh_preview)
        left.addWidget(tabs)
        left.addWidget(self.preview_button)

        self.seen = PeopleSeenPanel()
        self.seen.find_people_button.clicked.connect(self.find_people)
        right.addWidget(self.seen, 1)
        self.heard = HeardPanel(self.lib, self.recording.id, self.status.setText)
        self.heard.save_button.clicked.connect(self.save_people)
        right.addWidget(self.heard.found, 2)
        right.addWidget(self.heard.listed, 1)
        # The parts' widgets under the names the dialog has always given them.
        self.people_list = self.seen.people_list
        self.find_people_button = self.seen.find_people_button
        self.hit_list, self.people = self.heard.hit_list, self.heard.people
        self.mask_time, self.canvas = self.masks.mask_time, self.masks.canvas
        self.mask_label, self.mask_list = self.masks.mask_label, self.masks.mask_list

        out_row = QHBoxLayout()
        self.out = QLineEdit(str(self._default_out()))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_out)
        out_row.addWidget(QLabel("Save as"))
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        layout.addLayout(out_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        layout.addWidget(self.buttons)

    # --- the parts, as the dialog has always offered them ------------------------------
    def load_mask_frame(self) -> None:
        self.masks.load_frame()

    def new_mask(self) -> None:
        self.masks.new_mask()

    def add_keyframe(self) -> None:
        self.masks.add_keyframe()

    def delete_mask(self) -> None:
        self.masks.delete_mask()

    def _seconds(self, value: float, maximum: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setDecimals(3)
        spin.setRange(0.0, max(maximum, 0.001))
        spin.setValue(value)
        spin.setSingleStep(0.5)
        return spin

    def _default_out(self) -> Path:
        folder = Path(QSettings().value("export/folder", str(Path.home()), type=str))
        stem = f"clip-{self.recording.id}-{int(self.start.value() * 1000)}"
        candidate = folder / f"{stem}.mp4"
        n = 2
        while candidate.exists():
            candidate = folder / f"{stem}-{n}.mp4"
            n += 1
        return candidate

    # --- choices ------------------------------------------------------------------------
    def span_ms(self) -> tuple[int, int]:
        return round(self.start.value() * 1000), round(self.end.value() * 1000)

    def options(self) -> clip_workflow.ExportOptions:
        """The options chosen, named as `export-clip`'s flags are (one definition)."""
        chosen = {
            "faces": self.faces.currentData(),
            "keep_overlay": not self.banner.isChecked(),
            "bleep": "auto" if self.bleep.isChecked() else "none",
            "mute": self.mute.isChecked(),
            "voice_disguise": self.disguise.isChecked(),
            "keep_metadata": self.metadata.isChecked(),
            "captions": self.captions.isChecked(),
            "card": self.card.isChecked(),
            "padding": self.padding.value(),
            "annotation": self.annotation_id,
        }
        return clip_workflow.export_options(
            chosen,
            banner_preset=self.banner_where.currentData(),
            keep_visible_tracks=self.seen.kept_visible(),
            kept_audible=self.heard.kept_audible(),
        )

    @property
    def hits(self) -> list[Any]:
        return self.heard.hits

    def refresh_personal_data(self) -> None:
        self.heard.refresh(self.span_ms())

    def save_people(self) -> None:
        self.heard.save_people(self.span_ms())

    def find_people(self) -> None:
        start, end = self.span_ms()
        recording = self.recording
        self.status.setText("Looking for faces in the span…")
        self._run(
            lambda cancel: clip_workflow.iter_people_in_span(recording, start, end, cancel),
            lambda fraction: self.progress.setValue(round(fraction * 1000)),
            lambda people: self.status.setText(self.seen.show_people(people)),
        )

    def choose_out(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the clip as", self.out.text(), "MP4 video (*.mp4)"
        )
        if chosen:
            self.out.setText(chosen if chosen.lower().endswith(".mp4") else f"{chosen}.mp4")

    # --- work on the thread pool --------------------------------------------------------
    def _run(
        self,
        factory: Callable[[threading.Event], Generator[Any, None, Any]],
        on_progress: Callable[[Any], None],
        on_done: Callable[[Any], None],
    ) -> None:
        worker = GeneratorWorker(factory)
        worker.signals.progressed.connect(on_progress)
        worker.signals.finished.connect(lambda result: self._settle(worker, on_done, result))
        worker.signals.failed.connect(lambda exc: self._settle(worker, self._show_failure, exc))
        worker.signals.cancelled.connect(lambda: self._settle(worker, self._show_cancelled, None))
        self.worker = worker
        self._busy(True)
        self.pool.start(worker)

    def _settle(self, worker: GeneratorWorker, then: Callable[[Any], None], value: Any) -> None:
        if self.worker is worker:
            self.worker = None
            self._busy(False)
            then(value)

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.preview_button.setEnabled(not busy)
        self.find_people_button.setEnabled(not busy)
        self.cancel_button.setText("Cancel export" if busy else "Close")
        self.progress.setVisible(busy)

    def refresh_preview(self) -> None:
        span_ms, recording = self.span_ms(), self.recording
        faces, cover_banner = self.faces.currentData(), self.banner.isChecked()
        where = self.banner_where.currentData()

        def work(_cancel: threading.Event) -> Generator[Any, None, Any]:
            yield 0.1
            return clip_plan.preview(recording, span_ms, faces, cover_banner=cover_banner,
                                     banner_preset=where)  # fmt: skip

        middle = sum(span_ms) // 2
        self.status.setText(f"Preparing a preview of {clock(middle, tenths=True)}…")
        self._run(work, lambda _step: None, self._show_preview)

    def _show_preview(self, frames: tuple[np.ndarray, np.ndarray]) -> None:
        before, after = frames
        self.before.setPixmap(scaled_pixmap(before, _PREVIEW_W))
        self.after.setPixmap(scaled_pixmap(after, _PREVIEW_W))
        self.status.setText("Left: the footage. Right: what the clip will show.")

    def start_export(self) -> None:
        out = Path(self.out.text().strip())
        start, end = self.span_ms()
        options = self.options()
        QSettings().setValue("export/folder", str(out.parent))
        self.status.setText("Exporting…")
        self._run(
            lambda cancel: clip_workflow.iter_export(
                self.lib, self.recording.id, start, end, out, options, cancel
            ),
            self._show_progress,
            self._exported,
        )

    def _show_progress(self, step: Any) -> None:
        self.progress.setValue(round(step.fraction * 1000))
        eta = f" — about {step.eta_s:.0f} s left" if step.eta_s else ""
        self.status.setText(f"{step.stage.capitalize()}…{eta}")

    def _exported(self, outcome: clip_workflow.ClipOutcome) -> None:
        self.outcome = outcome
        self.record = clip_workflow.store_export(self.lib, outcome)
        verification = outcome.verification
        lines = clip_workflow.summary_lines(verification) if verification else ["not verified"]
        if verification is not None and verification.passed:
            self.status.setText(
                f"Saved {outcome.path.name}. Verified: no face, personal data or identifying"
                " tag was found. Trainers see it once another TIP or an admin has watched and"
                " approved it."
            )
            QMessageBox.information(self, "Clip exported", "\n".join(lines))
            return
        self.status.setText(f"Saved {outcome.path.name}, but it FAILED verification.")
        answer = QMessageBox.warning(
            self,
            "The clip failed verification",
            "\n".join(lines)
            + "\n\nIt is marked as failed and trainers will not see it. Send it for a second"
            " person's approval anyway, with your reason?",
            QMessageBox.StandardButton.No | QMessageBox.StandardButton.Yes,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.override()

    def override(self, reason: str | None = None) -> None:
        if self.record is None:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, "Override verification", "Why is this clip safe to share? (recorded)"
            )
            if not ok:
                return
        try:
            self.record = clip_plan.send_for_approval(self.lib, self.record.id, reason)
        except DomainError as exc:
            QMessageBox.warning(self, "Not added", str(exc))
            return
        self.status.setText("Sent for a second person's approval; your reason is in the audit log.")

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, BAD_INPUT):
            message = str(exc)
        else:
            message = f"Unexpected problem: {exc.__class__.__name__} (see the log)"
        self.status.setText(message)
        QMessageBox.warning(self, "Could not export", message)

    def _show_cancelled(self, _value: object) -> None:
        self.status.setText("Cancelled: no clip was written.")

    def cancel_or_close(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def reject(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
        super().reject()
