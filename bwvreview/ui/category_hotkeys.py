"""Category hotkeys in the review workspace.

They are read from key press and release (not QShortcut), so a tap marks a point at the
playhead and holding the key while the video plays marks the interval held. With words
selected in the transcript, a category key anchors the annotation to them and quotes them;
with a span selected on the timeline, a tap codes that span. Keys typed into a text field
are left alone, and so is every key while the shortcut overlay is open.

Which key codes which category is the reviewer's key scheme (``app.key_scheme``): the
codebook's keys, with their own changes on top, chosen in ``KeySchemeDialog`` and shown
in the coding panel, the Annotate menu and the shortcut overlay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from bwvreview import app
from bwvreview.app.key_scheme import (
    KeyScheme,
    load_key_scheme,
    reset_key_scheme,
    set_category_key,
)
from bwvreview.ui.key_scheme_dialog import KeySchemeDialog
from bwvreview.ui.workspace_menus import show_category_keys

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
        self, lib: app.Library, view: WorkspaceWindow, annotate: Annotate, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.lib, self.view, self.annotate = lib, view, annotate
        self.hotkeys: dict[str, str] = {}
        self.scheme = load_key_scheme(lib)
        self.set_scheme(self.scheme)
        view.coding.keys_requested.connect(self.change_keys)
        self._held: dict[int, tuple[str, int]] = {}  # key -> (category, playhead ms at press)
        QApplication.instance().installEventFilter(self)
        view.destroyed.connect(lambda: QApplication.instance().removeEventFilter(self))

    def set_scheme(self, scheme: KeyScheme) -> None:
        """Use these keys from now on."""
        self.scheme = scheme
        self.hotkeys = {QKeySequence(key).toString(): category
                        for category, key in scheme.keys.items() if key}  # fmt: skip

    def show_scheme(self, scheme: KeyScheme) -> None:
        """Use ``scheme``, and show it in the panel, the menu and the overlay."""
        self.set_scheme(scheme)
        self.view.coding.set_scheme(scheme)
        self.view.overlay.set_scheme(scheme)
        show_category_keys(self.view.category_actions, scheme)

    def change_keys(self) -> KeySchemeDialog:
        """The reviewer chooses their own keys; each is kept as it is chosen."""
        lib = self.lib
        dialog = KeySchemeDialog(
            lib.codebook, self.scheme, lambda category, key: set_category_key(lib, category, key),
            lambda: reset_key_scheme(lib), parent=self.view,
        )  # fmt: skip
        dialog.scheme_changed.connect(self.show_scheme)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(event, QKeyEvent):
            return False  # every event in the application passes here: leave the rest at once
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not self.view.isActiveWindow() or _typing_into(QApplication.focusWidget()):
            return False
        if self.view.overlay.isVisible():
            return False
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
