"""Small widgets the practice windows share: a rating chooser that says its answer in words
and a mark (never by colour alone), a codebook category picker you can type into, headings,
and the way a window shows a refusal in plain words."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.errors import DomainError
from bwvreview.app.polarity import POLARITY_ORDER, polarity_label
from bwvreview.app.practice import RATING_MARKS, RATING_WORDS
from bwvreview.app.records import Codebook

KEY = Qt.ItemDataRole.UserRole


def heading(text: str, scale: float = 1.15) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def small(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
    label.setStyleSheet("color: #444;")
    return label


def rating_text(answer: str | None) -> str:
    return f"{RATING_MARKS.get(answer, '·')} {RATING_WORDS.get(answer, answer)}"


class RatingCombo(QComboBox):
    """Met / partly met / not met (/ does not apply), each with a mark; emits the key."""

    rated = Signal(object)  # str | None

    def __init__(self, answers: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(rating_text(None), None)
        for answer in answers:
            self.addItem(rating_text(answer), answer)
        self.activated.connect(lambda index: self.rated.emit(self.itemData(index)))

    def set_answer(self, answer: str | None) -> None:
        self.setCurrentIndex(max(0, self.findData(answer)))

    def answer(self) -> str | None:
        return self.currentData()


class CategoryPicker(QComboBox):
    """The codebook's categories, good practice first; type to find one (Enter chooses)."""

    chosen = Signal(str)

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        order = {p: n for n, p in enumerate(POLARITY_ORDER)}
        for c in sorted(codebook.categories, key=lambda c: (order.get(c.polarity, 9), c.label)):
            key = f"  [{c.hotkey}]" if c.hotkey else ""
            self.addItem(f"{c.label} — {polarity_label(c.polarity)}{key}", c.key)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().setPlaceholderText("Type a category, Enter to code the note")
        # as wide as the layout gives it, not as its longest label (fits a small screen)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.setCurrentIndex(-1)
        self.activated.connect(self._activated)

    def _activated(self, index: int) -> None:
        key = self.itemData(index)
        if key:
            self.chosen.emit(key)

    def choose(self, key: str) -> None:
        self.setCurrentIndex(self.findData(key))


def incident_type_combo(types: Iterable[object]) -> QComboBox:
    """The codebook's incident types, by label (data: the key)."""
    combo = QComboBox()
    for kind in types:
        combo.addItem(kind.label, kind.key)  # type: ignore[attr-defined]
    return combo


def attempt(show: Callable[[str], None], call: Callable[[], object]) -> object | None:
    """Run a change; a refusal is shown in plain words (nothing lost) and gives None."""
    try:
        return call()
    except DomainError as exc:
        text = str(exc)
        show(text[:1].upper() + text[1:] + ("" if text.endswith(".") else "."))
        return None


def record_list(on_chosen: Callable[[object], None]) -> QListWidget:
    """A list of records (data: the record's id) that reports the one chosen."""
    view = QListWidget()
    view.setWordWrap(True)
    view.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
    view.currentItemChanged.connect(
        lambda item, _old: item is not None and on_chosen(item.data(KEY))
    )
    return view


def list_item(text: str, key: object) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(KEY, key)
    return item


def column(*parts: QWidget | tuple[QWidget, int], margins: int = 4) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(margins, margins, margins, margins)
    for part in parts:
        child, stretch = part if isinstance(part, tuple) else (part, 0)
        layout.addWidget(child, stretch)
    return widget
