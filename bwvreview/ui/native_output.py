"""Keep Qt's and its libraries' chatter out of the terminal and in the log file.

Qt Multimedia and the libraries under it speak on their own: Qt warnings ("This plugin does
not support propagateSizeHints()"), the sound stack ("PulseAudioService:
pa_context_connect() failed", pipewire), and FFmpeg's dump of every file the player opens.
None of it is for a TIP, and FFmpeg's dump and the audio libraries write straight to the
process's standard error, below Python. So, while the window runs:

* Qt's messages go to the ``bwvreview.qt`` logger (the log file; warnings at INFO level, so
  the terminal, which shows warnings and worse, stays quiet; critical ones still show);
* the process's standard error (file descriptor 2) is pointed at the log file, and Python's
  ``sys.stderr`` keeps the terminal, so bwvreview's own one-line messages still show.

Both are undone when the window closes. Where there is no standard error (``pythonw`` on
Windows) or no log file, nothing is redirected.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

log = logging.getLogger("bwvreview.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.DEBUG,
    QtMsgType.QtWarningMsg: logging.INFO,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _to_log(kind: QtMsgType, context, message: str) -> None:  # noqa: ANN001 - Qt's context
    category = getattr(context, "category", None) or "qt"
    log.log(_LEVELS.get(kind, logging.INFO), "%s: %s", category, message)


def log_file() -> Path | None:
    """The log file the command line set up (``<data>/logs/bwvreview.log``), if any."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


@contextlib.contextmanager
def qt_messages_to_log() -> Iterator[None]:
    """Route Qt's own messages to the ``bwvreview.qt`` logger while the block runs."""
    previous = qInstallMessageHandler(_to_log)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


@contextlib.contextmanager
def native_stderr_to(path: Path | None) -> Iterator[None]:
    """Point file descriptor 2 at ``path`` while keeping Python's ``sys.stderr`` (and the
    console log handler) on the terminal; restore both afterwards."""
    stream = sys.stderr
    try:
        fd = stream.fileno() if stream is not None else -1
    except (OSError, ValueError, AttributeError):
        fd = -1
    if path is None or fd != 2:
        yield
        return
    stream.flush()
    terminal = os.dup(2)
    target = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(target, 2)
    os.close(target)
    python_side = open(  # noqa: SIM115 - closed in the finally below
        terminal, "w", buffering=1, encoding=stream.encoding or "utf-8",
        errors="backslashreplace", closefd=False,
    )  # fmt: skip
    moved = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler) and handler.stream is stream
    ]
    for handler in moved:
        handler.setStream(python_side)
    sys.stderr = python_side
    try:
        yield
    finally:
        python_side.flush()
        sys.stderr = stream
        for handler in moved:
            handler.setStream(stream)
        os.dup2(terminal, 2)
        os.close(terminal)
        python_side.close()


@contextlib.contextmanager
def quiet_terminal() -> Iterator[None]:
    """Both of the above, for the life of the window."""
    with qt_messages_to_log(), native_stderr_to(log_file()):
        yield
