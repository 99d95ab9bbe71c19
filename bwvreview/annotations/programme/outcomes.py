"""The figures of an outcomes report for a period, de-identified, as tables.

What is done in the period (``ACTIVITY``, a list each kind of work adds its count to),
practice over time (``practice``), the training held and what its questionnaires say, and
reflections written. Every figure goes through ``disclosure``: no table groups by officer,
no cell names a person, a collar number or an incident, counts under 5 are "<5". Work is
dated by when it was recorded (a review by its annotations' dates, a reflection by when it
was written, a session by the day it was held); practice by the incident's date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import READ_REPORTS, require
from bwvreview.annotations.codebook import Codebook
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning.insights import COUNTED_STATUSES
from bwvreview.annotations.programme import answers, disclosure, practice
from bwvreview.annotations.programme.disclosure import Cell, Table
from bwvreview.annotations.programme.sessions import ScheduledSession, list_sessions
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

NOT_RECORDED = "not recorded by this version"
POLARITY_WORDS = {"good_practice": "good practice", "concern": "to learn from"}
PRACTICE_COLUMNS = (
    "moments",
    "good_practice",
    "to_learn_from",
    "share_good_practice",
    "share_low_95",
    "share_high_95",
    "reading",
)
MEASURE_COLUMNS = (
    "responses",
    "mean",
    "mean_low_95",
    "mean_high_95",
    "share_rating_4_or_5",
    "share_low_95",
    "share_high_95",
    "reading",
)
ALL_SESSIONS = "All sessions"


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time())

    @property
    def end(self) -> dt.datetime:  # exclusive
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time())


def _between(column, period: Period):  # noqa: ANN001, ANN202 - a SQL condition
    return column.between(period.start, period.end - dt.timedelta(microseconds=1))


def _recordings_reviewed(session: Session, period: Period) -> int:
    A = models.Annotation  # noqa: N806
    return session.scalar(
        select(func.count(distinct(A.recording_id))).where(
            A.status.in_(COUNTED_STATUSES), A.source == "human", _between(A.created_at, period)
        )
    )


def _moments_coded(session: Session, period: Period) -> int:
    A = models.Annotation  # noqa: N806
    return session.scalar(
        select(func.count(A.id)).where(
            A.status.in_(COUNTED_STATUSES), _between(A.created_at, period)
        )
    )


def _reflections(session: Session, period: Period) -> int:
    R = models.Reflection  # noqa: N806
    return session.scalar(select(func.count(R.id)).where(_between(R.created_at, period)))


def _held(period: Period):  # noqa: ANN202 - a SQL condition
    S = models.TrainingSession  # noqa: N806
    return S.held_on.between(period.date_from, period.date_to)


def _sessions_held(session: Session, period: Period) -> int:
    return session.scalar(select(func.count(models.TrainingSession.id)).where(_held(period)))


def _attendances(session: Session, period: Period, *, people: bool = False) -> int:
    A, S = models.TrainingAttendance, models.TrainingSession  # noqa: N806
    what = func.count(distinct(A.person_key)) if people else func.count(A.id)
    return session.scalar(select(what).join(S, S.id == A.session_id).where(_held(period)))


def _responses(session: Session, period: Period) -> int:
    R, S = models.QuestionnaireResponse, models.TrainingSession  # noqa: N806
    return session.scalar(
        select(func.count(R.id)).join(S, S.id == R.session_id).where(_held(period))
    )


def _observations(session: Session, period: Period) -> int:
    O = models.Observation  # noqa: E741, N806 - the practice records (migration 0012)
    return session.scalar(select(func.count(O.id)).where(_between(O.created_at, period)))


def _ppn1_reviews(session: Session, period: Period) -> int:
    V = models.Ppn1Review  # noqa: N806
    return session.scalar(select(func.count(V.id)).where(_between(V.created_at, period)))


def _debriefs(session: Session, period: Period) -> int:
    S = models.PracticeSession  # noqa: N806
    return session.scalar(
        select(func.count(S.id)).where(S.held_on.between(period.date_from, period.date_to))
    )


Counter_ = Callable[[Session, Period], int]
# What is counted as activity, in the report's order; None: this version keeps no record of
# it. Observations and PPN1 reviews are dated by when they were recorded, debriefs by the
# day they were held.
ACTIVITY: tuple[tuple[str, Counter_ | None], ...] = (
    ("Recordings reviewed", _recordings_reviewed),
    ("Moments coded (final or shared)", _moments_coded),
    ("Observations", _observations),
    ("PPN1 reviews", _ppn1_reviews),
    ("Debriefs (reflective practice sessions)", _debriefs),
    ("Reflections written by officers", _reflections),
    ("Training sessions held", _sessions_held),
    ("Attendances at training", _attendances),
    ("People trained (each counted once)", lambda s, p: _attendances(s, p, people=True)),
    ("Questionnaires returned", _responses),
)


@dataclass(frozen=True)
class Outcomes:
    period: Period
    tables: tuple[Table, ...]
    practice: practice.PracticeOverTime
    sessions: int  # sessions held in the period (a count of sessions, not of people)

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def compose_outcomes(
    db: Database, codebook: Codebook, date_from: dt.date, date_to: dt.date
) -> Outcomes:
    """Every figure of the outcomes report between two days (inclusive)."""
    require(db.principal, READ_REPORTS)
    if date_to < date_from:
        raise DomainError(
            f"the period ends ({date_to:%d %b %Y}) before it starts ({date_from:%d %b %Y})"
        )
    period = Period(date_from, date_to)
    with db.begin() as session:
        activity = [(label, None if f is None else f(session, period)) for label, f in ACTIVITY]
        written = _reflections_by_month(session, period)
    over_time = practice.practice_over_time(db, date_from, date_to)
    held = list_sessions(db, date_from=date_from, date_to=date_to)
    measured = answers.results(db, [s.id for s in held])
    tables = (
        _activity_table(activity),
        *_practice_tables(over_time, codebook),
        _sessions_table(held),
        measures_table(held, measured),
        _reflections_table(written, over_time.months),
    )
    return Outcomes(period, tables, over_time, len(held))


def _activity_table(activity: list[tuple[str, int | None]]) -> Table:
    rows = tuple(
        (label, disclosure.count(n) if n is not None else Cell(NOT_RECORDED))
        for label, n in activity
    )
    return Table("activity", "Activity in the period", ("activity",), ("count",), rows)


def _practice_row(figure: practice.Figure | None) -> tuple[Cell, ...]:
    good, concern = (figure.good, figure.concern) if figure else (0, 0)
    n = good + concern
    good_cell, concern_cell, total = disclosure.parts(good, n)
    share, low, high = disclosure.share(good, n)
    return total, good_cell, concern_cell, share, low, high, Cell(disclosure.reading(n))


def _practice_tables(over: practice.PracticeOverTime, codebook: Codebook) -> tuple[Table, ...]:
    notes = _practice_notes(over)
    months = tuple(
        (group, month, *_practice_row(over.by_month.get((group, month))))
        for group in over.groups
        for month in over.months
    )
    principle_label = {p.key: p.label for p in codebook.principles}
    phases = [
        (g, ph)
        for g in over.groups
        for ph in practice.PHASES
        if any(k[:2] == (g, ph) for k in over.by_principle)
    ]
    principles = tuple(
        (
            g,
            ph,
            principle_label.get(p.key, p.key),
            *_practice_row(over.by_principle.get((g, ph, p.key))),
        )
        for g, ph in phases
        for p in codebook.principles
    )
    category = {c.key: c for c in codebook.categories}
    categories = tuple(
        (
            g,
            ph,
            category[key].label if key in category else key,
            POLARITY_WORDS.get(category[key].polarity if key in category else "", ""),
            disclosure.count(figure.moments),
        )
        for (g, ph, key), figure in sorted(
            over.by_category.items(),
            key=lambda kv: (
                over.groups.index(kv[0][0]),
                practice.PHASES.index(kv[0][1]),
                kv[1].good == 0,
                -kv[1].moments,
                kv[0][2],
            ),
        )
    )
    return (
        Table(
            "practice_by_month",
            "Practice over time, by team and month",
            ("team", "month"),
            PRACTICE_COLUMNS,
            months,
            notes,
        ),
        Table(
            "practice_by_principle",
            "Before, during and after training, by principle",
            ("team", "phase", "principle"),
            PRACTICE_COLUMNS,
            principles,
            notes,
        ),
        Table(
            "practice_by_category",
            "Before, during and after training, by category",
            ("team", "phase", "category", "polarity"),
            ("moments",),
            categories,
            notes,
        ),
    )


def _practice_notes(over: practice.PracticeOverTime) -> tuple[str, ...]:
    notes = [
        "Counted: final and shared moments coded good practice or to learn from, dated by "
        f"the incident, from: {', '.join(over.sources)}. A moment counts under each "
        "principle its category serves.",
        f"Teams are named only when their moments come from at least {disclosure.MIN_OFFICERS}"
        " different officers; individual officers are never shown or compared.",
    ]
    if over.teams_merged:
        notes.append("Smaller teams are counted together as 'Other teams'.")
    if over.left_out:
        notes.append(
            "Some moments are left out of every figure, 'All teams' included: they come from "
            f"incidents with no officer linked, or from fewer than {disclosure.MIN_OFFICERS}"
            " officers in teams too small to show."
        )
    return tuple(notes)


def session_label(s: ScheduledSession) -> str:
    return f"{s.held_on:%Y-%m-%d} session {s.module_number} ({s.team})"


def _sessions_table(held: list[ScheduledSession]) -> Table:
    by_module: Counter[tuple[int, str]] = Counter()
    attended: Counter[tuple[int, str]] = Counter()
    for s in held:
        by_module[s.module_number, s.title] += 1
        attended[s.module_number, s.title] += s.attendees
    rows = tuple(
        (f"{number}. {title}", disclosure.count(n), disclosure.count(attended[number, title]))
        for (number, title), n in sorted(by_module.items())
    )
    total = (
        ALL_SESSIONS,
        disclosure.count(len(held)),
        disclosure.count(sum(s.attendees for s in held)),
    )
    return Table(
        "training_sessions",
        "Training sessions held",
        ("session",),
        ("sessions_held", "attendances"),
        (*rows, total),
    )


def measures_table(held: list[ScheduledSession], measured: list[answers.MeasureResult]) -> Table:
    label = {s.id: session_label(s) for s in held}
    rows = []
    for m in measured:
        mean, low, high = disclosure.mean(m.values)
        share, share_low, share_high = disclosure.share(m.high, m.n)
        rows.append(
            (
                label.get(m.session_id, ALL_SESSIONS) if m.session_id else ALL_SESSIONS,
                m.questionnaire_key,
                m.measure,
                m.phase,
                disclosure.count(m.n),
                mean,
                low,
                high,
                share,
                share_low,
                share_high,
                Cell(disclosure.reading(m.n)),
            )
        )
    notes = (
        "Each person's rating of a measure is their mean over the session's topics (1 to 5)."
        " Answers are anonymous; before and after are different forms, not matched people.",
        "Written answers are kept for the trainer and never printed here.",
    )
    return Table(
        "training_measures",
        "Before and after: knowledge, confidence and feedback",
        ("session", "questionnaire", "measure", "phase"),
        MEASURE_COLUMNS,
        tuple(rows),
        notes,
    )


def _reflections_by_month(session: Session, period: Period) -> Counter[str]:
    R = models.Reflection  # noqa: N806
    stamps = session.scalars(select(R.created_at).where(_between(R.created_at, period)))
    return Counter(practice.month_of(stamp) for stamp in stamps)


def _reflections_table(written: Counter[str], months: tuple[str, ...]) -> Table:
    rows = tuple((month, disclosure.count(written.get(month, 0))) for month in months)
    return Table(
        "reflections",
        "Reflections written by officers, by month",
        ("month",),
        ("reflections",),
        rows,
    )
