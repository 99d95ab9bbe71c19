"""The export dialog, in four steps: the moment → what to hide → check → save.

Everything anonymising is on by default; turning something off is a visible choice that
the report records, and the check step says it again. The work runs in ``app`` on a worker
thread; this dialog only collects choices and shows progress and the checks, in plain
words (``app.clip_checklist``). Each step scrolls, so the dialog fits a 1366×768 laptop at
125 % scaling.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, clip_checklist, clip_plan, clip_workflow
from bwvreview.app.errors import BAD_INPUT, DomainError
from bwvreview.timecode import clock, span
from bwvreview.ui.export_check import CheckStep
from bwvreview.ui.export_hide import HideStep
from bwvreview.ui.export_result import SaveStep
from bwvreview.ui.export_span import SpanStep
from bwvreview.ui.window_size import resize_within_screen, scrolling
from bwvreview.ui.workers import GeneratorWorker

STEPS = ("1  The moment", "2  What to hide", "3  Check", "4  Save")


def free_name(path: Path) -> Path:
    """``path``, or ``NAME-2.mp4``, ``NAME-3.mp4``…: the first name not taken."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


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
        self._listed_for: tuple[int, int] | None = None  # the span the lists were made for
        self.setWindowTitle("Export an anonymised learning clip")
        self._build(start_ms, end_ms)
        resize_within_screen(self, 1000, 640)
        self.refresh_personal_data()

    # --- layout -------------------------------------------------------------------------
    def _build(self, start_ms: int, end_ms: int) -> None:
        layout = QVBoxLayout(self)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        intro = QLabel(
            f"<b>{Path(self.recording.path).name}</b>: faces, the camera's banner, personal"
            " details in what is said and the file's details are hidden unless you choose"
            " otherwise."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.span = SpanStep(self.recording, start_ms, end_ms)
        self.start, self.end, self.padding = self.span.start, self.span.end, self.span.padding
        self.hide_step = HideStep(self.lib, self.recording, self.span.clip_ms(), self._run,
                                  self.status.setText, self.annotation_id is not None)  # fmt: skip
        self.check = CheckStep()
        self.save = SaveStep(str(self._default_out()))
        self.steps = QTabWidget()
        self.steps.setDocumentMode(True)
        for page, title in zip((self.span, self.hide_step, self.check, self.save), STEPS,
                               strict=True):  # fmt: skip
            self.steps.addTab(scrolling(page), title)
        self.steps.currentChanged.connect(self._step_shown)
        layout.addWidget(self.steps, 1)
        self._name_parts()
        self.span.changed.connect(self._span_changed)
        self.seen.find_people_button.clicked.connect(self.find_people)
        self.heard.save_button.clicked.connect(self.save_people)
        self.preview_button.clicked.connect(self.refresh_preview)
        self.save.browse.clicked.connect(self.choose_out)
        self.save.override_button.clicked.connect(lambda: self.override())

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("Back")
        self.next_button = QPushButton("Next")
        self.export_button = QPushButton("Export clip")
        self.cancel_button = QPushButton("Close")
        self.back_button.clicked.connect(lambda: self.go_to(self.steps.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.steps.currentIndex() + 1))
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        for button in (self.back_button, self.next_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._step_shown(0)

    def _name_parts(self) -> None:
        """The parts' widgets under the names the dialog has always given them."""
        hide = self.hide_step
        self.faces, self.banner, self.banner_where = hide.faces, hide.banner, hide.banner_where
        self.bleep, self.mute, self.disguise = hide.bleep, hide.mute, hide.disguise
        self.captions, self.card, self.metadata = hide.captions, hide.card, hide.metadata
        self.seen, self.heard, self.masks = hide.seen, hide.heard, hide.masks
        self.people_list = self.seen.people_list
        self.find_people_button = self.seen.find_people_button
        self.hit_list, self.people = self.heard.hit_list, self.heard.people
        self.mask_time, self.canvas = self.masks.mask_time, self.masks.canvas
        self.mask_label, self.mask_list = self.masks.mask_label, self.masks.mask_list
        self.before, self.after = self.check.before, self.check.after
        self.preview_button = self.check.preview_button
        self.out = self.save.out

    # --- moving between the steps ---------------------------------------------------------
    def go_to(self, step: int) -> None:
        self.steps.setCurrentIndex(max(0, min(step, self.steps.count() - 1)))

    def _step_shown(self, step: int) -> None:
        last = step == self.steps.count() - 1
        self.back_button.setEnabled(step > 0)
        self.next_button.setVisible(not last)
        self.export_button.setVisible(last)
        self.export_button.setDefault(last)
        self.next_button.setDefault(not last)
        if step >= 1 and self._listed_for != self.span.clip_ms() and not self.span.problems():
            self.refresh_personal_data()
        if step == 2:
            self.check.show_plan(self.hidden_plan(), self.hide_step.opt_outs())
        self._enable()

    def _span_changed(self) -> None:
        problem = self.span.problems()
        if not problem:
            self.masks.set_span(self.span.clip_ms())
        self._enable()

    def _enable(self) -> None:
        busy, problem = self.worker is not None, self.span.problems()
        self.export_button.setEnabled(not busy and not problem)
        self.preview_button.setEnabled(not busy and not problem)
        self.find_people_button.setEnabled(not busy and not problem)
        self.cancel_button.setText("Stop" if busy else "Close")
        self.cancel_button.setToolTip("Stop the work; nothing half-done is kept" if busy else "")
        self.progress.setVisible(busy)

    # --- choices ------------------------------------------------------------------------
    def span_ms(self) -> tuple[int, int]:
        """The moment chosen; the clip adds the lead-in and lead-out (``clip_ms``)."""
        return self.span.span_ms()

    def clip_ms(self) -> tuple[int, int]:
        return self.span.clip_ms()

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
            "padding": self.span.padding_s(),
            "annotation": self.annotation_id,
        }
        return clip_workflow.export_options(
            chosen,
            banner_preset=self.banner_where.currentData(),
            keep_visible_tracks=self.seen.kept_visible(),
            kept_audible=self.heard.kept_audible(),
        )

    def hidden_plan(self) -> list[str]:
        """What the clip will hide, in words, for the check step."""
        first, last = self.clip_ms()
        clip = f"The clip: {span(first, last)} of {Path(self.recording.path).name}"
        return [clip, *self.hide_step.plan()]

    @property
    def hits(self) -> list[Any]:
        return self.heard.hits

    def refresh_personal_data(self) -> None:
        """List what is heard in the clip (with its lead-in and lead-out): what the export
        bleeps is counted over the same span, so an unticked line is the line meant."""
        clip = self.clip_ms()
        if self._listed_for is not None and self._listed_for != clip:
            self.seen.clear()  # people found in another span
        self._listed_for = clip
        self.heard.refresh(clip)

    def save_people(self) -> None:
        self.heard.save_people(self.clip_ms())

    def find_people(self) -> None:
        start, end = self.clip_ms()
        recording = self.recording
        self.status.setText("Looking for faces in the clip…")
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

    def _default_out(self) -> Path:
        folder = Path(QSettings().value("export/folder", str(Path.home()), type=str))
        return free_name(folder / f"clip-{self.recording.id}-{self.span.span_ms()[0]}.mp4")

    # --- the parts, as the dialog has always offered them ------------------------------
    def load_mask_frame(self) -> None:
        self.masks.load_frame()

    def new_mask(self) -> None:
        self.masks.new_mask()

    def add_keyframe(self) -> None:
        self.masks.add_keyframe()

    def delete_mask(self) -> None:
        self.masks.delete_mask()

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
        self.progress.setValue(0)
        self._enable()
        self.pool.start(worker)

    def _settle(self, worker: GeneratorWorker, then: Callable[[Any], None], value: Any) -> None:
        if self.worker is worker:
            self.worker = None
            self._enable()
            then(value)

    def refresh_preview(self) -> None:
        clip, recording = self.clip_ms(), self.recording
        faces, cover_banner = self.faces.currentData(), self.banner.isChecked()
        where = self.banner_where.currentData()

        def work(_cancel: threading.Event) -> Generator[Any, None, Any]:
            yield 0.1
            return clip_plan.preview(recording, clip, faces, cover_banner=cover_banner,
                                     banner_preset=where)  # fmt: skip

        middle = sum(clip) // 2
        self.status.setText(f"Preparing a preview of {clock(middle, tenths=True)}…")
        self._run(work, lambda _step: None, self._show_preview)

    def _show_preview(self, frames: tuple[np.ndarray, np.ndarray]) -> None:
        self.check.show_frames(*frames)
        self.status.setText("")

    def start_export(self) -> None:
        problem = self.span.problems()
        if problem:
            self.go_to(0)
            self.status.setText(problem)
            return
        out = Path(self.out.text().strip())
        start, end = self.span_ms()
        options = self.options()
        QSettings().setValue("export/folder", str(out.parent))
        self.save.clear()
        self.go_to(self.steps.count() - 1)
        self.status.setText(clip_checklist.STAGE_WORDS["source"] + "…")
        self._run(
            lambda cancel: clip_workflow.iter_export(
                self.lib, self.recording.id, start, end, out, options, cancel
            ),
            self._show_progress,
            self._exported,
        )

    def _show_progress(self, step: Any) -> None:
        self.progress.setValue(round(step.fraction * 1000))
        self.status.setText(clip_checklist.progress_words(step))

    def _exported(self, outcome: clip_workflow.ClipOutcome) -> None:
        self.outcome = outcome
        self.record = clip_workflow.store_export(self.lib, outcome)
        verification = outcome.verification
        passed = verification is not None and verification.passed
        self.save.show_checklist(outcome.path.name, clip_checklist.checklist(verification),
                                 passed)  # fmt: skip
        self.status.setText(
            f"Saved {outcome.path} and its report." if passed
            else f"Saved {outcome.path.name}; some checks need attention (below)."
        )  # fmt: skip
        self.go_to(self.steps.count() - 1)
        self.out.setText(str(free_name(Path(self.out.text().strip()))))  # ready for another

    def override(self, reason: str | None = None) -> None:
        if self.record is None:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, "Send for approval anyway", "Why is this clip safe to share? (recorded)"
            )
            if not ok:
                return
        try:
            self.record = clip_plan.send_for_approval(self.lib, self.record.id, reason)
        except DomainError as exc:
            QMessageBox.warning(self, "Not sent for approval", str(exc))
            return
        self.save.override_button.hide()
        self.status.setText("Sent for a second person's approval; your reason is in the audit log.")

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, BAD_INPUT):
            message = str(exc)
        else:
            message = f"Unexpected problem: {exc.__class__.__name__} (see the log)"
        self.status.setText(message)
        QMessageBox.warning(self, "Could not export", message)

    def _show_cancelled(self, _value: object) -> None:
        self.status.setText("Stopped: no clip was written.")

    def cancel_or_close(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("Stopping…")
        else:
            self.reject()

    def reject(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
        super().reject()
