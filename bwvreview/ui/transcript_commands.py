"""Undoable transcript corrections: a word's text, a line's speaker. Times never change."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from PySide6.QtGui import QUndoCommand

from bwvreview.annotations import transcripts
from bwvreview.annotations.db import Database
from bwvreview.annotations.transcripts import Word

_CORE = re.compile(r"^(\W*)(.*?)(\W*)$")


class CorrectWord(QUndoCommand):
    def __init__(self, db: Database, word: Word, text: str, changed: Callable[[], None]) -> None:
        super().__init__(f"Correct “{word.text.strip()}”")
        self.db = db
        self.changed = changed
        self.word_id = word.id
        self.before = word.text.strip()
        self.after = text.strip()

    def redo(self) -> None:
        transcripts.correct_word(self.db, self.word_id, self.after)
        self.changed()

    def undo(self) -> None:
        transcripts.correct_word(self.db, self.word_id, self.before)
        self.changed()


class ToggleSpeaker(QUndoCommand):
    def __init__(self, db: Database, segment_id: int, changed: Callable[[], None]) -> None:
        super().__init__("Switch speaker")
        self.db = db
        self.segment_id = segment_id
        self.changed = changed

    def redo(self) -> None:
        transcripts.toggle_wearer(self.db, self.segment_id)
        self.changed()

    def undo(self) -> None:
        transcripts.toggle_wearer(self.db, self.segment_id)
        self.changed()


def replacements(words: Iterable[Word], find: str, replace: str) -> list[tuple[Word, str]]:
    """Each word whose text, ignoring case and surrounding punctuation, is ``find``, with its
    new text: the punctuation around it is kept (``Hughes.`` → ``Hughs.``)."""
    wanted = find.strip().lower()
    found = []
    for word in words:
        lead, core, trail = _CORE.match(word.text.strip()).groups()
        if wanted and core.lower() == wanted:
            found.append((word, f"{lead}{replace.strip()}{trail}"))
    return found
