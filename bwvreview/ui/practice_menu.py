"""Where a TIP reaches the practice windows: a Practice menu on the library window, and a
"Record this debrief…" button in debrief mode that starts a session record with the
officer, the incident and the moments stepped through filled in. Each is one call from the
window that shows it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from bwvreview.app import Library, practice
from bwvreview.app.errors import DomainError
from bwvreview.timecode import clock
from bwvreview.ui.incidents_window import open_incidents
from bwvreview.ui.menus import menu_before_help
from bwvreview.ui.observation_window import open_observations
from bwvreview.ui.ppn1_window import open_ppn1_reviews
from bwvreview.ui.session_window import Draft, SessionWindow, open_sessions

ENTRIES = (
    ("&Observations: patrol, custody, stop and search…", "Ctrl+Shift+O", open_observations),
    ("&PPN1 reviews…", "Ctrl+Shift+P", open_ppn1_reviews),
    ("&Reflective practice sessions…", "Ctrl+Shift+R", open_sessions),
    ("&Incidents and their kinds…", "", open_incidents),
)


def add_practice_menu(window: QMainWindow, lib: Library) -> QMenu | None:
    """Practice ▸ observations, PPN1 reviews, sessions (for those who record practice)."""
    if not lib.db.principal.can(practice.RECORD_PRACTICE):
        return None
    menu = menu_before_help(window, "&Practice")
    menu.setObjectName("practice_menu")
    for text, keys, opener in ENTRIES:
        action = menu.addAction(text)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False, o=opener: o(lib, window))
    return menu


def open_practice_record(lib: Library, parent: Any, record: str, record_id: int) -> Any:
    """Open the window of a practice record found by search, showing that record."""
    openers = {"observation": open_observations, "ppn1": open_ppn1_reviews,
               "session": open_sessions}  # fmt: skip
    if record not in openers:
        return None
    window = openers[record](lib, parent)
    window.refresh(select_id=record_id)
    return window


def debrief_draft(lib: Library, recording: Any, items: list[Any]) -> Draft:
    """A session record from debrief mode: the incident's officers, the incident, and the
    moments stepped through (``FeedbackItem``s), all ticked."""
    officers: list[str] = []
    incidents = [recording.incident_reference] if recording.incident_reference else []
    if incidents:
        try:
            officers = list(practice.get_incident(lib, incidents[0]).officers)
        except DomainError:
            officers = []
    moments = [
        (i.annotation_id, f"{clock(i.start_ms, tenths=True)}  {i.category_label}") for i in items
    ]
    return Draft(officers, incidents, moments, "debrief")


def offer_session_record(window: Any, lib: Library, recording: Any) -> QAction | None:
    """Debrief mode's "Record this debrief…": a session record filled in from it."""
    if not lib.db.principal.can(practice.RECORD_PRACTICE):
        return None
    bar = QToolBar("Session record", window)
    bar.setObjectName("session_record_bar")
    action = bar.addAction("Record this debrief…")
    action.setToolTip(
        "Write up this debrief as a reflective practice session: who was there, "
        "what went well, what was agreed"
    )

    def record() -> SessionWindow:
        draft = debrief_draft(lib, recording, list(window.items))
        return open_sessions(lib, window, draft)

    action.triggered.connect(record)
    window.addToolBar(bar)
    window.record_session_action = action
    return action
