"""Practice over time: the share of coded moments that are good practice rather than moments
to learn from, per principle and category, per team and month, and before, during and after
a team's training.

**Where moments come from** is a list, ``SOURCES``: each source turns its own records into
moments (a day, an incident, a codebook category). Reviews of recordings are one source,
the notes of observations in the field another.
A moment counts when it is final or shared and its category is good practice or a concern
(observations of context are not practice).

**Teams, never officers.** A moment belongs to the teams of the officers linked to its
incident. Officer ids are read only to count how many different officers stand behind a
team's figures, and never leave this module: a team whose moments come from fewer than
``MIN_OFFICERS`` officers is merged into "Other teams", which is itself left out if it
still has fewer, and moments left out are left out of "All teams" too, so nothing can be
had by subtraction.

**Training phase.** For a team with sessions, a moment is *before training* (before its
first session), *during training* (from its first session up to its last) or *after
training* (on or after its last); a team with none is *no sessions recorded*.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import READ_REPORTS, require
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning.insights import COUNTED_POLARITIES, COUNTED_STATUSES
from bwvreview.annotations.programme.disclosure import MIN_OFFICERS
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

ALL_TEAMS = "All teams"
OTHER_TEAMS = "Other teams"
PHASES = ("before training", "during training", "after training", "no sessions recorded")


@dataclass(frozen=True)
class SourceMoment:
    """What a source gives for one coded moment."""

    day: dt.date
    incident_id: int | None
    category_key: str
    polarity: str  # "good_practice" | "concern"
    principles: tuple[str, ...]


@dataclass(frozen=True)
class PracticeSource:
    key: str
    label: str
    moments: Callable[[Session], Iterable[SourceMoment]]


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def reviewed_recordings(session: Session) -> Iterable[SourceMoment]:
    """Annotations on recordings: the incident's date, else the recording's, else the day
    it was imported (as the insight dashboard dates them)."""
    A, R, C = models.Annotation, models.Recording, models.CodebookCategory  # noqa: N806
    when = func.coalesce(
        models.Incident.occurred_on, func.date(R.recorded_at), func.date(R.imported_at)
    )
    rows = session.execute(
        select(when, R.incident_id, C.key, C.polarity, C.principles)
        .select_from(A)
        .join(R, R.id == A.recording_id)
        .join(C, C.id == A.category_id)
        .outerjoin(models.Incident, models.Incident.id == R.incident_id)
        .where(A.status.in_(COUNTED_STATUSES), C.polarity.in_(COUNTED_POLARITIES))
    )
    for day, incident_id, key, polarity, principles in rows:
        yield SourceMoment(_day(day), incident_id, key, polarity, tuple(principles or ()))


def observed_in_the_field(session: Session) -> Iterable[SourceMoment]:
    """Notes of observations (migration 0012), coded like a recording's moments: the
    incident's date, else the day the observation started."""
    A, O, C = models.Annotation, models.Observation, models.CodebookCategory  # noqa: E741, N806
    when = func.coalesce(models.Incident.occurred_on, func.date(O.started_at))
    rows = session.execute(
        select(when, O.incident_id, C.key, C.polarity, C.principles)
        .select_from(A)
        .join(O, O.id == A.observation_id)
        .join(C, C.id == A.category_id)
        .outerjoin(models.Incident, models.Incident.id == O.incident_id)
        .where(A.status.in_(COUNTED_STATUSES), C.polarity.in_(COUNTED_POLARITIES))
    )
    for day, incident_id, key, polarity, principles in rows:
        yield SourceMoment(_day(day), incident_id, key, polarity, tuple(principles or ()))


# The sources of coded moments, in the order reports list them. A PPN1 review rates quality
# points rather than coding moments, so it counts as activity (outcomes.ACTIVITY), not here.
SOURCES: tuple[PracticeSource, ...] = (
    PracticeSource("reviews", "Reviews of recordings", reviewed_recordings),
    PracticeSource("observations", "Observations in the field", observed_in_the_field),
)


@dataclass
class Tally:
    """Moments of each polarity in one group, and the officers behind them (ids stay here)."""

    good: int = 0
    concern: int = 0
    officers: set[int] = field(default_factory=set)

    @property
    def moments(self) -> int:
        return self.good + self.concern

    def add(self, polarity: str, officers: Iterable[int]) -> None:
        if polarity == "good_practice":
            self.good += 1
        else:
            self.concern += 1
        self.officers.update(officers)


@dataclass(frozen=True)
class Figure:
    """A tally as it may leave this module: counts and how many officers, no ids."""

    good: int
    concern: int
    officers: int

    @property
    def moments(self) -> int:
        return self.good + self.concern


@dataclass(frozen=True)
class PracticeOverTime:
    date_from: dt.date
    date_to: dt.date
    sources: tuple[str, ...]  # labels of the sources counted
    groups: tuple[str, ...]  # "All teams", the teams shown, maybe "Other teams"
    teams_merged: int  # teams too small to name, counted in "Other teams" or left out
    left_out: bool  # some moments were left out of every figure (too few officers)
    by_month: dict[tuple[str, str], Figure]  # (group, "YYYY-MM")
    by_principle: dict[tuple[str, str, str], Figure]  # (group, phase, principle)
    by_category: dict[tuple[str, str, str], Figure]  # (group, phase, category)
    months: tuple[str, ...]


def _links(session: Session) -> dict[int, dict[str | None, set[int]]]:
    """{incident id: {team or None: officer ids}} for every incident with officers."""
    links, users = models.incident_officers, models.User
    found: dict[int, dict[str | None, set[int]]] = defaultdict(lambda: defaultdict(set))
    rows = session.execute(
        select(links.c.incident_id, users.id, users.team)
        .select_from(links)
        .join(users, users.id == links.c.user_id)
        .where(users.role == "officer")
    )
    for incident_id, user_id, team in rows:
        found[incident_id][team or None].add(user_id)
    return found


def _training_days(session: Session) -> dict[str, tuple[dt.date, dt.date]]:
    S = models.TrainingSession  # noqa: N806
    rows = session.execute(
        select(S.team, func.min(S.held_on), func.max(S.held_on)).group_by(S.team)
    )
    return {team: (_day(first), _day(last)) for team, first, last in rows}


def phase_of(day: dt.date, training: tuple[dt.date, dt.date] | None) -> str:
    if training is None:
        return PHASES[3]
    first, last = training
    if day < first:
        return PHASES[0]
    return PHASES[2] if day >= last else PHASES[1]


def month_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _months(first: dt.date, last: dt.date) -> tuple[str, ...]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(month_of(day))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return tuple(months)


def practice_over_time(
    db: Database,
    date_from: dt.date,
    date_to: dt.date,
    sources: Iterable[PracticeSource] = SOURCES,
) -> PracticeOverTime:
    """Good practice and moments to learn from between two days (inclusive), by team and
    month, and by training phase per principle and category (see the module docstring)."""
    require(db.principal, READ_REPORTS)
    if date_to < date_from:
        raise DomainError("the period ends before it starts")
    sources = tuple(sources)
    with db.begin() as session:
        links = _links(session)
        training = _training_days(session)
        moments = [m for s in sources for m in s.moments(session) if date_from <= m.day <= date_to]
    # who stands behind each team, over the whole period
    behind: dict[str | None, set[int]] = defaultdict(set)
    for m in moments:
        for team, officers in links.get(m.incident_id or -1, {}).items():
            behind[team].update(officers)
    shown = {t for t, o in behind.items() if t is not None and len(o) >= MIN_OFFICERS}
    pooled = set().union(*(o for t, o in behind.items() if t not in shown)) if behind else set()
    show_other = len(pooled) >= MIN_OFFICERS
    tallies = _tally(moments, links, training, shown, show_other)
    groups = tuple(
        g
        for g in (ALL_TEAMS, *sorted(shown, key=str.casefold), OTHER_TEAMS)
        if any(k[0] == g for k in tallies[0])
    )
    merged = len([t for t in behind if t is not None and t not in shown])
    return PracticeOverTime(
        date_from,
        date_to,
        tuple(s.label for s in sources),
        groups,
        merged,
        tallies[3],
        *(_figures(t) for t in tallies[:3]),
        _months(date_from, date_to),
    )


def _tally(moments, links, training, shown, show_other):  # noqa: ANN001, ANN202
    by_month: dict[tuple, Tally] = defaultdict(Tally)
    by_principle: dict[tuple, Tally] = defaultdict(Tally)
    by_category: dict[tuple, Tally] = defaultdict(Tally)
    unplaced = False
    for m in moments:
        groups: dict[str, set[int]] = defaultdict(set)  # group -> its officers on this incident
        phases: dict[str, set[str]] = defaultdict(set)  # group -> phases
        for team, officers in links.get(m.incident_id or -1, {}).items():
            group = team if team in shown else (OTHER_TEAMS if show_other else None)
            if group is None:
                continue
            groups[group] |= officers
            phases[group].add(phase_of(m.day, training.get(team)) if team else PHASES[3])
        if not groups:
            unplaced = True  # no officer, or only teams too small to show: left out
            continue
        groups[ALL_TEAMS] = set().union(*groups.values())
        phases[ALL_TEAMS] = set().union(*phases.values())
        for group, officers in groups.items():
            by_month[group, month_of(m.day)].add(m.polarity, officers)
            for phase in phases[group]:
                by_category[group, phase, m.category_key].add(m.polarity, officers)
                for principle in m.principles:
                    by_principle[group, phase, principle].add(m.polarity, officers)
    return by_month, by_principle, by_category, unplaced


def _figures(tallies: dict[tuple, Tally]) -> dict:  # type: ignore[type-arg]
    return {key: Figure(t.good, t.concern, len(t.officers)) for key, t in tallies.items()}
