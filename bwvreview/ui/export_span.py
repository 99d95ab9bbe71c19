"""The export's first step: the moment to share, typed as times, with a lead-in and a
lead-out so the clip does not start mid-word."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import clip_workflow
from bwvreview.app.records import Recording
from bwvreview.timecode import clock, span
from bwvreview.ui.time_edit import TimeEdit

# The window's lead-in and lead-out. The command line's --padding stays 0 (scripts rely
# on the span they ask for); a person cutting a clip for a session wants the moment framed.
DEFAULT_PADDING_S = 2.0


class SpanStep(QWidget):
    """Start, end and padding; ``changed`` whenever the span or the padding changes."""

    changed = Signal()

    def __init__(self, recording: Recording, start_ms: int, end_ms: int) -> None:
        super().__init__()
        self.recording = recording
        duration = recording.duration_ms
        intro = QLabel(
            "Choose the moment to share. Type times as minutes and seconds (1:05.3) or as"
            f" seconds (65.3). The recording runs {clock(duration, tenths=True)}."
        )
        intro.setWordWrap(True)
        self.start = TimeEdit(start_ms, duration)
        self.end = TimeEdit(end_ms, duration)
        self.padding = QDoubleSpinBox()
        self.padding.setRange(0.0, clip_workflow.MAX_PADDING_MS / 1000)
        self.padding.setDecimals(1)
        self.padding.setSingleStep(0.5)
        self.padding.setSuffix(" s")
        self.padding.setValue(DEFAULT_PADDING_S)
        self.padding.setToolTip(
            "Seconds of footage kept before and after the moment, so it does not start or"
            " stop mid-sentence (cut short at the start and end of the recording)"
        )
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Lead-in and lead-out", self.padding)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.problem)
        box.addWidget(self.summary)
        box.addStretch(1)
        for edit in (self.start, self.end):
            edit.value_changed.connect(lambda _ms: self._update())
            edit.validity_changed.connect(lambda _text: self._update())
        self.padding.valueChanged.connect(lambda _v: self._update())
        self._update(announce=False)

    def span_ms(self) -> tuple[int, int]:
        """The moment chosen, without the lead-in and lead-out."""
        return self.start.value_ms(), self.end.value_ms()

    def padding_s(self) -> float:
        return self.padding.value()

    def clip_ms(self) -> tuple[int, int]:
        """What the clip will hold: the moment with its lead-in and lead-out, within the
        recording (the rule is the app's: ``span_with_padding``)."""
        start, end = self.span_ms()
        return clip_workflow.span_with_padding(
            self.recording, start, end, round(self.padding_s() * 1000)
        )

    def problems(self) -> str:
        """What stops an export, in words ("" when the span is fine)."""
        typed = self.start.problem or self.end.problem
        if typed:
            return typed
        start, end = self.span_ms()
        if end <= start:
            return "The end must come after the start."
        return ""

    def _update(self, announce: bool = True) -> None:
        problem = self.problems()
        self.problem.setText(f"⚠ {problem}" if problem else "")
        self.problem.setVisible(bool(problem))
        if not problem:
            first, last = self.clip_ms()
            start, end = self.span_ms()
            framing = ""
            if (first, last) != (start, end):
                framing = f", with {self.padding_s():g} s before and after the moment"
                if first > start - round(self.padding_s() * 1000) or last < end + round(
                    self.padding_s() * 1000
                ):
                    framing += " (cut short where the recording starts or ends)"
            self.summary.setText(
                f"The clip will run {span(first, last)} ({clock(last - first, tenths=True)} long)"
                f"{framing}."
            )
        else:
            self.summary.setText("")
        if announce:
            self.changed.emit()
