"""The library table: a QAbstractTableModel over a list of ``Recording`` records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bwvreview.annotations.records import Recording

STATUS_LABELS = {
    "new": "New",
    "transcribed": "Transcribed",
    "in_review": "In review",
    "reviewed": "Reviewed",
    "shared": "Shared with officer",
    "archived": "Archived",
}

Index = QModelIndex | QPersistentModelIndex


def format_duration(ms: int) -> str:
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class LibraryTableModel(QAbstractTableModel):
    COLUMNS = ("Incident", "Officer", "Recorded", "Length", "Status", "File")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Recording] = []

    def set_recordings(self, recordings: list[Recording]) -> None:
        self.beginResetModel()
        self._rows = list(recordings)
        self.endResetModel()

    def recording_at(self, row: int) -> Recording:
        return self._rows[row]

    def row_of(self, recording_id: int) -> int | None:
        for row, recording in enumerate(self._rows):
            if recording.id == recording_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        recording = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(recording, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return recording.path
        if role == Qt.ItemDataRole.UserRole:
            return recording.id
        return None

    @staticmethod
    def _display(recording: Recording, column: int) -> str:
        if recording.recorded_at:
            recorded = recording.recorded_at.strftime("%d %b %Y %H:%M")
        else:
            recorded = recording.imported_at.strftime("%d %b %Y (imported)")
        values = (
            recording.incident_reference or "—",
            ", ".join(recording.officers) or "—",
            recorded,
            format_duration(recording.duration_ms),
            STATUS_LABELS.get(recording.status, recording.status),
            Path(recording.path).name,
        )
        return values[column]
