"""What a review workspace shows, read and prepared off the GUI thread.

``iter_review`` is the generator a ``GeneratorWorker`` runs (through ``ReviewReader``) when
a workspace opens and when part of it must be read again. It reads with the services' own
sessions (one per call; SQLite in WAL mode lets it read while the window writes), lays the
transcript out, and matches the phrase cues, yielding each part as soon as it is ready so
the window shows the transcript while the annotations are still being read. The one thing
it writes is what the cues found that is new (storing a few hundred suggestions on the GUI
thread stalled it for 40-60 ms), and not once the window has closed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import ClassVar

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from bwvreview import app
from bwvreview.app import review
from bwvreview.app.errors import DomainError
from bwvreview.app.records import Annotation
from bwvreview.ui.timeline_style import TimelineItem
from bwvreview.ui.transcript_view import Paragraph, paragraphs
from bwvreview.ui.workers import GeneratorWorker, start_worker
from bwvreview.ui.workspace_window import NO_PRINCIPLE

TRANSCRIPT, ANNOTATIONS, SUGGESTIONS = "transcript", "annotations", "suggestions"
EVERYTHING = frozenset({TRANSCRIPT, ANNOTATIONS, SUGGESTIONS})


def timeline_item(a: Annotation) -> TimelineItem:
    return TimelineItem(a.id, a.start_ms, a.end_ms, a.principles or (NO_PRINCIPLE,),
                        a.polarity, a.category_label, a.status)  # fmt: skip


@dataclass(frozen=True)
class TranscriptPart:
    kind: ClassVar[str] = TRANSCRIPT
    transcript: review.Transcript | None
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class AnnotationsPart:
    kind: ClassVar[str] = ANNOTATIONS
    items: list[Annotation]  # in time order
    timeline: dict[int, TimelineItem]  # by annotation id


@dataclass(frozen=True)
class SuggestionsPart:
    kind: ClassVar[str] = SUGGESTIONS
    lexicon: app.Lexicon | None
    plan: review.SuggestionPlan | None  # None without a transcript or a lexicon
    problem: str = ""  # why there are no suggestions, for the reviewer
    # The plan stored and turned into moments, off the GUI thread (None: store it there).
    moments: tuple[app.SuggestedMoment, ...] | None = None


Part = TranscriptPart | AnnotationsPart | SuggestionsPart


def iter_review(
    lib: app.Library,
    recording_id: int,
    parts: Iterable[str] = EVERYTHING,
    lexicon: app.Lexicon | None = None,
    cancel: threading.Event | None = None,
    shown: threading.Event | None = None,
) -> Generator[Part, None, None]:
    """Yield the recording's transcript, annotations and suggestion plan (those of ``parts``
    asked for, in that order). The cue lexicon is read here when ``lexicon`` is None.

    With ``shown``, each part waits until the GUI thread has shown the one before (it sets
    ``shown``): showing is work for the GUI thread, and it is done in a fraction of the time
    when this thread is not competing with it for the interpreter."""
    wanted = set(parts)
    transcript = None
    if wanted & {TRANSCRIPT, SUGGESTIONS}:
        transcript = review.current_transcript(lib.db, recording_id)
    if TRANSCRIPT in wanted:
        yield TranscriptPart(transcript, paragraphs(transcript))
        _wait(shown, cancel)
    if ANNOTATIONS in wanted:
        items = review.list_annotations(lib.db, recording_id)
        yield AnnotationsPart(items, {a.id: timeline_item(a) for a in items})
        _wait(shown, cancel)
    if SUGGESTIONS in wanted and not (cancel and cancel.is_set()):
        yield _suggestions(lib, recording_id, transcript, lexicon, cancel)


SHOW_WAIT_S = 0.5  # the longest a read waits for the GUI thread before carrying on
SETTLE_MS = 40  # after a part is in, time for the window to paint it before the read goes on


def _wait(shown: threading.Event | None, cancel: threading.Event | None) -> None:
    """Wait (without the GIL) until the GUI thread has shown the part just handed over, for
    at most ``SHOW_WAIT_S``: the wait only spares the GUI thread competition, so a GUI thread
    that is busy elsewhere (or blocked waiting for the thread pool) never holds a read up."""
    if shown is None:
        return
    deadline = time.monotonic() + SHOW_WAIT_S
    while not shown.wait(0.05):
        if (cancel is not None and cancel.is_set()) or time.monotonic() > deadline:
            break
    shown.clear()


def _suggestions(
    lib: app.Library,
    recording_id: int,
    transcript: review.Transcript | None,
    lexicon: app.Lexicon | None,
    cancel: threading.Event | None = None,
) -> SuggestionsPart:
    """Match the cues and store what is new, here rather than on the GUI thread: storing a
    first hour's few hundred suggestions took the window 40-60 ms. Suggestions are derived
    from the transcript, but nothing is written for a window that has closed meanwhile."""
    if transcript is None:
        return SuggestionsPart(lexicon, None)
    try:
        lexicon = lexicon or app.load_cue_lexicon(lib)
        plan = review.plan_suggestions(lib.db, lexicon, recording_id, transcript)
        if cancel is not None and cancel.is_set():
            return SuggestionsPart(lexicon, plan)
        stored = review.store_suggestions(lib.db, lexicon, plan, actor=lib.actor)
    except DomainError as exc:
        return SuggestionsPart(lexicon, None, str(exc))
    return SuggestionsPart(lexicon, plan, moments=app.suggested_moments(lib, lexicon, stored))


class ReviewReader(QObject):
    """Reads parts of a recording's review on the thread pool and hands each over on the
    GUI thread (``arrived``). Asks made in one turn of the event loop make one read; a newer
    read replaces an unfinished one and takes over what it had still to bring, and anything
    the older one brings after that is dropped. After ``close`` nothing more arrives.

    ``in_background=False`` reads on the calling thread instead (the benchmark's baseline).
    """

    arrived = Signal(object)  # a TranscriptPart, AnnotationsPart or SuggestionsPart
    failed = Signal(object)  # the exception

    def __init__(self, lib: app.Library, recording_id: int, parent: QObject,
                 in_background: bool = True) -> None:  # fmt: skip
        super().__init__(parent)
        self.lib = lib
        self.recording_id = recording_id
        self.lexicon: app.Lexicon | None = None  # the cue lexicon, once one read has it
        self.in_background = in_background
        self.closed = False
        self._wanted: set[str] = set()  # asked for since the last read started
        self._arriving: set[str] = set()  # what the running read has still to bring
        self._generation = 0
        self._worker: GeneratorWorker | None = None
        self._shown = threading.Event()  # the running read's part has been shown
        self._soon = QTimer(self, singleShot=True, interval=0)
        self._soon.timeout.connect(self._start)
        # Pacing goes through a timer of the reader's own, never a connection to the Event
        # itself: PySide ties such a connection to the Event by a weak reference, and the
        # Event dies with the finished worker on a pool thread, where undoing the connection
        # raced the GUI thread (a crash, one run in ten of the workspace tests).
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self._settling: threading.Event | None = None

    def read(self, parts: Iterable[str], lexicon: app.Lexicon | None = None) -> None:
        """Read ``parts``; with ``lexicon`` the cues are matched without reading it again."""
        if self.closed:
            return
        self.lexicon = lexicon or self.lexicon
        self._wanted |= set(parts)
        if self.in_background:
            self._soon.start()
        else:
            self._start()

    def part_shown(self) -> None:
        """The GUI thread has taken in the last part that arrived: the read goes on once the
        window has had time to paint it (painting too is slower with a reader competing)."""
        self._settling = self._shown
        self._settle.start()

    def _settled(self) -> None:
        if self._settling is not None:
            self._settling.set()
            self._settling = None

    def close(self) -> None:
        self.closed = True
        self._soon.stop()
        self._settle.stop()
        self._stop_worker()

    def _stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._shown.set()  # not left waiting for a part that will never be shown
            self._worker = None

    def _start(self) -> None:
        parts = self._wanted | self._arriving
        self._wanted, self._arriving = set(), set(parts)
        self._generation += 1
        generation, lib, recording_id = self._generation, self.lib, self.recording_id
        lexicon = self.lexicon
        self._stop_worker()
        if not self.in_background:
            for part in iter_review(lib, recording_id, parts, lexicon):
                self._deliver(generation, part)
            return
        # The worker holds only what it reads with: Qt lets go of a finished worker a while
        # after it ends, and a window closed meanwhile should not be kept alive by it.
        shown = self._shown = threading.Event()
        self._worker = start_worker(
            lambda cancel: iter_review(lib, recording_id, parts, lexicon, cancel, shown),
            progressed=lambda part: self._deliver(generation, part),
            failed=lambda exc: self._fail(generation, exc),
        )

    def _current(self, generation: int) -> bool:
        # A window deleted without closing takes this reader with it: drop what comes.
        return not self.closed and generation == self._generation and shiboken6.isValid(self)

    def _deliver(self, generation: int, part: Part) -> None:
        if not self._current(generation):
            return
        if isinstance(part, SuggestionsPart):
            self.lexicon = part.lexicon or self.lexicon
        self._arriving.discard(part.kind)
        if not self._arriving:
            self._worker = None
        self.arrived.emit(part)

    def _fail(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation):
            return
        self._arriving, self._worker = set(), None
        self.failed.emit(exc)
