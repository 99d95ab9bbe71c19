"""Incidents as the unit of a TIP's work: each with its kind (chosen from the codebook's
list, saved when chosen) and how many recordings, observations, PPN1 reviews and sessions
it has."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from bwvreview.app import Library, practice
from bwvreview.ui.practice_widgets import attempt, column, heading, incident_type_combo, small
from bwvreview.ui.window_size import resize_within_screen

COLUMNS = (
    "Incident",
    "Date",
    "Kind of incident",
    "Officers",
    "Recordings",
    "Observations",
    "PPN1 reviews",
    "Sessions",
)
NOT_SAID = "(not said yet)"


class IncidentsWindow(QMainWindow):
    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("bwvreview — incidents and their kinds")
        self.lib = lib
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.message = small(
            "Choose each incident's kind: observations start from its "
            "template, and the dashboard counts by it."
        )
        self.setCentralWidget(column(heading("Incidents"), self.message, (self.table, 1)))
        self.refresh()
        resize_within_screen(self, 1100, 560)

    def refresh(self) -> None:
        found = attempt(self.message.setText, lambda: practice.list_incidents(self.lib)) or []
        types = practice.incident_types(self.lib)
        self.table.setRowCount(len(found))
        for row, incident in enumerate(found):
            when = incident.occurred_on.strftime("%d %b %Y") if incident.occurred_on else ""
            cells = (
                incident.reference,
                when,
                "",
                ", ".join(incident.officers),
                incident.recordings,
                incident.observations,
                incident.ppn1_reviews,
                incident.sessions,
            )
            for col, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
            combo = incident_type_combo(types)
            combo.insertItem(0, NOT_SAID, None)
            combo.setCurrentIndex(max(0, combo.findData(incident.incident_type)))
            combo.activated.connect(
                lambda _i, ref=incident.reference, c=combo: self.set_type(ref, c.currentData())
            )
            self.table.setCellWidget(row, 2, combo)

    def set_type(self, reference: str, incident_type: str | None) -> None:
        changed = attempt(
            self.message.setText,
            lambda: practice.set_incident_type(self.lib, reference, incident_type),
        )
        if changed is not None:
            label = practice.type_label(self.lib, changed.incident_type)
            self.message.setText(f"{reference} is now: {label}.")


def open_incidents(lib: Library, parent: QWidget | None = None) -> IncidentsWindow:
    window = IncidentsWindow(lib, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
