"""Debrief mode: a TIP and an officer sit together and step through an incident's moments.

It opens with the strengths: what went well, counted and named, before any moment. Then
each moment plays from a few seconds before it starts (3 s unless changed) and pauses a
moment after it ends, titled in the officer's words (the codebook's ``officer_title``, the
reviewers' label beside the principles), with its note and any alternative wording shown
large enough to read from across a desk. Whether the officer has been shown a moment is
said in words beside an icon, never by colour alone. Keys: Right or N next, Left or P
previous, Space play or pause, Escape closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from bwvreview import app
from bwvreview.app import feedback
from bwvreview.app.admin import READ_FOOTAGE
from bwvreview.app.polarity import OFFICER_LANES, officer_heading, quoted
from bwvreview.app.records import FeedbackItem, Recording
from bwvreview.timecode import clock
from bwvreview.ui.feedback_window import KIND_TEXT, NOTICE, kind_style
from bwvreview.ui.player import PlayerWidget
from bwvreview.ui.practice_menu import offer_session_record
from bwvreview.ui.timeline import TimelineWidget
from bwvreview.ui.timeline_style import TimelineItem
from bwvreview.ui.window_size import resize_within_screen, scrolling
from bwvreview.ui.workers import call_in_background, load_waveform

LEAD_IN_S = 3  # default: each moment starts this long before the annotation
LEAD_OUT_MS = 1500  # and pauses this long after it ends, to talk
LEAD_IN_KEY = "debrief/lead_in_s"
SUMMARY = -1  # the index of the opening page: the strengths, before any moment
LoadItems = Callable[[bool], list[FeedbackItem]]  # shared_only -> moments in time order

SHARED = ("#005C41", "#E3F2EC")  # "Shared with the officer": the good-practice pair
NOT_SHARED_WORDS = "Not shared with the officer: a working note, for the reviewer only"
SHARED_WORDS = "Shared with the officer"
# Every pair of text and background this window draws (tests/ui/test_views_contrast.py).
CONTRAST_PAIRS = {
    **{f"{kind} heading": pair for kind, pair in KIND_TEXT.items()},
    "not shared badge": NOTICE,
    "shared badge": SHARED,
}


def _font(widget: QWidget, scale: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def _label(scale: float, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setFont(_font(label, scale, bold))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SharingBadge(QWidget):
    """Whether the officer has been shown this moment: an icon and words, on a tint."""

    def __init__(self) -> None:
        super().__init__()
        self.icon = QLabel()
        self.words = _label(1.2, bold=True)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.words, 1)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.shared = True

    def show_shared(self, shared: bool) -> None:
        self.shared = shared
        style = self.style()
        icon = (QStyle.StandardPixmap.SP_DialogApplyButton if shared
                else QStyle.StandardPixmap.SP_MessageBoxWarning)  # fmt: skip
        size = self.words.fontMetrics().height()
        self.icon.setPixmap(style.standardIcon(icon).pixmap(size, size))
        self.words.setText(SHARED_WORDS if shared else NOT_SHARED_WORDS)
        fg, bg = SHARED if shared else NOTICE
        self.setStyleSheet(f"SharingBadge {{ background: {bg}; border: 1px solid {fg};"
                           f" border-radius: 4px; }} QLabel {{ color: {fg}; }}")  # fmt: skip


class DebriefWindow(QMainWindow):
    def __init__(
        self,
        title: str,
        recording: Recording,
        load_items: LoadItems,
        *,
        may_include_all: bool,
        principle_labels: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)  # a QMainWindow is its own window even with a parent
        self.setWindowTitle(f"bwvreview — debrief: {title}")
        self.load_items = load_items
        self.principle_labels = principle_labels or {}
        self.items: list[FeedbackItem] = []
        self.index = SUMMARY
        self._stop_at: int | None = None
        self._build(may_include_all)
        self._keys()
        self.player.load(Path(recording.path), recording.duration_ms, recording.fps)
        self.timeline.set_duration(recording.duration_ms)
        self.reload()
        if not self.items and may_include_all:
            self.shared_only.setChecked(False)  # nothing shared yet: the reviewer's own notes
        self._restore_layout()

    # --- building -------------------------------------------------------------------------
    def _build(self, may_include_all: bool) -> None:
        self.player = PlayerWidget()
        self.player.position_changed.connect(self._moved)
        self.counter = _label(1.2)
        self.heading = _label(1.6, bold=True)
        self.category = _label(2.2, bold=True)
        self.principles = _label(1.1)
        self.sharing = SharingBadge()
        self.note = _label(1.6)
        self.quote = _label(1.4)
        self.alternative = _label(1.6)
        self.summary = _label(1.6, bold=True)  # the opening page: the counts
        self.strengths = _label(1.4)  # and the strengths, one a line
        self.empty = _label(1.3)
        self.empty.setText(
            "No moments to step through yet. Moments the reviewer shares with the officer "
            "appear here"
            + (
                "; untick “Shared with the officer only” to include working notes."
                if may_include_all
                else "."
            )  # fmt: skip
        )
        self.empty.hide()
        words = QWidget()
        column = QVBoxLayout(words)
        column.setContentsMargins(16, 12, 16, 12)
        for label in (self.counter, self.heading, self.category, self.principles, self.sharing,
                      self.summary, self.strengths, self.note, self.quote, self.alternative,
                      self.empty):  # fmt: skip
            column.addWidget(label)
        column.addStretch(1)
        scroll = scrolling(words, sideways=False)  # long notes scroll, not off the screen
        # read-only: where each moment sits, its kinds in the officer's words
        self.timeline = TimelineWidget(kind_words=officer_heading)
        self.timeline.set_lanes(OFFICER_LANES)
        self.timeline.set_spoken([])  # what was said arrives later; no empty row meanwhile
        self.timeline.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys step the moments
        self.timeline.seek_requested.connect(self.player.seek)
        self.timeline.annotation_selected.connect(self._timeline_chosen)
        self.timeline.annotation_resized.connect(lambda *_: self._show_timeline())
        self.player.position_changed.connect(self.timeline.set_playhead)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(self.player)
        self.left.addWidget(self.timeline)
        self.left.setStretchFactor(0, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([800, 520])  # words big enough to read from across a desk
        self.left.setSizes([500, 220])

        self.previous_button = QPushButton("◀  Previous (P)")
        self.next_button = QPushButton("Next (N)  ▶")
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.lead_in = QSpinBox(suffix=" s before", minimum=0, maximum=30)
        self.lead_in.setValue(int(QSettings().value(LEAD_IN_KEY, LEAD_IN_S)))
        self.lead_in.setToolTip("How long before each moment to start playing")
        self.lead_in.valueChanged.connect(lambda s: QSettings().setValue(LEAD_IN_KEY, s))
        self.shared_only = QCheckBox("Shared with the officer only")
        self.shared_only.setChecked(True)
        self.shared_only.setVisible(may_include_all)
        self.shared_only.toggled.connect(lambda _on: self.reload())
        for widget in (self.previous_button, self.next_button, self.shared_only):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the window
        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(24)
        bar.addWidget(QLabel("Start"))
        bar.addWidget(self.lead_in)
        bar.addStretch(1)
        bar.addWidget(self.shared_only)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bar)
        self.setCentralWidget(central)

    def _keys(self) -> None:
        keys_and_slots = [(("Right", "N"), self.next), (("Left", "P"), self.previous),
                          (("Space",), self.player.toggle), (("Escape",), self.close)]  # fmt: skip
        for keys, slot in keys_and_slots:
            action = QAction(self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # --- stepping ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the moments again (after the shared-only choice changes) and open on the
        strengths."""
        self.items = self.load_items(self.shared_only.isChecked())
        self.index = SUMMARY
        self._show_timeline()
        self.empty.setVisible(not self.items)
        self.go(SUMMARY, play=False)

    def next(self) -> None:
        if self.index + 1 < len(self.items):
            self.go(self.index + 1)

    def previous(self) -> None:
        if self.index > SUMMARY:
            self.go(self.index - 1)

    def go(self, index: int, play: bool = True) -> None:
        """Show moment ``index`` and play it from the lead-in before its start (``SUMMARY``:
        the opening page of strengths, which plays nothing)."""
        self.index = index
        if index == SUMMARY:
            self._stop_at = None
            self.player.pause()
            self.timeline.select(None)
            self._show_summary()
            return
        item = self.items[index]
        self._show(item)
        self.timeline.select(item.annotation_id)
        self._stop_at = item.end_ms + LEAD_OUT_MS
        self.player.seek(self.start_of(item))
        if play:
            self.player.play()
        else:
            self.player.pause()

    def start_of(self, item: FeedbackItem) -> int:
        return max(0, item.start_ms - self.lead_in.value() * 1000)

    def current(self) -> FeedbackItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    # --- internals ------------------------------------------------------------------------
    def _show_timeline(self) -> None:
        self.timeline.set_annotations([
            TimelineItem(i.annotation_id, i.start_ms, i.end_ms, (i.polarity,), i.polarity,
                         i.officer_title, "shared" if i.shared else "draft")
            for i in self.items  # draft against shared drawn on each chip, not colour alone
        ])  # fmt: skip
        current = self.current()
        self.timeline.select(current.annotation_id if current else None)

    def _timeline_chosen(self, annotation_id: int | None) -> None:
        chosen = [n for n, i in enumerate(self.items) if i.annotation_id == annotation_id]
        if chosen and chosen[0] != self.index:
            self.go(chosen[0])

    def _moment_parts(self) -> tuple[QLabel | QWidget, ...]:
        return (self.category, self.principles, self.sharing, self.note, self.quote,
                self.alternative)  # fmt: skip

    def _show_summary(self) -> None:
        """The opening page: the counts, then what went well, one strength a line."""
        for part in self._moment_parts():
            part.hide()
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(bool(self.items))
        shown = bool(self.items)
        for label in (self.counter, self.heading, self.summary, self.strengths):
            label.setVisible(shown)
        if not shown:
            return
        moments = len(self.items)
        self.counter.setText(f"Before the {moments} moment{'s' if moments != 1 else ''}")
        self.heading.setText(feedback.HEADINGS["good_practice"])
        self.heading.setStyleSheet(kind_style("good_practice"))
        self.summary.setText(feedback.counts_line(self.items).capitalize() + ".")
        good = feedback.strengths(self.items)
        self.strengths.setText(
            "\n".join(f"{clock(i.start_ms, tenths=True)}  {i.officer_title}" for i in good)
            or "No good practice is marked on this incident yet."
        )

    def _show(self, item: FeedbackItem) -> None:
        self.summary.hide()
        self.strengths.hide()
        for label in (self.counter, self.heading, self.category, self.sharing):
            label.setVisible(True)
        self.previous_button.setEnabled(True)
        self.next_button.setEnabled(self.index + 1 < len(self.items))
        when = clock(item.start_ms, tenths=True)
        self.counter.setText(f"Moment {self.index + 1} of {len(self.items)} · {when}")
        self.heading.setText(item.heading)
        self.heading.setStyleSheet(kind_style(item.polarity))
        self.category.setText(item.officer_title)
        names = [self.principle_labels.get(key, key) for key in item.principles]
        if item.category_label != item.officer_title:
            names.insert(0, item.category_label)  # the reviewers' word, for the TIP
        self.principles.setText(" · ".join(names))
        self.principles.setVisible(bool(names))
        self.sharing.show_shared(item.shared)
        self.note.setText(item.note)
        self.note.setVisible(bool(item.note))
        self.quote.setText(f"{feedback.QUOTE_HEADING}: {quoted(item.quote)}" if item.quote else "")
        self.quote.setVisible(bool(item.quote))
        self.alternative.setText(
            f"{feedback.ALTERNATIVE_HEADING}:\n{quoted(item.suggested_wording)}"
            if item.suggested_wording
            else ""
        )
        self.alternative.setVisible(bool(item.suggested_wording))

    def _moved(self, ms: int) -> None:
        if self._stop_at is not None and ms >= self._stop_at and self.player.is_playing():
            self._stop_at = None
            self.player.pause()

    def _restore_layout(self) -> None:
        geometry = QSettings().value("debrief/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 1366, 700)

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        self.player.pause()
        QSettings().setValue("debrief/geometry", self.saveGeometry())
        super().closeEvent(event)


def open_debrief(
    lib: app.Library, recording: Recording, parent: QWidget | None = None
) -> DebriefWindow:
    """A debrief window on the recording's moments, as the signed-in user may see them
    (kept alive by ``parent``, the workspace it was opened from, and closed with it)."""
    title = recording.incident_reference or Path(recording.path).name
    window = DebriefWindow(
        title,
        recording,
        lambda shared_only: feedback.debrief_items(lib, recording.id, shared_only=shared_only),
        may_include_all=lib.db.principal.can(READ_FOOTAGE),
        principle_labels={p.key: p.label for p in lib.codebook.principles},
        parent=parent,
    )
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    offer_session_record(window, lib, recording)  # "Record this debrief…" (practice_menu)
    if Path(recording.path).is_file():  # the sound's shape: cached by the workspace, usually
        load_waveform(lib, recording, owner=window, finished=window.timeline.set_peaks)
    call_in_background(lambda: feedback.spoken_lines(lib, recording.id), owner=window,
                       finished=window.timeline.set_spoken, failed=lambda _exc: None)  # fmt: skip
    window.show()
    return window
