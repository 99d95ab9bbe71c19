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
from PySide6.QtCore import QSettings, QSize, Qt, QThreadPool
from PySide6.QtGui import QIcon, QPixmap
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
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning import clips as clip_service
from bwvreview.annotations.review import library, redactions, transcripts
from bwvreview.app import Library, clip_workflow
from bwvreview.media.banner import PRESETS, preset
from bwvreview.media.clip_export import preview_frames
from bwvreview.media.errors import MediaError
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.timecode import clock, span
from bwvreview.ui.mask_canvas import MaskCanvas, bgr_pixmap
from bwvreview.ui.workers import GeneratorWorker

_PREVIEW_W = 320


def _pixmap(frame: np.ndarray, width_px: int = _PREVIEW_W) -> QPixmap:
    return bgr_pixmap(frame).scaledToWidth(width_px, Qt.TransformationMode.SmoothTransformation)


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
        self.recording = library.get_recording(lib.db, recording_id)
        self.annotation_id = annotation_id
        self.pool = pool or QThreadPool.globalInstance()
        self.worker: GeneratorWorker | None = None
        self.outcome: clip_workflow.ClipOutcome | None = None
        self.record: clip_service.ClipRecord | None = None
        self.hits: list[Any] = []
        self.setWindowTitle("Export anonymised learning clip")
        self.setMinimumWidth(760)
        self._build(start_ms, end_ms)
        self.refresh_personal_data()

    # --- layout -------------------------------------------------------------------------
    def _build(self, start_ms: int, end_ms: int) -> None:
        layout = QVBoxLayout(self)
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
        for name in PRESETS:
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
        tabs.addTab(self._build_masks(start_ms, end_ms), "Masks (plates, documents…)")
        self.preview_button = QPushButton("Show preview")
        self.preview_button.clicked.connect(self.refresh_preview)
        left.addWidget(tabs)
        left.addWidget(self.preview_button)

        faces = QGroupBox("People seen in the span (ticked = face hidden)")
        box = QVBoxLayout(faces)
        self.people_list = QListWidget()
        self.people_list.setIconSize(QSize(48, 48))
        self.people_list.setMaximumHeight(120)
        self.find_people_button = QPushButton("Find people…")
        self.find_people_button.setToolTip(
            "Looks for faces in the span, so you can leave a consenting person visible"
        )
        self.find_people_button.clicked.connect(self.find_people)
        box.addWidget(self.people_list)
        box.addWidget(self.find_people_button)
        right.addWidget(faces, 1)

        found = QGroupBox("Personal data heard in the span (ticked = bleeped)")
        box = QVBoxLayout(found)
        self.hit_list = QListWidget()
        box.addWidget(self.hit_list)
        right.addWidget(found, 2)
        people = QGroupBox("People && places for this incident (one per line)")
        box = QVBoxLayout(people)
        self.people = QPlainTextEdit()
        self.people.setPlaceholderText("e.g. Sarah Whitfield\nMaple Road")
        self.people.setPlainText(
            "\n".join(clip_service.people_and_places(self.lib.db, self.recording.id))
        )
        save = QPushButton("Save list and look again")
        save.clicked.connect(self.save_people)
        box.addWidget(self.people)
        box.addWidget(save)
        right.addWidget(people, 1)

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
        self.status = QLabel("")
        self.status.setWordWrap(True)
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

    def _build_masks(self, start_ms: int, end_ms: int) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        hint = QLabel(
            "Draw a rectangle over anything that identifies someone. Add keyframes at other"
            " moments if it moves: the box glides between them. Masks are kept with the"
            " recording, so every clip hides them."
        )
        hint.setWordWrap(True)
        box.addWidget(hint)
        row = QHBoxLayout()
        self.mask_time = QSlider(Qt.Orientation.Horizontal)
        self.mask_time.setRange(start_ms, max(start_ms + 1, end_ms))
        self.mask_time.setPageStep(1000)
        self.mask_time_label = QLabel(clock(start_ms, tenths=True))
        self.mask_time.valueChanged.connect(
            lambda v: self.mask_time_label.setText(clock(v, tenths=True))
        )
        self.mask_time.sliderReleased.connect(self.load_mask_frame)
        row.addWidget(self.mask_time, 1)
        row.addWidget(self.mask_time_label)
        box.addLayout(row)
        self.canvas = MaskCanvas()
        box.addWidget(self.canvas, 1)
        row = QHBoxLayout()
        self.mask_label = QLineEdit()
        self.mask_label.setPlaceholderText("what it hides, e.g. number plate")
        self.mask_mode = QComboBox()
        for mode in ("box", "blur", "pixelate"):
            self.mask_mode.addItem(mode)
        new, add, delete = (QPushButton(t) for t in ("New mask", "Add keyframe", "Delete"))
        new.clicked.connect(self.new_mask)
        add.clicked.connect(self.add_keyframe)
        delete.clicked.connect(self.delete_mask)
        for widget in (self.mask_label, self.mask_mode, new, add, delete):
            row.addWidget(widget)
        box.addLayout(row)
        self.mask_list = QListWidget()
        self.mask_list.setMaximumHeight(90)
        box.addWidget(self.mask_list)
        self._show_masks()
        return page

    # --- drawn masks --------------------------------------------------------------------
    def _masks(self) -> list[redactions.RegionMask]:
        return redactions.list_region_masks(self.lib.db, self.recording.id)

    def _show_masks(self, select_id: int | None = None) -> None:
        self.mask_list.clear()
        for mask in self._masks():
            keys = len(mask.keyframes)
            item = QListWidgetItem(
                f"{mask.label or 'mask'} ({mask.mode}): {keys} keyframe{'s' * (keys != 1)},"
                f" {clock(mask.start_ms, tenths=True)} – {clock(mask.end_ms, tenths=True)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, mask.id)
            self.mask_list.addItem(item)
            if mask.id == select_id:
                self.mask_list.setCurrentItem(item)

    def load_mask_frame(self) -> None:
        at = self.mask_time.value()
        recording = self.recording

        def work(_cancel: threading.Event) -> Generator[Any, None, Any]:
            yield 0.0
            return clip_workflow.frame_at(recording, at)

        self._run(work, lambda _step: None, lambda frame: self._show_mask_frame(at, frame))

    def _show_mask_frame(self, at: int, frame: np.ndarray) -> None:
        shown = []
        for mask in clip_workflow.drawn_masks(self.lib, self.recording.id):
            box = mask.box_at(at)
            if box is not None:
                shown.append((mask.label or "mask", box))
        self.canvas.set_frame(frame, shown)
        self.status.setText("Drag on the frame to draw a rectangle.")

    def _drawn_keyframe(self) -> tuple[int, float, float, float, float] | None:
        box = self.canvas.drawn_box
        if box is None:
            self.status.setText("Draw a rectangle on the frame first.")
            return None
        return (self.mask_time.value(), *box)

    def new_mask(self) -> None:
        keyframe = self._drawn_keyframe()
        if keyframe is None:
            return
        mask = redactions.save_region_mask(
            self.lib.db, self.recording.id, [keyframe], actor=self.lib.actor,
            label=self.mask_label.text().strip(), mode=self.mask_mode.currentText(),
        )  # fmt: skip
        self._after_mask_change(mask.id)

    def add_keyframe(self) -> None:
        item = self.mask_list.currentItem()
        keyframe = self._drawn_keyframe()
        if item is None or keyframe is None:
            if item is None:
                self.status.setText("Choose the mask in the list to add a keyframe to.")
            return
        mask = next(m for m in self._masks() if m.id == item.data(Qt.ItemDataRole.UserRole))
        frames = [k for k in mask.keyframes if k[0] != keyframe[0]] + [keyframe]
        redactions.save_region_mask(
            self.lib.db, self.recording.id, frames, actor=self.lib.actor,
            label=mask.label, mode=mask.mode, mask_id=mask.id,
        )  # fmt: skip
        self._after_mask_change(mask.id)

    def delete_mask(self) -> None:
        item = self.mask_list.currentItem()
        if item is None:
            return
        redactions.delete_region_mask(
            self.lib.db, int(item.data(Qt.ItemDataRole.UserRole)), actor=self.lib.actor
        )
        self._after_mask_change(None)

    def _after_mask_change(self, mask_id: int | None) -> None:
        self.canvas.drawn_box = None
        self._show_masks(mask_id)
        self.load_mask_frame()

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
        kept_audible = frozenset(
            i for i in range(self.hit_list.count())
            if self.hit_list.item(i).checkState() != Qt.CheckState.Checked
        )  # fmt: skip
        keep_visible = frozenset(
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.people_list.item(i) for i in range(self.people_list.count()))
            if item.checkState() != Qt.CheckState.Checked
        )
        return clip_workflow.ExportOptions(
            faces=self.faces.currentData(),
            keep_visible_tracks=keep_visible,
            keep_overlay=not self.banner.isChecked(),
            banner_preset=self.banner_where.currentData(),
            bleep="auto" if self.bleep.isChecked() else "none",
            audio_mode="mute" if self.mute.isChecked() else "bleep",
            voice_disguise=self.disguise.isChecked(),
            keep_metadata=self.metadata.isChecked(),
            captions=self.captions.isChecked(),
            opening_card=self.card.isChecked(),
            padding_ms=round(self.padding.value() * 1000),
            annotation_id=self.annotation_id,
            kept_audible=kept_audible,
        )

    def refresh_personal_data(self) -> None:
        start, end = self.span_ms()
        try:
            self.hits = clip_workflow.personal_data_in_span(self.lib, self.recording.id, start, end)
        except (MediaError, DomainError) as exc:
            self.status.setText(str(exc))
            self.hits = []
        self.hit_list.clear()
        for hit in self.hits:
            kind = hit.kind.replace("_", " ")
            item = QListWidgetItem(
                f"{clock(hit.start_ms, tenths=True)}  {kind}: “{hit.text.strip()}”"
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.hit_list.addItem(item)
        if not self.hits:
            transcribed = transcripts.current_transcript(self.lib.db, self.recording.id)
            self.hit_list.addItem(
                "No personal data found in the transcript of this span."
                if transcribed
                else "No transcript yet: the export will listen to the span and bleep the"
                " personal data it hears."
            )

    def find_people(self) -> None:
        start, end = self.span_ms()
        recording = self.recording
        self.status.setText("Looking for faces in the span…")
        self._run(
            lambda cancel: clip_workflow.iter_people_in_span(recording, start, end, cancel),
            lambda fraction: self.progress.setValue(round(fraction * 1000)),
            self._show_people,
        )

    def _show_people(self, people: list[clip_workflow.PersonInSpan]) -> None:
        self.people_list.clear()
        for person in people:
            item = QListWidgetItem(
                f"Person {person.track_id}: {span(person.first_ms, person.last_ms, ' – ')}"
            )
            if person.thumbnail.size:
                item.setIcon(QIcon(_pixmap(person.thumbnail, 48)))
            item.setData(Qt.ItemDataRole.UserRole, person.track_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.people_list.addItem(item)
        count = len(people)
        self.status.setText(
            f"{count} {'person' if count == 1 else 'people'} found; untick anyone who agreed"
            " to be seen."
            if count
            else "No faces found in the span."
        )

    def save_people(self) -> None:
        items = self.people.toPlainText().splitlines()
        clip_service.set_people_and_places(self.lib.db, self.recording.id, items, self.lib.actor)
        self.refresh_personal_data()

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
        start, end = self.span_ms()
        middle = (start + end) // 2
        faces, cover_banner = self.faces.currentData(), self.banner.isChecked()
        where = self.banner_where.currentData()
        recording = self.recording

        def work(_cancel: threading.Event) -> Generator[Any, None, Any]:
            yield 0.1
            banner = None
            if cover_banner:
                banner = (
                    preset(where) if where else clip_workflow.find_banner(recording, start, end)
                )
            settings = VideoRedactionSettings(faces=faces, banner=banner)
            return preview_frames(probe(Path(recording.path)), middle, settings)

        self.status.setText(f"Preparing a preview of {clock(middle, tenths=True)}…")
        self._run(work, lambda _step: None, self._show_preview)

    def _show_preview(self, frames: tuple[np.ndarray, np.ndarray]) -> None:
        before, after = frames
        self.before.setPixmap(_pixmap(before))
        self.after.setPixmap(_pixmap(after))
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
            self.record = clip_service.add_to_library(
                self.lib.db, self.record.id, self.lib.actor, reason
            )
        except DomainError as exc:
            QMessageBox.warning(self, "Not added", str(exc))
            return
        self.status.setText("Sent for a second person's approval; your reason is in the audit log.")

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, MediaError | DomainError):
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
