"""The insight dashboard: concerns and good practice per principle over time, for a team or
a period — a picture of a unit's learning, never of one officer.

Each period is one bar: good practice stacked above the line, concerns below it, each
principle in its own colour (concerns hatched). Beside it, the categories counted over the
whole range. The numbers come from ``annotations.insights``, which carries no officer
identity; this widget shows team names and codebook words only.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwvreview import app
from bwvreview.app import learning
from bwvreview.app.errors import DomainError
from bwvreview.app.polarity import POLARITY_LABELS
from bwvreview.app.records import Codebook
from bwvreview.ui.dashboard_export import add_export_buttons
from bwvreview.ui.open_once import open_once
from bwvreview.ui.practice_counts import attach_practice_counts

# one colour per principle, in the codebook's order (colour-blind safe: Okabe-Ito)
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")


def period_label(start: dt.date, period: str) -> str:
    return start.strftime("%b %Y") if period == "month" else f"w/c {start:%d %b %y}"


class DashboardWidget(QWidget):
    def __init__(self, db: app.Database, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("bwvreview — insight dashboard")
        self.db = db
        self.codebook = codebook
        self.result: learning.Insights | None = None
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.team = QComboBox()
        self.team.addItem("All teams", None)
        for team in learning.list_teams(self.db):
            self.team.addItem(team, team)
        self.period = QComboBox()
        self.period.addItem("By month", "month")
        self.period.addItem("By week", "week")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-11).addDays(1 - today.day()),
                                   calendarPopup=True, displayFormat="d MMM yyyy")  # fmt: skip
        self.date_to = QDateEdit(today, calendarPopup=True, displayFormat="d MMM yyyy")
        for widget in (self.team, self.period):
            widget.currentIndexChanged.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.refresh)
        pickers = QHBoxLayout()
        pickers.addWidget(QLabel("Team"))
        pickers.addWidget(self.team)
        pickers.addWidget(self.period)
        pickers.addWidget(QLabel("from"))
        pickers.addWidget(self.date_from)
        pickers.addWidget(QLabel("to"))
        pickers.addWidget(self.date_to)
        pickers.addStretch(1)
        add_export_buttons(self, pickers)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(320)
        self.categories = QTableWidget(0, 3)
        counted = [POLARITY_LABELS["good_practice"], POLARITY_LABELS["concern"]]
        self.categories.setHorizontalHeaderLabels(["Category", *counted])
        self.categories.verticalHeader().hide()
        self.categories.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.categories.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.chart_view.setMinimumWidth(640)
        self.categories.setMinimumWidth(340)
        split = QSplitter()
        split.addWidget(self.chart_view)
        split.addWidget(self.categories)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([860, 380])

        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    # --- reading and drawing ----------------------------------------------------------------
    def refresh(self) -> None:
        first = self.date_from.date().toPython()
        last = self.date_to.date().toPython()
        try:
            self.result = learning.insights(self.db, team=self.team.currentData(),
                                            date_from=first, date_to=last,
                                            period=self.period.currentData())  # fmt: skip
        except DomainError as exc:
            self.result = None
            self.summary.setText(str(exc))
            self._draw(None)
            return
        good, concerns = self.result.total("good_practice"), self.result.total("concern")
        where = self.team.currentText() if self.team.currentData() else "All teams"
        self.summary.setText(
            f"{where}, {first:%d %b %Y} to {last:%d %b %Y}: {good} moments of good practice "
            f"and {concerns} to learn from, in final and shared annotations. Each moment counts "
            "under every principle its category serves. Individual officers are never shown."
        )
        self._draw(self.result)

    def _draw(self, result: learning.Insights | None) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.categories.setRowCount(0)
        if result is None:
            self.chart.setTitle("Nothing to show for this choice")
            return
        if not result.by_category:
            self.chart.setTitle("No final or shared annotations in this range")
            return
        self.chart.setTitle("Good practice above the line, moments to learn from below")
        series = QStackedBarSeries()
        below = [0] * len(result.periods)
        above = [0] * len(result.periods)
        for index, principle in enumerate(self.codebook.principles):
            colour = QColor(COLOURS[index % len(COLOURS)])
            good = result.series(principle.key, "good_practice")
            concern = result.series(principle.key, "concern")
            above = [a + g for a, g in zip(above, good, strict=True)]
            below = [b + c for b, c in zip(below, concern, strict=True)]
            good_set = QBarSet(principle.label)
            good_set.append([float(v) for v in good])
            good_set.setColor(colour)
            concern_set = QBarSet(f"{principle.label} (to learn from)")
            concern_set.append([-float(v) for v in concern])
            concern_set.setBrush(QBrush(colour, Qt.BrushStyle.BDiagPattern))
            concern_set.setBorderColor(colour)
            series.append(good_set)
            series.append(concern_set)
        high, low = max(above, default=0), max(below, default=0)
        self.chart.addSeries(series)
        for marker in self.chart.legend().markers(series):
            marker.setVisible(not marker.label().endswith("(to learn from)"))
        x_axis = QBarCategoryAxis()
        x_axis.append([period_label(p, result.period) for p in result.periods])
        y_axis = QValueAxis()
        y_axis.setRange(-max(low, 1), max(high, 1))
        y_axis.applyNiceNumbers()
        y_axis.setLabelFormat("%d")
        y_axis.setTitleText("to learn from ↓   ·   good practice ↑")
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        self._fill_categories(result)

    def _fill_categories(self, result: learning.Insights) -> None:
        totals: dict[str, dict[str, int]] = {}
        for count in result.by_category:
            totals.setdefault(count.key, {}).setdefault(count.polarity, 0)
            totals[count.key][count.polarity] += count.count
        labels = {c.key: c.label for c in self.codebook.categories}
        # good practice first (what went well is named first), then what to learn from
        ordered = sorted(totals.items(), key=lambda kv: ("good_practice" not in kv[1],
                                                          -sum(kv[1].values()), kv[0]))  # fmt: skip
        self.categories.setRowCount(len(ordered))
        for row, (key, by_polarity) in enumerate(ordered):
            cells = (labels.get(key, key), by_polarity.get("good_practice", 0),
                     by_polarity.get("concern", 0))  # fmt: skip
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value) if column else value)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.categories.setItem(row, column, item)


def open_dashboard(db: app.Database, codebook: Codebook, parent: QWidget) -> DashboardWidget | None:
    """The parent's dashboard window (made on first use); ``None`` if the user may not read it
    (the reason is shown on the parent's status line when it has one)."""
    def make() -> DashboardWidget:
        dashboard = DashboardWidget(db, codebook, parent)
        attach_practice_counts(dashboard)  # by kind of incident (practice_counts.py)
        return dashboard

    return open_once(parent, DashboardWidget, make, "Insight dashboard", (1200, 640))
