"""Release needs a second person, in the clip library window: the list of clips awaiting
approval, the "watched" signal, and the not-approved dialog.

No rules here: who may approve, and whether the file is unchanged, are decided by
``annotations.clips`` through ``app.clip_release``. The window only insists that the clip
was watched here first: Approve enables once the player has played most of it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import learning
from bwvreview.app.records import LibraryClip
from bwvreview.timecode import clock
from bwvreview.ui.clip_library_model import ClipTableModel

WATCHED_FRACTION = 0.9  # of the clip played through in this window (seeking ahead not counted)
MAX_STEP_MS = 1000  # a larger jump between two position reports is a seek, not playing
RELEASE_COLUMNS = ("Status", "Category", "Length", "Exported by", "Why it needs a look")

_ICONS = {
    learning.AWAITING: QStyle.StandardPixmap.SP_MessageBoxQuestion,
    learning.APPROVED: QStyle.StandardPixmap.SP_DialogApplyButton,
    learning.NOT_APPROVED: QStyle.StandardPixmap.SP_DialogCancelButton,
    learning.HELD: QStyle.StandardPixmap.SP_MessageBoxWarning,
}


def state_icon(state: str) -> QIcon:
    """An icon beside the state's words (never colour alone)."""
    return QApplication.style().standardIcon(_ICONS.get(state, QStyle.StandardPixmap.SP_FileIcon))


def release_note(clip: LibraryClip) -> str:
    """What the second person should know at a glance."""
    if clip.release_state == learning.NOT_APPROVED:
        return f"Not approved by {clip.decided_by}: {clip.decision_reason}"
    if clip.overridden:
        return f"Verification did not pass; put forward because: {clip.override_reason}"
    if clip.release_state == learning.HELD:
        return "Did not pass verification; not put forward"
    return "Passed verification"


class ReleaseTableModel(ClipTableModel):
    """Clips not yet released (or not approved), with their state in words and an icon."""

    COLUMNS = RELEASE_COLUMNS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        clip = self.clips[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (clip.state_words, clip.category_label, clock(clip.duration_ms, tenths=True),
                      clip.exported_by or "—", release_note(clip))  # fmt: skip
            return values[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return state_icon(clip.release_state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return release_note(clip)
        return None


class WatchTracker:
    """How much of one clip the player has played through, counting only steady playback.

    The player reports its position about every 40-100 ms while playing; each small forward
    step adds to the time watched, a seek (a jump) or a step back adds nothing.
    """

    def __init__(self) -> None:
        self.clip_id: int | None = None
        self.duration_ms = 0
        self.watched_ms = 0
        self._last_ms: int | None = None

    def start(self, clip_id: int, duration_ms: int) -> None:
        if clip_id != self.clip_id:
            self.clip_id, self.watched_ms = clip_id, 0
        self.duration_ms = max(1, duration_ms)
        self._last_ms = None

    def moved(self, position_ms: int, playing: bool) -> None:
        if playing and self._last_ms is not None and 0 < position_ms - self._last_ms <= MAX_STEP_MS:
            self.watched_ms += position_ms - self._last_ms
        self._last_ms = position_ms

    def watched(self, clip_id: int) -> bool:
        return clip_id == self.clip_id and self.watched_ms >= WATCHED_FRACTION * self.duration_ms


class NotApprovedDialog(QDialog):
    """Asks why a clip is not approved; OK enables once something is written."""

    def __init__(self, clip: LibraryClip, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Not approved for trainers")
        intro = QLabel(
            f"<p>“{html.escape(clip.category_label)}” will stay out of the trainers' library."
            "</p><p>Say what needs to change, in plain words, so whoever exported it can put "
            "it right: for example <i>a face is visible at 0:04</i> or <i>a street name is "
            "heard at the start</i>. The reason is kept with the clip and in the audit log."
            "</p>",
            wordWrap=True,
        )
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("What needs to change before it can be released…")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Not approved")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.buttons)
        self.resize(480, 300)
        self._changed()

    def _changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def text(self) -> str:
        return self.reason.toPlainText().strip()
