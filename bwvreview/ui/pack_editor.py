"""Edit a training pack: its title and description, the order of its clips (drag, or Up and
Down), each clip's facilitator notes and discussion prompts, and Export….

Every change is saved as it is made (text a moment after typing stops, or when another clip
is chosen or the dialog closes) through ``annotations.packs``; the export runs
``app.training_pack`` on the thread pool.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, learning, packs, training_pack
from bwvreview.app.errors import DomainError
from bwvreview.ui.workers import GeneratorWorker

SAVE_AFTER_MS = 600
ITEM_ID_ROLE = 0x0100 + 1  # Qt.UserRole + 1


class PackEditor(QDialog):
    exported = Signal(object)  # training_pack.PackExport

    def __init__(self, lib: Library, pack_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.pack_id = pack_id
        self.worker: GeneratorWorker | None = None
        self._item_id: int | None = None  # the item whose notes are in the editors
        self._dirty: set[str] = set()
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._save_timer.timeout.connect(self.flush)
        self.setWindowTitle("Training pack")
        self._build()
        self.reload()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLineEdit()
        self.title.editingFinished.connect(lambda: self._mark("title"))
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(70)
        self.description.textChanged.connect(lambda: self._mark("description"))
        head = QFormLayout()
        head.addRow("&Title:", self.title)
        head.addRow("&Description:", self.description)

        self.items = QListWidget()
        self.items.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items.model().rowsMoved.connect(lambda *_: self._order_changed())
        self.items.currentItemChanged.connect(lambda *_: self._item_changed())
        self.up = QPushButton("Move &up")
        self.up.clicked.connect(lambda: self.move_current(-1))
        self.down = QPushButton("Move &down")
        self.down.clicked.connect(lambda: self.move_current(1))
        self.remove = QPushButton("&Remove from pack")
        self.remove.clicked.connect(self.remove_current)
        order_buttons = QHBoxLayout()
        for button in (self.up, self.down, self.remove):
            order_buttons.addWidget(button)
        order_buttons.addStretch(1)

        self.notes = QPlainTextEdit(placeholderText="What to draw out; when to pause…")
        self.notes.textChanged.connect(lambda: self._mark("notes"))
        self.prompts = QPlainTextEdit(placeholderText="One discussion prompt per line")
        for editor in (self.notes, self.prompts):
            editor.setMaximumHeight(120)
        self.prompts.textChanged.connect(lambda: self._mark("prompts"))
        item_form = QFormLayout()
        item_form.addRow("Facilitator &notes:", self.notes)
        item_form.addRow("Discussion &prompts:", self.prompts)

        self.export_button = QPushButton("&Export…")
        self.export_button.clicked.connect(self._ask_export)
        self.progress = QProgressBar(maximum=1000, visible=False)
        self.message = QLabel(wordWrap=True)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.progress, 2)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(QLabel("Clips, in the order they will be shown (drag to reorder):"))
        layout.addWidget(self.items, 2)
        layout.addLayout(order_buttons)
        layout.addLayout(item_form)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.resize(640, 640)

    # --- reading --------------------------------------------------------------------------
    def reload(self, select_item: int | None = None) -> None:
        pack = packs.get_pack(self.lib.db, self.pack_id)
        clips = learning.library_clips_by_id(self.lib.db, [i.clip_id for i in pack.items])
        keep = select_item if select_item is not None else self._item_id
        for widget, text in ((self.title, pack.title), (self.description, pack.description)):
            widget.blockSignals(True)
            widget.setPlainText(text) if isinstance(widget, QPlainTextEdit) else widget.setText(
                text
            )
            widget.blockSignals(False)
        self.items.blockSignals(True)
        self.items.clear()
        for item in pack.items:
            clip = clips.get(item.clip_id)
            label = (clip.category_label if clip
                     else f"clip {item.clip_id} (no longer approved for trainers)")  # fmt: skip
            note = f" — {clip.note}" if clip and clip.note else ""
            entry = QListWidgetItem(f"{item.position + 1}. {label}{note}")
            entry.setData(ITEM_ID_ROLE, item.id)
            entry.setToolTip(note.strip(" —"))
            self.items.addItem(entry)
        self.items.blockSignals(False)
        self._items = {i.id: i for i in pack.items}
        row = next((r for r in range(self.items.count())
                    if self.items.item(r).data(ITEM_ID_ROLE) == keep), 0)  # fmt: skip
        if self.items.count():
            self.items.setCurrentRow(row)
        self._item_changed(save=False)
        self.export_button.setEnabled(bool(pack.items) and self.worker is None)
        self.setWindowTitle(f"Training pack — {pack.title}")

    def item_ids(self) -> list[int]:
        return [self.items.item(r).data(ITEM_ID_ROLE) for r in range(self.items.count())]

    def current_item_id(self) -> int | None:
        current = self.items.currentItem()
        return current.data(ITEM_ID_ROLE) if current is not None else None

    # --- saving ---------------------------------------------------------------------------
    def _mark(self, what: str) -> None:
        self._dirty.add(what)
        self._save_timer.start()

    def flush(self) -> None:
        """Save whatever was typed since the last save."""
        self._save_timer.stop()
        dirty, self._dirty = self._dirty, set()
        try:
            if "title" in dirty:
                packs.rename_pack(self.lib.db, self.pack_id, self.title.text())
            if "description" in dirty:
                packs.describe_pack(self.lib.db, self.pack_id, self.description.toPlainText())
            if self._item_id is not None and "notes" in dirty:
                packs.set_item_notes(self.lib.db, self.pack_id, self._item_id,
                                     self.notes.toPlainText())  # fmt: skip
            if self._item_id is not None and "prompts" in dirty:
                packs.set_item_prompts(self.lib.db, self.pack_id, self._item_id,
                                       self.prompts.toPlainText().splitlines())  # fmt: skip
        except DomainError as exc:
            self.message.setText(str(exc))
            return
        if dirty & {"notes", "prompts", "title", "description"}:
            pack = packs.get_pack(self.lib.db, self.pack_id)
            self._items = {i.id: i for i in pack.items}
            self.setWindowTitle(f"Training pack — {pack.title}")

    def _item_changed(self, save: bool = True) -> None:
        if save:
            self.flush()
        self._item_id = self.current_item_id()
        item = self._items.get(self._item_id) if self._item_id is not None else None
        for editor, text in ((self.notes, item.facilitator_notes if item else ""),
                             (self.prompts, "\n".join(item.prompts) if item else "")):  # fmt: skip
            editor.blockSignals(True)
            editor.setPlainText(text)
            editor.setEnabled(item is not None)
            editor.blockSignals(False)
        row = self.items.currentRow()
        self.up.setEnabled(item is not None and row > 0)
        self.down.setEnabled(item is not None and row < self.items.count() - 1)
        self.remove.setEnabled(item is not None)

    def _order_changed(self) -> None:
        self.flush()
        try:
            packs.reorder(self.lib.db, self.pack_id, self.item_ids())
        except DomainError as exc:
            self.message.setText(str(exc))
        self.reload()

    def move_current(self, step: int) -> None:
        item_id = self.current_item_id()
        if item_id is None:
            return
        self.flush()
        packs.move_item(self.lib.db, self.pack_id, item_id, self.items.currentRow() + step)
        self.reload(select_item=item_id)

    def remove_current(self) -> None:
        item_id = self.current_item_id()
        if item_id is None:
            return
        self.flush()
        packs.remove_item(self.lib.db, self.pack_id, item_id)
        self._item_id = None
        self.reload()

    # --- export ---------------------------------------------------------------------------
    def ask_export_folder(self) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export training pack to a new folder", self.title.text() or "training pack"
        )
        return Path(chosen) if chosen else None

    def _ask_export(self) -> None:
        out = self.ask_export_folder()
        if out is not None:
            self.export_to(out)

    def export_to(self, out: Path, pdf: bool = True) -> None:
        """Export on the thread pool; ``exported`` is emitted when the folder is in place."""
        self.flush()
        lib, pack_id = self.lib, self.pack_id
        self.worker = GeneratorWorker(
            lambda cancel: training_pack.iter_export_pack(lib, pack_id, out, pdf=pdf, cancel=cancel)
        )
        self.worker.signals.progressed.connect(lambda f: self.progress.setValue(int(f * 1000)))
        self.worker.signals.finished.connect(self._export_done)
        self.worker.signals.failed.connect(self._export_failed)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.export_button.setEnabled(False)
        self.message.setText(f"Exporting to {out}…")
        QThreadPool.globalInstance().start(self.worker)

    def _export_done(self, result: training_pack.PackExport) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        notes = "".join(f"\n{n}" for n in result.notices)
        self.message.setText(
            f"Exported {result.clips} clips to {result.folder}. Open index.html there in any"
            f" browser; it needs no network.{notes}"
        )
        self.exported.emit(result)

    def _export_failed(self, exc: BaseException) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        self.message.setText(f"Not exported: {exc}")
        if isinstance(exc, training_pack.PackRefused):
            QMessageBox.warning(self, "Training pack not exported", str(exc))

    def done(self, result: int) -> None:
        self.flush()
        super().done(result)
