"""A box for a moment in a recording, typed as people write times ("1:05.3" or "65.3").

It shows ``timecode.clock`` with tenths and reads what is typed with
``timecode.parse_time_ms``. The value stays the exact millisecond it was given until
someone types a different time: a moment at 27.45 s shown as "0:27.4" is not moved 50 ms
just by being shown. Something that is not a time is said in words beside the box (and the
box is marked), never by colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from bwvreview.app.errors import DomainError
from bwvreview.timecode import clock, parse_time_ms


class TimeEdit(QLineEdit):
    """A time in milliseconds, shown and typed as ``m:ss.t``; ``value_changed(ms)`` when a
    new valid time is typed or set."""

    value_changed = Signal(int)
    validity_changed = Signal(str)  # "" when valid, else what is wrong, in words

    def __init__(self, ms: int = 0, maximum_ms: int | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._ms = max(0, int(ms))
        self.maximum_ms = maximum_ms
        self.problem = ""
        self.setPlaceholderText("m:ss.t, e.g. 1:05.3")
        self.setToolTip("Minutes and seconds (1:05.3) or seconds (65.3)")
        self.setMaxLength(16)
        self.setText(clock(self._ms, tenths=True))
        self.textEdited.connect(self._typed)

    def value_ms(self) -> int:
        """The last valid time (the one given or typed)."""
        return self._ms

    def set_ms(self, ms: int) -> None:
        self._ms = max(0, int(ms))
        self.setText(clock(self._ms, tenths=True))
        self._say("")
        self.value_changed.emit(self._ms)

    def _typed(self, text: str) -> None:
        try:
            ms = parse_time_ms(text)
        except DomainError:
            self._say(f"“{text.strip()}” is not a time: type minutes and seconds, e.g. 1:05.3")
            return
        if self.maximum_ms is not None and ms > self.maximum_ms:
            self._say(f"{clock(ms, tenths=True)} is after the end of the recording"
                      f" ({clock(self.maximum_ms, tenths=True)})")  # fmt: skip
            return
        self._say("")
        if ms != self._ms:
            self._ms = ms
            self.value_changed.emit(ms)

    def _say(self, problem: str) -> None:
        if problem != self.problem:
            self.problem = problem
            # a frame and a word, not colour alone: the problem is also said beside the box
            self.setStyleSheet("QLineEdit { border: 2px dashed palette(text); }" if problem else "")
            self.setAccessibleDescription(problem)
            self.validity_changed.emit(problem)
