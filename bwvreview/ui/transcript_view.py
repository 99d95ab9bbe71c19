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

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser

from bwvreview.annotations.interchange import speaker_label
from bwvreview.annotations.transcripts import Transcript, Word
from bwvreview.ui.library_model import format_duration
from bwvreview.ui.transcript_panel import LOW_CONFIDENCE_STYLE


@dataclass(frozen=True)
class _Placed:
    word: Word
    position: int  # character position in the document
    length: int


class TranscriptView(QTextBrowser):
    seek_requested = Signal(int)

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
        for word in transcript.words:
            needle = word.text.strip()
            found = text.find(needle, cursor)
            if found < 0:
                continue
            placed.append(_Placed(word, found, len(needle)))
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

    def _clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("w:"):
            self.seek_requested.emit(int(target[2:]))
