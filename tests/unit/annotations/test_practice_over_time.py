"""Practice over time, per team and month and before/after a team's training, on both
engines; and the disclosure rules its figures follow."""

from __future__ import annotations

import datetime as dt

import pytest

from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.programme import disclosure, practice
from bwvreview.annotations.programme.disclosure import Cell, Table
from tests.unit.annotations.programme_world import make_world, plant

D = dt.date


@pytest.fixture
def world(db):
    w = make_world(db)
    plant(w)
    return w


JAN, APR_END = D(2026, 1, 1), D(2026, 4, 30)


def over(world, first=JAN, last=APR_END):
    return practice.practice_over_time(world.as_("tip"), first, last)


def test_teams_are_named_only_with_three_officers_behind_them(world):
    result = over(world)
    assert result.groups == ("All teams", "North", "South")
    assert result.teams_merged == 1  # East, counted nowhere: one officer is not a team
    assert result.left_out
    assert result.months == ("2026-01", "2026-02", "2026-03", "2026-04")
    assert all(f.officers >= 1 for f in result.by_month.values())
    assert not any("East" in str(key) for key in result.by_month)


def test_counts_per_team_and_month(world):
    m = over(world).by_month
    north = {month: (f.good, f.concern) for (g, month), f in m.items() if g == "North"}
    assert north == {"2026-02": (2, 7), "2026-03": (3, 0), "2026-04": (8, 1)}
    assert (m["South", "2026-03"].good, m["South", "2026-03"].concern) == (5, 5)
    # All teams: North and South once each, East's and the unlinked moments left out
    assert (m["All teams", "2026-03"].good, m["All teams", "2026-03"].concern) == (8, 5)
    assert (m["All teams", "2026-04"].good, m["All teams", "2026-04"].concern) == (8, 1)


def test_before_during_and_after_a_teams_training(world):
    p = over(world).by_principle
    assert (
        p["North", "before training", "safety"].concern,
        p["North", "before training", "choice"].good,
    ) == (6, 2)
    assert p["North", "before training", "choice"].concern == 1
    assert p["North", "during training", "safety"].good == 3
    assert (
        p["North", "after training", "choice"].good,
        p["North", "after training", "choice"].concern,
    ) == (8, 1)
    assert p["South", "no sessions recorded", "collaboration"].concern == 5
    c = over(world).by_category
    assert c["North", "after training", "offered_choice"].moments == 7


def test_the_period_bounds_what_is_counted(world):
    result = over(world, D(2026, 3, 1), D(2026, 3, 31))
    assert {k[1] for k in result.by_month} == {"2026-03"}
    with pytest.raises(Exception, match="ends before it starts"):
        over(world, D(2026, 3, 1), D(2026, 2, 1))


def test_only_tips_and_admins_read_practice_over_time(world):
    for who in ("trainer", "4521"):
        with pytest.raises(PermissionDenied):
            practice.practice_over_time(world.as_(who), D(2026, 1, 1), D(2026, 4, 30))


# --- the disclosure rules ---------------------------------------------------------------


def test_counts_under_five_are_never_shown():
    assert [disclosure.count(n).text for n in (0, 1, 4, 5, 12)] == ["<5"] * 3 + ["5", "12"]
    assert disclosure.count(4).value is None


def test_a_part_under_five_hides_the_other_part_of_its_total():
    assert [c.text for c in disclosure.parts(3, 20)] == ["<5", "*", "20"]
    assert [c.text for c in disclosure.parts(17, 20)] == ["*", "<5", "20"]
    assert [c.text for c in disclosure.parts(6, 14)] == ["6", "8", "14"]
    assert [c.text for c in disclosure.parts(1, 3)] == ["<5", "<5", "<5"]


def test_wilson_intervals_match_the_textbook():
    low, high = disclosure.wilson(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    low, high = disclosure.wilson(0, 10)
    assert low == 0.0 and round(high, 4) == 0.2775
    assert [c.text for c in disclosure.share(6, 14)] == ["43%", "21%", "67%"]
    assert disclosure.share(4, 14) == (disclosure.BLANK,) * 3


def test_a_mean_needs_five_values():
    assert disclosure.mean([4, 4, 5, 3])[0].text == ""
    mean, low, high = disclosure.mean([2, 3, 4, 5, 4])
    assert mean.text == "3.60" and low.value < 3.6 < high.value


def test_a_table_cannot_be_grouped_by_officer():
    for key in ("officer", "collar", "name", "user", "author"):
        with pytest.raises(ValueError, match="may not group"):
            Table("t", "T", ("team", key), ("moments",), ())
    Table("t", "T", ("team", "month"), ("moments",), (("North", "2026-03", Cell("5", 5)),))
