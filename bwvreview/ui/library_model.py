"""The library table: a QAbstractTableModel over a list of ``Recording`` records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from bwvreview.app.records import STATUS_LABELS, Recording
from bwvreview.timecode import clock
from bwvreview.ui.table_model import Index, RecordTableModel


class LibraryTableModel(RecordTableModel):
    COLUMNS = ("Incident", "Officer", "Recorded", "Length", "Status", "File", "Content warning")

    def set_recordings(self, recordings: list[Recording]) -> None:
        self.set_rows(recordings)

    def recording_at(self, row: int) -> Recording:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        recording = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(recording, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.COLUMNS[index.column()] == "Content warning" and recording.content_warning:
                return f"Content warning: {recording.content_warning}"
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
            clock(recording.duration_ms, tenths=True),
            STATUS_LABELS.get(recording.status, recording.status),
            Path(recording.path).name,
            f"⚠ {recording.content_warning}" if recording.content_warning else "",
        )
        return values[column]
