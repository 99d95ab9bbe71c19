"""The outcomes report of a library with teams, on both engines: practice over time as the
CSV pack holds it is what was coded (planted here, counted by hand), with small cells and
their complements suppressed, teams of fewer than three officers never named, and no
officer's name or collar number anywhere; and no output can rank officers."""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import subprocess
from pathlib import Path

import pytest

from bwvreview import app
from bwvreview.annotations.learning import insights
from bwvreview.annotations.programme import disclosure, outcomes, practice
from bwvreview.app import dashboard_export, outcomes_pdf, outcomes_report, report_charts
from bwvreview.app.errors import DomainError
from bwvreview.app.signin import signed_in
from bwvreview.cli import build_parser
from tests.unit.annotations.programme_world import OFFICERS, PLANT, make_world, plant

D = dt.date
NEVER_SHOWN = {"East", *[n for n, _, _ in OFFICERS], *[c for _, c, _ in OFFICERS]}
ALLOWED_KEYS = {
    "activity",
    "team",
    "month",
    "period",
    "phase",
    "principle",
    "category",
    "polarity",
    "session",
    "questionnaire",
    "measure",
    "source",
}
PERSONAL = ("officer", "collar", "user", "author", "person", "attendee", "rank", "respondent")


@pytest.fixture
def library(db_url, tmp_path):
    lib = app.open_library(db_url=db_url, data_dir=tmp_path / "data")
    world = make_world(lib.db)
    plant(world)
    yield signed_in(lib, world.tip), world
    lib.close()


def written(lib, tmp_path: Path) -> tuple[dict[str, list[dict[str, str]]], str]:
    report = outcomes_report.write_report(lib, D(2026, 1, 1), D(2026, 4, 30), tmp_path / "r")
    tables = {}
    for table, path in zip(report.outcomes.tables, report.csvs, strict=True):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[table.name] = list(csv.DictReader(handle))
    text = subprocess.run(
        ["pdftotext", "-layout", str(report.pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return tables, text + "".join(p.read_text(encoding="utf-8") for p in report.csvs)


def row(rows, **where):
    [found] = [r for r in rows if all(r[k] == v for k, v in where.items())]
    return found


def test_practice_over_time_in_the_csv_pack_is_what_was_coded(library, tmp_path):
    lib, _world = library
    tables, everything = written(lib, tmp_path)
    by_month = tables["practice_by_month"]
    assert {r["team"] for r in by_month} == {"All teams", "North", "South"}
    north_feb = row(by_month, team="North", month="2026-02")  # 2 good, 7 to learn from
    assert (
        north_feb["moments"],
        north_feb["good_practice"],
        north_feb["to_learn_from"],
        north_feb["share_good_practice"],
    ) == ("9", "<5", "*", "")
    south = row(by_month, team="South", month="2026-03")  # 5 and 5
    low, high = disclosure.wilson(5, 10)
    assert (
        south["moments"],
        south["good_practice"],
        south["to_learn_from"],
        south["share_good_practice"],
        south["share_low_95"],
        south["share_high_95"],
    ) == ("10", "5", "5", "50%", f"{100 * low:.0f}%", f"{100 * high:.0f}%")
    both = row(by_month, team="All teams", month="2026-03")  # North 3 + South 5 good, 5 to learn
    assert (both["moments"], both["good_practice"], both["to_learn_from"]) == ("13", "8", "5")
    assert row(by_month, team="All teams", month="2026-01")["moments"] == "<5"
    after = row(
        tables["practice_by_principle"], team="North", phase="after training", principle="Choice"
    )  # 7 offered choice and 1 gave time, 1 missed choice
    assert (after["moments"], after["good_practice"], after["to_learn_from"]) == ("9", "*", "<5")
    assert "Smaller teams are counted together" in everything
    for secret in NEVER_SHOWN | {f"REF-{n}-{p[2]}" for n, p in enumerate(PLANT)}:
        assert secret not in everything, secret


def test_no_output_can_rank_officers(library, tmp_path):
    """Every table of the report and the dashboard's export is grouped by team, period,
    principle, category, session or the like only; nothing that makes or prints them takes
    an officer; no command offers one; and a team of one officer is never named."""
    lib, _world = library
    made = outcomes.compose_outcomes(lib.db, lib.codebook, D(2026, 1, 1), D(2026, 4, 30))
    result = insights.insights(lib.db, team="North")
    exported = dashboard_export.insights_table(result, lib.codebook)
    for table in (*made.tables, exported):
        assert set(table.keys) <= ALLOWED_KEYS, table.name
        header = " ".join(table.text_rows()[0]).lower()
        assert not any(word in header for word in PERSONAL), (table.name, header)
    for module in (
        practice,
        outcomes,
        disclosure,
        insights,
        outcomes_report,
        outcomes_pdf,
        report_charts,
        dashboard_export,
    ):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__:
                continue
            for param in inspect.signature(fn).parameters:
                assert not any(w in param.lower() for w in PERSONAL), f"{name}({param})"
    parser = build_parser()
    for argv in (["report", "--help"], ["programme", "results", "--help"]):
        help_text = _help(parser, argv).lower()
        assert not any(f"--{w}" in help_text for w in PERSONAL), argv
    with pytest.raises(DomainError, match="at least 3"):
        insights.insights(lib.db, team="East")  # the dashboard refuses a team of one
    # the only teams any output names are those with three officers or more behind them
    named = {r[0] for t in made.tables if "team" in t.keys for r in t.rows}
    assert named == {"All teams", "North", "South"}


def _help(parser, argv: list[str]) -> str:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
        parser.parse_args(argv)
    return buffer.getvalue()
