"""Corrections to the transcript in the review workspace, each one undoable step that keeps
the words' times: correct a word, say who spoke a line, split and join lines, find, and
replace all (one step for all of them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from bwvreview import app
from bwvreview.app.records import Transcript, Word
from bwvreview.ui.transcript_commands import (
    CorrectWord,
    MergeSegments,
    SplitSegment,
    ToggleSpeaker,
    replacements,
)

if TYPE_CHECKING:
    from bwvreview.ui.workspace_window import WorkspaceWindow


class TranscriptEditing:
    """Joins the transcript's and the find bar's requests to undoable commands."""

    def __init__(
        self,
        db: app.Database,
        view: WorkspaceWindow,
        undo: QUndoStack,
        *,
        transcript: Callable[[], Transcript | None],
        push: Callable[[QUndoCommand], None],
        writable: Callable[[], bool],
        changed: Callable[[], None],
    ) -> None:
        self.db, self.view, self.undo = db, view, undo
        self._transcript, self._push, self._writable = transcript, push, writable
        self.changed = changed  # a command changed the stored transcript: read it again
        t = view.transcript
        t.toggle_speaker_requested.connect(
            lambda segment_id: self._push(ToggleSpeaker(self.db, segment_id, self.changed))
        )
        t.correct_word_requested.connect(self.correct_word)
        t.split_requested.connect(self.split_line)
        t.merge_requested.connect(self.join_lines)
        view.find_bar.find_requested.connect(self.find)
        view.find_bar.replace_all_requested.connect(self.replace_all)

    def _segments(self) -> tuple[Any, ...]:
        transcript = self._transcript()
        return tuple(transcript.segments) if transcript else ()

    def correct_word(self, word: Word) -> None:
        text = self.view.ask_correction(word.text.strip())
        if text and text != word.text.strip():
            self._push(CorrectWord(self.db, word, text, self.changed))

    def split_line(self, word: Word) -> None:
        """Split the transcript line before ``word`` (undoable)."""
        words = next((s.words for s in self._segments() if word in s.words), ())
        at = words.index(word) if word in words else 0
        if at == 0:
            self.view.show_status("That word already begins a line.")
            return
        self._push(SplitSegment(self.db, words[at - 1], word, self.changed))

    def join_lines(self, segment_id: int) -> None:
        """Join the transcript line ``segment_id`` with the line after it (undoable)."""
        segments = self._segments()
        index = next((i for i, s in enumerate(segments) if s.id == segment_id), -1)
        if index < 0 or index + 1 >= len(segments):
            self.view.show_status("This is the last line: there is none after it to join.")
            return
        first, second = segments[index], segments[index + 1]
        if not first.words or not second.words:
            self.view.show_status("Only lines with timed words can be joined.")
            return
        self._push(MergeSegments(self.db, first.words[0], second.words[0], self.changed))

    def find(self, text: str, backwards: bool) -> None:
        found = self.view.transcript.find_text(text, backwards)
        self.view.find_bar.show_status("" if found else "not found")

    def replace_all(self, find: str, replace: str) -> None:
        if not self._writable():
            return
        transcript = self._transcript()
        changes = replacements(transcript.words if transcript else [], find, replace)
        if not changes:
            self.view.find_bar.show_status("not found")
            return
        self.undo.beginMacro(f"Replace “{find}” with “{replace}”")
        try:
            for word, text in changes:
                self.undo.push(CorrectWord(self.db, word, text, self.changed))
        finally:
            self.undo.endMacro()
        self.view.find_bar.show_status(f"{len(changes)} replaced")
