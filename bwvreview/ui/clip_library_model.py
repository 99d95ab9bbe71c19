"""The clip library's table: one row per anonymised, verified clip, as a trainer reads it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from bwvreview.app.polarity import KIND_HEADER, polarity_label
from bwvreview.app.records import LibraryClip
from bwvreview.timecode import clock
from bwvreview.ui.table_model import RecordTableModel

COLUMNS = ("Category", KIND_HEADER, "Principles", "Length", "Verification", "Note")


def verification_text(clip: LibraryClip) -> str:
    """One line on how the clip was checked, as a trainer reads it."""
    summary = clip.report_summary
    if clip.overridden:
        return "Did not pass verification: in the library by a recorded override"
    if not clip.verified:
        return "Not verified"
    hidden = [f"faces {summary.get('faces', 'blur')}red" if summary.get("faces") != "none"
              else "faces kept"]  # fmt: skip
    hidden.append("banner hidden" if summary.get("banner") != "kept" else "banner kept")
    bleeps = int(summary.get("bleeped") or 0)
    hidden.append(f"{bleeps} personal detail{'s' if bleeps != 1 else ''} bleeped")
    return "Verified: " + ", ".join(hidden)


def principles_text(clip: LibraryClip) -> str:
    return ", ".join(p.replace("_", " ").capitalize() for p in clip.principles) or "—"


class ClipTableModel(RecordTableModel):
    """The clips a person may see in the library, one a row."""

    COLUMNS = COLUMNS

    @property
    def clips(self) -> list[LibraryClip]:
        return self.rows

    def set_clips(self, clips: list[LibraryClip]) -> None:
        self.set_rows(clips)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        clip = self.clips[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (clip.category_label, polarity_label(clip.polarity),
                      principles_text(clip), clock(clip.duration_ms, tenths=True),
                      "Override" if clip.overridden else clip.verdict.capitalize(),
                      " ".join(clip.note.split()))  # fmt: skip
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return verification_text(clip) if index.column() == 4 else clip.note or None
        if role == Qt.ItemDataRole.UserRole:
            return clip
        return None
