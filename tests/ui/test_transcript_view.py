"""The workspace transcript view on its own: how a transcript is written and pointed at."""

from PySide6.QtGui import QTextCursor

from bwvreview.annotations.review.transcripts import Segment, Transcript, Word
from bwvreview.ui.transcript_view import TranscriptView, paragraphs
from bwvreview.ui.workers import SlicedJob
from tests.waits import UI_WAIT_MS


def transcript():
    said = [Word(1, 1000, 1200, " My", 0.9, False), Word(2, 1200, 1500, " name's", 0.9, False),
            Word(3, 1500, 1700, " D", 0.3, False), Word(4, 1700, 1900, ".C.", 0.9, False),
            Word(5, 1900, 2300, " Hughes.", 0.9, False)]  # fmt: skip
    return Transcript(7, 1, "tiny.en", "cpu", "int8", "en", 0.8, segments=(
        Segment(10, 1000, 2300, "My name's D.C. Hughes.", "wearer", False, tuple(said)),
        Segment(11, 3000, 3500, "Hello?", "other", False, ()),
    ))  # fmt: skip


def test_words_are_written_with_whispers_spacing_and_marked_when_unsure(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.show_transcript(transcript())
    assert view.toPlainText().splitlines() == [
        "0:01.0 Officer (camera): My name's D.C. Hughes.", "0:03.0 Other speaker: Hello?"
    ]  # fmt: skip
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.toPlainText().index("D.C.") + 1)
    assert cursor.charFormat().isAnchor() and cursor.charFormat().anchorHref() == "w:1500"
    assert cursor.charFormat().fontUnderline()
    assert cursor.charFormat().toolTip() == "check: 30% sure"


def test_selected_words_and_the_word_at_the_cursor_follow_the_document(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.show_transcript(transcript())
    text = view.toPlainText()
    cursor = view.textCursor()
    cursor.setPosition(text.index("name's"))
    cursor.setPosition(text.index("Hughes") + 2, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert [w.id for w in view.selected_words()] == [2, 3, 4, 5]
    assert view.word_at_cursor().word.id == 2 and view.word_at_cursor().segment_id == 10
    view.highlight(1750)
    assert view.word_at_cursor().word.id == 4  # the word being spoken


def test_written_a_line_per_step_and_swapped_in_whole(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.show_message("Loading transcript…")
    steps = view.iter_show(paragraphs(transcript()))
    next(steps)
    assert view.toPlainText() == "Loading transcript…"  # nothing half-written is shown
    job = SlicedJob(steps)
    with qtbot.waitSignal(job.finished, timeout=UI_WAIT_MS):
        job.start()
    assert view.toPlainText().startswith("0:01.0 Officer (camera): My name's D.C. Hughes.")
