"""The sign-in screen: choose who you are (and give your password, if you have one).

Shown before any window when the library has users. The dialog is a view: it lists the
users it is given and calls ``sign_in`` (the users service) when the person presses Enter or
"Sign in"; a refusal is shown as a calm line under the password, never a pop-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from bwvreview import app
from bwvreview.app import admin
from bwvreview.app.errors import DomainError
from bwvreview.app.records import ROLE_LABELS, Principal, UserRecord
from bwvreview.app.signin import signed_in

LAST_USER_KEY = "sign_in/last_user"

SignIn = Callable[[int, str | None], Principal]


class SignInDialog(QDialog):
    def __init__(self, users: Sequence[UserRecord], sign_in: SignIn, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("bwvreview — sign in")
        self.users = list(users)
        self._sign_in = sign_in
        self.principal: Principal | None = None
        self._build()
        self._choose_last_user()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        title = QLabel("Who is using bwvreview?")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        layout.addWidget(title)
        hint = QLabel("Choose your name. What you see depends on your role.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        for user in self.users:
            item = QListWidgetItem(_user_text(user))
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._chosen)
        # Enter reaches the default button ("Sign in") from the list and the password alike
        self.list.itemDoubleClicked.connect(lambda _item: self.try_sign_in())
        layout.addWidget(self.list, 1)
        self.password_label = QLabel("Password")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Your password")
        self.password_label.setBuddy(self.password)
        layout.addWidget(self.password_label)
        layout.addWidget(self.password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #7a4a00;")  # warm, not alarm red
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = buttons.addButton("Sign in", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # only once the buttons are inside the dialog can one become its default (for Enter)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.sign_in_button.setDefault(True)
        self.resize(420, 440)

    # --- what the person does ----------------------------------------------------------------
    def selected_user(self) -> UserRecord | None:
        row = self.list.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def choose(self, user_id: int) -> None:
        for row, user in enumerate(self.users):
            if user.id == user_id:
                self.list.setCurrentRow(row)
                return

    def try_sign_in(self) -> None:
        if self.principal is not None:
            return
        user = self.selected_user()
        if user is None:
            self.show_message("Choose your name first.")
            return
        password = self.password.text() if user.has_password else None
        try:
            self.principal = self._sign_in(user.id, password)
        except DomainError as exc:
            self.show_message(_readable(str(exc)))
            self.password.selectAll()
            self.password.setFocus()
            return
        QSettings().setValue(LAST_USER_KEY, user.id)
        self.accept()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- internals ---------------------------------------------------------------------------
    def _chosen(self, _row: int) -> None:
        user = self.selected_user()
        needs_password = user is not None and user.has_password
        self.password_label.setVisible(needs_password)
        self.password.setVisible(needs_password)
        self.password.clear()
        self.show_message("")
        if needs_password:
            self.password.setFocus()

    def _choose_last_user(self) -> None:
        last = QSettings().value(LAST_USER_KEY)
        try:
            last_id = int(last) if last is not None else None
        except (TypeError, ValueError):
            last_id = None
        if last_id is not None and any(u.id == last_id for u in self.users):
            self.choose(last_id)
        elif self.users:
            self.list.setCurrentRow(0)
        self._chosen(self.list.currentRow())


def _user_text(user: UserRecord) -> str:
    role = ROLE_LABELS.get(user.role, user.role)
    collar = (f" ({user.collar_number})"
              if user.collar_number and user.collar_number not in user.name else "")  # fmt: skip
    team = f", {user.team}" if user.team else ""
    return f"{user.name}{collar}\n{role}{team}"


def _readable(message: str) -> str:
    """Service messages start in lower case to fit inside sentences; a person reads a line."""
    message = message.strip()
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def ask_sign_in(users: Sequence[UserRecord], sign_in: SignIn) -> Principal | None:
    """Show the sign-in dialog; who signed in, or ``None`` if the person cancelled."""
    dialog = SignInDialog(users, sign_in)
    return dialog.principal if dialog.exec() == QDialog.DialogCode.Accepted else None


def needs_sign_in(users: Sequence[UserRecord], dialect: str = "sqlite") -> bool:
    """Whether anyone must choose who they are before a window opens (the rule is the
    command line's too: ``users.needs_sign_in``)."""
    return admin.needs_sign_in(list(users), dialect)


def sign_in_library(lib: app.Library) -> app.Library | None:
    """The library bound to whoever signs in: straight through as the machine's owner only
    while nobody signs in (first run); ``None`` when the person cancels. Once people sign
    in there is no back door: the machine's owner is not offered, whatever the roles."""
    everyone = admin.sign_in_choices(lib.db)
    if not needs_sign_in(everyone, lib.db.dialect):
        return lib

    def sign_in(user_id: int, password: str | None) -> Principal:
        return admin.sign_in(lib.db, user_id, password)

    principal = ask_sign_in(everyone, sign_in)
    if principal is None:
        return None
    return signed_in(lib, principal)
