"""Insight counts: per principle and category over time, per team or period, never per officer."""

import dataclasses
import datetime as dt
import inspect

import pytest

from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.learning import insights as insights_module
from bwvreview.annotations.learning.insights import insights, list_teams, period_start
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import open_database
from bwvreview.bundled import resource_path

OFFICERS = [("Ann Smith", "4521", "North"), ("Bob Jones", "7788", "North"),
            ("Cat Brown", "9911", "North"), ("Dan Green", "3030", "South")]  # fmt: skip


@pytest.fixture
def db(db_url):
    database = open_database(db_url)
    populate(database)
    yield database
    database.close()


def populate(database):
    """North (3 officers) and South (1). Incidents on 3 Mar (North), 10 Mar (North),
    2 Apr (South) and one with no incident date, recorded 20 Apr, imported later."""
    with database.begin() as s:
        book = store_codebook(s, load_codebook(resource_path("codebook.yaml")))
        cat = {c.key: c for c in s.query(models.CodebookCategory).filter_by(codebook_id=book)}
        users = [models.User(name=n, role="officer", collar_number=c, team=t)
                 for n, c, t in OFFICERS]  # fmt: skip
        s.add_all(users)
        incidents = [
            models.Incident(reference="N1", occurred_on=dt.date(2026, 3, 3), officers=users[:2]),
            models.Incident(reference="N2", occurred_on=dt.date(2026, 3, 10), officers=[users[2]]),
            models.Incident(reference="S1", occurred_on=dt.date(2026, 4, 2), officers=[users[3]]),
            models.Incident(reference="X", officers=[]),
        ]
        s.add_all(incidents)
        s.flush()
        for i, incident in enumerate(incidents):
            recorded = dt.datetime(2026, 4, 20, 10) if incident.reference == "X" else None
            s.add(models.Recording(id=i + 1, incident_id=incident.id, path=f"{i}.mp4",
                                   sha256=f"{i}" * 64, size_bytes=1, duration_ms=60_000,
                                   recorded_at=recorded))  # fmt: skip
        s.flush()

        def mark(rec, key, status="final"):
            s.add(models.Annotation(recording_id=rec, category=cat[key], start_ms=0,
                                    end_ms=1000, status=status))  # fmt: skip

        mark(1, "triggering_language")  # concern: safety, trust
        mark(1, "offered_choice", "shared")  # good practice: choice
        mark(1, "missed_choice", "draft")  # drafts are not counted
        mark(1, "disclosure")  # observations are not counted
        mark(2, "triggering_language")
        mark(2, "explained_action")  # good practice: trust
        mark(3, "safety_check")  # South
        mark(4, "rushing")  # no incident date: the recording's (20 Apr)


def as_role(db, role):
    return db.as_user(Principal(user_id=None, name=role, role=role))


def test_counts_per_principle_and_category_per_month(db):
    result = insights(db, period="month")
    assert result.periods == (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    assert result.total("concern") == 3 and result.total("good_practice") == 3
    assert result.series("safety", "concern") == [2, 1]  # 2 triggering in March, rushing
    assert result.series("trust", "concern") == [2, 0]
    assert result.series("trust", "good_practice") == [1, 0]
    assert result.series("safety", "good_practice") == [0, 1]
    march = {(c.key, c.polarity): c.count for c in result.by_category
             if c.period_start == dt.date(2026, 3, 1)}  # fmt: skip
    assert march == {("triggering_language", "concern"): 2, ("offered_choice", "good_practice"): 1,
                     ("explained_action", "good_practice"): 1}  # fmt: skip


def test_moments_count_once_so_a_chart_of_them_adds_up_to_the_totals(db):
    result = insights(db, period="month")
    principles = ["safety", "trust", "choice", "collaboration", "empowerment", "cultural", ""]
    for polarity in ("concern", "good_practice"):
        per_period = [sum(col) for col in zip(*(result.moments(p, polarity)
                                                 for p in principles), strict=True)]  # fmt: skip
        assert sum(per_period) == result.total(polarity) == 3
    # triggering language serves safety and trust: once, under safety (its first)
    assert result.moments("safety", "concern") == [2, 1]
    assert result.moments("trust", "concern") == [0, 0]
    assert result.moments("trust", "good_practice") == [1, 0]  # explained what and why
    # how often each principle came up still counts a moment under every one it serves
    assert result.principle_totals("concern") == {"safety": 3, "trust": 2, "collaboration": 1}


def test_weeks_start_on_monday_and_empty_weeks_are_listed(db):
    result = insights(db, period="week", date_from=dt.date(2026, 3, 1),
                      date_to=dt.date(2026, 3, 20))  # fmt: skip
    assert result.periods == (dt.date(2026, 2, 23), dt.date(2026, 3, 2), dt.date(2026, 3, 9),
                              dt.date(2026, 3, 16))  # fmt: skip
    assert result.series("trust", "concern") == [0, 1, 1, 0]
    assert period_start(dt.date(2026, 3, 8), "week") == dt.date(2026, 3, 2)  # a Sunday


def test_period_filter(db):
    april = insights(db, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30))
    assert {c.key for c in april.by_category} == {"safety_check", "rushing"}


def test_team_filter(db):
    north = insights(db, team="North")
    assert north.total("concern") == 2 and north.total("good_practice") == 2
    assert list_teams(db) == ["North", "South"]


def test_a_team_too_small_to_hide_one_person_is_refused(db):
    with pytest.raises(DomainError, match="at least 3"):
        insights(db, team="South")
    with pytest.raises(NotFoundError, match="no team"):
        insights(db, team="East")


def test_bad_arguments(db):
    with pytest.raises(DomainError, match="period must be"):
        insights(db, period="day")
    with pytest.raises(DomainError, match="ends before it starts"):
        insights(db, date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 4, 1))


def test_the_result_carries_no_officer_identity(db):
    result = insights(db, period="week")
    text = repr(dataclasses.asdict(result)) + repr(insights(db, team="North"))
    for name, collar, _team in OFFICERS:
        for part in (*name.split(), collar):
            assert part not in text
    with db.begin() as s:
        user_ids = {u.id for u in s.query(models.User)}
    for count in result.by_principle + result.by_category + result.by_lead_principle:
        assert {f.name for f in dataclasses.fields(count)} == {"period_start", "key", "polarity",
                                                               "count"}  # fmt: skip
    assert user_ids  # (ids are not fields of any count, checked above)


def test_no_function_groups_or_filters_by_officer():
    for name, function in inspect.getmembers(insights_module, inspect.isfunction):
        if function.__module__ != insights_module.__name__:
            continue
        for parameter in inspect.signature(function).parameters:
            assert not any(word in parameter.lower() for word in ("officer", "user", "collar")), (
                f"{name}({parameter})"
            )


@pytest.mark.parametrize("role", ["tip", "trainer", "admin"])
def test_roles_with_the_dashboard_right_read_it(db, role):
    assert insights(as_role(db, role)).total("concern") == 3


def test_an_officer_may_not_read_the_dashboard(db):
    officer = as_role(db, "officer")
    with pytest.raises(PermissionDenied):
        insights(officer)
    with pytest.raises(PermissionDenied):
        list_teams(officer)
