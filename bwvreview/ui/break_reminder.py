"""A kind reminder to take a break after a stretch of reviewing footage.

Reviewing time is counted only while a review workspace is the active window, and it belongs
to the person, not the recording: one ``ReviewClock`` per application carries it from one
workspace to the next, so finishing one recording and opening another does not start the
count again. Ten minutes with no workspace active counts as a break. The notice never
blocks: it sits beside the workspace until the reviewer chooses.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

MINUTE_MS = 60_000
TICK_MS = 5_000
AWAY_COUNTS_AS_BREAK_MS = 10 * MINUTE_MS
REMIND_LATER_MINUTES = 15
_CLOCK_NAME = "bwvreview-review-clock"


class ReviewClock(QObject):
    """Reviewing time since the last break, shared by every workspace of the application."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reviewed_ms = 0
        self.snoozed_until_ms = 0
        self.notice_open = False
        self._last_counted = QElapsedTimer()

    @classmethod
    def for_app(cls) -> ReviewClock:
        """The application's clock, made on first use and living as long as the app."""
        app = QCoreApplication.instance()
        clock = app.findChild(cls, _CLOCK_NAME) if app is not None else None
        if clock is None:
            clock = cls(app)
            clock.setObjectName(_CLOCK_NAME)
        return clock

    def count(self, ms: int) -> None:
        """Add ``ms`` of reviewing; a long stretch away since the last count was a break."""
        if self._last_counted.isValid() and self._last_counted.elapsed() >= AWAY_COUNTS_AS_BREAK_MS:
            self.take_break()
        self._last_counted.restart()
        self.reviewed_ms += max(0, int(ms))

    def due(self, break_minutes: int) -> bool:
        if break_minutes <= 0 or self.notice_open:
            return False
        return self.reviewed_ms >= max(break_minutes * MINUTE_MS, self.snoozed_until_ms)

    def snooze(self, minutes: int = REMIND_LATER_MINUTES) -> None:
        self.snoozed_until_ms = self.reviewed_ms + minutes * MINUTE_MS

    def take_break(self) -> None:
        self.reviewed_ms = 0
        self.snoozed_until_ms = 0

    def notice_closed(self) -> None:
        self.notice_open = False


class BreakNotice(QDialog):
    """Non-modal: "Pause and take a break" accepts, "Remind me later" (or closing) rejects."""

    def __init__(self, minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A moment for you")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = QLabel(
            f"You've been reviewing for {minutes} minute{'' if minutes == 1 else 's'}. "
            "A short break helps — step away, have some water."
        )
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 11pt; color: #23343f;")
        self.later_button = QPushButton("Remind me later")
        self.later_button.setToolTip(f"Remind me again in {REMIND_LATER_MINUTES} minutes")
        self.later_button.clicked.connect(self.reject)
        self.break_button = QPushButton("Pause and take a break")
        self.break_button.setDefault(True)
        self.break_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.break_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(14)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)


class BreakReminder(QObject):
    """Counts reviewing time while ``window`` is active; ``break_due`` says when to offer
    a break, with the minutes reviewed. ``break_minutes`` is read at every tick, so a
    changed setting applies at once (0 turns reminders off)."""

    break_due = Signal(int)

    def __init__(self, window: QWidget, break_minutes: Callable[[], int],
                 clock: ReviewClock | None = None, tick_ms: int = TICK_MS) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self.break_minutes = break_minutes
        self.clock = clock or ReviewClock.for_app()
        self._since_tick = QElapsedTimer()
        self._since_tick.start()
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(lambda: self.tick(self._since_tick.restart()))
        self.timer.start()

    def tick(self, elapsed_ms: int) -> None:
        if self.window.isActiveWindow() and not self.window.isMinimized():
            self.clock.count(elapsed_ms)
        if self.clock.due(self.break_minutes()):
            self.clock.notice_open = True
            self.break_due.emit(self.clock.reviewed_ms // MINUTE_MS)

    def show_notice(self, minutes: int, pause: Callable[[], None]) -> BreakNotice:
        """Show the notice beside the window; a break pauses playback via ``pause``."""
        notice = BreakNotice(minutes, self.window)
        notice.accepted.connect(pause)
        notice.accepted.connect(self.clock.take_break)
        notice.rejected.connect(self.clock.snooze)
        notice.finished.connect(self.clock.notice_closed)
        notice.destroyed.connect(self.clock.notice_closed)
        notice.show()
        return notice
