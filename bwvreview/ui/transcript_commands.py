"""Undoable transcript corrections: a word's text, a line's speaker, splitting a line in two
and joining two lines. Word times never change.

Splitting and joining make and remove segments, so their ids change across undo and redo;
words keep theirs, so these commands find their segments through their words and put each
segment's own times, speaker and edited flag back on undo.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from PySide6.QtGui import QUndoCommand

from bwvreview import app
from bwvreview.app import review
from bwvreview.app.records import SegmentState, Word

_CORE = re.compile(r"^(\W*)(.*?)(\W*)$")


class CorrectWord(QUndoCommand):
    def __init__(
        self, db: app.Database, word: Word, text: str, changed: Callable[[], None]
    ) -> None:
        super().__init__(f"Correct “{word.text.strip()}”")
        self.db = db
        self.changed = changed
        self.word_id = word.id
        self.before = word.text.strip()
        self.after = text.strip()

    def redo(self) -> None:
        review.correct_word(self.db, self.word_id, self.after)
        self.changed()

    def undo(self) -> None:
        review.correct_word(self.db, self.word_id, self.before)
        self.changed()


class ToggleSpeaker(QUndoCommand):
    def __init__(self, db: app.Database, segment_id: int, changed: Callable[[], None]) -> None:
        super().__init__("Switch speaker")
        self.db = db
        self.segment_id = segment_id
        self.changed = changed

    def redo(self) -> None:
        review.toggle_wearer(self.db, self.segment_id)
        self.changed()

    def undo(self) -> None:
        review.toggle_wearer(self.db, self.segment_id)
        self.changed()


class SplitSegment(QUndoCommand):
    """Split a line before ``word``; ``previous`` is the word before it on that line."""

    def __init__(self, db: app.Database, previous: Word, word: Word,
                 changed: Callable[[], None]) -> None:  # fmt: skip
        super().__init__(f"Split the line before “{word.text.strip()}”")
        self.db = db
        self.changed = changed
        self.previous_id = previous.id
        self.word_id = word.id
        self.before: SegmentState | None = None

    def redo(self) -> None:
        segment_id = review.segment_of_word(self.db, self.word_id)
        if self.before is None:
            self.before = review.segment_state(self.db, segment_id)
        review.split_segment(self.db, segment_id, self.word_id)
        self.changed()

    def undo(self) -> None:
        assert self.before is not None
        joined = review.merge_segments(
            self.db, review.segment_of_word(self.db, self.previous_id),
            review.segment_of_word(self.db, self.word_id),
        )  # fmt: skip
        review.restore_segment(self.db, joined, self.before)
        self.changed()


class MergeSegments(QUndoCommand):
    """Join a line with the next; each line is named by its first word."""

    def __init__(self, db: app.Database, first: Word, second: Word,
                 changed: Callable[[], None]) -> None:  # fmt: skip
        super().__init__("Join two lines")
        self.db = db
        self.changed = changed
        self.first_id = first.id
        self.second_id = second.id
        self.before: tuple[SegmentState, SegmentState] | None = None

    def redo(self) -> None:
        first = review.segment_of_word(self.db, self.first_id)
        second = review.segment_of_word(self.db, self.second_id)
        if self.before is None:
            self.before = (review.segment_state(self.db, first),
                           review.segment_state(self.db, second))  # fmt: skip
        review.merge_segments(self.db, first, second)
        self.changed()

    def undo(self) -> None:
        assert self.before is not None
        joined = review.segment_of_word(self.db, self.first_id)
        first, second = review.split_segment(self.db, joined, self.second_id)
        review.restore_segment(self.db, first, self.before[0])
        review.restore_segment(self.db, second, self.before[1])
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
