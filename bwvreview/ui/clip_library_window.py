"""The trainers' clip library: anonymised, verified clips to filter, watch and gather into
training packs.

A view over ``annotations.clip_library`` (which decides what a trainer may see) and
``annotations.packs``; it holds no rules of its own. Filtering asks the service again, so
what is listed is always what the signed-in user may read.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview.annotations import clip_library, packs
from bwvreview.annotations.clip_library import LibraryClip
from bwvreview.annotations.errors import DomainError
from bwvreview.app import Library
from bwvreview.ui.player import PlayerWidget

POLARITY_LABELS = {"concern": "Learn from", "good_practice": "Good practice",
                   "observation": "Context"}  # fmt: skip
POLARITY_FILTERS = {"concern": "Moments to learn from", "good_practice": "Good practice",
                    "observation": "Context"}  # fmt: skip
COLUMNS = ("Category", "Polarity", "Principles", "Length", "Verification", "Note")


def verification_text(clip: LibraryClip) -> str:
    """One line on how the clip was checked, as a trainer reads it."""
    summary = clip.report_summary
    if clip.overridden:
        return "Did not pass verification: in the library by a recorded override"
    if not clip.verified:
        return "Not verified"
    hidden = [f"faces {summary.get('faces', 'blur')}red" if summary.get("faces") != "none"
              else "faces kept"]  # fmt: skip
    hidden.append("banner hidden" if summary.get("banner") != "kept" else "banner kept")
    bleeps = int(summary.get("bleeped") or 0)
    hidden.append(f"{bleeps} personal detail{'s' if bleeps != 1 else ''} bleeped")
    return "Verified: " + ", ".join(hidden)


def _principles(clip: LibraryClip) -> str:
    return ", ".join(p.replace("_", " ").capitalize() for p in clip.principles) or "—"


def _length(ms: int) -> str:
    return f"{ms // 60_000}:{ms % 60_000 / 1000:04.1f}"


class ClipTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.clips: list[LibraryClip] = []

    def set_clips(self, clips: list[LibraryClip]) -> None:
        self.beginResetModel()
        self.clips = list(clips)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.clips)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        clip = self.clips[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (clip.category_label, POLARITY_LABELS.get(clip.polarity, clip.polarity),
                      _principles(clip), _length(clip.duration_ms),
                      "Override" if clip.overridden else clip.verdict.capitalize(),
                      " ".join(clip.note.split()))  # fmt: skip
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return verification_text(clip) if index.column() == 4 else clip.note or None
        if role == Qt.ItemDataRole.UserRole:
            return clip
        return None


class ClipLibraryWindow(QMainWindow):
    """Filter by category, principle, polarity and text; watch a clip; add it to a pack."""

    pack_edit_requested = Signal(int)  # pack id

    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.setWindowTitle("bwvreview — clip library")
        self.model = ClipTableModel()
        self._build()
        self.refresh()
        self.refresh_packs()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.category = QComboBox()
        self.category.addItem("All categories", None)
        for c in sorted(self.lib.codebook.categories, key=lambda c: c.label):
            self.category.addItem(c.label, c.key)
        self.principle = QComboBox()
        self.principle.addItem("All principles", None)
        for p in self.lib.codebook.principles:
            self.principle.addItem(p.label, p.key)
        self.polarity = QComboBox()
        self.polarity.addItem("Concerns and good practice", None)
        for key in ("concern", "good_practice", "observation"):
            self.polarity.addItem(POLARITY_FILTERS[key], key)
        self.text = QLineEdit(placeholderText="Filter by note, wording or category…")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(200)
        for combo in (self.category, self.principle, self.polarity):
            combo.currentIndexChanged.connect(self.refresh)
        self.text.textChanged.connect(self.refresh)
        filters = QHBoxLayout()
        for widget in (self.category, self.principle, self.polarity):
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _index: self.play_selected())
        self.count = QLabel()

        self.player = PlayerWidget()
        self.details = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.play_button = QPushButton("&Play clip", enabled=False)
        self.play_button.clicked.connect(self.play_selected)

        self.pack_choice = QComboBox()
        self.new_pack_button = QPushButton("&New pack…")
        self.new_pack_button.clicked.connect(self._new_pack)
        self.add_button = QPushButton("&Add clip to pack", enabled=False)
        self.add_button.clicked.connect(self.add_selected_to_pack)
        self.edit_pack_button = QPushButton("&Edit pack…")
        self.edit_pack_button.clicked.connect(
            lambda: (pid := self.pack_choice.currentData()) and self.pack_edit_requested.emit(pid)
        )
        pack_box = QGroupBox("Training pack")
        pack_row = QHBoxLayout(pack_box)
        for widget in (self.pack_choice, self.add_button, self.edit_pack_button,
                       self.new_pack_button):  # fmt: skip
            pack_row.addWidget(widget)
        pack_row.setStretch(0, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.player, 3)
        right_layout.addWidget(self.play_button)
        right_layout.addWidget(self.details, 2)
        right_layout.addWidget(pack_box)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([620, 480])
        self.setCentralWidget(splitter)
        self.resize(1180, 720)

    # --- what the window shows ------------------------------------------------------------
    def filters(self) -> dict[str, object]:
        return {
            "category": self.category.currentData(),
            "principle": self.principle.currentData(),
            "polarity": self.polarity.currentData(),
            "text": self.text.text(),
        }

    def refresh(self) -> None:
        try:
            found = clip_library.list_library_clips(self.lib.db, **self.filters())  # type: ignore[arg-type]
        except DomainError as exc:
            self.model.set_clips([])
            self.count.setText(str(exc))
            return
        self.model.set_clips(found)
        self.count.setText(f"{len(found)} clip{'s' if len(found) != 1 else ''}")
        self._selected(self.table.currentIndex(), QModelIndex())

    def refresh_packs(self, select_id: int | None = None) -> None:
        current = select_id or self.pack_choice.currentData()
        self.pack_choice.clear()
        try:
            listed = packs.list_packs(self.lib.db)
        except DomainError:
            listed = []
        for pack in listed:
            self.pack_choice.addItem(f"{pack.title} ({len(pack.items)} clips)", pack.id)
        if current is not None and (at := self.pack_choice.findData(current)) >= 0:
            self.pack_choice.setCurrentIndex(at)
        self.edit_pack_button.setEnabled(bool(listed))
        self._update_buttons()

    def selected_clip(self) -> LibraryClip | None:
        index = self.table.currentIndex()
        return self.model.clips[index.row()] if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        clip = self.model.clips[current.row()] if current.isValid() else None
        self.details.setText(self._describe(clip) if clip else "Choose a clip to see it here.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_clip = self.selected_clip() is not None
        self.play_button.setEnabled(has_clip)
        self.add_button.setEnabled(has_clip and self.pack_choice.currentData() is not None)

    @staticmethod
    def _describe(clip: LibraryClip) -> str:
        rows = [f"<h3>{html.escape(clip.category_label)}</h3>",
                f"<p><b>{POLARITY_LABELS.get(clip.polarity, clip.polarity)}</b> · "
                f"{html.escape(_principles(clip))} · {_length(clip.duration_ms)}</p>"]  # fmt: skip
        if clip.note:
            rows.append(f"<p><b>What to notice:</b> {html.escape(clip.note)}</p>")
        if clip.suggested_wording:
            rows.append(
                f"<p><b>Another way to say it:</b> “{html.escape(clip.suggested_wording)}”</p>"
            )
        colour = "#8a5a00" if clip.overridden or not clip.verified else "#2f6b2f"
        rows.append(f'<p style="color:{colour}">{html.escape(verification_text(clip))}</p>')
        return "".join(rows)

    # --- actions --------------------------------------------------------------------------
    def play_selected(self) -> None:
        clip = self.selected_clip()
        if clip is None:
            return
        path = Path(clip.clip_path)
        if not path.is_file():
            self.show_error("Clip missing", f"The clip file is not at {path}.")
            return
        self.player.load(path, clip.duration_ms, None)
        self.player.play()

    def ask_pack_title(self) -> str | None:
        title, ok = QInputDialog.getText(self, "New training pack", "Title of the session:")
        return title if ok and title.strip() else None

    def _new_pack(self) -> None:
        title = self.ask_pack_title()
        if title is None:
            return
        try:
            pack = packs.create_pack(self.lib.db, title)
        except DomainError as exc:
            self.show_error("Cannot create the pack", str(exc))
            return
        self.refresh_packs(select_id=pack.id)

    def add_selected_to_pack(self) -> None:
        clip, pack_id = self.selected_clip(), self.pack_choice.currentData()
        if clip is None or pack_id is None:
            return
        try:
            packs.add_clip(self.lib.db, pack_id, clip.clip_id)
        except DomainError as exc:
            self.show_error("Cannot add the clip", str(exc))
            return
        self.refresh_packs(select_id=pack_id)
        self.statusBar().showMessage(f"Added “{clip.category_label}” to the pack", 4000)

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        self.player.pause()
        super().closeEvent(event)


def open_clip_library(lib: Library, parent: QWidget | None = None) -> ClipLibraryWindow:
    """Show the clip library; its "Edit pack…" opens the pack editor."""
    from bwvreview.ui.pack_editor import PackEditor

    window = ClipLibraryWindow(lib, parent)

    def edit(pack_id: int) -> None:
        editor = PackEditor(lib, pack_id, window)
        editor.finished.connect(lambda _result: window.refresh_packs())
        editor.show()

    window.pack_edit_requested.connect(edit)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
