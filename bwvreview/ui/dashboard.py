"""The insight dashboard: good practice and moments to learn from over time, for a team or
a period — a picture of a unit's learning, never of one officer.

Each period is one bar: good practice stacked above the line, moments to learn from below it
(hatched, so the two differ by pattern as well as by side), each moment counted once in the
colour of the first principle its category serves, so the bars add up to the summary's
totals. The axis counts up both ways from the line (no count is shown below zero). Beside
it, the categories counted over the whole range and, on a second tab, how often each
principle came up (a moment under every principle it serves, which is why those add up to
more). The numbers come from ``annotations.insights``, which carries no officer identity;
this widget shows team names and codebook words only.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QStackedBarSeries,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bwvreview import app
from bwvreview.app import learning
from bwvreview.app.errors import DomainError
from bwvreview.app.polarity import POLARITY_LABELS, counted
from bwvreview.app.records import Codebook
from bwvreview.ui.dashboard_export import add_export_buttons
from bwvreview.ui.open_once import open_once
from bwvreview.ui.practice_counts import attach_practice_counts

# one colour per principle, in the codebook's order (colour-blind safe: Okabe-Ito)
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
NO_PRINCIPLE = "No principle"
LEARN_FROM = POLARITY_LABELS["concern"].lower()  # "to learn from"
# The dashboard's words are in the palette's own colours; colour marks principles in the
# chart only, beside their names in the legend (tests/ui/test_views_contrast.py).
CONTRAST_PAIRS: dict[str, tuple[str, str]] = {}
TICKS = 5  # about this many counts marked each side of the line


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
        self.chart.plotAreaChanged.connect(lambda _area: self.fit_period_labels())
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(300)
        self.chart_view.setMinimumWidth(560)
        self.categories = _count_table("Category")
        self.principles = _count_table("Principle")
        self.tables = QTabWidget()
        self.tables.addTab(self.categories, "By category")
        self.tables.addTab(self.principles, "By principle")
        self.tables.setMinimumWidth(300)
        self.tables.setTabToolTip(1, "How often each principle came up: a moment counts under "
                                  "every principle its category serves")  # fmt: skip
        split = QSplitter()
        split.addWidget(self.chart_view)
        split.addWidget(self.tables)
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
            f"and {counted(concerns, 'concern')}, in final and shared annotations. Each bar "
            "counts every moment once, in the colour of the first principle its category "
            "serves. Individual officers are never shown."
        )
        self._draw(self.result)

    def _draw(self, result: learning.Insights | None) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.categories.setRowCount(0)
        self.principles.setRowCount(0)
        if result is None:
            self.chart.setTitle("Nothing to show for this choice")
            return
        if not result.by_category:
            self.chart.setTitle("No final or shared annotations in this range")
            return
        self.chart.setTitle(f"Good practice above the line, moments {LEARN_FROM} below")
        series = QStackedBarSeries()
        below = [0] * len(result.periods)
        above = [0] * len(result.periods)
        stacks = [(p.key, p.label) for p in self.codebook.principles] + [("", NO_PRINCIPLE)]
        for index, (key, label) in enumerate(stacks):
            good = result.moments(key, "good_practice")
            concern = result.moments(key, "concern")
            if not key and not any(good) and not any(concern):
                continue  # every category counted serves a principle: no empty legend entry
            colour = QColor(COLOURS[index % len(COLOURS)])
            above = [a + g for a, g in zip(above, good, strict=True)]
            below = [b + c for b, c in zip(below, concern, strict=True)]
            good_set = QBarSet(label)
            good_set.append([float(v) for v in good])
            good_set.setColor(colour)
            concern_set = QBarSet(f"{label} ({LEARN_FROM})")
            concern_set.append([-float(v) for v in concern])  # drawn below the line
            concern_set.setBrush(QBrush(colour, Qt.BrushStyle.BDiagPattern))
            concern_set.setBorderColor(colour)
            series.append(good_set)
            series.append(concern_set)
        self.chart.addSeries(series)
        for marker in self.chart.legend().markers(series):
            marker.setVisible(not marker.label().endswith(f"({LEARN_FROM})"))
        self.x_axis = QBarCategoryAxis()
        self.x_axis.append([period_label(p, result.period) for p in result.periods])
        y_axis = count_axis(max(below, default=0), max(above, default=0))
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(self.x_axis)
        series.attachAxis(y_axis)
        self._fill_categories(result)
        self._fill_principles(result)
        self.fit_period_labels()

    def fit_period_labels(self) -> None:
        """Turn the period labels on a slant when they are wider than their bars, so none
        is cut short ("Jun 2…")."""
        axis = getattr(self, "x_axis", None)
        if axis is None or axis.count() == 0 or self.chart.plotArea().width() <= 0:
            return
        slot = self.chart.plotArea().width() / axis.count()
        metrics = QFontMetrics(axis.labelsFont())
        widest = max(metrics.horizontalAdvance(label) for label in axis.categories())
        axis.setLabelsAngle(0 if widest + 6 <= slot else -45)

    def _fill_categories(self, result: learning.Insights) -> None:
        totals: dict[str, dict[str, int]] = {}
        for count in result.by_category:
            totals.setdefault(count.key, {}).setdefault(count.polarity, 0)
            totals[count.key][count.polarity] += count.count
        labels = {c.key: c.label for c in self.codebook.categories}
        # good practice first (what went well is named first), then what to learn from
        ordered = sorted(totals.items(), key=lambda kv: ("good_practice" not in kv[1],
                                                          -sum(kv[1].values()), kv[0]))  # fmt: skip
        rows = [(labels.get(key, key), by.get("good_practice", 0), by.get("concern", 0))
                for key, by in ordered]  # fmt: skip
        _fill(self.categories, rows)

    def _fill_principles(self, result: learning.Insights) -> None:
        good = result.principle_totals("good_practice")
        concern = result.principle_totals("concern")
        _fill(self.principles, [(p.label, good.get(p.key, 0), concern.get(p.key, 0))
                                for p in self.codebook.principles])  # fmt: skip


def count_axis(low: int, high: int) -> QCategoryAxis:
    """The count axis: up from the line both ways, every mark a count (never "-4")."""
    step = _nice_step(max(high, low, 1))
    down, up = (max(step, -(-n // step) * step) for n in (low, high))
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setRange(-down, up)
    for value in range(-down, up + 1, step):
        axis.append(f"{abs(value)}" + ("\u2009" * (value < 0)), value)  # names must differ
    axis.setTitleText(f"{LEARN_FROM} ↓   ·   good practice ↑")
    return axis


def _nice_step(top: int) -> int:
    """1, 2, 5, 10, 20, 50… so that about ``TICKS`` marks fall each side of the line."""
    step = 1
    while top / step > TICKS:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if top / step <= TICKS:
                break
    return step


def _count_table(first: str) -> QTableWidget:
    table = QTableWidget(0, 3)
    table.setHorizontalHeaderLabels([first, POLARITY_LABELS["good_practice"],
                                     POLARITY_LABELS["concern"]])  # fmt: skip
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in (1, 2):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, int, int]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, value in enumerate(cells):
            item = QTableWidgetItem(str(value))
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


def open_dashboard(db: app.Database, codebook: Codebook, parent: QWidget) -> DashboardWidget | None:
    """The parent's dashboard window (made on first use); ``None`` if the user may not read it
    (the reason is shown on the parent's status line when it has one)."""
    def make() -> DashboardWidget:
        dashboard = DashboardWidget(db, codebook, parent)
        attach_practice_counts(dashboard)  # by kind of incident (practice_counts.py)
        return dashboard

    return open_once(parent, DashboardWidget, make, "Insight dashboard", (1280, 660))
