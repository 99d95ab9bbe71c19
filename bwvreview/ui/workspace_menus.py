"""The review workspace's menus and keys: Play, Edit, Annotate and View.

Every key is named once, in ``app.key_scheme.WORKSPACE_KEYS`` (the shortcut overlay lists
the same table); here each is bound to what it does. Category keys are read from key press
and release by ``category_hotkeys`` (so a held key can mark a span), and are only shown in
the Annotate menu, whose categories sit in one submenu per kind so it never runs off the
screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from bwvreview.app.key_scheme import WORKSPACE_KEYS, KeyScheme
from bwvreview.app.polarity import POLARITY_ORDER
from bwvreview.ui.kind_marks import kind_icon, kind_text

if TYPE_CHECKING:
    from bwvreview.ui.workspace_window import WorkspaceWindow

LANE_KEYS = 9  # Ctrl+1 … Ctrl+9
_KEYS = {key.action: key for key in WORKSPACE_KEYS}


def key_action(window: WorkspaceWindow, action_id: str, slot: Callable[[], object],
               menu: QMenu | None = None) -> QAction:  # fmt: skip
    """A window-wide action named and keyed as ``WORKSPACE_KEYS`` says."""
    spec = _KEYS[action_id]
    action = QAction(spec.label, window)
    action.setShortcuts([QKeySequence(k) for k in spec.keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    if menu is not None:
        menu.addAction(action)
    window.addAction(action)  # keys work even while the menu bar is hidden
    return action


def build_play_menu(window: WorkspaceWindow) -> None:
    p = window.player
    menu = window.play_menu = window.menuBar().addMenu("&Play")
    for action_id, slot in (
        ("play_pause", p.toggle), ("shuttle_back", lambda: p.shuttle(-1)),
        ("shuttle_forward", lambda: p.shuttle(1)), ("frame_back", lambda: p.step_frames(-1)),
        ("frame_forward", lambda: p.step_frames(1)), ("back_5s", lambda: p.step(-5000)),
        ("forward_5s", lambda: p.step(5000)), ("go_start", lambda: p.seek(0)),
        ("go_end", lambda: p.seek(p.duration_ms)),
    ):  # fmt: skip
        key_action(window, action_id, slot, menu)
    menu.addSeparator()
    key_action(window, "mark_in", lambda: window.mark_requested.emit("in"), menu)
    key_action(window, "mark_out", lambda: window.mark_requested.emit("out"), menu)
    window.loop_action = key_action(window, "loop", window.loop_requested.emit, menu)
    window.loop_action.setText("Loop the selection (or the selected annotation)")
    menu.addSeparator()
    window.debrief_action = key_action(window, "debrief", window.debrief_requested.emit, menu)
    window.debrief_action.setText("Debrief: step through the moments…")
    window.preview_action = QAction("Preview what the officer sees…", window)
    window.preview_action.triggered.connect(window.preview_requested)
    menu.addAction(window.preview_action)


def build_edit_menu(window: WorkspaceWindow, undo: QAction, redo: QAction,
                    delete: QAction) -> None:  # fmt: skip
    edit = window.menuBar().addMenu("&Edit")
    for action, action_id in ((undo, "undo"), (redo, "redo"), (delete, "delete")):
        action.setShortcuts([QKeySequence(k) for k in _KEYS[action_id].keys])
        edit.addAction(action)
    find = key_action(window, "find", window.open_find, edit)
    find.setText("Find and replace in transcript…")


def build_annotate_menu(window: WorkspaceWindow) -> list[QAction]:
    """Annotate ▸ one submenu per kind (good practice first) naming each key, finding a
    category, changing keys, export and comparing."""
    annotate = window.menuBar().addMenu("&Annotate")
    actions = []
    for polarity in POLARITY_ORDER:
        members = [c for c in window.codebook.categories if c.polarity == polarity]
        if not members:
            continue
        submenu = annotate.addMenu(kind_icon(polarity), kind_text(polarity))
        for category in members:
            # The key is shown, not registered: the workspace reads key press and release
            # itself, so holding a key can mark an interval.
            action = QAction(category.label, window)
            action.setData(category.key)
            submenu.addAction(action)
            actions.append(action)
    annotate.addSeparator()
    key_action(window, "filter_codes", window.coding.focus_filter, annotate).setText(
        "Find a category in the coding panel…"
    )
    window.change_keys_action = QAction("Change your category keys…", window)
    window.change_keys_action.triggered.connect(window.coding.keys_requested)
    annotate.addAction(window.change_keys_action)
    annotate.addSeparator()
    window.export_action = key_action(window, "export", lambda: None, annotate)
    window.export_action.setText("Export anonymised clip…")
    window.agreement_action = QAction("Compare two TIPs' coding of this recording…", window)
    annotate.addAction(window.agreement_action)
    window.category_actions = actions
    return actions


def show_category_keys(actions: list[QAction], scheme: KeyScheme) -> None:
    for action in actions:
        label = action.text().split("\t")[0]
        action.setText(f"{label}\t{scheme.key_for(action.data())}")


def build_view_menu(window: WorkspaceWindow) -> None:
    """View ▸ every key, and the lanes (the menu bar takes it after Annotate)."""
    view = window.view_menu = QMenu("&View", window)
    window.keys_action = key_action(window, "keys", window.overlay.toggle, view)
    window.keys_action.setText("Every key…")
    # "?" is Shift+/ on UK and US keyboards, and Qt may report the Shift with it
    window.keys_action.setShortcuts([*window.keys_action.shortcuts(), QKeySequence("Shift+?")])
    window.lanes_menu = view.addMenu("Lanes")
    window.lane_actions = []
    for n in range(1, LANE_KEYS + 1):
        action = QAction(window)
        action.setShortcut(QKeySequence(f"Ctrl+{n}"))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(True)
        action.triggered.connect(lambda on, i=n - 1: window.toggle_lane(i, on))
        window.addAction(action)
        window.lane_actions.append(action)
    show_lane_actions(window)


def show_lane_actions(window: WorkspaceWindow) -> None:
    """The View ▸ Lanes menu for the lanes the timeline has now (Ctrl+1 … Ctrl+9)."""
    menu, lanes = window.lanes_menu, window.timeline.lanes()
    hidden = window.timeline.hidden_lanes()
    menu.clear()
    for index, action in enumerate(window.lane_actions):
        action.setVisible(index < len(lanes))
        action.setEnabled(index < len(lanes))
        if index < len(lanes):
            key, label = lanes[index]
            action.setText(f"Show “{label}”")
            action.setChecked(key not in hidden)
            menu.addAction(action)
    menu.addSeparator()
    every = menu.addAction("Show every lane")
    every.setEnabled(bool(hidden))
    every.triggered.connect(lambda: window.timeline.set_hidden_lanes(()))
