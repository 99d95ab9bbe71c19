"""Edit a training pack and plan the session it is for: its title, description and length
(90 minutes unless changed); the clips in order (drag, or Move up and Move down), each with
its length, the time to talk after it and the running total against the session; a preview
of the chosen clip; the chosen clip's facilitator notes and discussion prompts, under its
name; and Export….

Every change is saved as it is made (text a moment after typing stops, or when another clip
is chosen or the dialog closes) through ``app.packs``; the export runs
``app.training_pack`` on the thread pool. A pack takes approved library clips only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, learning, packs, training_pack
from bwvreview.app.errors import DomainError
from bwvreview.app.polarity import polarity_label, quoted
from bwvreview.app.records import LibraryClip
from bwvreview.timecode import clock
from bwvreview.ui.player import PlayerWidget
from bwvreview.ui.window_size import resize_within_screen, scrolling
from bwvreview.ui.workers import GeneratorWorker
from bwvreview.ui.wrapped_rows import WrappedRows

SAVE_AFTER_MS = 600
ITEM_ID_ROLE = 0x0100 + 1  # Qt.UserRole + 1
PREVIEW_MAX_PX = 300  # the preview's height at most
NOTES_SHOWN = 90  # characters of a clip's facilitator notes shown in its row
OVER = ("#5C4400", "#FFF3CD")  # the plan runs over the session: words on an amber tint
CONTRAST_PAIRS = {"over the session": OVER}  # tests/ui/test_views_contrast.py


def clip_row(
    number: int, clip: LibraryClip | None, item: packs.PackItem, planned: packs.PlannedClip
) -> str:
    """One clip as the list shows it: what it is, how long, when it ends, and its notes."""
    if clip is None:
        head = f"{number}. Clip {item.clip_id}: no longer approved for trainers (remove it)"
    else:
        head = (f"{number}. {clip.category_label} · {polarity_label(clip.polarity)}"
                f" · {clock(planned.length_ms, tenths=True)}")  # fmt: skip
    lines = [f"{head} + {item.discussion_minutes} min talk · ends at {clock(planned.ends_at_ms)}"]
    if clip is not None and clip.note:
        lines.append(f"What to notice: {' '.join(clip.note.split())}")
    notes = " ".join(item.facilitator_notes.split())
    if notes:
        cut = notes if len(notes) <= NOTES_SHOWN else notes[:NOTES_SHOWN].rstrip() + "…"
        lines.append(f"Your notes: {cut}")
    return "\n".join(lines)


class PackEditor(QDialog):
    exported = Signal(object)  # training_pack.PackExport

    def __init__(self, lib: Library, pack_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.pack_id = pack_id
        self.worker: GeneratorWorker | None = None
        self._item_id: int | None = None  # the item whose notes are in the editors
        self._items: dict[int, packs.PackItem] = {}
        self.clips: dict[int, LibraryClip] = {}
        self.plan: packs.SessionPlan | None = None
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
        self.session = QSpinBox(suffix=" min", singleStep=15)
        self.session.setRange(*packs.SESSION_MINUTES)
        self.session.setToolTip("How long the session is: the clips and the talk add up to it")
        self.session.valueChanged.connect(lambda _v: self._mark("session"))
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(54)
        self.description.textChanged.connect(lambda: self._mark("description"))
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(QLabel("Session &length:", buddy=self.session))
        title_row.addWidget(self.session)
        head = QFormLayout()
        head.addRow(QLabel("&Title:", buddy=self.title), title_row)
        head.addRow("&Description:", self.description)

        self.splitter = QSplitter()
        self.splitter.addWidget(self._clip_list())
        self.splitter.addWidget(scrolling(self._chosen_clip(), sideways=False))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 480])

        self.plan_label = QLabel(wordWrap=True)
        self.plan_label.setFont(_bold(self.plan_label))
        self.export_button = QPushButton("&Export…")
        self.export_button.clicked.connect(self._ask_export)
        self.progress = QProgressBar(maximum=1000, visible=False)
        self.message = QLabel(wordWrap=True)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 3)
        bottom.addWidget(self.progress, 2)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.plan_label)
        layout.addLayout(bottom)
        resize_within_screen(self, 1180, 680)

    def _clip_list(self) -> QWidget:
        self.items = QListWidget()
        self.items.setSpacing(2)
        self.items.setItemDelegate(WrappedRows(self.items))
        self.items.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items.model().rowsMoved.connect(lambda *_: self._order_changed())
        self.items.currentItemChanged.connect(lambda *_: self._item_changed())
        self.up = QPushButton("Move &up")
        self.up.clicked.connect(lambda: self.move_current(-1))
        self.down = QPushButton("Move &down")
        self.down.clicked.connect(lambda: self.move_current(1))
        self.remove = QPushButton("&Remove from pack")
        self.remove.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        for button in (self.up, self.down, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        widget = QWidget()
        column = QVBoxLayout(widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Clips, in the order they will be shown (drag to reorder):"))
        column.addWidget(self.items, 1)
        column.addLayout(buttons)
        return widget

    def _chosen_clip(self) -> QWidget:
        """The chosen clip: its preview (the player's own Play button is the only one), what
        to notice, the talk after it, and the trainer's notes and prompts for it."""
        self.chosen = QGroupBox("No clip chosen")
        self.player = PlayerWidget()
        self.notice = QLabel(wordWrap=True)
        self.talk = QSpinBox(suffix=" min")
        self.talk.setRange(*packs.DISCUSSION_MINUTES)
        self.talk.setToolTip("Time to talk about this clip, for the session plan")
        self.talk.valueChanged.connect(lambda _v: self._mark("talk"))
        self.notes = QPlainTextEdit(placeholderText="What to draw out; when to pause…")
        self.notes.textChanged.connect(lambda: self._mark("notes"))
        self.prompts = QPlainTextEdit(placeholderText="One discussion prompt per line")
        self.prompts.textChanged.connect(lambda: self._mark("prompts"))
        for editor in (self.notes, self.prompts):
            editor.setMinimumHeight(44)
        form = QFormLayout()
        form.addRow("Talk &after it:", self.talk)
        form.addRow("Facilitator &notes:", self.notes)
        form.addRow("Discussion &prompts:", self.prompts)
        self.player.setMaximumHeight(PREVIEW_MAX_PX)  # the notes and prompts stay in view
        column = QVBoxLayout(self.chosen)
        column.addWidget(self.player, 2)
        column.addWidget(self.notice)
        column.addLayout(form, 3)
        return self.chosen

    # --- reading --------------------------------------------------------------------------
    def reload(self, select_item: int | None = None) -> None:
        pack = packs.get_pack(self.lib.db, self.pack_id)
        self.clips = learning.library_clips_by_id(self.lib.db, [i.clip_id for i in pack.items])
        self.plan = packs.plan_session(pack, self.clips)
        keep = select_item if select_item is not None else self._item_id
        for widget, value in ((self.title, pack.title), (self.description, pack.description),
                              (self.session, pack.session_minutes)):  # fmt: skip
            widget.blockSignals(True)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            elif isinstance(widget, QSpinBox):
                widget.setValue(value)
            else:
                widget.setText(value)
            widget.blockSignals(False)
        self.items.blockSignals(True)
        self.items.clear()
        for number, (item, planned) in enumerate(zip(pack.items, self.plan.clips, strict=True), 1):
            clip = self.clips.get(item.clip_id)
            entry = QListWidgetItem(clip_row(number, clip, item, planned))
            entry.setData(ITEM_ID_ROLE, item.id)
            self.items.addItem(entry)
        self.items.blockSignals(False)
        self._items = {i.id: i for i in pack.items}
        row = next((r for r in range(self.items.count())
                    if self.items.item(r).data(ITEM_ID_ROLE) == keep), 0)  # fmt: skip
        self._item_id = None  # the editors are filled afresh below
        if self.items.count():
            self.items.blockSignals(True)
            self.items.setCurrentRow(row)
            self.items.blockSignals(False)
        self._item_changed(save=False)
        self._show_plan()
        self.export_button.setEnabled(bool(pack.items) and self.worker is None)
        self.setWindowTitle(f"Training pack — {pack.title}")

    def _show_plan(self) -> None:
        plan = self.plan
        if plan is None or not plan.clips:
            self.plan_label.setText(
                f"No clips yet: add them from the clip library. A {self.session.value()}-minute"
                " session is planned."
            )
            self.plan_label.setStyleSheet("")
            return
        self.plan_label.setText(("Over the session's length: " if plan.over else "Plan: ")
                                + plan.summary() + ".")  # fmt: skip
        fg, bg = OVER
        self.plan_label.setStyleSheet(f"color: {fg}; background: {bg}; padding: 4px;"
                                      if plan.over else "")  # fmt: skip

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
        """Save whatever was typed or chosen since the last save."""
        self._save_timer.stop()
        dirty, self._dirty = self._dirty, set()
        item_id = self._item_id
        try:
            if "title" in dirty:
                packs.rename_pack(self.lib.db, self.pack_id, self.title.text())
            if "description" in dirty:
                packs.describe_pack(self.lib.db, self.pack_id, self.description.toPlainText())
            if "session" in dirty:
                packs.set_session_minutes(self.lib.db, self.pack_id, self.session.value())
            if item_id is not None and "notes" in dirty:
                packs.set_item_notes(self.lib.db, self.pack_id, item_id, self.notes.toPlainText())
            if item_id is not None and "prompts" in dirty:
                packs.set_item_prompts(self.lib.db, self.pack_id, item_id,
                                       self.prompts.toPlainText().splitlines())  # fmt: skip
            if item_id is not None and "talk" in dirty:
                packs.set_item_discussion(self.lib.db, self.pack_id, item_id, self.talk.value())
        except DomainError as exc:
            self.message.setText(str(exc))
            return
        if dirty:
            self._refresh_rows()

    def _refresh_rows(self) -> None:
        """After a save: the rows' times and notes, the plan and the title, in place."""
        pack = packs.get_pack(self.lib.db, self.pack_id)
        self._items = {i.id: i for i in pack.items}
        self.plan = packs.plan_session(pack, self.clips)
        for row, (item, planned) in enumerate(zip(pack.items, self.plan.clips, strict=True)):
            entry = self.items.item(row)
            if entry is not None and entry.data(ITEM_ID_ROLE) == item.id:
                entry.setText(clip_row(row + 1, self.clips.get(item.clip_id), item, planned))
        self._show_plan()
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
        self.talk.blockSignals(True)
        self.talk.setValue(item.discussion_minutes if item else 0)
        self.talk.setEnabled(item is not None)
        self.talk.blockSignals(False)
        row = self.items.currentRow()
        self.up.setEnabled(item is not None and row > 0)
        self.down.setEnabled(item is not None and row < self.items.count() - 1)
        self.remove.setEnabled(item is not None)
        self._preview(item, row)

    def _preview(self, item: packs.PackItem | None, row: int) -> None:
        """The chosen clip in the player (paused), named above its notes."""
        self.player.pause()
        clip = self.clips.get(item.clip_id) if item is not None else None
        if item is None:
            self.chosen.setTitle("No clip chosen")
        elif clip is None:
            self.chosen.setTitle(f"Clip {row + 1}: no longer approved for trainers")
        else:
            self.chosen.setTitle(f"Clip {row + 1}: {clip.category_label} — its notes and prompts")
        words = []
        if clip is not None and clip.note:
            words.append(f"<b>What to notice:</b> {_html(clip.note)}")
        if clip is not None and clip.suggested_wording:
            words.append(f"<b>Another way to say it:</b> {_html(quoted(clip.suggested_wording))}")
        self.notice.setText("<br>".join(words))
        self.notice.setVisible(bool(words))
        self.player.setEnabled(clip is not None)
        if clip is not None:
            self.player.load(Path(clip.clip_path), packs.clip_length_ms(clip), None)

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
        self.player.pause()
        super().done(result)


def _bold(widget: QWidget):  # noqa: ANN202 - a QFont
    font = widget.font()
    font.setBold(True)
    return font


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
