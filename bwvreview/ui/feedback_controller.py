"""Joins the officer's feedback window to the feedback service, as the signed-in user."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from bwvreview import app
from bwvreview.app import feedback
from bwvreview.app.errors import DomainError
from bwvreview.app.records import FeedbackRecording, OfficerIncident
from bwvreview.ui.feedback_window import FeedbackWindow
from bwvreview.ui.practice_feedback import attach_practice_feedback
from bwvreview.ui.workers import GeneratorWorker, call_in_background, load_waveform


class FeedbackController(QObject):
    """Joins the feedback window to the feedback service, as the signed-in user."""

    def __init__(self, lib: app.Library, view: FeedbackWindow) -> None:
        super().__init__(view)
        self.lib = lib
        self.view = view
        self.incidents: list[OfficerIncident] = []
        self.recording: FeedbackRecording | None = None
        self.waveform_worker: GeneratorWorker | None = None
        self.lines_worker: GeneratorWorker | None = None
        view.recording_chosen.connect(self.open_recording)
        view.reflection_requested.connect(self.save_reflection)
        view.consent_change_requested.connect(self.change_consent)

    def refresh(self, select_id: int | None = None) -> None:
        self.incidents = feedback.my_incidents(self.lib.db)
        self.view.show_incidents(self.incidents)
        first = self.incidents[0].recordings[0].id if self.incidents else None
        if select_id is not None and self._incident_of(select_id) is None:
            self.view.show_not_in_an_incident()
        elif select_id is not None or first is not None:
            self.view.choose_recording(select_id if select_id is not None else first)

    def _incident_of(self, recording_id: int) -> OfficerIncident | None:
        return next((i for i in self.incidents
                     if any(r.id == recording_id for r in i.recordings)), None)  # fmt: skip

    def open_recording(self, recording_id: int) -> None:
        incident = self._incident_of(recording_id)
        if incident is None:
            return
        self.recording = next(r for r in incident.recordings if r.id == recording_id)
        self.view.show_feedback(self.recording, feedback.shared_feedback(self.lib, recording_id))
        self._show_reflections()
        self._load_waveform(self.recording)
        self._load_spoken_lines(recording_id)

    def _load_spoken_lines(self, recording_id: int) -> None:
        """What was said, for the timeline's transcript lane, read off the GUI thread."""
        if self.lines_worker is not None:
            self.lines_worker.cancel()
            self.lines_worker.signals.finished.disconnect(self._lines_arrived)
        lib = self.lib
        self.lines_worker = call_in_background(
            lambda: (recording_id, feedback.spoken_lines(lib, recording_id)),
            owner=self.view, finished=self._lines_arrived, failed=self._lines_failed,
        )  # fmt: skip

    def _lines_failed(self, _exc: BaseException) -> None:
        self.lines_worker = None  # no transcript lane is shown; the feedback stands alone

    def _lines_arrived(self, result: tuple[int, list[feedback.Line]]) -> None:
        self.lines_worker = None
        recording_id, lines = result
        if self.recording is not None and self.recording.id == recording_id:
            self.view.show_spoken_lines(lines)

    def _load_waveform(self, recording: FeedbackRecording) -> None:
        """The sound's shape under the moments: from the cache, or computed off the GUI thread."""
        if self.waveform_worker is not None:  # another recording's: no longer wanted
            self.waveform_worker.cancel()
            self.waveform_worker.signals.finished.disconnect(self._peaks_arrived)
            self.waveform_worker = None
        self.view.timeline.set_peaks(None)
        if not Path(recording.path).is_file():
            return
        self.waveform_worker = load_waveform(self.lib, recording, owner=self.view,
                                             finished=self._peaks_arrived)  # fmt: skip

    def _peaks_arrived(self, peaks: object) -> None:
        self.waveform_worker = None
        self.view.timeline.set_peaks(peaks)

    def _show_reflections(self) -> None:
        if self.recording is None:
            return
        # An officer gets only their own (the service sees to that); a reviewer previewing
        # this window sees the officers' too, but has not "read" them: nothing is marked seen.
        shown = feedback.list_reflections(self.lib.db, recording_id=self.recording.id,
                                          mark_seen=False)  # fmt: skip
        self.view.show_reflections(shown)

    def save_reflection(self, annotation_id: int | None, text: str, consent: bool) -> None:
        if self.recording is None:
            return
        incident = self._incident_of(self.recording.id)
        try:
            if annotation_id is None:
                assert incident is not None
                feedback.add_reflection(self.lib.db, incident_id=incident.id, text=text,
                                        consent_to_share=consent)  # fmt: skip
            else:
                feedback.add_reflection(self.lib.db, annotation_id=annotation_id, text=text,
                                        consent_to_share=consent)  # fmt: skip
        except DomainError as exc:
            message = str(exc)
            self.view.show_message(message[:1].upper() + message[1:] + ".")
            return
        self.view.reflection_saved()
        self._show_reflections()

    def change_consent(self, reflection_id: int, consent: bool) -> None:
        try:
            feedback.set_reflection_consent(self.lib.db, reflection_id, consent)
        except DomainError as exc:
            self.view.show_message(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        self.view.show_message(
            "It may now be quoted in training, without your name." if consent
            else "It will not be used in training."
        )  # fmt: skip
        self._show_reflections()
        self.view.past.setCurrentRow(
            next(n for n, r in enumerate(self.view.past.reflections) if r.id == reflection_id)
        )


def build_feedback_window(
    lib: app.Library,
    select_id: int | None = None,
    *,
    preview: bool = False,
    parent: QWidget | None = None,
) -> tuple[FeedbackWindow, FeedbackController]:
    """The officer's window; with ``preview``, a reviewer's read-only look at the same view."""
    window = FeedbackWindow(lib.db.principal.name, preview=preview, parent=parent,
                            officer_titles=lib.codebook.officer_titles())  # fmt: skip
    controller = FeedbackController(lib, window)
    controller.refresh(select_id)
    if not preview:  # their PPN1 reviews, sessions and observations (issue 18)
        attach_practice_feedback(window, lib)
    return window, controller
