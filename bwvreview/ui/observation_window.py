"""Observation entry: a TIP's time-stamped field notes on patrol, in custody or at a stop
and search, keyboard first and saved as typed (the library is on this machine: no network).

Type what you see and press Enter: the note is added at the time shown, which runs on the
observation's clock unless you type another time (Ctrl+T). Ctrl+K picks a codebook category
for the selected note by typing part of its name; with the notes list focused, a category's
own key (as in the review workspace) codes it and Delete removes it. The template's points
for the incident type sit beside the notes, each met, partly, not or does not apply.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSplitter,
    QWidget,
)

from bwvreview.app import Library, observing, practice
from bwvreview.app.errors import DomainError
from bwvreview.app.polarity import polarity_label
from bwvreview.timecode import clock, parse_time_ms
from bwvreview.ui.observation_checks import ChecksForm
from bwvreview.ui.practice_widgets import (
    KEY,
    CategoryPicker,
    attempt,
    column,
    heading,
    incident_type_combo,
    list_item,
    record_list,
    small,
)
from bwvreview.ui.window_size import resize_within_screen

POLARITY_MARKS = {"good_practice": "✓", "concern": "!", "observation": "·"}


class NotesList(QListWidget):
    """The notes; a category's key codes the selected one, Delete removes it."""

    def __init__(self, hotkeys: dict[str, str], window: ObservationWindow) -> None:
        super().__init__()
        self.hotkeys, self.window_ = hotkeys, window
        self.setWordWrap(True)
        self.setStyleSheet("QListWidget::item { padding: 3px 2px; }")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Delete:
            self.window_.delete_selected()
            return
        pressed = QKeySequence(event.keyCombination()).toString()
        if pressed in self.hotkeys:
            self.window_.code_selected(self.hotkeys[pressed])
            return
        super().keyPressEvent(event)


class ObservationWindow(QMainWindow):
    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("bwvreview — observations")
        self.lib = lib
        self.current: observing.Observation | None = None
        self._build()
        self._keys()
        self.clock = QTimer(self, interval=1000, timeout=self._tick)
        self.clock.start()
        self.refresh()
        resize_within_screen(self, 1280, 680)

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.observations = record_list(self.open_observation)
        self.observations.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = column(heading("Observations"), (self.observations, 1), self._new_form())
        self.title = heading("", 1.2)
        self.title.setWordWrap(True)
        self.details = small()
        hotkeys = {
            QKeySequence(c.hotkey).toString(): c.key
            for c in self.lib.codebook.categories
            if c.hotkey
        }
        self.notes = NotesList(hotkeys, self)
        self.at = QLineEdit()
        self.at.setFixedWidth(90)
        self.at.setToolTip("The time of the next note on the observation's clock (Ctrl+T)")
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("Type what you see; Enter adds it at the time shown")
        self.entry.returnPressed.connect(self.add_from_entry)
        add = QPushButton("Add note")
        add.clicked.connect(self.add_from_entry)
        entry = QHBoxLayout()
        for widget, stretch in ((self.at, 0), (self.entry, 1), (add, 0)):
            entry.addWidget(widget, stretch)
        self.picker = CategoryPicker(self.lib.codebook)
        self.picker.chosen.connect(self.code_selected)
        coding = QHBoxLayout()
        coding.addWidget(QLabel("Code the selected note (Ctrl+K):"))
        coding.addWidget(self.picker, 1)
        hint = small(
            "Enter adds a note · Ctrl+K codes it · with the list focused, a "
            "category's key codes the note and Delete removes it · Ctrl+T sets "
            "the time"
        )
        centre = column(self.title, self.details, (self.notes, 1))
        centre.layout().addLayout(entry)
        centre.layout().addLayout(coding)
        centre.layout().addWidget(hint)
        self.template_title = heading("What to look for", 1.05)
        self.checks = ChecksForm()
        self.checks.answered.connect(self.answer)
        self.share_button = QPushButton("Share with the officer")
        self.share_button.clicked.connect(self.toggle_share)
        self.message = small()
        right = column(self.template_title, (self.checks, 1), self.share_button, self.message)
        split = QSplitter()
        for widget in (left, centre, right):
            split.addWidget(widget)
        split.setSizes([250, 500, 600])
        split.setChildrenCollapsible(False)
        self.setCentralWidget(split)
        self._enable(False)

    def _new_form(self) -> QGroupBox:
        box = QGroupBox("New observation")
        form = QFormLayout(box)
        self.new_incident = QLineEdit()
        self.new_incident.setPlaceholderText("Incident reference")
        self.new_incident.editingFinished.connect(self._incident_known)
        self.new_type = incident_type_combo(practice.incident_types(self.lib))
        self.new_officer = QLineEdit()
        self.new_officer.setPlaceholderText("Collar number")
        self.new_context = QLineEdit()
        self.new_context.setPlaceholderText("Setting, in a line (no names)")
        start = self.start_button = QPushButton("Start observing")
        start.clicked.connect(self.start_new)
        for label, widget in (
            ("Incident", self.new_incident),
            ("Type", self.new_type),
            ("Officer", self.new_officer),
            ("Setting", self.new_context),
        ):
            form.addRow(label, widget)
        form.addRow(start)
        return box

    def _keys(self) -> None:
        for keys, slot in (
            ("Ctrl+K", self._pick),
            ("Ctrl+T", self._set_time),
            ("Ctrl+N", lambda: self.new_incident.setFocus()),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)

    # --- reading ------------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        found = attempt(self.show_message, lambda: observing.list_observations(self.lib)) or []
        refs = [i.reference for i in practice.list_incidents(self.lib)]
        self.new_incident.setCompleter(QCompleter(refs, self))
        self.observations.blockSignals(True)
        self.observations.clear()
        for o in found:
            who = _officer(o.officer_name, o.officer_collar)
            state = "shared with the officer" if o.status == "shared" else "not shared yet"
            self.observations.addItem(
                list_item(
                    f"{o.incident_reference} · {practice.type_label(self.lib, o.incident_type)}\n"
                    f"{o.started_at:%d %b %Y %H:%M} · {who} · {state}",
                    o.id,
                )
            )
        self.observations.blockSignals(False)
        chosen = select_id if select_id is not None else (found[0].id if found else None)
        for row in range(self.observations.count()):
            if self.observations.item(row).data(KEY) == chosen:
                self.observations.setCurrentRow(row)

    def open_observation(self, observation_id: int) -> None:
        shown = attempt(
            self.show_message, lambda: observing.get_observation(self.lib, observation_id)
        )
        if shown is not None:
            self.show_observation(shown)

    def show_observation(self, o: observing.Observation, keep_note: int | None = None) -> None:
        self.current = o
        self._enable(True)
        who = _officer(o.officer_name, o.officer_collar)
        self.title.setText(
            f"{o.incident_reference} · {practice.type_label(self.lib, o.incident_type)}"
        )
        state = "Shared with the officer" if o.status == "shared" else "Not shared yet"
        self.details.setText(
            f"Observing {who} · started {o.started_at:%d %b %Y %H:%M} by "
            f"{o.observer_name} · {state}" + (f"\n{o.context}" if o.context else "")
        )
        self.share_button.setText(
            "Stop sharing with the officer" if o.status == "shared" else "Share with the officer"
        )
        template = practice.templates()
        label = next(
            (t.label for t in template.templates if t.key == o.template_key), o.template_key
        )
        self.template_title.setText(f"What to look for: {label}")
        self.checks.show_checks(o.checks)
        self.notes.clear()
        for note in o.notes:
            mark = POLARITY_MARKS.get(note.polarity, "·")
            coded = (
                "not coded yet"
                if note.category_key == observing.UNCODED
                else f"{note.category_label} — {polarity_label(note.polarity)}"
            )
            self.notes.addItem(
                list_item(f"{clock(note.at_ms, tenths=True)}  {mark} {coded}\n{note.note}", note.id)
            )
        chosen = keep_note if keep_note is not None else (o.notes[-1].id if o.notes else None)
        self.select_note(chosen)
        self._tick(force=True)

    def select_note(self, note_id: int | None) -> None:
        for row in range(self.notes.count()):
            if self.notes.item(row).data(KEY) == note_id:
                self.notes.setCurrentRow(row)
                return

    def selected_note(self) -> int | None:
        item = self.notes.currentItem()
        return item.data(KEY) if item is not None else None

    # --- writing ------------------------------------------------------------------------------
    def start_new(self) -> None:
        made = attempt(
            self.show_message,
            lambda: observing.start_observation(
                self.lib,
                self.new_incident.text().strip(),
                officer=self.new_officer.text().strip() or None,
                incident_type=self.new_type.currentData(),
                context=self.new_context.text(),
            ),
        )
        if made is not None:
            for field in (self.new_incident, self.new_officer, self.new_context):
                field.clear()
            self.refresh(select_id=made.id)
            self.entry.setFocus()
            self.show_message("Observing: type a note and press Enter.")

    def add_from_entry(self) -> None:
        if self.current is None or not self.entry.text().strip():
            return
        try:
            at_ms = parse_time_ms(self.at.text())
        except DomainError as exc:
            self.show_message(str(exc))
            return
        added = self.add_note(self.entry.text(), at_ms)
        if added is not None:
            self.entry.clear()
            self.at.setModified(False)
            self._tick(force=True)

    def add_note(self, text: str, at_ms: int, category: str | None = None) -> int | None:
        """Add a note at ``at_ms`` (what Enter does with the time shown); its id."""
        assert self.current is not None
        observation = self.current.id
        note = attempt(
            self.show_message,
            lambda: observing.add_note(self.lib, observation, at_ms, text, category),
        )
        if note is None:
            return None
        self._reload(note.id)
        return note.id

    def code_selected(self, category: str) -> None:
        note = self.selected_note()
        if note is None:
            self.show_message("Choose a note to code first.")
            return
        if attempt(self.show_message, lambda: observing.code_note(self.lib, note, category)):
            self._reload(note)
            self.picker.setCurrentIndex(-1)
            self.entry.setFocus()

    def delete_selected(self) -> None:
        note = self.selected_note()
        if note is not None and attempt(
            self.show_message, lambda: observing.delete_note(self.lib, note)
        ):
            self._reload(None)
            self.show_message("The note was removed.")

    def answer(self, point: str, answer: str | None, note: str) -> None:
        if self.current is not None:
            observation = self.current.id
            attempt(
                self.show_message,
                lambda: observing.answer_check(self.lib, observation, point, answer, note),
            )

    def toggle_share(self) -> None:
        if self.current is None:
            return
        sharing = self.current.status != "shared"
        observation = self.current.id
        shown = attempt(
            self.show_message, lambda: observing.share_observation(self.lib, observation, sharing)
        )
        if shown is not None:
            self.refresh(select_id=shown.id)
            self.show_message(
                "Shared: the officer sees it in their feedback."
                if sharing
                else "No longer shared with the officer."
            )

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    # --- internals ------------------------------------------------------------------------
    def _reload(self, keep_note: int | None) -> None:
        assert self.current is not None
        shown = attempt(
            self.show_message, lambda: observing.get_observation(self.lib, self.current.id)
        )
        if shown is not None:
            self.show_observation(shown, keep_note)

    def _tick(self, force: bool = False) -> None:
        """The time field follows the observation's clock until someone types in it; for
        notes written after the shift (started over a day ago) it shows the last note's."""
        if self.current is None or (not force and (self.at.hasFocus() or self.at.isModified())):
            return
        elapsed = observing.elapsed_ms(self.current.started_at)
        if elapsed > observing.MAX_AT_MS:
            if not force:
                return
            elapsed = self.current.notes[-1].at_ms if self.current.notes else 0
        # whole seconds: the field follows the clock each second and is typed over in the
        # street; the notes list shows the one format, with tenths
        self.at.setText(clock(elapsed))

    def _pick(self) -> None:
        self.picker.setFocus()
        self.picker.lineEdit().selectAll()

    def _set_time(self) -> None:
        self.at.setFocus()
        self.at.selectAll()
        self.at.setModified(True)

    def _incident_known(self) -> None:
        """An existing incident fills in its type and officer."""
        reference = self.new_incident.text().strip()
        try:
            known = practice.get_incident(self.lib, reference)
        except DomainError:
            return
        self.new_type.setCurrentIndex(max(0, self.new_type.findData(known.incident_type)))
        if known.officers and not self.new_officer.text():
            self.new_officer.setText(known.officers[0])

    def _enable(self, on: bool) -> None:
        for widget in (self.entry, self.at, self.picker, self.notes, self.share_button):
            widget.setEnabled(on)


def _officer(name: str | None, collar: str | None) -> str:
    if name is None:
        return "no officer named"
    return name if not collar or collar in name else f"{name} ({collar})"


def open_observations(lib: Library, parent: QWidget | None = None) -> ObservationWindow:
    window = ObservationWindow(lib, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
