"""The composition root of the window: QApplication, the library, services into windows."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox

from bwvreview import __version__, app
from bwvreview.annotations import transcripts
from bwvreview.annotations.errors import DomainError
from bwvreview.ui.library_controller import LibraryController
from bwvreview.ui.library_window import LibraryWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName("bwvreview")
    QCoreApplication.setApplicationName("bwvreview")
    QCoreApplication.setApplicationVersion(__version__)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return QApplication(argv if argv is not None else sys.argv[:1])


def build_library_window(lib: app.Library) -> tuple[LibraryWindow, LibraryController]:
    window = LibraryWindow()
    controller = LibraryController(lib, window, QThreadPool.globalInstance())
    controller.refresh()
    return window, controller


def launch(
    db_url: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    open_recording: int | None = None,
) -> int:
    """Open the app window and run the event loop; returns the exit code."""
    qt_app = make_application()
    try:
        lib = app.open_library(db_url=db_url, data_dir=data_dir)
    except DomainError as exc:
        QMessageBox.critical(None, "bwvreview cannot start", str(exc))
        return 3
    window, controller = build_library_window(lib)
    qt_app.aboutToQuit.connect(controller.cancel)
    if open_recording is not None:
        controller.refresh(select_id=open_recording)
        if transcripts.current_transcript(lib.db, open_recording) is None:
            controller.transcribe([open_recording])
    window.show()
    code = qt_app.exec()
    QThreadPool.globalInstance().waitForDone()
    lib.close()
    return code
