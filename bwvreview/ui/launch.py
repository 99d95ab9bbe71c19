"""The composition root of the window: QApplication, the library, services into windows."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox

from bwvreview import __version__, app
from bwvreview.app import demo, feedback, recordings, review, signin
from bwvreview.app.admin import DASHBOARD, MANAGE_USERS, READ_AUDIT, READ_FOOTAGE
from bwvreview.app.clip_outputs import clean_up_interrupted
from bwvreview.app.errors import DomainError
from bwvreview.ui.about import add_help_menu
from bwvreview.ui.agreement_view import open_agreement
from bwvreview.ui.audit_viewer import open_audit_viewer
from bwvreview.ui.clip_library_window import open_clip_library
from bwvreview.ui.dashboard import open_dashboard
from bwvreview.ui.debrief import open_debrief
from bwvreview.ui.feedback_controller import FeedbackController, build_feedback_window
from bwvreview.ui.feedback_window import FeedbackWindow
from bwvreview.ui.jobs_panel import JobsPanel
from bwvreview.ui.library_controller import LibraryController
from bwvreview.ui.library_window import LibraryWindow
from bwvreview.ui.my_training import add_my_training_menu
from bwvreview.ui.native_output import quiet_terminal
from bwvreview.ui.practice_menu import add_practice_menu, open_practice_record
from bwvreview.ui.programme_view import add_programme_menu
from bwvreview.ui.search_panel import open_search_window
from bwvreview.ui.sign_in import sign_in_library
from bwvreview.ui.users_dialog import open_users_dialog
from bwvreview.ui.wellbeing import OpenChoice, ask_before_opening
from bwvreview.ui.workspace_controller import WorkspaceController
from bwvreview.ui.workspace_window import WorkspaceWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName("bwvreview")
    QCoreApplication.setApplicationName("bwvreview")
    QCoreApplication.setApplicationVersion(__version__)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qt_app = QApplication(argv if argv is not None else sys.argv[:1])
    _calm_garbage_collection()
    return qt_app


def _calm_garbage_collection() -> None:
    """Python's full garbage collection holds the interpreter lock: even one started by a
    worker thread stalls the window for as long as it runs (100-190 ms with an hour's review
    open, benchmarks/ui_open.py). What exists by now (modules, classes, Qt's wrappers: some
    120,000 objects) lives as long as the process, so it is taken out of the collector's
    sight; and full collections come ten times less often, so reading a review does not
    set one off. Cycles among the young are still collected as usual."""
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, 100)
    # A worker reading a review holds the interpreter lock for up to the switch interval
    # at a time (5 ms by default) each time the window wants it back; 1 ms keeps the
    # window's turns short while the reader runs.
    sys.setswitchinterval(0.001)


def build_library_window(lib: app.Library) -> tuple[LibraryWindow, LibraryController]:
    window = LibraryWindow()
    window.add_jobs_panel(JobsPanel.for_library(lib, QThreadPool.globalInstance()))
    controller = LibraryController(lib, window, QThreadPool.globalInstance())
    controller.refresh()
    window.recording_activated.connect(lambda rid: open_workspace(lib, rid, controller))
    controller.demo_loaded.connect(lambda rid: open_workspace(lib, rid, controller))
    window.agreement_requested.connect(lambda rid: compare_tips(lib, rid, controller))
    window.audit_requested.connect(lambda: open_audit_viewer(lib.db, window))
    window.audit_action.setVisible(lib.db.principal.can(READ_AUDIT))
    window.status_requested.connect(lambda rid, status: set_status(lib, controller, rid, status))
    window.search_library_requested.connect(lambda: open_search(lib, controller))
    window.dashboard_requested.connect(lambda: open_dashboard(lib.db, lib.codebook, window))
    window.dashboard_action.setVisible(lib.db.principal.can(DASHBOARD))
    window.clip_library_requested.connect(lambda: open_clip_library(lib, window))
    window.people_requested.connect(lambda: open_users_dialog(lib.db, window))
    window.people_action.setVisible(lib.db.principal.can(MANAGE_USERS))
    add_practice_menu(window, lib)  # observations, PPN1 reviews, sessions
    add_help_menu(window, lib.data_dir, lib.db.url)
    add_programme_menu(window, lib)
    return window, controller


def build_officer_window(
    lib: app.Library, select_id: int | None = None
) -> tuple[FeedbackWindow, FeedbackController]:
    """The officer's own window: their feedback, and Training ▸ My training…"""
    window, controller = build_feedback_window(lib, select_id)
    add_my_training_menu(window, lib)
    return window, controller


def open_search(lib: app.Library, controller: LibraryController) -> None:
    """The library's search window; a result opens the review at its moment."""
    panel, made = open_search_window(lib.db, lib.codebook, controller.view)
    if made:
        panel.moment_requested.connect(lambda r, ms: open_found_moment(lib, controller, r, ms))
        panel.record_requested.connect(lambda kind, rid: open_practice_record(
            lib, controller.view, kind, rid))  # fmt: skip


def open_found_moment(lib: app.Library, controller: LibraryController, rid: int, ms: int) -> None:
    try:
        play_moment(lib, controller, rid, ms)
    except DomainError as exc:  # a trainer finds a clip's annotation but may not open footage
        controller.view.show_error("This moment cannot be opened here", str(exc))


def set_status(lib: app.Library, controller: LibraryController, rid: int, status: str) -> None:
    """Change a recording's review status (audited by the service), then show it."""
    try:
        recordings.set_status(lib.db, rid, status, lib.actor)
    except DomainError as exc:
        controller.view.show_error("The status was not changed", str(exc))
        return
    controller.refresh(select_id=rid)


def compare_tips(lib: app.Library, rid: int, controller: LibraryController) -> None:
    """Agreement between two TIPs on a recording; a row opens the review at that moment."""
    view = open_agreement(lib.db, rid, lib.codebook_id, parent=controller.view)
    if view is not None:
        view.moment_requested.connect(lambda r, ms: play_moment(lib, controller, r, ms))


def play_moment(lib: app.Library, controller: LibraryController, rid: int, ms: int) -> None:
    workspace = open_workspace(lib, rid, controller)
    if workspace is not None:
        workspace.player.seek(ms)


def build_workspace(
    lib: app.Library, recording_id: int
) -> tuple[WorkspaceWindow, WorkspaceController]:
    recording = recordings.get_recording(lib.db, recording_id)
    title = recording.incident_reference or Path(recording.path).name
    window = WorkspaceWindow(lib.codebook, title)
    controller = WorkspaceController(lib, recording, window)
    controller.load()
    wire_reflections(lib, window, controller)
    window.debrief_requested.connect(lambda: start_debrief(lib, controller))
    window.preview_requested.connect(lambda: preview_feedback(lib, controller))
    window.agreement_action.triggered.connect(lambda: compare_here(lib, controller))
    add_help_menu(window, lib.data_dir, lib.db.url)
    add_programme_menu(window, lib)
    return window, controller


def compare_here(lib: app.Library, controller: WorkspaceController) -> None:
    """Agreement between two TIPs on the open recording; a row plays that moment here."""
    view = open_agreement(lib.db, controller.recording.id, lib.codebook_id,
                          parent=controller.view)  # fmt: skip
    if view is not None:
        view.moment_requested.connect(lambda _rid, ms: controller.view.player.seek(ms))


def wire_reflections(
    lib: app.Library, window: WorkspaceWindow, controller: WorkspaceController
) -> None:
    """The Reflections tab: "(2 new)" in its title until opened; a reflection on a moment
    takes the review to that moment."""
    panel, rid = window.reflections, controller.recording.id

    def retitle(unread: int) -> None:
        title = f"Reflections ({unread} new)" if unread else "Reflections"
        window.tabs.setTabText(window.tabs.indexOf(panel), title)

    def show_moment(annotation_id: int) -> None:
        moment = next((a for a in controller.items if a.id == annotation_id), None)
        if moment is not None:
            controller.select(annotation_id)
            window.player.seek(moment.start_ms)

    panel.unread_changed.connect(retitle)
    panel.moment_requested.connect(show_moment)
    panel.set_loader(lambda: feedback.list_reflections(lib.db, recording_id=rid),
                     lambda: feedback.unread_reflections(lib.db, recording_id=rid))  # fmt: skip


def preview_feedback(lib: app.Library, controller: WorkspaceController) -> None:
    """The officer's feedback view of this recording, read-only, for the reviewer to check."""
    view, _ = build_feedback_window(lib, controller.recording.id, preview=True,
                                    parent=controller.view)  # fmt: skip
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()


def start_debrief(lib: app.Library, controller: WorkspaceController) -> None:
    """Debrief mode (F5) on the workspace's recording, in its own window over it."""
    controller.view.player.pause()
    open_debrief(lib, controller.recording, parent=controller.view)


def open_workspace(
    lib: app.Library, recording_id: int, library_controller: LibraryController
) -> WorkspaceWindow | None:
    """Open (or bring forward) the review workspace for a recording; ``None`` when the
    reviewer, shown the recording's content warning, chose "Not now"."""
    existing = _open_workspaces.get(recording_id)
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    choice = ask_before_opening(
        recordings.get_recording(lib.db, recording_id), library_controller.view
    )
    if choice is OpenChoice.NOT_NOW:
        return None
    window, controller = build_workspace(lib, recording_id)
    controller.wellbeing.apply(choice)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_workspaces[recording_id] = window
    window.destroyed.connect(lambda: _open_workspaces.pop(recording_id, None))

    def reload(rid: int) -> None:
        if rid == recording_id:
            controller.load()

    # Let go when the window goes: the library outlives it, and this holds the whole review.
    library_controller.transcript_stored.connect(reload)
    window.destroyed.connect(lambda: library_controller.transcript_stored.disconnect(reload))
    window.show()
    return window


_open_workspaces: dict[int, WorkspaceWindow] = {}


def launch(
    db_url: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    open_recording: int | None = None,
    as_demo_tip: bool = False,
) -> int:
    """Open the app window and run the event loop; returns the exit code.

    ``as_demo_tip`` (``bwvreview demo``) opens as the demo's TIP without asking who is there.
    Qt's and its libraries' messages go to the log file meanwhile (``native_output``).
    """
    with quiet_terminal():
        return _run_app(db_url, data_dir, open_recording, as_demo_tip)


def _run_app(
    db_url: str | None,
    data_dir: str | os.PathLike[str] | None,
    open_recording: int | None,
    as_demo_tip: bool,
) -> int:
    qt_app = make_application()
    try:
        lib = app.open_library(db_url=db_url, data_dir=data_dir)
    except DomainError as exc:
        QMessageBox.critical(None, "bwvreview cannot start", str(exc))
        return 3
    # straight through when the library has no users (or for the demo, as its TIP)
    signed_in = signin.signed_in(lib, demo.demo_tip(lib)) if as_demo_tip else sign_in_library(lib)
    if signed_in is None:
        lib.close()
        return 0
    lib = signed_in
    if lib.db.principal.is_officer:  # an officer sees their own feedback, not the library
        feedback_window, _feedback = build_officer_window(lib, open_recording)
        feedback_window.show()
        code = qt_app.exec()
        QThreadPool.globalInstance().waitForDone()
        lib.close()
        return code
    if not lib.db.principal.can(READ_FOOTAGE):  # a trainer works from clips, never footage
        clip_window = open_clip_library(lib)
        clip_window.setWindowTitle("bwvreview — clip library and training packs")
        add_programme_menu(clip_window, lib)
        code = qt_app.exec()
        QThreadPool.globalInstance().waitForDone()
        lib.close()
        return code
    window, controller = build_library_window(lib)
    leftovers = clean_up_interrupted(lib.data_dir)  # an export killed last time (logged too)
    if leftovers:
        window.statusBar().showMessage(
            f"Removed {len(leftovers)} unfinished file(s) left by an export that was"
            " interrupted last time; no clip was affected.", 30_000
        )  # fmt: skip
    qt_app.aboutToQuit.connect(controller.cancel)
    qt_app.aboutToQuit.connect(window.jobs_panel.stop)  # a queued job run here goes back
    if open_recording is not None:
        controller.refresh(select_id=open_recording)
        if review.current_transcript(lib.db, open_recording) is None:
            controller.transcribe([open_recording])
    window.show()
    if open_recording is not None:
        workspace = open_workspace(lib, open_recording, controller)
        if workspace is not None:
            workspace.player.play()
    code = qt_app.exec()
    QThreadPool.globalInstance().waitForDone()
    lib.close()
    return code
