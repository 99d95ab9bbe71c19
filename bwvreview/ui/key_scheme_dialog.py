"""Choose your own key for any category (kept for you only, in your data folder).

A key already in use, by another category or by the player, is refused with a sentence
saying what uses it; nothing changes until a key is accepted. The dialog saves through the
callables it is given (``app.key_scheme``), so each choice is kept the moment it is made.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.errors import DomainError
from bwvreview.app.key_scheme import KeyScheme
from bwvreview.app.polarity import POLARITY_ORDER
from bwvreview.app.records import Codebook
from bwvreview.ui.kind_marks import kind_icon, kind_text

SetKey = Callable[[str, str], KeyScheme]  # (category key, key or "") -> the scheme now
Reset = Callable[[], KeyScheme]


class KeySchemeDialog(QDialog):
    scheme_changed = Signal(object)  # KeyScheme

    def __init__(self, codebook: Codebook, scheme: KeyScheme, set_key: SetKey, reset: Reset,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Your category keys")
        self.codebook, self.scheme = codebook, scheme
        self._set_key, self._reset = set_key, reset
        order = {p: i for i, p in enumerate(POLARITY_ORDER)}
        self.categories = sorted(codebook.categories, key=lambda c: order.get(c.polarity, 9))
        self.table = QTableWidget(len(self.categories), 3)
        self.table.setHorizontalHeaderLabels(["Key", "Category", "Kind"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, category in enumerate(self.categories):
            name = QTableWidgetItem(kind_icon(category.polarity), category.label)
            name.setData(Qt.ItemDataRole.UserRole, category.key)
            self.table.setItem(row, 1, name)
            self.table.setItem(row, 2, QTableWidgetItem(kind_text(category.polarity)))
        self.table.currentCellChanged.connect(lambda *_: self._chosen())
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setMaximumSequenceLength(1)
        self.use = QPushButton("Use this key")
        self.use.clicked.connect(self._use)
        self.none = QPushButton("No key")
        self.none.clicked.connect(lambda: self._apply(""))
        self.reset = QPushButton("Back to the codebook's keys")
        self.reset.clicked.connect(self._reset_all)
        self.message = QLabel("Choose a category, press the key you want, then “Use this key”.")
        self.message.setWordWrap(True)
        edit = QHBoxLayout()
        edit.addWidget(QLabel("New key:"))
        edit.addWidget(self.key_edit, 1)
        edit.addWidget(self.use)
        edit.addWidget(self.none)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.addButton(self.reset, QDialogButtonBox.ButtonRole.ResetRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self._show_keys()
        self.table.selectRow(0)
        self.resize(520, 560)

    def current_category(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 1)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def choose(self, category_key: str) -> None:
        for row, category in enumerate(self.categories):
            if category.key == category_key:
                self.table.selectRow(row)

    def _show_keys(self) -> None:
        for row, category in enumerate(self.categories):
            key = self.scheme.key_for(category.key)
            mine = " (yours)" if category.key in self.scheme.chosen else ""
            self.table.setItem(row, 0, QTableWidgetItem((key or "none") + mine))

    def _chosen(self) -> None:
        key = self.current_category()
        if key is not None:
            self.key_edit.setKeySequence(QKeySequence(self.scheme.key_for(key)))

    def _use(self) -> None:
        self._apply(self.key_edit.keySequence().toString())

    def _apply(self, key: str) -> None:
        category = self.current_category()
        if category is None:
            return
        label = self.codebook.category(category).label
        try:
            self.scheme = self._set_key(category, key)
        except DomainError as exc:
            self.message.setText(f"Not changed: {exc}")
            return
        now = self.scheme.key_for(category)
        self.message.setText(f"“{label}” is now {now}." if now else f"“{label}” has no key now.")
        self._show_keys()
        self.scheme_changed.emit(self.scheme)

    def _reset_all(self) -> None:
        self.scheme = self._reset()
        self.message.setText("Every category has the codebook's key again.")
        self._show_keys()
        self._chosen()
        self.scheme_changed.emit(self.scheme)
