"""The admin's people window: who can sign in, their role, password and team.

Every change goes through ``annotations.users`` (which checks the admin's right and audits
it); the dialog only shows what it is told and what went wrong.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwvreview import app
from bwvreview.app import admin
from bwvreview.app.errors import DomainError
from bwvreview.app.records import ROLE_LABELS, ROLES, UserRecord

COLUMNS = ("Name", "Role", "Collar number", "Team", "Password", "Active")
_NUMBER = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """Names in the order a person expects: "Seed officer 2" before "Seed officer 10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in _NUMBER.split(name) if part)  # fmt: skip


class NewUserDialog(QDialog):
    """Name, role, collar number, team and an optional password for a new user."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a user")
        self.name = QLineEdit()
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(ROLE_LABELS[role], role)
        self.collar = QLineEdit()
        self.team = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("optional on a single-user machine; 8 characters or more")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        form.addRow("Collar number", self.collar)
        form.addRow("Team", self.team)
        form.addRow("Password", self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class UsersDialog(QDialog):
    def __init__(self, db: app.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("People")
        self.resize(900, 480)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # roles in full
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.add_button = QPushButton("Add…")
        self.password_button = QPushButton("Set password…")
        self.active_button = QPushButton("Deactivate")
        self.link_button = QPushButton("Link to incident…")
        row = QHBoxLayout()
        for button in (self.add_button, self.password_button, self.active_button,
                       self.link_button):  # fmt: skip
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add_user)
        self.password_button.clicked.connect(self.set_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.link_button.clicked.connect(self.link_to_incident)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._people: list[UserRecord] = []
        self.refresh()

    # --- reading -------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        people = admin.list_users(self.db, include_inactive=True)
        self._people = sorted(people, key=lambda person: natural_key(person.name))
        self.table.setRowCount(len(self._people))
        for r, person in enumerate(self._people):
            cells = (
                person.name,
                ROLE_LABELS.get(person.role, person.role),
                person.collar_number or "",
                person.team or "",
                "set" if person.has_password else "none",
                "yes" if person.active else "no",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, person.id)
                self.table.setItem(r, c, item)
            if person.id == select_id:
                self.table.selectRow(r)
        self._selection_changed()

    def selected(self) -> UserRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self._people[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        person = self.selected()
        for button in (self.password_button, self.active_button):
            button.setEnabled(person is not None)
        self.link_button.setEnabled(person is not None and person.role == "officer")
        self.active_button.setText("Activate" if person and not person.active else "Deactivate")

    # --- changing ------------------------------------------------------------------

    def _attempt(self, action, done: str, select_id: int | None = None) -> bool:  # noqa: ANN001
        try:
            result = action()
        except DomainError as exc:
            self.message.setText(f"Not changed: {exc}")
            return False
        self.message.setText(done)
        self.refresh(select_id=getattr(result, "id", select_id))
        return True

    def add_user(self) -> None:
        dialog = NewUserDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.create_from(dialog)

    def create_from(self, dialog: NewUserDialog) -> bool:
        role, password = dialog.role.currentData(), dialog.password.text() or None

        return self._attempt(
            lambda: admin.add_user(self.db, dialog.name.text(), role,
                                   collar_number=dialog.collar.text().strip() or None,
                                   password=password, team=dialog.team.text().strip() or None),
            f"Added {dialog.name.text().strip()}.",
        )  # fmt: skip

    def set_password(self, password: str | None = None) -> None:
        person = self.selected()
        if person is None:
            return
        if password is None:
            password, ok = QInputDialog.getText(
                self, "Set password", f"New password for {person.name} (empty to clear):",
                QLineEdit.EchoMode.Password,
            )  # fmt: skip
            if not ok:
                return
        self._attempt(lambda: admin.set_password(self.db, person.id, password or None),
                      f"Password for {person.name} changed.", person.id)  # fmt: skip

    def toggle_active(self) -> None:
        person = self.selected()
        if person is None:
            return
        state = "activated" if not person.active else "deactivated"
        self._attempt(lambda: admin.set_active(self.db, person.id, not person.active),
                      f"{person.name} {state}.", person.id)  # fmt: skip

    def link_to_incident(self, reference: str | None = None) -> None:
        person = self.selected()
        if person is None:
            return
        if reference is None:
            reference, ok = QInputDialog.getText(
                self, "Link to incident", f"Incident reference that {person.name} may read:"
            )
            if not ok or not reference.strip():
                return
        self._attempt(
            lambda: admin.link_officer(self.db, reference.strip(), person.id),
            f"{person.name} can now read the shared feedback on {reference.strip()}.", person.id,
        )  # fmt: skip


def open_users_dialog(db: app.Database, parent: QWidget | None = None) -> None:
    try:
        dialog = UsersDialog(db, parent)
    except DomainError as exc:
        QMessageBox.warning(parent, "People", str(exc))
        return
    dialog.exec()
