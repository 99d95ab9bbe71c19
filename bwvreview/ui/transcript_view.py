"""The workspace transcript: words light up as they are spoken; click a word to go there.

A read-only QTextBrowser. Each word is an anchor carrying its start time; the word being
spoken is highlighted by changing the format of just that word (no re-render), so
following playback costs next to nothing even for an hour of speech. Selecting words and
choosing a category anchors an annotation to them (the workspace asks ``selected_words``).

An hour of speech is thousands of words, too many to lay out in one go on the GUI thread.
``paragraphs`` (plain Python, run on a worker) says what to write; ``iter_show`` writes it
into a fresh document a paragraph per step, so a ``SlicedJob`` can spread the writing over
short slices; the finished document replaces the shown one in one swap, keeping the place.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QMenu, QTextBrowser

from bwvreview.app.records import Transcript, Word
from bwvreview.app.review import speaker_label
from bwvreview.timecode import clock
from bwvreview.ui.palette import SECONDARY_TEXT, SPOKEN_HIGHLIGHT, SPOKEN_HIGHLIGHT_DARK
from bwvreview.ui.transcript_panel import LOW_CONFIDENCE_COLOUR

PARAGRAPH_GAP_PX = 8
SPLIT_KEY = "Ctrl+Return"
MERGE_KEY = "Ctrl+J"
SPEAKER_KEY = "Ctrl+Shift+W"


@dataclass(frozen=True)
class Paragraph:
    """One line of the transcript as it is written: when, who, and the words."""

    segment_id: int
    when: str
    who: str
    words: tuple[Word, ...]
    text: str  # shown as it is when the segment has no words


def paragraphs(transcript: Transcript | None) -> tuple[Paragraph, ...]:
    """What the view writes for a transcript (no Qt: safe on a worker thread)."""
    if transcript is None:
        return ()
    return tuple(
        Paragraph(
            s.id,
            clock(s.start_ms, tenths=True),
            f"{speaker_label(s.speaker)}:",
            s.words,
            s.text.strip(),
        )
        for s in transcript.segments
    )


@dataclass(frozen=True)
class _Placed:
    word: Word
    segment_id: int
    position: int  # character position in the document
    length: int


class TranscriptView(QTextBrowser):
    """Keys: Ctrl+Shift+W switches the line at the cursor between officer and other
    speaker; F2 or a double-click corrects the word at the cursor (its times are kept);
    Ctrl+Return splits the line before the word at the cursor; Ctrl+J joins the line with
    the next one."""

    seek_requested = Signal(int)
    toggle_speaker_requested = Signal(int)  # segment id
    correct_word_requested = Signal(object)  # Word
    split_requested = Signal(object)  # Word: the first word of the new line
    merge_requested = Signal(int)  # segment id: joined with the line after it

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._clicked)
        self._placed: list[_Placed] = []
        self._starts: list[int] = []  # each placed word's start time
        self._positions: list[int] = []  # and its place in the document
        self._current: int | None = None
        self._shown = False  # a transcript (not a message) is in the view
        self._highlight = QTextCharFormat()
        light = self.palette().color(QPalette.ColorRole.Base).lightness() >= 128
        self._highlight.setBackground(QColor(SPOKEN_HIGHLIGHT if light else SPOKEN_HIGHLIGHT_DARK))

    # --- showing a transcript ---------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """A quiet line in place of the transcript (loading, or none yet)."""
        document = self._new_document()
        fmt = QTextCharFormat()
        fmt.setFontItalic(True)
        fmt.setForeground(self.palette().placeholderText())
        QTextCursor(document).insertText(text, fmt)
        self._swap(document, [], shown=False)

    def show_transcript(self, transcript: Transcript | None) -> None:
        """Write the whole transcript now (short ones; the workspace uses ``iter_show``)."""
        for _ in self.iter_show(paragraphs(transcript)):
            pass

    def iter_show(self, lines: Sequence[Paragraph]) -> Iterator[None]:
        """Write ``lines`` into a new document, yielding after each line; the document
        replaces the shown one when it is complete (on the last step)."""
        if not lines:
            self.show_message("No transcript yet.")
            return
        document = self._new_document()
        cursor = QTextCursor(document)
        block = QTextBlockFormat()
        block.setBottomMargin(PARAGRAPH_GAP_PX)
        cursor.setBlockFormat(block)
        when, who, plain, word_fmt = self._formats()
        placed: list[_Placed] = []
        for n, line in enumerate(lines):
            if n:
                cursor.insertBlock(block)
            cursor.insertText(line.when + " ", when)
            cursor.insertText(line.who, who)
            if not line.words:
                cursor.insertText(" " + line.text, plain)
            for i, word in enumerate(line.words):
                text = word.text.strip()
                if i == 0 or word.text.startswith(" "):  # Whisper's ".C." joins "D"
                    cursor.insertText(" ", plain)
                placed.append(_Placed(word, line.segment_id, cursor.position(), len(text)))
                word_fmt.setAnchorHref(f"w:{word.start_ms}")
                unsure = word.low_confidence
                word_fmt.setFontUnderline(unsure)
                if unsure:
                    word_fmt.setToolTip(f"check: {word.probability:.0%} sure")
                    word_fmt.setForeground(QColor(LOW_CONFIDENCE_COLOUR))
                else:
                    word_fmt.clearProperty(QTextFormat.Property.TextToolTip)
                    word_fmt.clearForeground()
                cursor.insertText(text, word_fmt)
            yield
        yield  # the swap lays out what is in view: a slice of its own
        self._swap(document, placed, shown=True)

    def _new_document(self) -> QTextDocument:
        document = QTextDocument(self)  # the view's child: deleted when the next replaces it
        document.setUndoRedoEnabled(False)
        document.setDefaultFont(self.font())
        return document

    def _formats(self) -> tuple[QTextCharFormat, ...]:
        when = QTextCharFormat()
        when.setForeground(QColor(SECONDARY_TEXT))
        who = QTextCharFormat()
        who.setFontWeight(QFont.Weight.Bold)
        plain = QTextCharFormat()
        word = QTextCharFormat()
        word.setAnchor(True)
        return when, who, plain, word

    def _swap(self, document: QTextDocument, placed: list[_Placed], *, shown: bool) -> None:
        """Show ``document`` in place of the current one, at the same place if both are
        transcripts (a correction re-writes the transcript; the reader stays put)."""
        scroll = self.verticalScrollBar().value() if self._shown and shown else 0
        self.setDocument(document)
        self.verticalScrollBar().setValue(scroll)
        self._placed = placed
        self._starts = [p.word.start_ms for p in placed]
        self._positions = [p.position for p in placed]
        self._current = None
        self._shown = shown

    # --- following playback -----------------------------------------------------------------
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

    # --- what the reader points at ----------------------------------------------------------
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
        return self._word_at(self.textCursor().selectionStart())

    def _word_at(self, position: int) -> _Placed | None:
        index = bisect.bisect_right(self._positions, position) - 1
        if index >= 0 and position <= self._placed[index].position + self._placed[index].length:
            return self._placed[index]
        return None

    # --- keys, mouse and the context menu ---------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Plain letters code categories in the workspace, so the transcript's own edits
        # take Ctrl (see app.key_scheme.WORKSPACE_KEYS).
        placed = self.word_at_cursor()
        ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
        mods, key = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier, event.key()
        action = {
            (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier): "correct",
            (Qt.Key.Key_Return, ctrl): "split",
            (Qt.Key.Key_Enter, ctrl): "split",
            (Qt.Key.Key_J, ctrl): "merge",
            (Qt.Key.Key_W, ctrl | shift): "speaker",
        }.get((key, mods))
        if placed is None or action is None:
            super().keyPressEvent(event)
        elif action == "correct":
            self.correct_word_requested.emit(placed.word)
        elif action == "split":
            self.split_requested.emit(placed.word)
        elif action == "merge":
            self.merge_requested.emit(placed.segment_id)
        else:
            self.toggle_speaker_requested.emit(placed.segment_id)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseDoubleClickEvent(event)
        placed = self.word_at_cursor()
        if placed is not None:
            self.correct_word_requested.emit(placed.word)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = self.menu_at(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def menu_at(self, point: QPoint) -> QMenu:
        """The context menu for ``point`` (viewport coordinates): the standard one and, on a
        word, what can be done to it and its line (the same keys work at the text cursor)."""
        scrolled = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        menu = self.createStandardContextMenu(point + scrolled)  # it takes document coordinates
        placed = self._word_at(self.cursorForPosition(point).position())
        if placed is None:
            return menu
        word = placed.word.text.strip()
        menu.addSeparator()
        actions = [
            (f"Correct “{word}”…\tF2", lambda: self.correct_word_requested.emit(placed.word)),
            (f"Split the line before “{word}”\t{SPLIT_KEY}",
             lambda: self.split_requested.emit(placed.word)),
            (f"Join with the next line\t{MERGE_KEY}",
             lambda: self.merge_requested.emit(placed.segment_id)),
            (f"Switch speaker\t{SPEAKER_KEY}",
             lambda: self.toggle_speaker_requested.emit(placed.segment_id)),
        ]  # fmt: skip
        for text, slot in actions:
            menu.addAction(text).triggered.connect(slot)
        return menu

    def _clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("w:"):
            self.seek_requested.emit(int(target[2:]))
