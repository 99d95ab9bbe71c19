"""Full-text search over current transcripts and annotation notes and quotes, with filters.

Each engine searches with its own index: SQLite's FTS5 tables (``segments_fts``,
``annotations_fts``, kept in step by triggers) or PostgreSQL's generated ``search``
tsvector columns with their GIN indexes. The query is parsed first (``search_query``), so
what a person types never reaches the engine as syntax. Both stem English words ("warnings"
finds "warning") and keep every word: PostgreSQL's own English configuration would drop
"down", "you" and "now", so it uses ``bwvreview_english`` (migration 0006), which keeps them
as SQLite's porter tokenizer does.

Filters:

- *category, principle, polarity* describe annotations. Annotation hits must match them;
  transcript hits are kept only where the line overlaps an annotation that matches them
  (and that the reader may see): "what was said in moments marked as triggering language".
- *officer, date, status* describe the recording and its incident, and apply to both kinds.
  The date is the incident's date, or the recording's when the incident has none.

Who sees what (``access.py``): a TIP or admin searches everything; an officer searches the
transcripts of their own incidents and the annotations shared with them there; a trainer
searches only the annotations that a library clip was cut for, never a transcript.

The kind ``practice`` (asked for by name; not among the default ``KINDS``, whose hits all
have a recording) finds observations, PPN1 reviews and session records (``practice.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import (
    READ_CLIPS,
    READ_FOOTAGE,
    PermissionDenied,
    Principal,
    annotation_filter,
    recording_filter,
)
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.search.engines import (
    MARK_CLOSE,
    MARK_OPEN,
    PostgresEngine,
    Ranking,
    SqliteEngine,
)
from bwvreview.annotations.search.practice import RECORDS as PRACTICE_RECORDS
from bwvreview.annotations.search.practice import practice_hits
from bwvreview.annotations.search.query import parse_query
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

KINDS = ("transcript", "annotation")  # the default: hits on a recording
PRACTICE = "practice"  # observations, PPN1 reviews, sessions: no recording
ALL_KINDS = (*KINDS, PRACTICE)
RECORDING_STATUSES = ("new", "transcribed", "in_review", "reviewed", "shared", "archived")
POLARITIES = ("concern", "good_practice", "observation")
MAX_LIMIT = 500

S, A, T, R = models.Segment, models.Annotation, models.Transcript, models.Recording
INC = models.Incident
Engine = SqliteEngine | PostgresEngine


@dataclass(frozen=True)
class SearchHit:
    """A moment that matched: where it is, the text around the match (matched words
    between ``«`` and ``»``), how well it matched (higher is better) and, for an annotation,
    what it was coded as."""

    kind: str  # "transcript" | "annotation" | "practice"
    recording_id: int | None  # None for a practice record
    start_ms: int
    end_ms: int
    snippet: str
    rank: float
    incident_reference: str | None = None
    speaker: str | None = None  # transcript hits
    annotation_id: int | None = None
    category_key: str | None = None
    category_label: str | None = None
    principles: tuple[str, ...] = ()
    polarity: str | None = None
    record: str | None = None  # practice hits: "observation" | "ppn1" | "session"
    record_id: int | None = None
    in_ppn1_text: bool = False  # the words were found in a pasted PPN1 (personal data)

    def parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_match) pieces, for a view that highlights matches."""
        pieces: list[tuple[str, bool]] = []
        for i, chunk in enumerate(self.snippet.split(MARK_OPEN)):
            if i == 0:
                pieces.append((chunk, False))
                continue
            matched, _, rest = chunk.partition(MARK_CLOSE)
            pieces += [(matched, True), (rest, False)]
        return [p for p in pieces if p[0]]

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": self.kind, "recording_id": self.recording_id,
            "start": self.start_ms / 1000, "end": self.end_ms / 1000,
            "snippet": self.snippet, "rank": round(self.rank, 6),
            "incident": self.incident_reference,
        }  # fmt: skip
        if self.kind == "transcript":
            data["speaker"] = self.speaker
        elif self.kind == PRACTICE:
            data.update(record=self.record, record_id=self.record_id,
                        in_ppn1_text=self.in_ppn1_text)  # fmt: skip
        else:
            data.update(annotation_id=self.annotation_id, category=self.category_key,
                        principles=list(self.principles), polarity=self.polarity)  # fmt: skip
        return data


@dataclass(frozen=True)
class _Filters:
    category_ids: tuple[int, ...] | None  # None: no annotation filter
    officer_id: int | None
    date_from: dt.date | None
    date_to: dt.date | None
    statuses: tuple[str, ...]


def search(
    db: Database,
    query: str,
    *,
    categories: Iterable[str] = (),
    principles: Iterable[str] = (),
    polarity: str | None = None,
    officer: int | str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    statuses: Iterable[str] = (),
    kinds: Sequence[str] = KINDS,
    limit: int = 50,
) -> list[SearchHit]:
    """The best ``limit`` moments matching ``query``, best first, that the reader may see.

    ``officer`` is a user id (int) or a collar number (str). Bad query syntax, an unknown
    category, principle, status or officer raises ``DomainError`` with a plain message.
    """
    principal = db.principal
    if not (principal.can(READ_FOOTAGE) or principal.can(READ_CLIPS) or principal.is_officer):
        raise PermissionDenied(f"{principal.name} may not search the library")
    parsed = parse_query(query)
    unknown = set(kinds) - set(ALL_KINDS)
    if unknown:
        raise DomainError(f"kinds are {', '.join(ALL_KINDS)}, not {', '.join(sorted(unknown))}")
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(f"limit must be 1–{MAX_LIMIT}")
    statuses = tuple(statuses)
    for status in statuses:
        if status not in RECORDING_STATUSES:
            raise DomainError(f"status must be one of {', '.join(RECORDING_STATUSES)}")
    if date_from and date_to and date_to < date_from:
        raise DomainError("the date range ends before it starts")
    with db.begin() as session:
        filters = _Filters(
            category_ids=_category_ids(session, tuple(categories), tuple(principles), polarity),
            officer_id=_officer_id(session, officer),
            date_from=date_from,
            date_to=date_to,
            statuses=statuses,
        )
        engine = PostgresEngine(parsed) if db.dialect == "postgresql" else SqliteEngine(parsed)
        hits: list[SearchHit] = []
        # a trainer reads clips and their annotations, never a transcript
        if "transcript" in kinds and (principal.can(READ_FOOTAGE) or principal.is_officer):
            hits += _transcript_hits(session, engine, filters, principal, limit)
        if "annotation" in kinds:
            hits += _annotation_hits(session, engine, filters, principal, limit)
        if PRACTICE in kinds and filters.category_ids is None and not filters.statuses:
            hits += _practice(session, engine, filters, principal, limit)
    hits.sort(key=lambda h: -h.rank)  # stable: equal ranks keep the engine's order
    return hits[:limit]


# --- filters -----------------------------------------------------------------------------
def _category_ids(
    session: Session, keys: tuple[str, ...], principles: tuple[str, ...], polarity: str | None
) -> tuple[int, ...] | None:
    """The codebook categories (of every stored version) the annotation filters allow."""
    if not keys and not principles and polarity is None:
        return None
    if polarity is not None and polarity not in POLARITIES:
        raise DomainError(f"polarity must be one of {', '.join(POLARITIES)}")
    rows = session.execute(
        select(models.CodebookCategory.id, models.CodebookCategory.key,
               models.CodebookCategory.principles, models.CodebookCategory.polarity)
    ).all()  # fmt: skip
    known_keys = {row.key for row in rows}
    known_principles = {p for row in rows for p in row.principles or ()}
    for key in keys:
        if key not in known_keys:
            raise DomainError(f"no codebook category {key!r}")
    for principle in principles:
        if principle not in known_principles:
            raise DomainError(f"no principle {principle!r} in the codebook")
    return tuple(
        row.id
        for row in rows
        if (not keys or row.key in keys)
        and (not principles or set(principles) & set(row.principles or ()))
        and (polarity is None or row.polarity == polarity)
    )


def _officer_id(session: Session, officer: int | str | None) -> int | None:
    if officer is None:
        return None
    column = models.User.id if isinstance(officer, int) else models.User.collar_number
    found = session.scalar(select(models.User.id).where(column == officer))
    if found is None:
        what = "user id" if isinstance(officer, int) else "collar number"
        raise NotFoundError(f"no officer with {what} {officer}")
    return found


def _recording_conditions(filters: _Filters) -> list[ColumnElement[bool]]:
    """Officer, date and review status, through the recording and its incident."""
    conditions: list[ColumnElement[bool]] = []
    if filters.officer_id is not None:
        conditions.append(
            exists(
                select(models.incident_officers.c.user_id).where(
                    models.incident_officers.c.incident_id == R.incident_id,
                    models.incident_officers.c.user_id == filters.officer_id,
                )
            )
        )
    if filters.statuses:
        conditions.append(R.status.in_(filters.statuses))
    if filters.date_from is not None:
        start = dt.datetime.combine(filters.date_from, dt.time())
        conditions.append(
            or_(INC.occurred_on >= filters.date_from,
                and_(INC.occurred_on.is_(None), R.recorded_at >= start))
        )  # fmt: skip
    if filters.date_to is not None:
        after = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time())
        conditions.append(
            or_(INC.occurred_on <= filters.date_to,
                and_(INC.occurred_on.is_(None), R.recorded_at < after))
        )  # fmt: skip
    return conditions


def _trainer_shortcut(principal: Principal) -> list[ColumnElement[bool]]:
    """For a trainer, the same rows ``annotation_filter`` allows, as a list SQLite builds
    once (clips.annotation_id has no index: the filter's EXISTS would scan clips per row).
    Put before ``annotation_filter``, which still decides."""
    if principal.can(READ_FOOTAGE) or principal.is_officer or not principal.can(READ_CLIPS):
        return []
    in_library = select(models.Clip.annotation_id).where(models.Clip.in_library.is_(True))
    return [A.id.in_(in_library)]


def _coded_as(filters: _Filters) -> list[ColumnElement[bool]]:
    return [] if filters.category_ids is None else [A.category_id.in_(filters.category_ids)]


def _inline(ranking: Ranking) -> list[ColumnElement[str]]:
    return [] if ranking.snippet is None else [ranking.snippet.label("snippet")]


def _snippets(session: Session, engine: Engine, ranking: Ranking, table: str, source: str,
              rows: Sequence[Row]) -> dict[int, str]:  # fmt: skip
    if ranking.snippet is not None:
        return {r.id: r.snippet for r in rows}
    return engine.snippets(session, table, source, [r.id for r in rows])


# --- the kinds of hit ----------------------------------------------------------------------
def _practice(
    session: Session, engine: Engine, filters: _Filters, principal: Principal, limit: int
) -> list[SearchHit]:
    found = practice_hits(session, engine, principal, limit, officer_id=filters.officer_id,
                          date_from=filters.date_from, date_to=filters.date_to)  # fmt: skip
    return [
        SearchHit(PRACTICE, None, 0, 0, snippet, float(r.score), r.reference,
                  record=PRACTICE_RECORDS[r.kind], record_id=r.record_id,
                  in_ppn1_text=r.kind == "ppn1_text")
        for r, snippet in found
    ]  # fmt: skip



def _transcript_hits(
    session: Session, engine: Engine, filters: _Filters, principal: Principal, limit: int
) -> list[SearchHit]:
    table = "segments_fts" if isinstance(engine, SqliteEngine) else "segments"
    source, joined = engine.from_(table, S)
    conditions = [engine.match(table), recording_filter(principal), *_recording_conditions(filters)]
    if filters.category_ids is not None:
        # Bounded on both sides so the (recording, start) index reads only the annotations
        # that can overlap the line: none is longer than the longest of these categories.
        longest = (select(func.max(A.end_ms - A.start_ms)).where(*_coded_as(filters))
                   .scalar_subquery())  # fmt: skip
        conditions.append(
            exists(
                select(A.id).where(
                    A.recording_id == R.id, A.start_ms < S.end_ms,
                    A.start_ms >= S.start_ms - longest, A.end_ms > S.start_ms,
                    *_coded_as(filters), *_trainer_shortcut(principal),
                    annotation_filter(principal),
                )
            )
        )  # fmt: skip
    ranking = engine.ranking(session, table)
    score = ranking.score.label("score")
    statement = select(S.id, S.start_ms, S.end_ms, S.speaker, T.recording_id, INC.reference,
                       score, *_inline(ranking)).select_from(source)  # fmt: skip
    if isinstance(engine, SqliteEngine):
        statement = statement.join(S, joined)
    statement = (
        statement.join(T, and_(T.id == S.transcript_id, T.is_current.is_(True)))
        .join(R, R.id == T.recording_id)
        .outerjoin(INC, INC.id == R.incident_id)
        .where(*conditions)
        .order_by(*ranking.order)
        .limit(limit)
    )
    rows = session.execute(statement).all()
    snippets = _snippets(session, engine, ranking, table, "segments.text", rows)
    return [
        SearchHit(
            "transcript",
            r.recording_id,
            r.start_ms,
            r.end_ms,
            snippets.get(r.id, ""),
            float(r.score),
            r.reference,
            speaker=r.speaker,
        )  # fmt: skip
        for r in rows
    ]


def _annotation_hits(
    session: Session, engine: Engine, filters: _Filters, principal: Principal, limit: int
) -> list[SearchHit]:
    table = "annotations_fts" if isinstance(engine, SqliteEngine) else "annotations"
    source, joined = engine.from_(table, A)
    category = models.CodebookCategory
    ranking = engine.ranking(session, table)
    score = ranking.score.label("score")
    statement = select(A.id, A.recording_id, A.start_ms, A.end_ms, INC.reference, category.key,
                       category.label, category.principles, category.polarity, score,
                       *_inline(ranking)).select_from(source)  # fmt: skip
    if isinstance(engine, SqliteEngine):
        statement = statement.join(A, joined)
    statement = (
        statement.join(category, category.id == A.category_id)
        .join(R, R.id == A.recording_id)
        .outerjoin(INC, INC.id == R.incident_id)
        .where(engine.match(table), *_trainer_shortcut(principal), annotation_filter(principal),
               *_coded_as(filters), *_recording_conditions(filters))
        .order_by(*ranking.order)
        .limit(limit)
    )  # fmt: skip
    rows = session.execute(statement).all()
    source_text = "coalesce(annotations.note, '') || ' … ' || coalesce(annotations.quote, '')"
    snippets = _snippets(session, engine, ranking, table, source_text, rows)
    return [
        SearchHit(
            "annotation",
            r.recording_id,
            r.start_ms,
            r.end_ms,
            snippets.get(r.id, ""),
            float(r.score),
            r.reference,
            annotation_id=r.id,
            category_key=r.key,
            category_label=r.label,
            principles=tuple(r.principles or ()),
            polarity=r.polarity,
        )  # fmt: skip
        for r in rows
    ]
