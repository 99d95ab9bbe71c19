"""The training programme, for trainers: the curriculum, the sessions scheduled and held,
and for the chosen session its register, its questionnaires and their results. TIPs read
it: the curriculum, the sessions and their results, with nothing to change (the register,
names and all, is the trainers').

Three columns: the curriculum's eleven sessions (the chosen one's topics and outcomes
below), the sessions held with the form to schedule one, and the chosen session's tabs.
Every action asks ``app.programme``, which enforces who may do what; a refusal or bad
input is shown in words beside the button, nothing is lost.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, packs
from bwvreview.app import programme as prog
from bwvreview.app.errors import DomainError
from bwvreview.app.outcomes_pdf import printed_columns
from bwvreview.timecode import hours_minutes
from bwvreview.ui.menus import menu_before_help
from bwvreview.ui.open_once import open_once
from bwvreview.ui.questionnaire_form import QuestionnaireEntry
from bwvreview.ui.table_model import RecordTableModel
from bwvreview.ui.window_size import scrolling


class SessionTableModel(RecordTableModel):
    COLUMNS = ("Date", "Session", "Team", "Trainer", "Attended", "Forms")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        s: prog.ScheduledSession = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{s.held_on:%d %b %Y}",
                f"{s.module_number}. {s.title}",
                s.team,
                s.trainer_name,
                s.attendees,
                s.responses,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return s.title
        return None


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], ids: list[int] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if ids is not None:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)


class ProgrammeWindow(QMainWindow):
    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.manages = lib.db.principal.can(prog.MANAGE_PROGRAMME)  # else reads (a TIP)
        reading = "" if self.manages else " (to read: trainers keep it)"
        self.setWindowTitle(f"bwvreview — training programme{reading}")
        self.curriculum = prog.curriculum(lib)
        self.model = SessionTableModel()
        self.register: list[prog.Attendee] = []
        self._keep_entry = False
        self._build()
        self.refresh()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        split = QSplitter()
        # Each panel scrolls on its own: the three side by side fit a 1366 px screen at 125 %.
        for panel in (self._curriculum_panel(), self._sessions_panel(), self._session_tabs()):
            split.addWidget(scrolling(panel))
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 3)
        split.setSizes([330, 500, 536])
        self.setCentralWidget(split)
        self.modules.setCurrentRow(0)

    def _curriculum_panel(self) -> QWidget:
        box = QGroupBox(f"Curriculum: {self.curriculum.title} ({self.curriculum.version})")
        self.modules = QListWidget()
        self.modules.setWordWrap(True)
        self.modules.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for m in self.curriculum.modules:
            item = QListWidgetItem(f"{m.number}. {m.title}")
            item.setData(Qt.ItemDataRole.UserRole, m.key)
            item.setToolTip(m.title)
            self.modules.addItem(item)
        self.module_detail = QTextBrowser()
        self.modules.currentRowChanged.connect(self._show_module)
        layout = QVBoxLayout(box)
        layout.addWidget(self.modules, 3)
        layout.addWidget(self.module_detail, 2)
        return box

    def _sessions_panel(self) -> QWidget:
        box = QGroupBox("Sessions")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._session_changed())
        layout = QVBoxLayout(box)
        layout.addWidget(self.table, 1)
        if not self.manages:
            layout.addWidget(
                QLabel(
                    "Trainers schedule the sessions and keep their registers. Choose a "
                    "session to read what its questionnaires add up to.",
                    wordWrap=True,
                )
            )
            return box
        self.delete_button = QPushButton("Remove session…")
        self.delete_button.setToolTip(
            "For a session entered by mistake: its register and answers go with it"
        )
        self.delete_button.clicked.connect(self.delete_selected)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self._schedule_form())
        return box

    def _schedule_form(self) -> QWidget:
        box = QGroupBox("Schedule a session")
        self.module = QComboBox()
        for m in self.curriculum.modules:
            self.module.addItem(f"{m.number}. {m.title}", m.key)
        self.day = QDateEdit(QDate.currentDate(), calendarPopup=True, displayFormat="d MMM yyyy")
        self.team = QComboBox(editable=True)
        self.team.addItems(prog.known_teams(self.lib.db))
        self.team.setCurrentText("")
        self.team.lineEdit().setPlaceholderText("the team it is for")
        self.trainer = QComboBox()
        for person in prog.list_trainers(self.lib.db):
            self.trainer.addItem(person.name, person.id)
        mine = self.trainer.findData(self.lib.db.principal.user_id)
        self.trainer.setCurrentIndex(max(mine, 0))
        self.packs = QListWidget()
        self.packs.setMaximumHeight(64)
        for pack in packs.list_packs(self.lib.db):
            item = QListWidgetItem(pack.title)
            item.setData(Qt.ItemDataRole.UserRole, pack.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.packs.addItem(item)
        self.schedule_button = QPushButton("Schedule")
        self.schedule_button.clicked.connect(self.schedule)
        self.schedule_message = QLabel(wordWrap=True)
        form = QFormLayout(box)
        form.addRow("Session", self.module)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(QLabel("Team"))
        row.addWidget(self.team, 1)
        form.addRow("Date", row)
        form.addRow("Trainer", self.trainer)
        form.addRow("Packs used", self.packs)
        form.addRow(self.schedule_button, self.schedule_message)
        return box

    def _session_tabs(self) -> QWidget:
        self.tabs = QTabWidget()
        if self.manages:
            self.tabs.addTab(self._register_tab(), "Register")
            self.entry = QuestionnaireEntry(self.lib)
            self.entry.saved.connect(lambda _sid: self.refresh(keep=True))
            self.tabs.addTab(self.entry, "Questionnaires")
        self.results = _table(["session"])
        self.results_note = QLabel(wordWrap=True)
        results = QWidget()
        layout = QVBoxLayout(results)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.results_note)
        self.tabs.addTab(results, "Results")
        self.heading = QLabel(wordWrap=True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.addWidget(self.heading)
        outer.addWidget(self.tabs, 1)
        return box

    def _register_tab(self) -> QWidget:
        self.attendees = _table(["Name", "Collar number", "Officer or staff", "Can see it"])
        self.name = QLineEdit(placeholderText="Name")
        self.collar = QLineEdit(placeholderText="Collar number")
        self.collar.setMaximumWidth(120)
        self.staff = QCheckBox("Staff")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_person)
        self.name.returnPressed.connect(self.add_person)
        self.collar.returnPressed.connect(self.add_person)
        self.import_button = QPushButton("Import sign-in list…")
        self.import_button.setToolTip(
            "A CSV with a row per person: name, collar number and, "
            "if you like, role (officer or staff)"
        )
        self.import_button.clicked.connect(self.ask_import)
        self.remove_button = QPushButton("Take off the register")
        self.remove_button.clicked.connect(self.remove_person)
        self.register_message = QLabel(wordWrap=True)
        add = QHBoxLayout()
        for widget in (self.name, self.collar, self.staff, self.add_button):
            add.addWidget(widget)
        more = QHBoxLayout()
        more.addWidget(self.import_button)
        more.addWidget(self.remove_button)
        more.addStretch(1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.attendees, 1)
        layout.addLayout(add)
        layout.addLayout(more)
        layout.addWidget(self.register_message)
        return tab

    # --- reading --------------------------------------------------------------------------
    def _show_module(self, row: int) -> None:
        if row < 0:
            return
        m = self.curriculum.modules[row]
        topics = "".join(f"<li>{html.escape(t)}</li>" for t in m.topics)
        outcomes = "".join(f"<li>{html.escape(o)}</li>" for o in m.outcomes)
        self.module_detail.setHtml(
            f"<b>{m.number}. {html.escape(m.title)}</b> ({hours_minutes(m.length_minutes)})"
            f"<p><b>Topics</b></p><ul>{topics}</ul><p><b>By the end, people can</b></p>"
            f"<ul>{outcomes}</ul>"
        )
        if self.manages:
            self.module.setCurrentIndex(self.module.findData(m.key))

    def refresh(self, *, keep: bool = False) -> None:
        """Read the sessions again; ``keep``: leave the questionnaire being entered as it is
        (after a save, its message says what was kept)."""
        self._keep_entry = keep
        current = self.selected()
        self.model.set_rows(prog.list_sessions(self.lib.db))
        row = self.model.row_of(current.id) if current else None
        if row is None and self.model.rows:
            row = len(self.model.rows) - 1  # the newest
        if row is not None:
            self.table.selectRow(row)
        self._session_changed()
        self._keep_entry = False

    def selected(self) -> prog.ScheduledSession | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def _session_changed(self) -> None:
        s = self.selected()
        self.tabs.setEnabled(s is not None)
        if self.manages:
            self.delete_button.setEnabled(s is not None)
        if s is None:
            self.heading.setText(
                "Schedule a session, or choose one, to keep its register and questionnaires."
                if self.manages
                else "No session has been held yet: its results will be here."
            )
            if self.manages:
                self.attendees.setRowCount(0)
                self.entry.set_session(None, [])
            return
        self.heading.setText(
            f"<b>{s.held_on:%d %B %Y}: session {s.module_number}, {html.escape(s.title)}</b>"
            f"<br>{html.escape(s.team)} · {html.escape(s.trainer_name or 'no trainer named')}"
            f" · {s.length_minutes} min · {s.attendees} attended · {s.responses} forms"
        )
        if self.manages:
            self._fill_register(s)
        self._fill_results(s)

    def _fill_register(self, s: prog.ScheduledSession) -> None:
        self.register = prog.list_attendance(self.lib.db, s.id)
        _fill(
            self.attendees,
            [
                [a.name, a.collar_number or "", a.kind, "yes" if a.user_id else "not a user"]
                for a in self.register
            ],
            [a.id for a in self.register],
        )
        if not (self._keep_entry and self.entry.session_id == s.id):
            self.entry.set_session(s.id, self.register)

    def _fill_results(self, s: prog.ScheduledSession) -> None:
        table = prog.results_table(self.lib, [s.id])
        header, rows = printed_columns(table)
        keep = [i for i, h in enumerate(header) if h != "session"]
        self.results.setColumnCount(len(keep))
        self.results.setHorizontalHeaderLabels([header[i] for i in keep])
        _fill(self.results, [[row[i] for i in keep] for row in rows])
        self.results_note.setText(
            "Answers are anonymous. With fewer than 5 forms a result is "
            "not shown (<5), so that no one's answers can be told."
        )

    # --- changing -------------------------------------------------------------------------
    def schedule(self) -> None:
        chosen = [
            self.packs.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.packs.count())
            if self.packs.item(i).checkState() == Qt.CheckState.Checked
        ]
        try:
            held = prog.schedule_session(
                self.lib,
                self.module.currentData(),
                self.day.date().toPython(),
                self.team.currentText(),
                trainer=self.trainer.currentData(),
                pack_ids=chosen,
            )
        except DomainError as exc:
            self.schedule_message.setText(f"Not scheduled: {exc}")
            return
        self.schedule_message.setText(
            f"Scheduled session {held.module_number} on {held.held_on:%d %b %Y} for {held.team}."
        )
        self.model.set_rows(prog.list_sessions(self.lib.db))
        self.table.selectRow(self.model.row_of(held.id) or 0)
        self._session_changed()

    def delete_selected(self) -> None:
        s = self.selected()
        if s is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove session",
            f"Remove session {s.module_number} on {s.held_on:%d %b %Y} for {s.team}, with its "
            f"register ({s.attendees}) and {s.responses} forms? Only for a session entered by "
            "mistake; this cannot be undone.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        prog.delete_session(self.lib.db, s.id)
        self.refresh()

    def _register_changed(self, message: str) -> None:
        self.refresh()
        self.register_message.setText(message)

    def add_person(self) -> None:
        s = self.selected()
        if s is None:
            return
        kind = "staff" if self.staff.isChecked() else "officer"
        try:
            added = prog.add_attendee(self.lib.db, s.id, self.name.text(), self.collar.text(), kind)
        except DomainError as exc:
            self.register_message.setText(f"Not added: {exc}")
            return
        self.name.clear()
        self.collar.clear()
        self.name.setFocus()
        self._register_changed(f"Added {added.name}.")

    def ask_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a sign-in list", "", "Sign-in lists (*.csv)"
        )
        if chosen:
            self.import_list(Path(chosen))

    def import_list(self, path: Path) -> None:
        s = self.selected()
        if s is None:
            return
        try:
            result = prog.import_sign_in(self.lib, s.id, path)
        except DomainError as exc:
            self.register_message.setText(str(exc))
            return
        self._register_changed(
            f"Imported {path.name}: {result.added} added, {result.already} already on the register."
        )

    def remove_person(self) -> None:
        s, rows = self.selected(), self.attendees.selectionModel().selectedRows()
        if s is None or not rows:
            self.register_message.setText("Choose someone on the register first.")
            return
        attendee = self.attendees.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        prog.remove_attendee(self.lib.db, s.id, attendee)
        self._register_changed("Taken off the register.")


def open_programme(lib: Library, parent: QWidget | None = None) -> ProgrammeWindow | None:
    """The programme window (one per parent), or ``None`` with the reason shown if the
    signed-in person may not read the programme."""
    return open_once(parent, ProgrammeWindow, lambda: ProgrammeWindow(lib, parent),
                     "Training programme", (1366, 700))  # fmt: skip


def add_programme_menu(window: QMainWindow, lib: Library) -> None:
    """A "Training programme…" entry in the window's Tools menu (made if it has none), for
    those who manage the programme and those who read its results (TIPs)."""
    principal = lib.db.principal
    if not (principal.can(prog.MANAGE_PROGRAMME) or principal.can(prog.READ_REPORTS)):
        return
    menu = getattr(window, "tools_menu", None) or menu_before_help(window, "&Tools")
    action = menu.addAction("Training &programme…")
    action.triggered.connect(lambda: open_programme(lib, window))
    window.programme_action = action  # type: ignore[attr-defined]
