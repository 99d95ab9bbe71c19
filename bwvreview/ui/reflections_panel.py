"""Reflections as a list: the officer's own (in the feedback window) or everyone's on an
incident (the TIP's "Reflections" tab in the review workspace).

The TIP's panel reads the reflections only when the tab is actually shown, because reading
them marks them seen and the officer is told their reflection was read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from bwvreview.app.errors import DomainError
from bwvreview.app.records import Reflection


def _when(r: Reflection) -> str:
    return r.created_at.strftime("%d %b %Y %H:%M")


def officer_text(r: Reflection, titles: Mapping[str, str] | None = None) -> str:
    """How an officer sees one of their own reflections (the moment by its officer title)."""
    moment = (titles or {}).get(r.moment_key or "") or r.moment_label
    on = f"on “{moment}”" if moment else "on the whole incident"
    read = (
        f"Read by your reviewer on {r.seen_at.strftime('%d %b %Y')}"
        if r.seen_at
        else "Not read yet"
    )
    shared = "may be used in training (no name)" if r.consent_to_share else "not for training"
    return f"{_when(r)} · {on}\n{r.text}\n{read} · {shared}"


def reviewer_text(r: Reflection) -> str:
    """How a TIP sees anyone's reflection on the incident they are reviewing."""
    on = f"on “{r.moment_label}”" if r.moment_label else "on the whole incident"
    consent = (
        "agreed to its use in training (de-personalised)"
        if r.consent_to_share
        else "not for training material"
    )
    return f"{r.author_name} · {_when(r)} · {on}\n{r.text}\n{consent}"


class ReflectionListWidget(QListWidget):
    """Reflections, one wrapped item each; selecting one whose moment is known emits it."""

    moment_requested = Signal(int)  # annotation id

    def __init__(self, describe: Callable[[Reflection], str]) -> None:
        super().__init__()
        self.describe = describe
        self.reflections: list[Reflection] = []
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.itemActivated.connect(self._activated)

    def set_reflections(self, reflections: Sequence[Reflection]) -> None:
        self.reflections = list(reflections)
        self.clear()
        for r in self.reflections:
            item = QListWidgetItem(self.describe(r))
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        r = self.reflections[self.row(item)]
        if r.annotation_id is not None:
            self.moment_requested.emit(r.annotation_id)


class ReflectionsPanel(QWidget):
    """The TIP's tab: what officers wrote about this incident, newest last."""

    unread_changed = Signal(int)  # how many are new to the reviewer (0 once shown)

    def __init__(self) -> None:
        super().__init__()
        self._load: Callable[[], list[Reflection]] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("Reflections from the officers on this incident appear here.")
        self.summary.setWordWrap(True)
        self.list = ReflectionListWidget(reviewer_text)
        self.moment_requested = self.list.moment_requested
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)

    def set_loader(
        self, load: Callable[[], list[Reflection]], unread: Callable[[], int] | None = None
    ) -> None:
        """How to read the reflections (called when the tab is shown, and by ``refresh``)
        and, optionally, how to count the new ones without marking them read."""
        self._load = load
        if self.isVisible():
            self.refresh()
        elif unread is not None:
            # a user who may not read reflections is told so when the tab is opened
            with contextlib.suppress(DomainError):
                self.unread_changed.emit(unread())

    def refresh(self) -> None:
        if self._load is None:
            return
        try:
            reflections = self._load()
        except DomainError as exc:
            self.summary.setText(f"Reflections cannot be shown: {exc}")
            self.list.set_reflections([])
            return
        self.list.set_reflections(reflections)
        self.unread_changed.emit(0)
        if not reflections:
            self.summary.setText("No reflections on this incident yet.")
        else:
            n = len(reflections)
            self.summary.setText(
                f"{n} reflection{'s' if n != 1 else ''} from officers. They are marked read "
                "now, so each officer sees that their reflection reached you."
            )

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        self.refresh()
