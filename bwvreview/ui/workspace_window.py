"""The review workspace for one recording: player, timeline, transcript, annotations.

A view only: it lays the widgets out, owns the menus and the player's keys, and remembers
its layout. ``WorkspaceController`` joins it to the services.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
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

from bwvreview.app.polarity import POLARITY_LABELS, POLARITY_ORDER
from bwvreview.app.records import Codebook
from bwvreview.ui.annotation_editor import AnnotationEditor
from bwvreview.ui.annotation_list import AnnotationListWidget
from bwvreview.ui.find_bar import FindBar
from bwvreview.ui.library_window import MEDIA_FILTER
from bwvreview.ui.player import PlayerWidget
from bwvreview.ui.reflections_panel import ReflectionsPanel
from bwvreview.ui.suggestion_list import SuggestionListWidget
from bwvreview.ui.timeline import TimelineWidget
from bwvreview.ui.transcript_view import TranscriptView
from bwvreview.ui.wellbeing import GentlePreviewBar

NO_PRINCIPLE = "other"
SUGGESTED = "suggested"


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

    def __init__(self, codebook: Codebook, title: str) -> None:
        super().__init__()
        self.codebook = codebook
        self.setWindowTitle(f"bwvreview — {title}")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.locate_button = QPushButton("Locate the file…")
        self.locate_button.clicked.connect(self.locate_requested)
        self.banner_box = QWidget()
        self.banner_box.setStyleSheet("background: #fff3cd; color: #5c4400;")
        banner_layout = QHBoxLayout(self.banner_box)
        banner_layout.setContentsMargins(6, 4, 6, 4)
        banner_layout.addWidget(self.banner, 1)
        banner_layout.addWidget(self.locate_button)
        self.banner_box.hide()
        self.player = PlayerWidget()
        self.timeline = TimelineWidget()
        self.timeline.set_lanes(lanes_for(codebook))
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
        self._player_keys()
        self._restore_layout()

    def _player_keys(self) -> None:
        p = self.player
        keys = [
            ("Play / pause", ("Space", "K"), p.toggle),
            ("Shuttle back", ("J",), lambda: p.shuttle(-1)),
            ("Shuttle forward", ("L",), lambda: p.shuttle(1)),
            ("Back one frame", (",",), lambda: p.step_frames(-1)),
            ("Forward one frame", (".",), lambda: p.step_frames(1)),
            ("Back 5 seconds", ("Left",), lambda: p.step(-5000)),
            ("Forward 5 seconds", ("Right",), lambda: p.step(5000)),
            ("Go to start", ("Home",), lambda: p.seek(0)),
            ("Go to end", ("End",), lambda: p.seek(p.duration_ms)),
        ]
        menu = self.play_menu = self.menuBar().addMenu("&Play")
        for label, shortcuts, slot in keys:
            action = QAction(label, self)
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.addSeparator()
        self.debrief_action = QAction("Debrief: step through the moments…", self)
        self.debrief_action.setShortcut(QKeySequence("F5"))
        self.debrief_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.debrief_action.triggered.connect(self.debrief_requested)
        menu.addAction(self.debrief_action)
        self.preview_action = QAction("Preview what the officer sees…", self)
        self.preview_action.triggered.connect(self.preview_requested)
        menu.addAction(self.preview_action)

    def add_annotate_menu(self, undo: QAction, redo: QAction, delete: QAction) -> list[QAction]:
        """Edit menu with undo/redo/delete, and an Annotate menu naming every hotkey."""
        edit = self.menuBar().addMenu("&Edit")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        for action in (undo, redo, delete):
            edit.addAction(action)
        find = QAction("Find and replace in transcript…", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.open_find)
        edit.addAction(find)
        annotate = self.menuBar().addMenu("&Annotate")
        actions = []
        for polarity in POLARITY_ORDER:
            annotate.addSection(POLARITY_LABELS[polarity])
            for category in self.codebook.categories:
                if category.polarity != polarity:
                    continue
                # The key is shown, not registered: the workspace reads key press and release
                # itself, so holding a key can mark an interval.
                action = QAction(f"{category.label}\t{category.hotkey or ''}", self)
                action.setData(category.key)
                annotate.addAction(action)
                actions.append(action)
        annotate.addSeparator()
        self.export_action = QAction("Export anonymised clip…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        annotate.addAction(self.export_action)
        self.agreement_action = QAction("Compare two TIPs' coding of this recording…", self)
        annotate.addAction(self.agreement_action)
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
            self.resize(1400, 860)
        for key, splitter in self._splitters():
            state = settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def _splitters(self) -> list[tuple[str, QSplitter]]:
        return [("workspace/main", self.splitter), ("workspace/left", self.left),
                ("workspace/right", self.right)]  # fmt: skip

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        self.editor.flush()
        self.closing.emit()
        self.player.pause()
        settings = QSettings()
        settings.setValue("workspace/geometry", self.saveGeometry())
        for key, splitter in self._splitters():
            settings.setValue(key, splitter.saveState())
        super().closeEvent(event)
