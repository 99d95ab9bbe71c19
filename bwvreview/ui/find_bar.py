"""Find (Ctrl+F) and find-and-replace for the transcript: a slim bar, Esc to close."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


class FindBar(QWidget):
    find_requested = Signal(str, bool)  # text, backwards
    replace_all_requested = Signal(str, str)  # find, replace with

    def __init__(self) -> None:
        super().__init__()
        self.find_edit = QLineEdit(placeholderText="Find in transcript")
        self.replace_edit = QLineEdit(placeholderText="Replace a word with…")
        self.status = QLabel()
        previous = QPushButton("Previous")
        following = QPushButton("Next")
        replace_all = QPushButton("Replace all")
        replace_all.setToolTip("Replace the word everywhere; each word keeps its time")
        close = QPushButton("×")
        close.setFlat(True)
        close.setToolTip("Close (Esc)")
        self.find_edit.returnPressed.connect(lambda: self._find(False))
        following.clicked.connect(lambda: self._find(False))
        previous.clicked.connect(lambda: self._find(True))
        replace_all.clicked.connect(self._replace_all)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.find_edit, previous, following, self.replace_edit, replace_all,
                       self.status, close):  # fmt: skip
            layout.addWidget(widget)
        self.hide()

    def open(self) -> None:
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def _find(self, backwards: bool) -> None:
        if self.find_edit.text().strip():
            self.find_requested.emit(self.find_edit.text(), backwards)

    def _replace_all(self) -> None:
        if self.find_edit.text().strip() and self.replace_edit.text().strip():
            self.replace_all_requested.emit(self.find_edit.text(), self.replace_edit.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
