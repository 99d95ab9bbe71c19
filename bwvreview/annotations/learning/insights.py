"""The insight dashboard's numbers: concerns and good practice over time, for a team or a
period, per principle and per category — never per officer.

This is for learning across a unit, not for judging people: nothing here groups, filters
or ranks by officer, and no result carries an officer's name, collar number or id. A team
is the ``users.team`` of the officers linked to an incident; a team with fewer than
``MIN_TEAM_OFFICERS`` officers is refused, as its counts would describe individuals.

What is counted: annotations marked final or shared (drafts are a reviewer's unfinished
thoughts) whose category is a concern or good practice; observations are context, not
practice, and are left out. An annotation counts once per category and once under each of
its category's principles (``by_principle``: how often each principle came up), and once
only under the first principle its category serves (``by_lead_principle``: what a chart of
moments stacks, so that its bars add up to the totals). Its date is the incident's, else
the recording's, else the day it was imported. Notes of observations (migration 0012)
count as moments too, dated by their incident, else the observation's start.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select

from bwvreview.annotations.access import DASHBOARD, require
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

PERIODS = ("week", "month")
COUNTED_POLARITIES = ("concern", "good_practice")
COUNTED_STATUSES = ("final", "shared")
MIN_TEAM_OFFICERS = 3


@dataclass(frozen=True)
class Count:
    """How many annotations of one polarity fell under one principle or category in one
    period (``period_start`` is the Monday of the week or the first of the month)."""

    period_start: dt.date
    key: str  # a principle key or a category key
    polarity: str  # "concern" | "good_practice"
    count: int


@dataclass(frozen=True)
class Insights:
    team: str | None
    date_from: dt.date | None
    date_to: dt.date | None
    period: str
    periods: tuple[dt.date, ...]  # every period in the range, oldest first (empty ones too)
    by_principle: tuple[Count, ...]
    by_category: tuple[Count, ...]
    # each annotation once, under its category's first principle ("" when it has none)
    by_lead_principle: tuple[Count, ...] = ()

    def total(self, polarity: str) -> int:
        """Annotations of this polarity (each once, however many principles it has)."""
        return sum(c.count for c in self.by_category if c.polarity == polarity)

    def series(self, principle: str, polarity: str) -> list[int]:
        """One principle's counts of one polarity, period by period (for a chart)."""
        counts = {c.period_start: c.count for c in self.by_principle
                  if c.key == principle and c.polarity == polarity}  # fmt: skip
        return [counts.get(p, 0) for p in self.periods]

    def moments(self, principle: str, polarity: str) -> list[int]:
        """Moments of this polarity whose category's first principle is ``principle`` (""
        for none), period by period: summed over principles, each period's total."""
        counts = {c.period_start: c.count for c in self.by_lead_principle
                  if c.key == principle and c.polarity == polarity}  # fmt: skip
        return [counts.get(p, 0) for p in self.periods]

    def principle_totals(self, polarity: str) -> dict[str, int]:
        """How often each principle came up (a moment under every principle it serves)."""
        totals: Counter[str] = Counter()
        for c in self.by_principle:
            if c.polarity == polarity:
                totals[c.key] += c.count
        return dict(totals)


def period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_period(start: dt.date, period: str) -> dt.date:
    if period == "week":
        return start + dt.timedelta(days=7)
    return (start + dt.timedelta(days=32)).replace(day=1)


def list_teams(db: Database) -> list[str]:
    """The teams officers belong to, for the dashboard's picker (names of teams only)."""
    require(db.principal, DASHBOARD)
    with db.begin() as session:
        return sorted(session.scalars(
            select(models.User.team).where(models.User.team.is_not(None)).distinct()
        ))  # fmt: skip


def insights(
    db: Database,
    *,
    team: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    period: str = "month",
) -> Insights:
    """Counts of concerns and good practice per principle and per category, per week or
    month, over every incident (or one team's) between the two dates (inclusive)."""
    require(db.principal, DASHBOARD)
    if period not in PERIODS:
        raise DomainError(f"period must be one of {', '.join(PERIODS)}")
    if date_from and date_to and date_to < date_from:
        raise DomainError("the date range ends before it starts")
    A, R, C = models.Annotation, models.Recording, models.CodebookCategory  # noqa: N806
    O = models.Observation  # noqa: E741, N806 - an observation's notes count as moments
    when = func.coalesce(models.Incident.occurred_on, func.date(R.recorded_at),
                         func.date(R.imported_at), func.date(O.started_at))  # fmt: skip
    statement = (
        select(when.label("day"), C.key, C.principles, C.polarity, func.count(A.id))
        .outerjoin(R, R.id == A.recording_id)
        .outerjoin(O, O.id == A.observation_id)
        .join(C, C.id == A.category_id)
        .outerjoin(models.Incident,
                   models.Incident.id == func.coalesce(R.incident_id, O.incident_id))  # fmt: skip
        .where(A.status.in_(COUNTED_STATUSES), C.polarity.in_(COUNTED_POLARITIES))
        .group_by(when, C.id)  # the category's other columns follow from its id
    )
    with db.begin() as session:
        if team is not None:
            _check_team(session, team)
            statement = statement.where(_of_team(team))
        rows = session.execute(statement).all()
    by_category: Counter[tuple[dt.date, str, str]] = Counter()
    by_principle: Counter[tuple[dt.date, str, str]] = Counter()
    by_lead: Counter[tuple[dt.date, str, str]] = Counter()
    for day, key, principles, polarity, count in rows:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        start = period_start(day, period)
        by_category[start, key, polarity] += count
        for principle in principles or ():
            by_principle[start, principle, polarity] += count
        by_lead[start, (principles or [""])[0], polarity] += count
    periods = _periods(date_from, date_to, period, {k[0] for k in by_category})
    return Insights(team, date_from, date_to, period, periods,
                    _counts(by_principle), _counts(by_category), _counts(by_lead))  # fmt: skip


def _counts(counter: Counter[tuple[dt.date, str, str]]) -> tuple[Count, ...]:
    return tuple(Count(start, key, polarity, n) for (start, key, polarity), n
                 in sorted(counter.items()))  # fmt: skip


def _periods(first: dt.date | None, last: dt.date | None, period: str,
             seen: set[dt.date]) -> tuple[dt.date, ...]:  # fmt: skip
    if not seen and not (first and last):
        return ()
    start = period_start(first or min(seen), period)
    end = period_start(last or max(seen), period)
    periods = []
    while start <= end:
        periods.append(start)
        start = _next_period(start, period)
    return tuple(periods)


def _of_team(team: str):  # noqa: ANN202 - a SQL condition
    links, users = models.incident_officers, models.User
    return exists(
        select(links.c.incident_id)
        .join(users, users.id == links.c.user_id)
        .where(and_(links.c.incident_id == models.Incident.id, users.team == team))
    )


def _check_team(session, team: str) -> None:  # noqa: ANN001
    officers = session.scalar(
        select(func.count(models.User.id)).where(models.User.team == team,
                                                 models.User.role == "officer")
    )  # fmt: skip
    if not officers:
        raise NotFoundError(f"no team called {team!r}")
    if officers < MIN_TEAM_OFFICERS:
        raise DomainError(
            f"team {team!r} has {officers} officer(s): the dashboard shows teams of at least "
            f"{MIN_TEAM_OFFICERS}, so that its counts never describe one person"
        )


# --- by kind of incident (observations, PPN1 reviews, sessions and moments) ----------------
@dataclass(frozen=True)
class TypeCounts:
    """What was recorded about one kind of incident (``None``: type not said) in the range:
    never per officer. Moments are coded good practice or concerns, final or shared, on
    recordings and in observation notes; points are template points seen in observations
    and PPN1 quality points, as rated."""

    incident_type: str | None
    incidents: int
    observations: int
    ppn1_reviews: int
    sessions: int
    good_practice: int
    concerns: int
    points_met: int
    points_partly: int
    points_not: int

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items()}


def _day(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def by_incident_type(
    db: Database,
    *,
    team: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[TypeCounts, ...]:
    """Counts per incident type between the two dates (inclusive), for every incident or
    one team's (a team of at least ``MIN_TEAM_OFFICERS``). An item's date is its incident's
    date, else its own (a recording's, an observation's start, a review's, a session's)."""
    require(db.principal, DASHBOARD)
    if date_from and date_to and date_to < date_from:
        raise DomainError("the date range ends before it starts")
    A, R, C, I = models.Annotation, models.Recording, models.CodebookCategory, models.Incident  # noqa: E741, N806
    O, V, T = models.Observation, models.Ppn1Review, models.SessionTopic  # noqa: E741, N806
    counted = and_(A.status.in_(COUNTED_STATUSES), C.polarity.in_(COUNTED_POLARITIES))
    with db.begin() as session:
        incidents = {i: (kind, day) for i, kind, day in session.execute(
            select(I.id, I.incident_type, I.occurred_on))}  # fmt: skip
        mine: set[int] | None = None
        if team is not None:
            _check_team(session, team)
            links, users = models.incident_officers, models.User
            mine = set(session.scalars(select(links.c.incident_id).join(
                users, users.id == links.c.user_id).where(users.team == team)))  # fmt: skip
        moments = session.execute(
            select(func.coalesce(R.incident_id, O.incident_id),
                   func.coalesce(func.date(R.recorded_at), func.date(R.imported_at),
                                 func.date(O.started_at)), C.polarity, func.count(A.id))
            .join(C, C.id == A.category_id).outerjoin(R, R.id == A.recording_id)
            .outerjoin(O, O.id == A.observation_id).where(counted)
            .group_by(R.incident_id, O.incident_id, R.recorded_at, R.imported_at, O.started_at,
                      C.polarity)
        ).all()  # fmt: skip
        checks = session.execute(
            select(O.incident_id, func.date(O.started_at), models.ObservationCheck.answer)
            .join(models.ObservationCheck, models.ObservationCheck.observation_id == O.id)
        ).all()  # fmt: skip
        points = session.execute(
            select(V.incident_id, func.date(V.created_at), models.Ppn1Point.rating)
            .join(models.Ppn1Point, models.Ppn1Point.review_id == V.id)
        ).all()  # fmt: skip
        observations = session.execute(select(O.incident_id, func.date(O.started_at))).all()
        reviews = session.execute(select(V.incident_id, func.date(V.created_at))).all()
        topics = session.execute(
            select(T.session_id, models.PracticeSession.held_on,
                   func.coalesce(T.incident_id, R.incident_id))
            .join(models.PracticeSession, models.PracticeSession.id == T.session_id)
            .outerjoin(A, A.id == T.annotation_id).outerjoin(R, R.id == A.recording_id)
        ).all()  # fmt: skip

    tally: dict[str | None, Counter[str]] = {}

    def add(incident_id: int | None, own_day: object, what: str, n: int = 1) -> bool:
        if incident_id is None or incident_id not in incidents:
            return False
        if mine is not None and incident_id not in mine:
            return False
        kind, incident_day = incidents[incident_id]
        day = incident_day or _day(own_day)
        if day is not None and ((date_from and day < date_from) or (date_to and day > date_to)):
            return False
        tally.setdefault(kind, Counter())[what] += n
        tally[kind]["incident:" + str(incident_id)] = 1
        return True

    for incident_id, day, polarity, n in moments:
        add(incident_id, day, polarity, n)
    for incident_id, day, answer in [*checks, *points]:
        if answer in ("met", "partly", "not"):
            add(incident_id, day, "points_" + answer)
    for incident_id, day in observations:
        add(incident_id, day, "observations")
    for incident_id, day in reviews:
        add(incident_id, day, "ppn1_reviews")
    seen: set[tuple[int, str | None]] = set()  # a session counts once per type discussed
    for session_id, day, incident_id in topics:
        kind = incidents.get(incident_id, (None, None))[0]
        if (session_id, kind) not in seen and add(incident_id, day, "sessions"):
            seen.add((session_id, kind))
    return tuple(
        TypeCounts(kind, sum(1 for key in c if key.startswith("incident:")), c["observations"],
                   c["ppn1_reviews"], c["sessions"], c["good_practice"], c["concern"],
                   c["points_met"], c["points_partly"], c["points_not"])
        for kind, c in sorted(tally.items(), key=lambda item: (item[0] is None, item[0] or ""))
    )  # fmt: skip
