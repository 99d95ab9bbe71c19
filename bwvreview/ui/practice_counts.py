"""The insight dashboard's table by kind of incident: incidents, observations, PPN1 reviews
and sessions, moments of good practice and to learn from (recordings and observation
notes), and points met, partly met and not met (template points and PPN1 quality points).
For the same team and dates as the rest of the dashboard; never by officer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from bwvreview.app import practice
from bwvreview.app.errors import DomainError
from bwvreview.ui.practice_widgets import heading, small

COLUMNS = (
    ("Kind of incident", None),
    ("Incidents", "incidents"),
    ("Observations", "observations"),
    ("PPN1 reviews", "ppn1_reviews"),
    ("Sessions", "sessions"),
    ("Good practice", "good_practice"),
    ("To learn from", "concerns"),
    ("✓ Met", "points_met"),
    ("◐ Partly", "points_partly"),
    ("✗ Not met", "points_not"),
)


class PracticeCountsWidget(QWidget):
    def __init__(self, dashboard: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dashboard = dashboard
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([c[0] for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(190)
        self.note = small()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("By kind of incident", 1.0))
        layout.addWidget(self.note)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        d = self.dashboard
        try:
            rows = practice.counts_by_type(
                d.db,
                team=d.team.currentData(),
                date_from=d.date_from.date().toPython(),
                date_to=d.date_to.date().toPython(),
            )
        except DomainError as exc:
            self.note.setText(str(exc))
            self.table.setRowCount(0)
            return
        labels = practice.type_labels(d.codebook)
        self.note.setText(
            "Observations, PPN1 reviews and sessions as well as footage, for the "
            "same team and dates. Points are what a template or PPN1 review "
            "rated. Individual officers are never shown."
        )
        self.table.setRowCount(len(rows))
        for r, counts in enumerate(rows):
            for c, (_title, field) in enumerate(COLUMNS):
                value = (
                    labels.get(counts.incident_type, counts.incident_type)
                    if field is None
                    else str(getattr(counts, field))
                )
                item = QTableWidgetItem(value)
                if field is not None:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)


def attach_practice_counts(dashboard: Any) -> PracticeCountsWidget:
    """Put the table under the dashboard's chart, following its team and date pickers."""
    widget = PracticeCountsWidget(dashboard)
    dashboard.layout().addWidget(widget)
    for picker in (dashboard.team, dashboard.period):
        picker.currentIndexChanged.connect(widget.refresh)
    for edit in (dashboard.date_from, dashboard.date_to):
        edit.dateChanged.connect(widget.refresh)
    dashboard.practice_counts = widget
    widget.refresh()
    return widget
