"""The library window: every incident's recordings, their status, and importing new footage.

The window is a view: it shows what it is given and emits intent signals. The
``LibraryController`` (``library_controller.py``) calls the app workflows and workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QDate,
    QModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.records import STATUS_LABELS, Recording
from bwvreview.ui.jobs_panel import JobsPanel, LocalJob
from bwvreview.ui.library_model import LibraryTableModel
from bwvreview.ui.recording_details import RecordingDetails, RecordingDetailsDialog, Save
from bwvreview.ui.transcript_panel import TranscriptPanel
from bwvreview.ui.wellbeing import edit_wellbeing_settings
from bwvreview.ui.window_size import resize_within_screen

MEDIA_FILTER = "Video files (*.mp4 *.mov *.m4v *.mkv *.avi *.mts *.ts);;All files (*)"


class LibraryFilterProxy(QSortFilterProxyModel):
    """Filters by status, by the day recorded (from/to, inclusive) and by free text over
    incident, officer and file name."""

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.days: tuple[dt.date | None, dt.date | None] = (None, None)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def _changing(self, apply: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            apply()
            self.endFilterChange()
        else:
            apply()
            self.invalidateFilter()

    def set_status(self, status: str | None) -> None:
        self._changing(lambda: setattr(self, "status", status))

    def set_days(self, first: dt.date | None, last: dt.date | None) -> None:
        self._changing(lambda: setattr(self, "days", (first, last)))

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, LibraryTableModel)
        recording = model.recording_at(row)
        if self.status and recording.status != self.status:
            return False
        day = (recording.recorded_at or recording.imported_at).date()
        first, last = self.days
        if (first and day < first) or (last and day > last):
            return False
        return super().filterAcceptsRow(row, parent)


class LibraryWindow(QMainWindow):
    import_requested = Signal(list)  # list[Path]
    transcribe_requested = Signal(list)  # list[int] recording ids
    content_warning_requested = Signal(int, object)  # recording id, text or None to clear
    status_requested = Signal(int, str)  # recording id, review status key
    cancel_requested = Signal()  # everything this window runs (the app is quitting)
    cancel_job_requested = Signal(str)  # one of this window's jobs, by its id
    details_requested = Signal(int)  # recording id: edit its incident and officers
    demo_requested = Signal()  # an empty library: load the demo incident
    recording_activated = Signal(int)
    recording_selected = Signal(object)  # int | None
    agreement_requested = Signal(int)  # recording id: compare two TIPs' coding
    audit_requested = Signal()
    clip_library_requested = Signal()  # the trainers' clip library and training packs
    search_library_requested = Signal()  # full-text search of transcripts and notes
    dashboard_requested = Signal()  # the insight dashboard
    people_requested = Signal()  # the admin's people window

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("bwvreview — library")
        self.model = LibraryTableModel()
        self.proxy = LibraryFilterProxy()
        self.proxy.setSourceModel(self.model)
        self._build()
        self._restore_layout()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Filter by incident, officer or file…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any status", None)
        for key, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, key)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData())
        )
        self.date_from = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.date_to = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        for edit, tip in ((self.date_from, "Recorded on or after"),
                          (self.date_to, "Recorded on or before")):  # fmt: skip
            edit.setToolTip(tip)
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setSpecialValueText("any date")  # shown at the minimum date
            edit.setDate(edit.minimumDate())
            edit.dateChanged.connect(self._days_changed)
        import_button = QPushButton("Import footage…")
        import_button.clicked.connect(self._ask_import)
        self.transcribe_button = QPushButton("Transcribe")
        self.transcribe_button.setToolTip(
            "Transcribe the selected recording on this computer (Ctrl+T)"
        )
        self.transcribe_button.setEnabled(False)
        self.transcribe_button.clicked.connect(self._ask_transcribe)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(import_button)
        bar.addWidget(self.transcribe_button)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(QLabel("recorded from"))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.date_to)
        filters.addStretch(1)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # the last column, the content warning, takes the room left (in full in its tooltip)
        self.table.horizontalHeader().setSectionResizeMode(
            len(LibraryTableModel.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.table.activated.connect(self._activated)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(bar)
        left_layout.addLayout(filters)
        left_layout.addWidget(self._empty_state(), 1)
        left_layout.addWidget(self.table, 1)

        self.details = RecordingDetails()
        self.details.edit_button.clicked.connect(self._ask_details)
        self.details.warning_button.clicked.connect(self._ask_content_warning)
        details = QScrollArea()  # the facts scroll on a short screen; the transcript stays
        details.setWidget(self.details)
        details.setWidgetResizable(True)
        details.setFrameShape(QFrame.Shape.NoFrame)
        self.transcript = TranscriptPanel()
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(details)
        self.right.addWidget(self.transcript)
        self.right.setStretchFactor(1, 3)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 1)  # the facts and transcript read as widely
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self.jobs_panel: JobsPanel | None = None  # the one place for work in progress
        self.local_jobs: list[LocalJob] = []

        menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import footage…", self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(self._ask_import)
        menu.addAction(self.import_action)
        self.transcribe_action = QAction("&Transcribe selected recording", self)
        self.transcribe_action.setShortcut(QKeySequence("Ctrl+T"))
        self.transcribe_action.setEnabled(False)
        self.transcribe_action.triggered.connect(self._ask_transcribe)
        menu.addAction(self.transcribe_action)
        self.details_action = QAction("Incident and &officers of selected recording…", self)
        self.details_action.setEnabled(False)
        self.details_action.triggered.connect(self._ask_details)
        menu.addAction(self.details_action)
        self.warning_action = QAction("Content &warning for selected recording…", self)
        self.warning_action.setEnabled(False)
        self.warning_action.triggered.connect(self._ask_content_warning)
        menu.addAction(self.warning_action)
        self.status_menu = self._status_menu()
        menu.addMenu(self.status_menu)
        self.wellbeing_action = QAction("&Wellbeing…", self)
        self.wellbeing_action.triggered.connect(lambda: edit_wellbeing_settings(self))
        menu.addAction(self.wellbeing_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        find = QAction(self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search.setFocus)
        self.addAction(find)
        tools = self.tools_menu = self.menuBar().addMenu("&Tools")
        self.agreement_action = QAction("&Compare two TIPs on the selected recording…", self)
        self.agreement_action.triggered.connect(
            lambda: (r := self.selected_recording()) and self.agreement_requested.emit(r.id)
        )
        self.agreement_action.setEnabled(False)
        tools.addAction(self.agreement_action)
        self.audit_action = QAction("&Audit log…", self)  # shown to admins only (launch)
        self.audit_action.triggered.connect(self.audit_requested)
        tools.addAction(self.audit_action)
        self.clip_library_action = QAction("Clip &library and training packs…", self)
        self.clip_library_action.triggered.connect(self.clip_library_requested)
        tools.addAction(self.clip_library_action)
        self.search_library_action = QAction("&Search transcripts and notes…", self)
        self.search_library_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.search_library_action.triggered.connect(self.search_library_requested)
        tools.addAction(self.search_library_action)
        self.dashboard_action = QAction("&Insight dashboard…", self)
        self.dashboard_action.triggered.connect(self.dashboard_requested)
        tools.addAction(self.dashboard_action)
        self.people_action = QAction("&People…", self)  # shown to admins only (launch)
        self.people_action.triggered.connect(self.people_requested)
        tools.addAction(self.people_action)

    def _empty_state(self) -> QWidget:
        """What a first launch shows: how to add footage, or the demo to practise on."""
        self.empty_state = QWidget()
        self.empty_hint = QLabel(
            "<p><b>No footage yet.</b></p><p>Choose “Import footage…” (Ctrl+O) to add"
            " body-worn video. The original file is never changed; bwvreview keeps its"
            " fingerprint (SHA-256).</p><p>New to bwvreview? Open the demo incident: a short"
            " made-up recording of an officer and a member of the public, with a worked"
            " example review, to practise on.</p>"
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        import_button = QPushButton("Import footage…")
        import_button.clicked.connect(self._ask_import)
        self.demo_button = QPushButton("Open the demo incident")
        self.demo_button.setToolTip(
            "Adds the demo footage, its people (Demo TIP, Demo Trainer, Officer 4471) and an"
            " example review, then transcribes it on this computer"
        )
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self.empty_state)
        box.addStretch(1)
        box.addWidget(self.empty_hint)
        box.addLayout(buttons)
        box.addStretch(2)
        return self.empty_state

    def _status_menu(self) -> QMenu:
        """Review status: one checkable choice per step; also the table's context menu."""
        status_menu = QMenu("Set review &status", self)
        status_menu.setEnabled(False)
        self.status_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for key, label in STATUS_LABELS.items():
            action = QAction(label, self, checkable=True)
            action.triggered.connect(lambda _on=False, k=key: self._ask_status(k))
            group.addAction(action)
            status_menu.addAction(action)
            self.status_actions[key] = action
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self.selected_recording() and status_menu.exec(
                self.table.viewport().mapToGlobal(pos))
        )  # fmt: skip
        return status_menu

    def _ask_status(self, status: str) -> None:
        recording = self.selected_recording()
        if recording is not None and recording.status != status:
            self.status_requested.emit(recording.id, status)

    # --- view methods the controller calls -----------------------------------------------
    def ask_import_paths(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self, "Import body-worn video", "", MEDIA_FILTER)
        return [Path(n) for n in names]

    def show_recordings(self, recordings: list[Recording], select_id: int | None = None) -> None:
        self.model.set_recordings(recordings)
        self.empty_state.setVisible(not recordings)
        self.table.setVisible(bool(recordings))
        if select_id is not None:
            self.select_recording(select_id)

    def select_recording(self, recording_id: int) -> None:
        row = self.model.row_of(recording_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.setCurrentIndex(index)

    def show_jobs(self, listed: list[LocalJob]) -> None:
        """This window's imports and transcriptions, shown in the jobs panel with the
        queue's (brought into view when work starts)."""
        starting = listed and not self.local_jobs
        self.local_jobs = list(listed)
        if self.jobs_panel is not None:
            self.jobs_panel.show_local(listed)
            if starting:
                self.jobs_dock.show()

    def add_jobs_panel(self, panel: JobsPanel) -> None:
        """Dock the jobs panel (``ui/jobs_panel.py``) below the library: this window's work
        and the shared queue, with the one Cancel."""
        from PySide6.QtWidgets import QDockWidget

        self.jobs_panel = panel
        panel.cancel_local_requested.connect(self.cancel_job_requested)
        self.jobs_dock = QDockWidget("Jobs", self)
        self.jobs_dock.setObjectName("jobs")
        self.jobs_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                   | QDockWidget.DockWidgetFeature.DockWidgetFloatable)  # fmt: skip
        self.jobs_dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_dock)
        # the library is what a TIP came for: the queue starts as a strip below it
        self.resizeDocks([self.jobs_dock], [120], Qt.Orientation.Vertical)
        self.view_menu_jobs = self.jobs_dock.toggleViewAction()
        self.view_menu_jobs.setText("&Jobs")
        self.tools_menu.addAction(self.view_menu_jobs)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    # --- internals ------------------------------------------------------------------------
    def _ask_import(self) -> None:
        paths = self.ask_import_paths()
        if paths:
            self.import_requested.emit(paths)

    def _days_changed(self) -> None:
        def day(edit: QDateEdit) -> dt.date | None:
            return None if edit.date() == edit.minimumDate() else edit.date().toPython()

        self.proxy.set_days(day(self.date_from), day(self.date_to))

    def selected_recording(self) -> Recording | None:
        current = self.table.currentIndex()
        if not current.isValid():
            return None
        return self.model.recording_at(self.proxy.mapToSource(current).row())

    def _ask_transcribe(self) -> None:
        recording = self.selected_recording()
        if recording is not None:
            self.transcribe_requested.emit([recording.id])

    def ask_content_warning(self, current: str) -> str | None:
        """The warning text to show before this footage opens ('' clears); None if cancelled."""
        text, ok = QInputDialog.getText(
            self, "Content warning",
            "What should a reviewer know before this footage opens?\n"
            "(for example: child present; restraint; self-harm talk — leave empty to clear)",
            text=current,
        )  # fmt: skip
        return text.strip() if ok else None

    def ask_details(self, recording: Recording, save: Save) -> Recording | None:
        """The incident and officers, saved by ``save`` while the dialog is open (a
        refusal is shown in it); the recording as saved, or None if cancelled."""
        dialog = RecordingDetailsDialog(recording, save, self)
        dialog.exec()
        return dialog.saved

    def _ask_details(self) -> None:
        recording = self.selected_recording()
        if recording is not None:
            self.details_requested.emit(recording.id)

    def _ask_content_warning(self) -> None:
        recording = self.selected_recording()
        if recording is None:
            return
        text = self.ask_content_warning(recording.content_warning or "")
        if text is not None:
            self.content_warning_requested.emit(recording.id, text or None)

    def _selection_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        recording = self.selected_recording()
        self.details.show_recording(recording)
        can_transcribe = recording is not None and recording.has_audio
        self.transcribe_button.setEnabled(can_transcribe)
        self.transcribe_action.setEnabled(can_transcribe)
        self.warning_action.setEnabled(recording is not None)
        self.details_action.setEnabled(recording is not None)
        self.agreement_action.setEnabled(recording is not None)
        self.status_menu.setEnabled(recording is not None)
        if recording is not None and recording.status in self.status_actions:
            self.status_actions[recording.status].setChecked(True)
        self.recording_selected.emit(recording.id if recording else None)

    def _activated(self, index: QModelIndex) -> None:
        row = self.proxy.mapToSource(index).row()
        self.recording_activated.emit(self.model.recording_at(row).id)

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("library/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 1100, 620)
            # the facts (a 64-character fingerprint) and the transcript need room to read
            self.splitter.setSizes([640, 460])
        for key, splitter in (("library/splitter", self.splitter), ("library/right", self.right)):
            state = settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        settings = QSettings()
        settings.setValue("library/geometry", self.saveGeometry())
        settings.setValue("library/splitter", self.splitter.saveState())
        settings.setValue("library/right", self.right.saveState())
        super().closeEvent(event)
