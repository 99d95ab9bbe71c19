"""The trainers' clip library: anonymised, verified clips to filter, watch and gather into
training packs.

A view over ``annotations.clip_library`` (which decides what a trainer may see) and
``annotations.packs``; it holds no rules of its own. A TIP or an admin also gets a second
tab, "Awaiting approval": clips a second person must watch and approve (or not) before
trainers see them (``ui.clip_release``, ``app.clip_release``). Filtering asks the service again, so
what is listed is always what the signed-in user may read.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
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
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, clip_release, learning, packs
from bwvreview.app.admin import EXPORT
from bwvreview.app.errors import DomainError
from bwvreview.app.learning import own_clip
from bwvreview.app.polarity import POLARITY_LABELS, POLARITY_ORDER, polarity_label, quoted
from bwvreview.app.records import LibraryClip
from bwvreview.timecode import clock
from bwvreview.ui.clip_library_model import ClipTableModel, principles_text, verification_text
from bwvreview.ui.clip_release import (
    NotApprovedDialog,
    ReleaseTableModel,
    WatchTracker,
    release_note,
    state_icon,
)
from bwvreview.ui.player import PlayerWidget
from bwvreview.ui.window_size import resize_within_screen

RELEASE_LIST = (learning.AWAITING, learning.NOT_APPROVED, learning.HELD)

# An empty list says why, and what to do next.
NONE_MATCH = ("<p><b>No clip matches these filters.</b></p><p>Choose “All categories” and"
              " “All principles”, and clear the words, to see every clip.</p>")  # fmt: skip
NO_CLIPS_FOR_REVIEWERS = (
    "<p><b>No clips in the library yet.</b></p><p>To make one, open a review, choose an"
    " annotation and press Ctrl+E (Export clip). Once another TIP or an admin has watched"
    " and approved it, trainers see it here.</p>"
)
NO_CLIPS_FOR_TRAINERS = (
    "<p><b>No clips in the library yet.</b></p><p>Clips appear here once a TIP has exported"
    " a moment from a review and a second person has approved it. Ask your TIP team which"
    " moments they are working on.</p>"
)

CHOOSE_A_CLIP = (
    "Choose a clip in the list to watch it here: press Play under it, or double-click the clip."
)


class ClipLibraryWindow(QMainWindow):
    """Filter by category, principle, polarity and text; watch a clip; add it to a pack."""

    pack_edit_requested = Signal(int)  # pack id

    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.setWindowTitle("bwvreview — clip library")
        self.model = ClipTableModel()
        self.release_model = ReleaseTableModel()
        self.reviewer = lib.db.principal.can(EXPORT)  # TIPs and admins approve clips
        self.watch = WatchTracker()
        self._build()
        self.refresh()
        self.refresh_packs()
        self.refresh_release()

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
        self.polarity.addItem("Every kind", None)
        for key in POLARITY_ORDER:
            self.polarity.addItem(POLARITY_LABELS[key], key)
        self.text = QLineEdit(placeholderText="Filter by note, wording or category…")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(200)
        for combo in (self.category, self.principle, self.polarity):
            combo.currentIndexChanged.connect(self.refresh)
            # long category names may not widen the window past a laptop's screen
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.text.textChanged.connect(self.refresh)
        filters = QVBoxLayout()
        choices = QHBoxLayout()
        for widget in (self.category, self.principle, self.polarity):
            choices.addWidget(widget, 1)
        filters.addLayout(choices)
        filters.addWidget(self.text)

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
        self.empty = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        self.player = PlayerWidget()
        self.details = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.loaded_clip_id: int | None = None  # the clip in the player (paused until Play)

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
        pack_layout = QVBoxLayout(pack_box)
        pack_layout.addWidget(self.pack_choice)
        pack_row = QHBoxLayout()
        for widget in (self.add_button, self.edit_pack_button, self.new_pack_button):
            pack_row.addWidget(widget)
        pack_row.addStretch(1)
        pack_layout.addLayout(pack_row)

        library = QWidget()
        left_layout = QVBoxLayout(library)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.empty, 1)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        self.tabs = QTabWidget()
        self.tabs.addTab(library, "Clip library")
        self.release_table = QTableView()
        self.release_box = self._build_release_box()
        if self.reviewer:
            self.tabs.addTab(self._build_release_tab(), "Awaiting approval")
        self.tabs.currentChanged.connect(lambda _i: self._selection_changed())
        self.player.position_changed.connect(self._player_moved)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.no_clip = QLabel(CHOOSE_A_CLIP, wordWrap=True)
        self.no_clip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_clip.setFrameShape(QLabel.Shape.StyledPanel)
        self.viewer = QStackedWidget()  # what to do until a clip plays, then the player
        self.viewer.addWidget(self.no_clip)
        self.viewer.addWidget(self.player)
        right_layout.addWidget(self.viewer, 3)
        right_layout.addWidget(self.details, 2)
        right_layout.addWidget(pack_box)
        right_layout.addWidget(self.release_box)
        self.pack_box = pack_box
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(right)
        splitter.setSizes([700, 480])
        self.setCentralWidget(splitter)
        resize_within_screen(self, 1180, 720)

    def _build_release_tab(self) -> QWidget:
        table = self.release_table
        table.setModel(self.release_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        table.doubleClicked.connect(lambda _index: self.play_selected())
        intro = QLabel(
            "A clip joins the trainers' library once a second person — another TIP or an "
            "admin, not whoever exported it — has watched it and approved it.",
            wordWrap=True,
        )
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(table, 1)
        self.release_count = QLabel()
        layout.addWidget(self.release_count)
        return page

    def _build_release_box(self) -> QGroupBox:
        box = QGroupBox("Release to trainers")
        self.release_icon = QLabel()
        self.release_icon.setFixedSize(24, 24)
        self.release_status = QLabel(wordWrap=True)
        self.release_hint = QLabel(wordWrap=True)
        self.approve_button = QPushButton("A&pprove for trainers", enabled=False)
        self.approve_button.clicked.connect(self.approve_selected)
        self.not_approved_button = QPushButton("&Not approved…", enabled=False)
        self.not_approved_button.clicked.connect(self.not_approve_selected)
        status_row = QHBoxLayout()
        status_row.addWidget(self.release_icon)
        status_row.addWidget(self.release_status, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.not_approved_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(status_row)
        layout.addWidget(self.release_hint)
        layout.addLayout(buttons)
        box.hide()
        return box

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
            found = learning.list_library_clips(self.lib.db, **self.filters())  # type: ignore[arg-type]
        except DomainError as exc:
            self.model.set_clips([])
            self.count.setText(str(exc))
            return
        self.model.set_clips(found)
        self.count.setText(f"{len(found)} clip{'s' if len(found) != 1 else ''}")
        self._show_empty(not found)
        self._selected(self.table.currentIndex(), QModelIndex())

    def _show_empty(self, empty: bool) -> None:
        """No clips: say why, and what to do next, instead of an empty table."""
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)
        self.count.setVisible(not empty)
        if not empty:
            return
        if any(self.filters().values()):
            text = NONE_MATCH
        else:
            text = NO_CLIPS_FOR_REVIEWERS if self.reviewer else NO_CLIPS_FOR_TRAINERS
        self.empty.setText(text)

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

    def on_release_tab(self) -> bool:
        return self.reviewer and self.tabs.currentIndex() == 1

    def selected_clip(self) -> LibraryClip | None:
        if self.on_release_tab():
            index = self.release_table.currentIndex()
            return self.release_model.clips[index.row()] if index.isValid() else None
        index = self.table.currentIndex()
        return self.model.clips[index.row()] if index.isValid() else None

    def refresh_release(self) -> None:
        if not self.reviewer:
            return
        current = self.selected_clip() if self.on_release_tab() else None
        try:
            found = learning.list_release_clips(self.lib.db, RELEASE_LIST)
        except DomainError as exc:
            self.release_model.set_clips([])
            self.release_count.setText(str(exc))
            return
        self.release_model.set_clips(found)
        waiting = sum(c.release_state == learning.AWAITING for c in found)
        self.tabs.setTabText(1, f"Awaiting approval ({waiting})")
        others = len(found) - waiting
        self.release_count.setText(
            f"{waiting} awaiting a second person"
            + (f"; {others} not approved or not put forward" if others else "")
        )
        if current is not None:
            row = next((r for r, c in enumerate(found) if c.clip_id == current.clip_id), None)
            if row is not None:
                self.release_table.selectRow(row)
        self._selection_changed()

    def select_release_row(self, row: int) -> None:
        self.tabs.setCurrentIndex(1)
        self.release_table.selectRow(row)

    def _selection_changed(self) -> None:
        clip = self.selected_clip()
        self.details.setText(self._describe(clip) if clip else "Choose a clip to see it here.")
        self._load(clip)
        self.pack_box.setVisible(not self.on_release_tab())
        self.release_box.setVisible(self.on_release_tab())
        self._update_buttons()

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selected(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._selection_changed()

    def _update_buttons(self) -> None:
        clip = self.selected_clip()
        self.add_button.setEnabled(clip is not None and self.pack_choice.currentData() is not None)
        self._update_release(clip)

    def _update_release(self, clip: LibraryClip | None) -> None:
        awaiting = clip is not None and clip.release_state == learning.AWAITING
        mine = clip is not None and own_clip(self.lib.db.principal, clip)
        watched = clip is not None and self.watch.watched(clip.clip_id)
        self.approve_button.setEnabled(awaiting and watched and not mine)
        self.not_approved_button.setEnabled(awaiting)
        if clip is None:
            self.release_icon.clear()
            self.release_status.setText("Choose a clip to see where it stands.")
            self.release_hint.setText("")
            return
        self.release_icon.setPixmap(state_icon(clip.release_state).pixmap(24, 24))
        self.release_status.setText(f"<b>{html.escape(clip.state_words)}</b>")
        if not awaiting:
            hint = release_note(clip)
        elif mine:
            hint = ("You exported this clip (or put it forward), so another TIP or an admin "
                    "approves it. You can still say it is not ready.")  # fmt: skip
        elif watched:
            hint = "You have watched it. Approve it if it is ready for trainers."
        else:
            hint = "Play the clip to the end here first; Approve becomes available then."
        self.release_hint.setText(hint)

    def _player_moved(self, position_ms: int) -> None:
        before = self.watch.watched_ms
        self.watch.moved(position_ms, self.player.is_playing())
        if self.watch.watched_ms != before:
            self._update_release(self.selected_clip())

    @staticmethod
    def _describe(clip: LibraryClip) -> str:
        rows = [f"<h3>{html.escape(clip.category_label)}</h3>",
                f"<p><b>{polarity_label(clip.polarity)}</b> · "
                f"{html.escape(principles_text(clip))} · "
                f"{clock(clip.duration_ms, tenths=True)}</p>"]  # fmt: skip
        if clip.note:
            rows.append(f"<p><b>What to notice:</b> {html.escape(clip.note)}</p>")
        if clip.suggested_wording:
            rows.append(
                "<p><b>Another way to say it:</b>"
                f" {html.escape(quoted(clip.suggested_wording))}</p>"
            )
        colour = "#8a5a00" if clip.overridden or not clip.verified else "#2f6b2f"
        rows.append(f'<p style="color:{colour}">{html.escape(verification_text(clip))}</p>')
        if clip.overridden and clip.override_reason:
            rows.append(f"<p><b>Why it was put forward:</b> {html.escape(clip.override_reason)}"
                        f"{' (' + html.escape(clip.override_by) + ')' if clip.override_by else ''}"
                        "</p>")  # fmt: skip
        if clip.release_state != learning.APPROVED:
            rows.append(f"<p><b>{html.escape(clip.state_words)}</b></p>")
        return "".join(rows)

    # --- actions --------------------------------------------------------------------------
    def _load(self, clip: LibraryClip | None, *, again: bool = False) -> bool:
        """The chosen clip in the player, paused at its start: the player's own Play button
        is the one to press. Whether it is there to play."""
        if clip is not None and clip.clip_id == self.loaded_clip_id and not again:
            return True
        self.player.pause()
        self.loaded_clip_id = None
        path = Path(clip.clip_path) if clip is not None else None
        if path is None or not path.is_file():
            missing = f"The clip file is not at {path}." if path is not None else ""
            self.no_clip.setText(missing or CHOOSE_A_CLIP)
            self.viewer.setCurrentWidget(self.no_clip)
            return False
        assert clip is not None
        length_ms = int(clip.report_summary.get("duration_ms") or clip.duration_ms)
        self.watch.start(clip.clip_id, length_ms)
        self.viewer.setCurrentWidget(self.player)
        self.player.load(path, length_ms, None)
        self.player.seek(0)  # from the start: the same file again keeps its old position
        self.loaded_clip_id = clip.clip_id
        return True

    def play_selected(self) -> None:
        """Play the chosen clip from its start (a double-click on it)."""
        clip = self.selected_clip()
        if clip is None:
            return
        if not self._load(clip, again=True):
            self.show_error("Clip missing", f"The clip file is not at {clip.clip_path}.")
            return
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

    def ask_not_approved_reason(self, clip: LibraryClip) -> str | None:
        dialog = NotApprovedDialog(clip, self)
        return dialog.text() if dialog.exec() == NotApprovedDialog.DialogCode.Accepted else None

    def approve_selected(self) -> None:
        clip = self.selected_clip()
        if clip is None or not self.approve_button.isEnabled():
            return
        try:
            clip_release.approve(self.lib, clip.clip_id)
        except DomainError as exc:
            self.show_error("Not approved yet", str(exc))
            return
        self.statusBar().showMessage(f"“{clip.category_label}” is approved for trainers", 5000)
        self.refresh()
        self.refresh_release()

    def not_approve_selected(self) -> None:
        clip = self.selected_clip()
        if clip is None:
            return
        reason = self.ask_not_approved_reason(clip)
        if not reason:
            return
        try:
            clip_release.reject(self.lib, clip.clip_id, reason)
        except DomainError as exc:
            self.show_error("Could not record that", str(exc))
            return
        self.statusBar().showMessage(f"“{clip.category_label}” is not approved", 5000)
        self.refresh()
        self.refresh_release()

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
