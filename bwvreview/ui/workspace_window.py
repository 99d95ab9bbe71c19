"""The review workspace for one recording: player, timeline, transcript, annotations, and
the coding panel always beside them.

A view only: it lays the widgets out, owns the menus and keys (``workspace_menus``), the
shortcut overlay (F1), and remembers its layout and hidden lanes. ``WorkspaceController``
joins it to the services. It fits a 1366×768 laptop screen (about 1366×700 once a title
bar and task bar are drawn): ``tests/ui/test_workspace_fit.py``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.records import Codebook
from bwvreview.ui import workspace_menus
from bwvreview.ui.annotation_editor import AnnotationEditor
from bwvreview.ui.annotation_list import AnnotationListWidget
from bwvreview.ui.coding_panel import CodingPanel
from bwvreview.ui.find_bar import FindBar
from bwvreview.ui.library_window import MEDIA_FILTER
from bwvreview.ui.palette import BANNER_BACKGROUND, BANNER_TEXT
from bwvreview.ui.player import PlayerWidget
from bwvreview.ui.reflections_panel import ReflectionsPanel
from bwvreview.ui.shortcut_overlay import ShortcutOverlay
from bwvreview.ui.suggestion_list import SuggestionListWidget
from bwvreview.ui.timeline import TimelineWidget
from bwvreview.ui.transcript_view import TranscriptView
from bwvreview.ui.wellbeing import GentlePreviewBar

NO_PRINCIPLE = "other"
SUGGESTED = "suggested"
DEFAULT_SIZE = (1400, 860)  # shrunk to the screen's free area when that is smaller
CODING_PANEL_PX = 250
LEFT_SHARE = 0.6  # of the width beside the coding panel: the picture and the timeline


def lanes_for(codebook: Codebook, suggestions: bool = True) -> list[tuple[str, str]]:
    """One timeline lane per principle, in codebook order, one for the rest, and (unless
    dismissed) one for the phrase cues' suggestions."""
    lanes = [(p.key, p.label) for p in codebook.principles] + [(NO_PRINCIPLE, "No principle")]
    return lanes + [(SUGGESTED, "Suggested")] if suggestions else lanes


class WorkspaceWindow(QMainWindow):
    locate_requested = Signal()
    debrief_requested = Signal()  # step through the moments with the officer (F5)
    preview_requested = Signal()  # the officer's feedback view, as they will see it
    closing = Signal()  # the window is closing: whatever is still loading should stop
    loop_requested = Signal()  # loop the selected span (or annotation), or stop looping
    mark_requested = Signal(str)  # "in" or "out": an end of the selected span at the playhead

    def __init__(self, codebook: Codebook, title: str) -> None:
        super().__init__()
        self.codebook = codebook
        self.setWindowTitle(f"bwvreview — {title}")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.locate_button = QPushButton("Locate the file…")
        self.locate_button.clicked.connect(self.locate_requested)
        self.banner_box = QWidget()
        self.banner_box.setStyleSheet(f"background: {BANNER_BACKGROUND}; color: {BANNER_TEXT};")
        banner_layout = QHBoxLayout(self.banner_box)
        banner_layout.setContentsMargins(6, 4, 6, 4)
        banner_layout.addWidget(self.banner, 1)
        banner_layout.addWidget(self.locate_button)
        self.banner_box.hide()
        self.player = PlayerWidget()
        self.player.loop_requested.connect(self.loop_requested)
        self.player.offer_loop()
        self.timeline = TimelineWidget()
        self.timeline.set_lanes(lanes_for(codebook))
        self.timeline.set_hidden_lanes(_stored_list(QSettings().value("workspace/hidden_lanes")))
        self.timeline.hidden_lanes_changed.connect(self._lanes_hidden)
        self.transcript = TranscriptView()
        self.annotations = AnnotationListWidget(codebook.principles)
        self.editor = AnnotationEditor({p.key: p.label for p in codebook.principles})
        self.find_bar = FindBar()
        transcript_tab = QWidget()
        transcript_layout = QVBoxLayout(transcript_tab)
        transcript_layout.setContentsMargins(0, 0, 0, 0)
        transcript_layout.addWidget(self.find_bar)
        transcript_layout.addWidget(self.transcript, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(transcript_tab, "Transcript")
        self.tabs.addTab(self.annotations, "Annotations")
        self.suggestions = SuggestionListWidget()
        self.tabs.addTab(self.suggestions, "Suggestions")
        self.reflections = ReflectionsPanel()  # what officers wrote back (read when shown)
        self.tabs.addTab(self.reflections, "Reflections")
        # every tab in view, never behind scroll arrows (Reflections was, at 125 %): the bar's
        # full width is the panel's least width, which the splitter keeps
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.gentle_bar = GentlePreviewBar()  # above the picture while gentle preview is on
        picture = QWidget()
        picture_layout = QVBoxLayout(picture)
        picture_layout.setContentsMargins(0, 0, 0, 0)
        picture_layout.addWidget(self.gentle_bar)
        picture_layout.addWidget(self.player, 1)
        self.left.addWidget(picture)
        self.left.addWidget(self.timeline)
        self.left.setStretchFactor(0, 3)
        self.left.setStretchFactor(1, 2)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.tabs)
        self.right.addWidget(self.editor)
        self.right.setStretchFactor(0, 3)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner_box)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.coding = CodingPanel(codebook, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.coding)
        self.overlay = ShortcutOverlay(codebook, self)
        self.coding.overlay_requested.connect(self.overlay.open)
        workspace_menus.build_play_menu(self)
        workspace_menus.build_view_menu(self)
        self._restore_layout()

    def createPopupMenu(self):  # noqa: N802, ANN201
        return None  # no menu that could hide the coding panel: it stays on screen

    def set_lanes(self, lanes: list[tuple[str, str]]) -> None:
        self.timeline.set_lanes(lanes)
        workspace_menus.show_lane_actions(self)

    def toggle_lane(self, index: int, shown: bool) -> None:
        lanes = self.timeline.lanes()
        if index < len(lanes):
            self.timeline.set_lane_hidden(lanes[index][0], not shown)

    def _lanes_hidden(self, keys: list[str]) -> None:
        QSettings().setValue("workspace/hidden_lanes", list(keys))
        workspace_menus.show_lane_actions(self)
        shown = [label for key, label in self.timeline.lanes() if key not in keys]
        if keys:
            self.show_status(f"{len(keys)} lane(s) hidden; View ▸ Lanes or Ctrl+1…9 bring "
                             f"them back. Shown: {', '.join(shown) or 'none'}.")  # fmt: skip

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.overlay.resize_to_parent()
        if self.isVisible():
            self._share_width()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._share_width()

    def _share_width(self) -> None:
        """The first time the window has its size: 60 % for the picture and timeline."""
        if self._share_pending and self.splitter.width() > 0:
            self._share_pending = False
            total = self.splitter.width()
            left = round(total * LEFT_SHARE)
            self.splitter.setSizes([left, total - left])

    def add_annotate_menu(self, undo: QAction, redo: QAction, delete: QAction) -> list[QAction]:
        """Edit menu with undo/redo/delete, and an Annotate menu naming every hotkey."""
        workspace_menus.build_edit_menu(self, undo, redo, delete)
        actions = workspace_menus.build_annotate_menu(self)
        self.menuBar().addMenu(self.view_menu)
        return actions

    def open_find(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.find_bar.open()

    def ask_correction(self, current: str) -> str | None:
        """Ask for a word's corrected text; None if the reviewer cancels."""
        prompt = "Correct this word (its time is kept):"
        text, ok = QInputDialog.getText(self, "Correct word", prompt, text=current)
        return text.strip() if ok and text.strip() else None

    def show_status(self, text: str) -> None:
        """A quiet line at the foot of the window (what is loading; why a key did nothing)."""
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def show_banner(self, text: str, offer_locate: bool = False) -> None:
        self.banner.setText(text)
        self.locate_button.setVisible(offer_locate)
        self.banner_box.setVisible(bool(text))

    def ask_footage_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Locate the original footage", "", MEDIA_FILTER)
        return Path(name) if name else None

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("workspace/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            screen = QGuiApplication.primaryScreen()
            free = screen.availableGeometry() if screen is not None else None
            width, height = DEFAULT_SIZE
            if free is not None and free.width() > 200:
                width, height = min(width, free.width()), min(height, free.height())
            self.resize(width, height)
        self.resizeDocks([self.coding], [CODING_PANEL_PX], Qt.Orientation.Horizontal)
        docks = settings.value("workspace/docks")
        if isinstance(docks, QByteArray):
            self.restoreState(docks)
        self._share_pending = True  # the picture and lanes : the text, once sized
        for key, splitter in self._splitters():
            state = settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
                self._share_pending = False

    def _splitters(self) -> list[tuple[str, QSplitter]]:
        return [("workspace/main", self.splitter), ("workspace/left", self.left),
                ("workspace/right", self.right)]  # fmt: skip

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        self.editor.flush()
        self.closing.emit()
        self.player.pause()
        settings = QSettings()
        settings.setValue("workspace/geometry", self.saveGeometry())
        settings.setValue("workspace/docks", self.saveState())
        for key, splitter in self._splitters():
            settings.setValue(key, splitter.saveState())
        super().closeEvent(event)


def _stored_list(value: object) -> list[str]:
    """A list kept in QSettings (a lone item comes back as a string, none as None)."""
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list | tuple) else []
