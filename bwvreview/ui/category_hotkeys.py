"""Category hotkeys in the review workspace.

They are read from key press and release (not QShortcut), so a tap marks a point at the
playhead and holding the key while the video plays marks the interval held. With words
selected in the transcript, a category key anchors the annotation to them and quotes them;
with a span selected on the timeline, a tap codes that span. Keys typed into a text field
are left alone, and so is every key while the shortcut overlay is open.

Which key codes which category is the reviewer's key scheme (``app.key_scheme``): the
codebook's keys, with their own changes on top.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from bwvreview.app.key_scheme import KeyScheme

if TYPE_CHECKING:
    from bwvreview.ui.workspace_window import WorkspaceWindow

HOLD_FOR_INTERVAL_MS = 400

# annotate(category_key) at the selected words, or annotate(category_key, start_ms, end_ms)
Annotate = Callable[..., None]


def _typing_into(widget: Any) -> bool:
    if isinstance(widget, QLineEdit):
        return True
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return False


class CategoryHotkeys(QObject):
    """Turns a category's key, tapped or held, into an annotation request."""

    def __init__(
        self, scheme: KeyScheme, view: WorkspaceWindow, annotate: Annotate, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.view, self.annotate = view, annotate
        self.hotkeys: dict[str, str] = {}
        self.set_scheme(scheme)
        self._held: dict[int, tuple[str, int]] = {}  # key -> (category, playhead ms at press)
        QApplication.instance().installEventFilter(self)
        view.destroyed.connect(lambda: QApplication.instance().removeEventFilter(self))

    def set_scheme(self, scheme: KeyScheme) -> None:
        """Use these keys from now on."""
        self.hotkeys = {QKeySequence(key).toString(): category
                        for category, key in scheme.keys.items() if key}  # fmt: skip

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not self.view.isActiveWindow() or _typing_into(QApplication.focusWidget()):
            return False
        if self.view.overlay.isVisible():
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.KeyPress:
            category = self.hotkeys.get(self._sequence(event))
            if category is None:
                return False
            if not event.isAutoRepeat():
                self._held[event.key()] = (category, self.view.player.position())
            return True
        # On release match the key alone: Shift may already be up when E comes up.
        held = self._held.pop(event.key(), None)
        if held is None:
            return False
        if not event.isAutoRepeat():
            self._released(*held)
        else:
            self._held[event.key()] = held
        return True

    def _released(self, category: str, pressed_at: int) -> None:
        now = self.view.player.position()
        if self.view.transcript.selected_words() or (
            now - pressed_at < HOLD_FOR_INTERVAL_MS and self.view.timeline.selected_span()
        ):
            self.annotate(category)  # the selected words, or the selected span
        elif now - pressed_at >= HOLD_FOR_INTERVAL_MS:
            self.annotate(category, pressed_at, now)
        else:
            self.annotate(category, pressed_at, pressed_at)

    @staticmethod
    def _sequence(event: QKeyEvent) -> str:
        return QKeySequence(event.keyCombination()).toString()
