"""Joins the workspace window to the services: annotations with undo, hotkeys, playback sync.

Opening never makes the window wait on the database: the player and the waveform start at
once, and the transcript, the annotations and the suggestions are read on the thread pool
(``workspace_loader``) and shown as each arrives, the transcript written a slice at a time.
Until the annotations are in, edits are politely refused; after the window closes, nothing
that arrives is shown or stored.

Parts have modules of their own: ``footage_check`` (is the footage still the footage;
locating moved footage), ``transcript_editing`` (corrections to the transcript),
``category_hotkeys`` (a category's key, tapped or held, in the reviewer's key scheme) and
``workspace_span`` (the selected span: its ends, looping it). This module keeps the
annotations, the suggestions and playback, and joins the parts; the coding panel and the
category keys both come here to code (``annotate``).
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from bwvreview import app
from bwvreview.app.coverage import covering_annotations
from bwvreview.app.errors import DomainError
from bwvreview.app.records import Annotation, Recording, Transcript
from bwvreview.timecode import clock, span
from bwvreview.ui.annotation_commands import (
    AcceptSuggestion,
    AnnotationContext,
    CreateAnnotation,
    DeleteAnnotation,
    IdMap,
    RejectSuggestion,
    UpdateAnnotation,
)
from bwvreview.ui.category_hotkeys import CategoryHotkeys
from bwvreview.ui.conflict_dialog import APPLY_MINE, ConflictDialog
from bwvreview.ui.export_dialog import ExportDialog
from bwvreview.ui.footage_check import FootageCheck
from bwvreview.ui.timeline_style import TimelineItem
from bwvreview.ui.transcript_editing import TranscriptEditing
from bwvreview.ui.wellbeing import WorkspaceWellbeing
from bwvreview.ui.workers import SlicedJob, load_waveform
from bwvreview.ui.workspace_loader import (
    ANNOTATIONS,
    EVERYTHING,
    SUGGESTIONS,
    TRANSCRIPT,
    AnnotationsPart,
    ReviewReader,
    SuggestionsPart,
    TranscriptPart,
    timeline_item,
)
from bwvreview.ui.workspace_span import SpanControls
from bwvreview.ui.workspace_window import NO_PRINCIPLE, SUGGESTED, WorkspaceWindow, lanes_for

log = logging.getLogger(__name__)
# PySide re-raises an exception from a command's redo() with this in front of its message.
_OVERRIDE_PREFIX = re.compile(r"^Error calling Python override of [\w:]+\(\): ")


def span_text(start_ms: int, end_ms: int) -> str:
    return span(start_ms, end_ms) if end_ms > start_ms else clock(start_ms, tenths=True)


def refusal(exc: Exception) -> str:
    """The service's reason for refusing an edit, as the reviewer should read it."""
    return _OVERRIDE_PREFIX.sub("", str(exc))


STILL_LOADING = {TRANSCRIPT: "The transcript is", ANNOTATIONS: "The annotations are",
                 SUGGESTIONS: "The suggestions are"}  # fmt: skip


class WorkspaceController(QObject):
    loaded = Signal()  # everything asked for has arrived and is shown

    loads_in_background = True  # benchmarks/ui_open.py's baseline sets False: all on the GUI thread

    def __init__(self, lib: app.Library, recording: Recording, view: WorkspaceWindow) -> None:
        super().__init__(view)
        self.lib = lib
        self.recording = recording
        self.view = view
        self.undo = QUndoStack(self)
        self.ctx = AnnotationContext(lib.db, lib.codebook_id, lib.actor, IdMap(), self._changed,
                                     shown=self._item, conflicted=self._conflicted)  # fmt: skip
        self.conflict_dialog: ConflictDialog | None = None  # open while a save conflict waits
        self.items: list[Annotation] = []
        self._timeline_items: dict[int, TimelineItem] = {}
        self.selected: int | None = None
        self.transcript: Transcript | None = None
        self.moments: dict[int, app.SuggestedMoment] = {}  # by suggestion id
        self.lexicon: app.Lexicon | None = None
        self.pending: set[str] = set()  # parts being read, or written into the view
        self.reader = ReviewReader(lib, recording.id, self, self.loads_in_background)
        self.reader.arrived.connect(self._arrived)
        self.reader.failed.connect(self._read_failed)
        self._writer: SlicedJob | None = None  # writing the transcript into the view
        self.closed = False
        self.footage = FootageCheck(lib, recording, view, relocated=self._relocated)
        self.transcript_editing = TranscriptEditing(
            lib.db, view, self.undo, transcript=lambda: self.transcript,
            push=lambda command: self._push(command, TRANSCRIPT),
            writable=lambda: self._writable(TRANSCRIPT), changed=self._transcript_changed,
        )  # fmt: skip
        self.hotkeys = CategoryHotkeys(lib, view, self.annotate, parent=self)
        self.span = SpanControls(view, lambda: self._item(self.selected), parent=self)
        self.covered: dict[int, Annotation] = {}  # suggestion id -> the annotation covering it
        self._wire()
        self.wellbeing = WorkspaceWellbeing(view)  # gentle preview and break reminders

    # --- set-up -------------------------------------------------------------------------
    def _wire(self) -> None:
        v = self.view
        delete = QAction("Delete annotation", v)
        delete.triggered.connect(lambda: self.delete(self.selected))
        menu_actions = v.add_annotate_menu(
            self.undo.createUndoAction(v, "Undo"), self.undo.createRedoAction(v, "Redo"), delete
        )
        for action in menu_actions:
            action.triggered.connect(lambda _on=False, a=action: self.annotate(a.data()))
        v.coding.code_requested.connect(self.annotate)
        self.hotkeys.show_scheme(self.hotkeys.scheme)
        self.undo.indexChanged.connect(self._undo_moved)
        v.player.position_changed.connect(self._moved)
        v.timeline.seek_requested.connect(v.player.seek)
        v.timeline.annotation_drawn.connect(self._drawn)
        v.timeline.annotation_resized.connect(self._resized)
        v.timeline.annotation_selected.connect(self.select)
        v.timeline.annotation_delete_requested.connect(self.delete)
        v.transcript.seek_requested.connect(v.player.seek)
        v.annotations.jump_requested.connect(v.player.seek)
        v.annotations.annotation_selected.connect(self.select)
        v.editor.changes_requested.connect(self.update)
        v.locate_requested.connect(self.footage.locate)
        v.suggestions.accept_requested.connect(self.accept_suggestion)
        v.suggestions.reject_requested.connect(self.reject_suggestion)
        v.suggestions.jump_requested.connect(v.player.seek)
        v.suggestions.shown_changed.connect(self._show_suggestion_lane)
        v.export_action.triggered.connect(self.export_clip)
        v.closing.connect(self._close)

    def load(self) -> None:
        """Open (or re-open) the recording: the footage now, the rest in the background."""
        r = self.recording
        self.view.show_banner("")
        if self.footage.check(r):  # else open read-only, with a button to locate it
            self.view.player.load(Path(r.path), r.duration_ms, r.fps)
            self._load_waveform()
        self.view.timeline.set_duration(r.duration_ms)
        self.view.transcript.show_message("Loading transcript…")
        self.view.suggestions.show_status("Looking for moments worth a look…")
        self.view.annotations.counts.setText("Loading annotations…")
        self._read(EVERYTHING)

    # --- reading in the background, showing on the GUI thread ------------------------------
    def is_loading(self) -> bool:
        return bool(self.pending)

    def _read(self, parts: Iterable[str]) -> None:
        """Read ``parts`` again (in the background) and show them when they arrive."""
        if self.closed:
            return
        parts = set(parts)
        if TRANSCRIPT in parts and self._writer is not None:
            self._writer.cancel()  # writing a transcript that is about to be replaced
            self._writer = None
        self.pending |= parts
        self.view.show_status("Loading… the footage can be played meanwhile.")
        self.reader.read(parts, self.lexicon)

    def _arrived(self, part: Any) -> None:
        if self.closed:
            return
        if isinstance(part, TranscriptPart):
            self._transcript_arrived(part)
        elif isinstance(part, AnnotationsPart):
            self.items, self._timeline_items = part.items, dict(part.timeline)
            self._show_items()
            self._shown(ANNOTATIONS)
        elif isinstance(part, SuggestionsPart):
            self._suggestions_arrived(part)

    def _read_failed(self, exc: BaseException) -> None:
        log.warning("could not read the review: %s", exc.__class__.__name__)
        self.pending.clear()
        self.view.show_status("")
        self.view.show_banner(f"Part of this review could not be read: {exc}")

    def _shown(self, part: str) -> None:
        self.pending.discard(part)
        self.reader.part_shown()
        if not self.pending:
            self.view.show_status("")
            self.loaded.emit()

    def _transcript_arrived(self, part: TranscriptPart) -> None:
        self.transcript = part.transcript
        segments = part.transcript.segments if part.transcript else ()
        self.view.timeline.set_segments([(s.start_ms, s.end_ms, s.speaker, s.text)
                                         for s in segments])  # fmt: skip
        self._writer = SlicedJob(self.view.transcript.iter_show(part.paragraphs), parent=self)
        self._writer.finished.connect(self._transcript_written)
        if self.loads_in_background:
            self._writer.start()
        else:
            self._writer.drain()

    def _transcript_written(self) -> None:
        self._writer = None
        self.view.transcript.highlight(self.view.player.position())
        self._shown(TRANSCRIPT)

    def _suggestions_arrived(self, part: SuggestionsPart) -> None:
        self.lexicon = part.lexicon or self.lexicon
        self.moments = {}
        if part.problem:
            self.view.show_banner(f"Suggestions are unavailable: {part.problem}")
        elif part.moments is not None:  # stored by the reader, off the GUI thread
            self.moments = {m.suggestion_id: m for m in part.moments if m.suggestion_id is not None}
        self._show_suggestions()

    def _show_suggestions(self) -> None:
        if self.closed:
            return
        self.view.suggestions.show_status("")
        self.view.suggestions.set_moments(list(self.moments.values()))
        self._show_lanes()
        self._shown(SUGGESTIONS)

    def _close(self) -> None:
        """The window is closing: stop reading and writing; nothing arriving is shown."""
        self.closed = self.footage.closed = True
        self.reader.close()
        if self._writer is not None:
            self._writer.cancel()

    # --- is the footage still the footage? (footage_check) -----------------------------------
    @property
    def read_only(self) -> bool:
        """The footage is missing or not the original: nothing can be changed."""
        return self.footage.read_only

    def _relocated(self, recording: Recording) -> None:
        self.recording = recording
        self.load()

    def _writable(self, *parts: str) -> bool:
        loading = [STILL_LOADING[p] for p in parts or (ANNOTATIONS,) if p in self.pending]
        if loading:
            self.view.show_status(f"{loading[0]} still loading; try again in a moment.")
            return False
        if self.read_only:
            self.view.banner_box.show()
            QApplication.beep()
        return not self.read_only

    def _load_waveform(self) -> None:
        """Peaks come from the cache at once, or are computed on the thread pool."""
        self.waveform_worker = load_waveform(
            self.lib,
            self.recording,
            owner=self.view,
            finished=self.view.timeline.set_peaks,
            failed=lambda exc: log.warning("no waveform: %s", exc),
        )

    # --- annotations ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the recording's annotations afresh (in the background) and show them."""
        self._read({ANNOTATIONS})

    def _changed(self, saved: Annotation | None, removed: int | None) -> None:
        """An undoable command saved or removed one annotation: update the list in place."""
        gone = {removed, saved.id if saved else None} - {None}
        self.items = [a for a in self.items if a.id not in gone]
        for annotation_id in gone:
            self._timeline_items.pop(annotation_id, None)
        if saved is not None:
            keys = [(a.start_ms, a.id) for a in self.items]
            self.items.insert(bisect.bisect(keys, (saved.start_ms, saved.id)), saved)
            self._timeline_items[saved.id] = timeline_item(saved)

    def _show_items(self) -> None:
        """Show the annotations in the list, on the lanes and in the editor."""
        if self.selected is not None:
            self.selected = self.ctx.ids.current(self.selected)
            if all(a.id != self.selected for a in self.items):
                self.selected = None
        self.view.annotations.set_annotations(self.items, self.selected)
        self._show_lanes()
        self.view.editor.show_annotation(self._item(self.selected))

    def _show_lanes(self) -> None:
        """The annotations and the pending suggestions not yet covered on the timeline; the
        suggestions list marks the covered ones."""
        self.covered = covering_annotations(self.moments.values(), self.items)
        self.view.suggestions.set_covered({sid: a.category_label
                                           for sid, a in self.covered.items()})  # fmt: skip
        items = list(self._timeline_items.values())
        if self.view.suggestions.show_lane.isChecked():
            # Suggestions go in their own lane with negative ids, apart from annotations.
            items += [
                TimelineItem(
                    -m.suggestion_id, m.start_ms, m.end_ms, (SUGGESTED,), m.polarity, f"{m.label}?"
                )  # fmt: skip
                for m in self.moments.values()
                if m.state == "pending" and m.suggestion_id is not None
                and m.suggestion_id not in self.covered
            ]
        self.view.timeline.set_annotations(items)
        self.view.timeline.select(self.selected)

    def _undo_moved(self, _index: int) -> None:
        # The stack also reports while it is torn down with a closed window: nothing to show.
        if shiboken6.isValid(self.view.annotations):
            self._show_items()

    def _item(self, annotation_id: int | None) -> Annotation | None:
        return next((a for a in self.items if a.id == annotation_id), None)

    def _push(self, command: Any, part: str = ANNOTATIONS, refused: str = "Not saved") -> None:
        """Run an undoable edit; if the service refuses it, say why (under ``refused``) and
        show what is stored."""
        if self._writable(part):
            self._run(command, refused, {part})

    def _run(self, command: Any, refused: str, parts: set[str]) -> None:
        try:
            self.undo.push(command)
        except DomainError as exc:  # e.g. a colleague changed it meanwhile
            QMessageBox.warning(self.view, refused, refusal(exc))
            self._read(parts)

    def annotate(self, category_key: str, start_ms: int | None = None,
                 end_ms: int | None = None) -> None:  # fmt: skip
        """Add an annotation: to the selected transcript words if any, else to the span
        selected on the timeline (which is then let go), else at the playhead."""
        category = self.lib.codebook.category(category_key)
        spec: dict[str, Any] = {}
        words = self.view.transcript.selected_words() if start_ms is None else []
        chosen = self.view.timeline.selected_span() if start_ms is None else None
        if words:
            start_ms, end_ms = words[0].start_ms, words[-1].end_ms
            spec = {"quote": "".join(w.text for w in words).strip(),
                    "first_word_id": words[0].id, "last_word_id": words[-1].id}  # fmt: skip
        elif chosen is not None:
            start_ms, end_ms = chosen
        if start_ms is None:
            start_ms = self.view.player.position()
        command = CreateAnnotation(self.ctx, category.label, recording_id=self.recording.id,
                                   category_key=category_key, start_ms=start_ms,
                                   end_ms=max(end_ms or start_ms, start_ms), **spec)  # fmt: skip
        self._push(command)
        if command.created is not None:
            self.select(command.created.id)
            if chosen is not None:
                self.view.timeline.set_selected_span(None, None)
            made = command.created
            self.view.show_status(f"Coded {category.label} at "
                                  f"{span_text(made.start_ms, made.end_ms)}.")  # fmt: skip

    def update(self, annotation_id: int, changes: dict[str, Any]) -> None:
        before = self._item(self.ctx.ids.current(annotation_id))
        if before is None or not changes or self.conflict_dialog is not None:
            return  # while a conflict is open, its choice decides what is saved
        self._push(UpdateAnnotation(self.ctx, before, changes, f"Edit {before.category_label}"))

    def _conflicted(self, stored: Annotation, changes: dict[str, Any]) -> None:
        """Someone else saved this annotation since it was shown: nothing was overwritten.
        Show both versions and let the reviewer keep theirs or apply their change on top."""
        mine = replace(self._item(stored.id) or stored, **changes)
        dialog = ConflictDialog(mine, changes, stored, self.view)
        self.conflict_dialog = dialog
        dialog.finished.connect(lambda _result: self._conflict_resolved(dialog))
        dialog.open()

    def _conflict_resolved(self, dialog: ConflictDialog) -> None:
        self.conflict_dialog = None
        dialog.deleteLater()
        if self.closed or not shiboken6.isValid(self.view):
            return
        self._changed(dialog.stored, None)  # the stored version is what is shown now
        if dialog.choice == APPLY_MINE:
            self._push(UpdateAnnotation(self.ctx, dialog.stored, dialog.changes,
                                        f"Edit {dialog.stored.category_label}"))  # fmt: skip
        self._show_items()

    def delete(self, annotation_id: int | None) -> None:
        if annotation_id is not None and annotation_id < 0:
            self.reject_suggestion(-annotation_id)
            return
        item = self._item(annotation_id)
        if item is not None:
            self.selected = None
            self._push(DeleteAnnotation(self.ctx, item), refused="Not deleted")

    def select(self, annotation_id: int | None) -> None:
        if annotation_id is not None and annotation_id < 0:  # a suggestion on the timeline
            self.view.tabs.setCurrentWidget(self.view.suggestions)
            self.view.suggestions.select(-annotation_id)
            return
        if annotation_id == self.selected:
            return
        self.view.editor.flush()
        self.selected = annotation_id
        self.view.timeline.select(annotation_id)
        self.view.annotations.select(annotation_id)
        self.view.editor.show_annotation(self._item(annotation_id))

    def _drawn(self, lane: str, start_ms: int, end_ms: int) -> None:
        if lane == SUGGESTED:
            return  # suggestions come from the cues, not from drawing
        # A drag on a principle's lane: the first category of that principle, concern first
        # is a guess the reviewer changes; prefer the note category on the notes lane.
        if lane == NO_PRINCIPLE:
            self.annotate("note", start_ms, end_ms)
            return
        for category in self.lib.codebook.categories:
            if lane in category.principles:
                self.annotate(category.key, start_ms, end_ms)
                return

    def _resized(self, annotation_id: int, start_ms: int, end_ms: int) -> None:
        if annotation_id < 0:
            self._show_lanes()  # a suggestion's span is the words' span: put it back
            return
        self.update(annotation_id, {"start_ms": start_ms, "end_ms": end_ms})

    # --- suggestions from the phrase cues (deciding is undoable) ---------------------------
    def export_clip(self) -> ExportDialog | None:
        """Open the export dialog on the selected annotation, or 20 s around the playhead."""
        if self.read_only:
            self.view.show_status("The footage is missing or changed: locate it to export.")
            return None
        from bwvreview.app.clip_workflow import CLIP_LEAD_IN_MS, CLIP_LEAD_OUT_MS, export_span

        self.view.player.pause()
        item = self._item(self.selected)
        start, end = export_span(
            self.lib, self.recording.id, annotation_id=item.id if item is not None else None,
            playhead_ms=self.view.player.position(), at_least_ms=1_000,
            lead_in_ms=CLIP_LEAD_IN_MS, lead_out_ms=CLIP_LEAD_OUT_MS,
        )  # fmt: skip
        dialog = ExportDialog(
            self.lib, self.recording.id, start, end,
            annotation_id=item.id if item is not None else None, parent=self.view,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _moment_changed(self, moment: app.SuggestedMoment) -> None:
        assert moment.suggestion_id is not None
        self.moments[moment.suggestion_id] = moment
        self.view.suggestions.update_moment(moment)
        self._show_lanes()

    def accept_suggestion(self, suggestion_id: int) -> None:
        moment = self.moments.get(suggestion_id)
        if moment is None or not self._writable(SUGGESTIONS, ANNOTATIONS):
            return
        command = AcceptSuggestion(self.ctx, moment, self._moment_changed)
        self._decide(command, "Not accepted")
        if command.created is not None:
            self.select(command.created.id)

    def reject_suggestion(self, suggestion_id: int) -> None:
        moment = self.moments.get(suggestion_id)
        if moment is not None and self._writable(SUGGESTIONS, ANNOTATIONS):
            self._decide(RejectSuggestion(self.ctx, moment, self._moment_changed), "Not recorded")

    def _decide(self, command: Any, refused: str) -> None:
        self._run(command, refused, {SUGGESTIONS, ANNOTATIONS})

    def _show_suggestion_lane(self, shown: bool) -> None:
        self.view.set_lanes(lanes_for(self.lib.codebook, shown))
        self._show_lanes()

    # --- transcript corrections (transcript_editing): show what is stored ------------------
    def _transcript_changed(self) -> None:
        self._read({TRANSCRIPT})

    # --- playback -------------------------------------------------------------------------
    def _moved(self, ms: int) -> None:
        self.view.timeline.set_playhead(ms)
        self.view.transcript.highlight(ms)
