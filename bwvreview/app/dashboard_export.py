"""The insight dashboard's numbers as a CSV, and its chart as a PNG, for someone to keep or
share: grouped by team, period, principle or category and polarity, never by officer, and
counts under 5 shown as "<5" (the file may leave the machine; the screen does not).
Nothing is ever written over: a name that exists is refused."""

from __future__ import annotations

from pathlib import Path

from bwvreview.annotations.codebook import Codebook
from bwvreview.annotations.learning.insights import Insights
from bwvreview.annotations.programme.disclosure import Table, count
from bwvreview.app.clip_outputs import (
    plan_new_files,
    publish,
    remove,
    write_new_bytes,
    write_new_text,
)
from bwvreview.app.outcomes_report import csv_text
from bwvreview.app.polarity import POLARITY_LABELS

ALL_TEAMS = "All teams"


def insights_table(result: Insights, codebook: Codebook) -> Table:
    """Every count the dashboard draws and lists: per period and principle, then per period
    and category (the other column blank), each with its polarity."""
    principles = {p.key: p.label for p in codebook.principles}
    categories = {c.key: c.label for c in codebook.categories}
    team = result.team or ALL_TEAMS
    rows = [
        (
            team,
            f"{c.period_start:%Y-%m-%d}",
            principles.get(c.key, c.key),
            "",
            POLARITY_LABELS.get(c.polarity, c.polarity),
            count(c.count),
        )
        for c in result.by_principle
    ] + [
        (
            team,
            f"{c.period_start:%Y-%m-%d}",
            "",
            categories.get(c.key, c.key),
            POLARITY_LABELS.get(c.polarity, c.polarity),
            count(c.count),
        )
        for c in result.by_category
    ]
    note = f"Periods are {result.period}s, named by their first day; counts under 5 are <5."
    return Table(
        "insights",
        "Insight dashboard",
        ("team", "period", "principle", "category", "polarity"),
        ("moments",),
        tuple(rows),
        (note,),
    )


def write_new(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path``, which must not exist (checked first, then published
    without replacing anything that appeared meanwhile)."""
    [(final, partial)] = plan_new_files([Path(path)])
    try:
        (write_new_text if isinstance(data, str) else write_new_bytes)(partial, data)
        publish(partial, final)
    except BaseException:
        remove([partial])
        raise
    return final


def write_insights_csv(result: Insights, codebook: Codebook, path: Path) -> Path:
    return write_new(path, csv_text(insights_table(result, codebook).text_rows()))
