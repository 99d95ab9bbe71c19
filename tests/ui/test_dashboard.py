"""The insight dashboard: the chart per principle over time, the team and period pickers,
and no officer named anywhere in it."""

import pytest
from PySide6.QtCharts import QStackedBarSeries
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit

from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.codebook import load_codebook
from bwvreview.annotations.store.db import open_database, sqlite_url
from bwvreview.bundled import resource_path
from bwvreview.ui.dashboard import DashboardWidget, open_dashboard
from tests.ui.views_fit import LAPTOP, LAPTOP_125, misfits
from tests.unit.annotations import test_insights

CODEBOOK = load_codebook(resource_path("codebook.yaml"))


@pytest.fixture
def db(tmp_path):
    database = open_database(sqlite_url(tmp_path / "lib.sqlite3"))
    test_insights.populate(database)  # the unit tests' library
    yield database
    database.close()


def make(qtbot, db, first=(2026, 3, 1), last=(2026, 4, 30)):
    widget = DashboardWidget(db, CODEBOOK)
    qtbot.addWidget(widget)
    widget.date_from.setDate(QDate(*first))
    widget.date_to.setDate(QDate(*last))
    widget.show()
    return widget


def bar_sets(widget):
    (series,) = widget.chart.series()
    assert isinstance(series, QStackedBarSeries)
    return {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}


def test_chart_has_good_practice_above_and_concerns_below_per_principle(qtbot, db):
    widget = make(qtbot, db)
    sets = bar_sets(widget)
    assert sets["Safety"] == [0.0, 1.0]  # a safety check in April
    assert sets["Safety (to learn from)"] == [-2.0, -1.0]  # triggering x2, rushing
    # triggering language serves safety and trust: one moment, drawn once (under safety)
    assert sets["Trust (to learn from)"] == [0.0, 0.0]
    axis = widget.chart.axes()[0]
    assert axis.categories() == ["Mar 2026", "Apr 2026"]
    visible = [m.label() for m in widget.chart.legend().markers() if m.isVisible()]
    assert "Safety" in visible and not any("to learn from" in label for label in visible)
    assert "3 moments of good practice and 3 to learn from" in widget.summary.text()


def test_the_bars_add_up_to_the_summary(qtbot, db):
    widget = make(qtbot, db)
    sets = bar_sets(widget)
    good = sum(sum(v) for k, v in sets.items() if not k.endswith("(to learn from)"))
    concerns = -sum(sum(v) for k, v in sets.items() if k.endswith("(to learn from)"))
    assert (good, concerns) == (widget.result.total("good_practice"),
                                widget.result.total("concern")) == (3, 3)  # fmt: skip
    # how often each principle came up is its own table, said to count a moment per principle
    principles = widget.principles
    rows = {principles.item(r, 0).text(): (principles.item(r, 1).text(),
                                           principles.item(r, 2).text())
            for r in range(principles.rowCount())}  # fmt: skip
    assert rows["Safety"] == ("1", "3") and rows["Trust"] == ("1", "2")
    assert "every principle" in widget.tables.tabToolTip(1)


def test_counts_are_never_drawn_below_zero(qtbot, db):
    widget = make(qtbot, db)
    y_axis = widget.chart.axes(Qt.Orientation.Vertical)[0]
    labels = [label.strip("\u2009") for label in y_axis.categoriesLabels()]
    assert labels and all(label.isdigit() for label in labels)  # no "-2"
    assert y_axis.min() < 0 < y_axis.max()  # the concerns are still drawn below the line


def test_a_years_month_labels_are_never_cut(qtbot, db):
    widget = make(qtbot, db, first=(2025, 5, 1), last=(2026, 4, 30))
    widget.resize(*LAPTOP)
    qtbot.waitUntil(lambda: widget.chart.plotArea().width() > 0)
    widget.fit_period_labels()
    axis = widget.x_axis
    assert len(axis.categories()) == 12
    slot = widget.chart.plotArea().width() / axis.count()
    widest = max(QFontMetrics(axis.labelsFont()).horizontalAdvance(c) for c in axis.categories())
    assert widest + 6 <= slot or axis.labelsAngle() != 0


@pytest.mark.parametrize("size", [LAPTOP, LAPTOP_125], ids=["1366x700", "125%"])
def test_the_dashboard_fits_a_laptop(qtbot, db, size):
    widget = make(qtbot, db)
    assert misfits(widget, *size) == []


def test_pickers_change_the_period_and_the_team(qtbot, db):
    widget = make(qtbot, db)
    widget.period.setCurrentIndex(widget.period.findData("week"))
    assert widget.chart.axes()[0].categories()[0] == "w/c 23 Feb 26"
    assert widget.team.findData("North") > 0 and widget.team.findData("South") > 0
    widget.team.setCurrentIndex(widget.team.findData("North"))
    assert widget.result.total("concern") == 2
    widget.team.setCurrentIndex(widget.team.findData("South"))  # one officer: refused
    assert widget.result is None and "at least 3" in widget.summary.text()
    assert widget.chart.series() == []


def test_category_table_counts_the_range(qtbot, db):
    widget = make(qtbot, db)
    table = widget.categories
    rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}  # fmt: skip
    assert rows["Triggering language"] == ("0", "2")
    assert rows["Offered a choice"] == ("1", "0")
    assert "Missed choice" not in rows  # a draft


def test_no_officer_is_named_anywhere(qtbot, db):
    widget = make(qtbot, db)
    shown = [widget.summary.text(), widget.chart.title()]
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        shown.append(child.text())
    for combo in widget.findChildren(QComboBox):
        shown += [combo.itemText(i) for i in range(combo.count())]
    shown += [e.text() for e in widget.findChildren(QLineEdit)]
    shown += [m.label() for m in widget.chart.legend().markers()]
    shown += widget.chart.axes()[0].categories()
    for table in (widget.categories, widget.principles):
        shown += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(3)]
    text = " ".join(shown)
    for name, collar, _team in test_insights.OFFICERS:
        for part in (*name.split(), collar):
            assert part not in text


def test_an_officer_gets_no_dashboard(qtbot, db):
    officer = db.as_user(Principal(user_id=None, name="Ann", role="officer"))
    with pytest.raises(PermissionDenied):
        DashboardWidget(officer, CODEBOOK)


def test_open_dashboard_reuses_its_window(qtbot, db):
    parent = QLabel()
    qtbot.addWidget(parent)
    first = open_dashboard(db, CODEBOOK, parent)
    assert first is not None and open_dashboard(db, CODEBOOK, parent) is first
    officer = db.as_user(Principal(user_id=None, name="Ann", role="officer"))
    other = QLabel()
    qtbot.addWidget(other)
    assert open_dashboard(officer, CODEBOOK, other) is None


def test_library_window_tools_menu_opens_the_dashboard(qtbot):
    from bwvreview import app
    from bwvreview.ui.launch import build_library_window

    lib = app.open_library()
    window, _controller = build_library_window(lib)
    qtbot.addWidget(window)
    assert window.dashboard_action.isVisible()
    window.dashboard_action.trigger()
    dashboard = window.findChild(DashboardWidget)
    assert dashboard is not None and dashboard.isVisible()
    assert dashboard.chart.title() == "No final or shared annotations in this range"
    window.close()
    lib.close()
