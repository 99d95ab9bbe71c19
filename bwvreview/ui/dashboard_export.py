"""The insight dashboard's exports: its numbers as a CSV, its chart as a PNG, and the
outcomes report for the dates it shows (TIPs and admins). Hooked into the dashboard's
row of pickers by one call, ``add_export_buttons``; the files are written by ``app``,
which never writes over an existing one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton

from bwvreview.app import dashboard_export, outcomes_report
from bwvreview.app.errors import BAD_INPUT
from bwvreview.app.programme import READ_REPORTS

if TYPE_CHECKING:
    from bwvreview.ui.dashboard import DashboardWidget

TITLE = "Insight dashboard"


def add_export_buttons(dashboard: DashboardWidget, row: QHBoxLayout) -> None:
    """ "Save numbers…", "Save chart…" and (for TIPs and admins) "Outcomes report…"."""
    dashboard.save_csv_button = QPushButton("Save numbers (CSV)…")
    dashboard.save_csv_button.setToolTip(
        "The counts shown, by period, principle and category; counts under 5 are saved as <5"
    )
    dashboard.save_csv_button.clicked.connect(lambda: save_numbers(dashboard))
    dashboard.save_png_button = QPushButton("Save chart (PNG)…")
    dashboard.save_png_button.clicked.connect(lambda: save_chart(dashboard))
    dashboard.report_button = QPushButton("Outcomes report…")
    dashboard.report_button.setToolTip(
        "A de-identified PDF and CSV pack for these dates: activity, practice over time, the "
        "training and what its questionnaires say"
    )
    dashboard.report_button.clicked.connect(lambda: write_report(dashboard))
    dashboard.report_button.setVisible(dashboard.db.principal.can(READ_REPORTS))
    for button in (dashboard.save_csv_button, dashboard.save_png_button, dashboard.report_button):
        row.addWidget(button)


def _suffix(chosen: str, suffix: str) -> Path | None:
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def _ask_save(dashboard: DashboardWidget, caption: str, name: str, kind: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        dashboard, caption, name, kind, options=QFileDialog.Option.DontConfirmOverwrite
    )  # nothing is ever written over: a name that exists is refused with a message
    return _suffix(chosen, Path(name).suffix)


def _period_name(dashboard: DashboardWidget) -> str:
    first = dashboard.date_from.date().toPython()
    last = dashboard.date_to.date().toPython()
    team = (dashboard.team.currentData() or "all teams").replace(" ", "_")
    return f"insights_{team}_{first:%Y-%m-%d}_to_{last:%Y-%m-%d}"


def save_numbers(dashboard: DashboardWidget) -> Path | None:
    if dashboard.result is None:
        QMessageBox.information(dashboard, TITLE, "There are no numbers to save for this choice.")
        return None
    path = _ask_save(
        dashboard,
        "Save the dashboard's numbers",
        f"{_period_name(dashboard)}.csv",
        "CSV files (*.csv)",
    )
    if path is None:
        return None
    try:
        return dashboard_export.write_insights_csv(dashboard.result, dashboard.codebook, path)
    except BAD_INPUT as exc:
        QMessageBox.warning(dashboard, TITLE, str(exc))
        return None


def chart_png(dashboard: DashboardWidget) -> bytes:
    """The chart as it is drawn now, as PNG bytes."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    dashboard.chart_view.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def save_chart(dashboard: DashboardWidget) -> Path | None:
    path = _ask_save(
        dashboard, "Save the chart", f"{_period_name(dashboard)}.png", "PNG images (*.png)"
    )
    if path is None:
        return None
    try:
        return dashboard_export.write_new(path, chart_png(dashboard))
    except BAD_INPUT as exc:
        QMessageBox.warning(dashboard, TITLE, str(exc))
        return None


def write_report(dashboard: DashboardWidget) -> Path | None:
    """The outcomes report for the dashboard's dates, into a folder the user chooses."""
    folder = QFileDialog.getExistingDirectory(dashboard, "Choose a folder for the outcomes report")
    if not folder:
        return None
    first = dashboard.date_from.date().toPython()
    last = dashboard.date_to.date().toPython()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        written = outcomes_report.write_report_for(
            dashboard.db, dashboard.codebook, first, last, Path(folder)
        )
    except BAD_INPUT as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(dashboard, "Outcomes report", str(exc))
        return None
    QGuiApplication.restoreOverrideCursor()
    QMessageBox.information(
        dashboard,
        "Outcomes report",
        f"Wrote {written.pdf.name} and {len(written.csvs)} CSV files in {written.folder}. They "
        "hold no names, collar numbers or incident references; counts under 5 show as <5.",
    )
    return written.pdf
