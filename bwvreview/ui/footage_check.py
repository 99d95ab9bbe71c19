"""Is the footage still the footage? A review opens read-only when its file is missing, has
changed size since it was imported, or (hashed in the background) has a different SHA-256:
nothing can be changed against footage that is not the original. The reviewer can point at
a moved file, which is accepted only if it is the same, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from bwvreview import app
from bwvreview.app import recordings
from bwvreview.app.errors import DomainError
from bwvreview.app.records import Recording
from bwvreview.ui.workers import start_worker

if TYPE_CHECKING:
    from bwvreview.ui.workspace_window import WorkspaceWindow


class FootageCheck(QObject):
    """Checks a review's footage and takes the reviewer's word for where it moved, once hashed."""

    def __init__(
        self,
        lib: app.Library,
        recording: Recording,
        view: WorkspaceWindow,
        relocated: Callable[[Recording], None],
    ) -> None:
        super().__init__(view)
        self.lib, self.recording, self.view = lib, recording, view
        self._relocated = relocated  # told the recording at its new path
        self.read_only = False
        self.closed = False
        self.located: Path | None = None
        self.fingerprint_worker = None
        self.locate_worker = None

    def check(self, recording: Recording) -> bool:
        """Look at ``recording``'s footage; True when there is a file to play."""
        self.recording, self.read_only = recording, False
        path = Path(recording.path)
        if not path.is_file():
            self.problem(
                f"The footage is not at {path} (moved, renamed or on a disconnected drive)."
            )
            return False
        if path.stat().st_size != recording.size_bytes:
            self.problem(f"{path.name} has changed since it was imported.")
        else:
            self._fingerprint(path)
        return True

    def problem(self, what: str) -> None:
        """Open read-only: nothing can be changed against footage that is not the original."""
        self.read_only = True
        self.view.show_banner(
            f"{what} This review is open read-only; its transcript and annotations are shown "
            "and nothing has been deleted.",
            offer_locate=True,
        )

    def _fingerprint(self, path: Path) -> None:
        """Hash the file in the background; a different SHA-256 makes the review read-only."""
        # A method of this QObject, not a lambda holding it: Qt would keep the lambda, and
        # through it this check and its window's data, for as long as the worker lives.
        self.fingerprint_worker = start_worker(
            lambda _cancel: app.iter_fingerprint(path),
            owner=self.view,
            finished=self._fingerprinted,
        )

    def _fingerprinted(self, sha256: str) -> None:
        self.fingerprint_worker = None
        if sha256 != self.recording.sha256 and not self.closed:
            name = Path(self.recording.path).name
            self.problem(f"{name} is not the footage that was imported (its fingerprint differs).")

    def locate(self) -> None:
        """The reviewer points at the moved file; it is accepted only if it is the same."""
        path = self.view.ask_footage_path()
        if path is None:
            return
        self.located = path
        self.locate_worker = start_worker(
            lambda _cancel: app.iter_fingerprint(path),  # methods, as above
            finished=self._relocate,
            failed=self._unreadable,
        )

    def _unreadable(self, exc: BaseException) -> None:
        self.locate_worker = None
        QMessageBox.warning(self.view, "Cannot read the file", str(exc))

    def _relocate(self, sha256: str) -> None:
        self.locate_worker, path = None, self.located
        if self.closed or path is None:
            return
        try:
            recording = recordings.relocate_recording(
                self.lib.db, self.recording.id, str(path.resolve()), sha256, self.lib.actor
            )
        except DomainError as exc:
            QMessageBox.warning(self.view, "Not the same footage", str(exc))
            return
        self._relocated(recording)
