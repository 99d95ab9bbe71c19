"""Help ▸ About bwvreview: the `bwvreview doctor` report in a window, with a Copy button.

``about_qt`` is the report's Qt part (playback backend, sound devices); the command line
imports it lazily. Qt Multimedia talks while it starts (no PipeWire, no PulseAudio server,
its FFmpeg version): that goes to the log, never to the terminal or the window.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import PySide6
from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwvreview import __version__
from bwvreview.app import doctor
from bwvreview.app.doctor import OK, PROBLEM, WARNING, Item, Section
from bwvreview.ui.window_size import resize_within_screen
from bwvreview.ui.workers import start_worker

log = logging.getLogger(__name__)
_seen_backend: list[str] = []  # "FFmpeg 7.1.5": Qt says so once, when the backend loads
_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.DEBUG,
           QtMsgType.QtWarningMsg: logging.INFO}  # fmt: skip


def _to_log(mode: QtMsgType, context: object, message: str) -> None:
    if "Using Qt multimedia with FFmpeg version" in message:
        _seen_backend[:] = ["FFmpeg " + message.split("FFmpeg version", 1)[1].split()[0]]
    log.log(_LEVELS.get(mode, logging.WARNING), "Qt: %s", message)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Qt's messages to the log, and native libraries' own stderr lines (ALSA, PipeWire)
    caught and logged, while Qt Multimedia is asked about devices."""
    previous = qInstallMessageHandler(_to_log)
    with tempfile.TemporaryFile() as caught:
        saved = os.dup(2)
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            qInstallMessageHandler(previous)
            caught.seek(0)
            for line in caught.read().decode("utf-8", "replace").splitlines():
                log.debug("native: %s", line)


def _backend() -> str:
    chosen = os.environ.get("QT_MEDIA_BACKEND")
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "multimedia"
    plugins = sorted(p.name for p in folder.glob("*mediaplugin*")) if folder.is_dir() else []
    # Qt 6.5+ picks ffmpeg when its plugin is installed, unless QT_MEDIA_BACKEND says otherwise.
    if not chosen and any("ffmpeg" in p for p in plugins):
        chosen = "ffmpeg"
    seen = f" ({_seen_backend[0]})" if _seen_backend and chosen == "ffmpeg" else ""
    return f"{chosen}{seen}" if chosen else f"none found in {folder}"


def about_qt() -> Section:
    """Qt's part of the report; makes a QCoreApplication if there is none (command line)."""
    if QCoreApplication.instance() is None:
        QCoreApplication([])
    with _quiet():
        from PySide6.QtMultimedia import QMediaDevices

        outputs = [d.description() for d in QMediaDevices.audioOutputs()]
        default = QMediaDevices.defaultAudioOutput()
    gui = QGuiApplication.instance()
    items = [Item("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})")]
    if isinstance(gui, QGuiApplication):
        items.append(Item("window platform", gui.platformName()))
    items.append(Item("Qt Multimedia backend", _backend()))
    if outputs:
        items.append(Item("audio outputs", ", ".join(outputs)))
        items.append(Item("default audio output", default.description() or "none",
                          OK if not default.isNull() else WARNING))  # fmt: skip
    else:
        items.append(Item("audio outputs", "none: footage will play without sound", WARNING))
    return Section("Qt", items)


class AboutDialog(QDialog):
    """The report as read-only text; the Qt-free part is gathered off the GUI thread."""

    def __init__(self, gather: Callable[[], list[Section]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About bwvreview")
        self.qt_section = about_qt()
        self.sections: list[Section] = []
        heading = QLabel(f"<b>bwvreview {__version__}</b><br>Trauma-informed review of "
                         "body-worn video, entirely on this machine.")  # fmt: skip
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlainText("Gathering the report…")
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.text, self.status, buttons):
            layout.addWidget(widget)
        resize_within_screen(self, 860, 600)  # within the screen, also at 125 %
        self.worker = start_worker(lambda cancel: _steps(gather, cancel), owner=self,
                                   finished=self._show, failed=self._failed_to_gather)

    def _failed_to_gather(self, exc: BaseException) -> None:
        self._show([_failed(exc)])

    def report_text(self) -> str:
        return self.text.toPlainText()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.status.setText("Copied: paste it into a message to whoever supports you.")

    def _show(self, sections: list[Section]) -> None:
        self.sections = [*sections, self.qt_section]
        self.text.setPlainText(doctor.to_text(self.sections))
        self.copy_button.setEnabled(True)
        counts = [i.status for s in self.sections for i in s.items]
        if counts.count(PROBLEM):
            self.status.setText("Lines beginning PROBLEM: need fixing before bwvreview can work.")

    def done(self, result: int) -> None:
        self.worker.cancel()
        super().done(result)


def _steps(gather: Callable[[], list[Section]], cancel: threading.Event) -> Generator:
    yield 0.0
    return gather()


def _failed(exc: BaseException) -> Section:
    return Section("report", [Item("report", f"could not be gathered: {exc}", PROBLEM)])


def add_help_menu(window: QMainWindow, data_dir: Path | str | None, db_url: str | None) -> None:
    """Help ▸ About bwvreview… on a window's menu bar (after its other menus)."""
    menu = window.menuBar().addMenu("&Help")
    action = menu.addAction("&About bwvreview…")
    action.setObjectName("about_action")

    def show() -> None:  # one box per window: opened again, it shows what it gathered
        dialog = window.findChild(AboutDialog) or AboutDialog(
            lambda: doctor.gather(data_dir, db_url), window
        )
        dialog.open()

    action.triggered.connect(show)
