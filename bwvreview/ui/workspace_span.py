"""The selected span of time in the review workspace: marking its ends, and looping it.

``[`` starts the span at the playhead and ``]`` ends it there (or a drag along the
waveform selects it); a category key or a click in the coding panel then codes that span.
Shift+Space, or the Loop button, plays the span round and round: the selected span if
there is one, else the selected transcript words, else the selected annotation. Pressed
again, it stops looping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from bwvreview.app.records import Annotation
from bwvreview.timecode import clock, span

if TYPE_CHECKING:
    from bwvreview.ui.workspace_window import WorkspaceWindow


class SpanControls(QObject):
    def __init__(self, view: WorkspaceWindow, selected: Callable[[], Annotation | None],
                 parent: QObject) -> None:  # fmt: skip
        super().__init__(parent)
        self.view, self.selected = view, selected
        self.mark_in_ms: int | None = None  # "[" pressed, "]" not yet
        view.mark_requested.connect(self.mark)
        view.loop_requested.connect(self.toggle_loop)
        view.timeline.span_selected.connect(self._span_selected)

    def mark(self, end: str) -> None:
        """``in``: the span starts at the playhead; ``out``: it ends there."""
        timeline, now = self.view.timeline, self.view.player.position()
        current = timeline.selected_span()
        if end == "in":
            self.mark_in_ms = now
            if current is not None and current[1] > now:
                timeline.set_selected_span(now, current[1])
            else:
                self.view.show_status(f"The selection starts at {clock(now, tenths=True)}: "
                                      "press ] where it ends.")  # fmt: skip
            return
        start = self.mark_in_ms if self.mark_in_ms is not None else (current or (None,))[0]
        if start is None or start >= now:
            self.view.show_status("Press [ where the selection starts, then ] where it ends "
                                  "(the end after the start).")  # fmt: skip
            return
        timeline.set_selected_span(start, now)

    def loop_span(self) -> tuple[int, int] | None:
        """What Shift+Space would loop: the span, the selected words, or the annotation."""
        chosen = self.view.timeline.selected_span()
        if chosen is not None:
            return chosen
        words = self.view.transcript.selected_words()
        if words and words[-1].end_ms > words[0].start_ms:
            return words[0].start_ms, words[-1].end_ms
        annotation = self.selected()
        if annotation is not None and annotation.end_ms > annotation.start_ms:
            return annotation.start_ms, annotation.end_ms
        return None

    def toggle_loop(self) -> None:
        player = self.view.player
        if player.loop() is not None:
            player.set_loop(None)
            self.view.show_status("Stopped looping.")
            return
        chosen = self.loop_span()
        if chosen is None:
            self.view.show_status("Nothing to loop: drag along the waveform, or press [ and ] "
                                  "at the ends of a span, or select an annotation.")  # fmt: skip
            return
        player.set_loop(*chosen)
        self.view.show_status(f"Looping {span(*chosen)}: Shift+Space stops.")

    def _span_selected(self, chosen: tuple[int, int] | None) -> None:
        self.mark_in_ms = None if chosen is None else chosen[0]
        player = self.view.player
        if chosen is None:
            self.view.show_status("")
            return
        if player.loop() is not None:
            player.set_loop(*chosen)  # the loop follows the span while it is on
        length = clock(chosen[1] - chosen[0], tenths=True)
        self.view.show_status(f"Selected {span(*chosen)} ({length} long): a category key "
                              "codes it, Shift+Space loops it.")  # fmt: skip
