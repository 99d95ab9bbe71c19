"""Full-text search over current transcripts and annotation notes and quotes, with filters.

Each engine searches with its own index: SQLite's FTS5 tables (``segments_fts``,
``annotations_fts``, kept in step by triggers) or PostgreSQL's generated ``search``
tsvector columns with their GIN indexes. The query is parsed first (``search_query``), so
what a person types never reaches the engine as syntax. Both stem English words ("warnings"
finds "warning"); PostgreSQL's English configuration also drops stop words ("down", "now"),
which SQLite's porter tokenizer keeps.

Filters:

- *category, principle, polarity* describe annotations. Annotation hits must match them;
  transcript hits are kept only where the line overlaps an annotation that matches them
  (and that the reader may see): "what was said in moments marked as triggering language".
- *officer, date, status* describe the recording and its incident, and apply to both kinds.
  The date is the incident's date, or the recording's when the incident has none.

Who sees what (``access.py``): a TIP or admin searches everything; an officer searches the
transcripts of their own incidents and the annotations shared with them there; a trainer
searches only the annotations that a library clip was cut for, never a transcript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    and_,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from bwvreview.annotations import models
from bwvreview.annotations.access import (
    READ_CLIPS,
    READ_FOOTAGE,
    PermissionDenied,
    Principal,
    annotation_filter,
    recording_filter,
)
from bwvreview.annotations.db import Database
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.search_query import Query, Term, parse_query

KINDS = ("transcript", "annotation")
RECORDING_STATUSES = ("new", "transcribed", "in_review", "reviewed", "shared", "archived")
POLARITIES = ("concern", "good_practice", "observation")
MARK_OPEN, MARK_CLOSE = "«", "»"  # around each matched word in a snippet
MAX_LIMIT = 500
RANKED_MAX = 2000  # SQLite: more matching rows than this are listed newest first, unranked

S, A, T, R = models.Segment, models.Annotation, models.Transcript, models.Recording
INC = models.Incident


@dataclass(frozen=True)
class SearchHit:
    """A moment that matched: where it is, the text around the match (matched words
    between ``«`` and ``»``), how well it matched (higher is better) and, for an annotation,
    what it was coded as."""

    kind: str  # "transcript" | "annotation"
    recording_id: int
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
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise DomainError(f"kinds are {', '.join(KINDS)}, not {', '.join(sorted(unknown))}")
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
        engine = _Postgres(parsed) if db.dialect == "postgresql" else _Sqlite(parsed)
        hits: list[SearchHit] = []
        # a trainer reads clips and their annotations, never a transcript
        if "transcript" in kinds and (principal.can(READ_FOOTAGE) or principal.is_officer):
            hits += _transcript_hits(session, engine, filters, principal, limit)
        if "annotation" in kinds:
            hits += _annotation_hits(session, engine, filters, principal, limit)
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


# --- the two engines ---------------------------------------------------------------------
class _Sqlite:
    """FTS5: ``MATCH`` on the quoted query, ``bm25`` (lower is better) as the rank."""

    def __init__(self, query: Query) -> None:
        self.text = query.fts5()
        self.tables = {name: table(name, column("rowid"), column("rank"))
                       for name in ("segments_fts", "annotations_fts")}  # fmt: skip

    def match(self, name: str) -> ColumnElement[bool]:
        return literal_column(name).op("MATCH")(literal(self.text))

    def ranking(self, session: Session, name: str) -> tuple[ColumnElement, list[ColumnElement]]:
        """(score, order): bm25, best first; or, when more than ``RANKED_MAX`` rows match,
        no score and the newest rows first, which FTS5 gives without reading them all.

        bm25 reads every matching row's statistics (about 6 µs a row): a word said in
        most lines ("you") would take over a second to rank, and ranking it means little.
        """
        fts = self.tables[name]
        matching = session.scalar(select(func.count()).select_from(fts).where(self.match(name)))
        if matching > RANKED_MAX:  # one order key, so FTS5 gives the rows in it, no sort
            return literal(0.0), [fts.c.rowid.desc()]
        return -fts.c.rank, [fts.c.rank, fts.c.rowid]

    def snippets(self, session: Session, name: str, _source: str, ids: list[int]) -> dict:
        fts = self.tables[name]
        which = -1 if name == "annotations_fts" else 0  # -1: the best of note and quote
        rows = session.execute(
            select(fts.c.rowid,
                   func.snippet(literal_column(name), which, MARK_OPEN, MARK_CLOSE, "…", 16))
            .where(self.match(name), fts.c.rowid.in_(ids))
        )  # fmt: skip
        return dict(rows.all())

    def from_(self, name: str, source: type) -> tuple[object, ColumnElement[bool]]:
        fts = self.tables[name]
        return fts, fts.c.rowid == source.id


class _Postgres:
    """The generated ``search`` tsvector, matched with ``@@`` and ranked with ``ts_rank``."""

    def __init__(self, query: Query) -> None:
        self.tsquery = _tsquery(query)

    def match(self, table: str) -> ColumnElement[bool]:
        return literal_column(f"{table}.search").op("@@")(self.tsquery)

    def ranking(self, _session: Session, table: str) -> tuple[ColumnElement, list[ColumnElement]]:
        score = func.ts_rank(literal_column(f"{table}.search"), self.tsquery)
        return score, [literal_column("score").desc(), literal_column(f"{table}.id")]

    def snippets(self, session: Session, table: str, source: str, ids: list[int]) -> dict:
        model = S if table == "segments" else A
        options = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=24, MinWords=10"
        rows = session.execute(
            select(model.id, func.ts_headline(literal_column("'english'::regconfig"),
                                              literal_column(source), self.tsquery, options))
            .where(model.id.in_(ids))
        )  # fmt: skip
        return dict(rows.all())

    def from_(self, table: str, source: type) -> tuple[object, ColumnElement[bool]]:
        return source, literal(True)


def _ts_term(term: Term) -> ColumnElement:
    english = literal_column("'english'::regconfig")
    if not term.prefix:
        return func.websearch_to_tsquery(english, literal('"' + term.words() + '"'))
    last = func.to_tsquery(english, literal(term.tokens[-1] + ":*"))
    if len(term.tokens) == 1:
        return last
    head = func.websearch_to_tsquery(english, literal('"' + " ".join(term.tokens[:-1]) + '"'))
    return func.tsquery_phrase(head, last)


def _tsquery(query: Query) -> ColumnElement:
    alternatives = []
    for group in query.groups:
        combined = None
        for term in group:
            part = _ts_term(term)
            if term.negated:
                part = func.tsquery_not(part)
            combined = part if combined is None else func.tsquery_and(combined, part)
        alternatives.append(combined)
    result = alternatives[0]
    for other in alternatives[1:]:
        result = func.tsquery_or(result, other)
    return result


# --- the two kinds of hit ----------------------------------------------------------------
def _transcript_hits(
    session: Session, engine: _Sqlite | _Postgres, filters: _Filters, principal: Principal,
    limit: int,
) -> list[SearchHit]:  # fmt: skip
    table = "segments_fts" if isinstance(engine, _Sqlite) else "segments"
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
    score, order = engine.ranking(session, table)
    statement = select(S.id, S.start_ms, S.end_ms, S.speaker, T.recording_id, INC.reference,
                       score.label("score")).select_from(source)  # fmt: skip
    if isinstance(engine, _Sqlite):
        statement = statement.join(S, joined)
    statement = (
        statement.join(T, and_(T.id == S.transcript_id, T.is_current.is_(True)))
        .join(R, R.id == T.recording_id)
        .outerjoin(INC, INC.id == R.incident_id)
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
    )
    rows = session.execute(statement).all()
    snippets = engine.snippets(session, table, "segments.text", [r.id for r in rows])
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
    session: Session, engine: _Sqlite | _Postgres, filters: _Filters, principal: Principal,
    limit: int,
) -> list[SearchHit]:  # fmt: skip
    table = "annotations_fts" if isinstance(engine, _Sqlite) else "annotations"
    source, joined = engine.from_(table, A)
    category = models.CodebookCategory
    score, order = engine.ranking(session, table)
    statement = select(A.id, A.recording_id, A.start_ms, A.end_ms, INC.reference, category.key,
                       category.label, category.principles, category.polarity,
                       score.label("score")).select_from(source)  # fmt: skip
    if isinstance(engine, _Sqlite):
        statement = statement.join(A, joined)
    statement = (
        statement.join(category, category.id == A.category_id)
        .join(R, R.id == A.recording_id)
        .outerjoin(INC, INC.id == R.incident_id)
        .where(engine.match(table), *_trainer_shortcut(principal), annotation_filter(principal),
               *_coded_as(filters), *_recording_conditions(filters))
        .order_by(*order)
        .limit(limit)
    )  # fmt: skip
    rows = session.execute(statement).all()
    source_text = "coalesce(annotations.note, '') || ' … ' || coalesce(annotations.quote, '')"
    snippets = engine.snippets(session, table, source_text, [r.id for r in rows])
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
