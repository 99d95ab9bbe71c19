"""The insight dashboard's exports: its numbers as a CSV (by period, principle and category,
counts under 5 as <5), its chart as a PNG, the outcomes report for its dates (TIPs and
admins); nothing is ever written over."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QDate

from bwvreview.annotations.access import Principal
from bwvreview.annotations.store.db import open_database, sqlite_url
from bwvreview.ui.dashboard import DashboardWidget
from tests.ui.test_dashboard import CODEBOOK
from tests.unit.annotations import test_insights


@pytest.fixture
def db(tmp_path):
    database = open_database(sqlite_url(tmp_path / "lib.sqlite3"))
    test_insights.populate(database)
    yield database
    database.close()


def make(qtbot, db):
    widget = DashboardWidget(db, CODEBOOK)
    qtbot.addWidget(widget)
    widget.date_from.setDate(QDate(2026, 3, 1))
    widget.date_to.setDate(QDate(2026, 4, 30))
    widget.resize(1200, 640)
    widget.show()
    return widget


def test_the_numbers_are_saved_as_a_csv_never_over_a_file(qtbot, db, tmp_path, dialogs):
    widget = make(qtbot, db)
    path = tmp_path / "numbers.csv"
    dialogs.expect("Save the dashboard's numbers", answer=(str(tmp_path / "numbers"), ""))
    assert widget.save_csv_button.isVisible()
    widget.save_csv_button.click()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["team", "period", "principle", "category", "polarity", "moments"]
    safety = [r for r in rows if r["principle"] == "Safety" and r["period"] == "2026-03-01"]
    assert {(r["polarity"], r["moments"]) for r in safety} == {("To learn from", "<5")}
    assert all(r["moments"] == "<5" or int(r["moments"]) >= 5 for r in rows)
    assert {r["team"] for r in rows} == {"All teams"}
    before = path.read_bytes()
    dialogs.expect("Save the dashboard's numbers", answer=(str(path), ""))
    dialogs.expect("Insight dashboard", text="already exists")
    widget.save_csv_button.click()
    assert path.read_bytes() == before


def test_the_chart_is_saved_as_a_png(qtbot, db, tmp_path, dialogs):
    widget = make(qtbot, db)
    dialogs.expect("Save the chart", answer=(str(tmp_path / "chart.png"), ""))
    widget.save_png_button.click()
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_outcomes_report_is_for_tips_and_admins(qtbot, db, tmp_path, dialogs):
    widget = make(qtbot, db)  # the machine's owner: an admin
    assert not widget.report_button.isHidden()
    dialogs.expect("Choose a folder for the outcomes report", answer=str(tmp_path))
    dialogs.expect("Outcomes report", text="hold no names")
    widget.report_button.click()
    assert (tmp_path / "outcomes_2026-03-01_to_2026-04-30.pdf").is_file()
    trainer = DashboardWidget(db.as_user(Principal(None, "Tess", "trainer")), CODEBOOK)
    qtbot.addWidget(trainer)
    assert trainer.report_button.isHidden() and not trainer.save_csv_button.isHidden()
