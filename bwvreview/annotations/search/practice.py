"""Search hits in practice records: observations (context, notes and points), PPN1 reviews
(strengths, points) and the PPN1s pasted into them, and session records.

Each record's words are kept in ``practice_search`` by its service and indexed as notes are.
Who finds what follows ``practice.rules``: a TIP or admin everything; an officer their own
observations and PPN1 reviews once shared (the PPN1 itself included: the incident is
theirs) and the sessions they attended; a trainer nothing. Filters that describe annotations
(category, principle, polarity) or a recording's review status leave these out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import Principal
from bwvreview.annotations.practice.rules import (
    observation_filter,
    ppn1_filter,
    session_filter,
)
from bwvreview.annotations.search.engines import PostgresEngine, Ranking, SqliteEngine
from bwvreview.annotations.store import models

RECORDS = {"observation": "observation", "ppn1": "ppn1", "ppn1_text": "ppn1", "session": "session"}
P, OB, V, S = models.PracticeText, models.Observation, models.Ppn1Review, models.PracticeSession
INC = models.Incident


def _readable(principal: Principal) -> ColumnElement[bool]:
    return or_(
        and_(P.kind == "observation", observation_filter(principal)),
        and_(P.kind.in_(("ppn1", "ppn1_text")), ppn1_filter(principal)),
        and_(P.kind == "session", session_filter(principal)),
    )


def _officer(officer_id: int) -> ColumnElement[bool]:
    attended = models.session_attendees
    return or_(
        OB.officer_id == officer_id,
        V.officer_id == officer_id,
        exists(
            select(attended.c.user_id).where(
                attended.c.session_id == S.id, attended.c.user_id == officer_id
            )
        ),
    )


def _day(date_from: dt.date | None, date_to: dt.date | None) -> list[ColumnElement[bool]]:
    day = func.coalesce(func.date(OB.started_at), func.date(V.created_at), S.held_on)
    conditions = []
    if date_from is not None:
        conditions.append(day >= date_from)
    if date_to is not None:
        conditions.append(day <= date_to)
    return conditions


def practice_hits(
    session: Session,
    engine: SqliteEngine | PostgresEngine,
    principal: Principal,
    limit: int,
    *,
    officer_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[tuple[Sequence, str]]:
    """The best ``limit`` matching practice records the principal may read, as rows
    (``kind``, ``record_id``, ``reference``, ``score``) with their snippets."""
    table = "practice_search_fts" if isinstance(engine, SqliteEngine) else "practice_search"
    source, joined = engine.from_(table, P)
    ranking: Ranking = engine.ranking(session, table)
    inline = [] if ranking.snippet is None else [ranking.snippet.label("snippet")]
    statement = select(
        P.id, P.kind, P.record_id, INC.reference, ranking.score.label("score"), *inline
    ).select_from(source)
    if isinstance(engine, SqliteEngine):
        statement = statement.join(P, joined)
    conditions = [engine.match(table), _readable(principal), *_day(date_from, date_to)]
    if officer_id is not None:
        conditions.append(_officer(officer_id))
    statement = (
        statement.outerjoin(OB, OB.id == P.observation_id)
        .outerjoin(V, V.id == P.ppn1_review_id)
        .outerjoin(S, S.id == P.session_id)
        .outerjoin(INC, INC.id == func.coalesce(OB.incident_id, V.incident_id))
        .where(*conditions)
        .order_by(*ranking.order)
        .limit(limit)
    )
    rows = session.execute(statement).all()
    if ranking.snippet is not None:
        snippets = {r.id: r.snippet for r in rows}
    else:
        snippets = engine.snippets(session, table, "practice_search.text", [r.id for r in rows])
    return [(r, snippets.get(r.id, "")) for r in rows]
