"""The workspace transcript: words light up as they are spoken; click a word to go there.

Built as a read-only QTextBrowser. Each word is an anchor carrying its start time; the
word being spoken is highlighted by changing the format of just that word (no re-render),
so following playback costs next to nothing even for an hour of speech. Selecting words
and choosing a category anchors an annotation to them (the workspace asks
``selected_words``).
"""

from __future__ import annotations

import bisect
import html
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser

from bwvreview.annotations.interchange import speaker_label
from bwvreview.annotations.transcripts import Transcript, Word
from bwvreview.ui.library_model import format_duration
from bwvreview.ui.transcript_panel import LOW_CONFIDENCE_STYLE


@dataclass(frozen=True)
class _Placed:
    word: Word
    segment_id: int
    position: int  # character position in the document
    length: int


class TranscriptView(QTextBrowser):
    """Keys: W switches the line at the cursor between officer and other speaker; F2 or a
    double-click corrects the word at the cursor (its times are kept)."""

    seek_requested = Signal(int)
    toggle_speaker_requested = Signal(int)  # segment id
    correct_word_requested = Signal(object)  # Word

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._clicked)
        self._placed: list[_Placed] = []
        self._starts: list[int] = []
        self._current: int | None = None
        self._highlight = QTextCharFormat()
        self._highlight.setBackground(QColor(255, 214, 102, 150))

    def show_transcript(self, transcript: Transcript | None) -> None:
        self._current = None
        if transcript is None or not transcript.segments:
            self.setHtml("<p><i>No transcript yet.</i></p>")
            self._placed, self._starts = [], []
            return
        paragraphs = []
        for segment in transcript.segments:
            words = []
            for word in segment.words:
                text = html.escape(word.text.strip())
                style = f' style="{LOW_CONFIDENCE_STYLE}"' if word.low_confidence else ""
                title = (
                    f' title="check: {word.probability:.0%} sure"' if word.low_confidence else ""
                )
                space = " " if word.text.startswith(" ") else ""
                words.append(f'{space}<a href="w:{word.start_ms}"{style}{title}>{text}</a>')
            who = html.escape(speaker_label(segment.speaker))
            paragraphs.append(
                f"<p><span style='color: gray;'>{format_duration(segment.start_ms)}</span> "
                f"<b>{who}:</b> {''.join(words).strip()}</p>"
            )
        text_colour = self.palette().text().color().name()
        self.document().setDefaultStyleSheet(
            f"a {{ color: {text_colour}; text-decoration: none; }}"
        )
        self.setHtml("".join(paragraphs))
        self._index(transcript)

    def _index(self, transcript: Transcript) -> None:
        """Find each word's place in the document, in order, for highlighting and selection."""
        text = self.document().toPlainText()
        placed = []
        cursor = 0
        for segment in transcript.segments:
            for word in segment.words:
                needle = word.text.strip()
                found = text.find(needle, cursor)
                if found < 0:
                    continue
                placed.append(_Placed(word, segment.id, found, len(needle)))
                cursor = found + len(needle)
        self._placed = placed
        self._starts = [p.word.start_ms for p in placed]

    def highlight(self, ms: int) -> None:
        """Mark the word being spoken at ``ms`` (the last word that started by then)."""
        index = bisect.bisect_right(self._starts, ms) - 1
        if index < 0 or index == self._current:
            return
        if self._current is not None:
            self._format(self._current, QTextCharFormat(), clear=True)
        self._current = index
        self._format(index, self._highlight)
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._placed[index].position)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _format(self, index: int, fmt: QTextCharFormat, clear: bool = False) -> None:
        placed = self._placed[index]
        cursor = QTextCursor(self.document())
        cursor.setPosition(placed.position)
        cursor.setPosition(placed.position + placed.length, QTextCursor.MoveMode.KeepAnchor)
        if clear:
            fmt.setBackground(QColor(0, 0, 0, 0))
        cursor.mergeCharFormat(fmt)

    def selected_words(self) -> list[Word]:
        """The words the reviewer has selected with the mouse or keyboard, in order."""
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        if start == end:
            return []
        return [p.word for p in self._placed if p.position < end and p.position + p.length > start]

    def find_text(self, text: str, backwards: bool = False) -> bool:
        """Select the next (or previous) match, wrapping round once; False if none."""
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        if self.find(text, flags):
            return True
        cursor = self.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.End if backwards else QTextCursor.MoveOperation.Start
        )
        self.setTextCursor(cursor)
        return self.find(text, flags)

    def word_at_cursor(self) -> _Placed | None:
        """The word under the text cursor (or the first selected one)."""
        position = self.textCursor().selectionStart()
        for placed in self._placed:
            if placed.position <= position <= placed.position + placed.length:
                return placed
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        placed = self.word_at_cursor()
        if placed is not None and not event.modifiers():
            if event.key() == Qt.Key.Key_W:
                self.toggle_speaker_requested.emit(placed.segment_id)
                return
            if event.key() == Qt.Key.Key_F2:
                self.correct_word_requested.emit(placed.word)
                return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseDoubleClickEvent(event)
        placed = self.word_at_cursor()
        if placed is not None:
            self.correct_word_requested.emit(placed.word)

    def _clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("w:"):
            self.seek_requested.emit(int(target[2:]))
