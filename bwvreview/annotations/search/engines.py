"""How each engine matches, ranks and quotes a parsed query: SQLite's FTS5 tables or
PostgreSQL's generated ``search`` tsvector columns (neither is in the ORM models)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, column, func, literal, literal_column, select, table
from sqlalchemy.orm import Session

from bwvreview.annotations.search.query import Query, Term
from bwvreview.annotations.store import models

MARK_OPEN, MARK_CLOSE = "«", "»"  # around each matched word in a snippet
RANKED_MAX = 2000  # more matching rows than this are listed newest first, unranked


@dataclass(frozen=True)
class Ranking:
    """How rows are ordered, the score each gets, and a snippet made in the same query
    (``None``: asked for afterwards with ``snippets``)."""

    score: ColumnElement[float]
    order: list[ColumnElement]
    snippet: ColumnElement[str] | None = None


class SqliteEngine:
    """FTS5: ``MATCH`` on the quoted query, ``bm25`` (lower is better) as the rank."""

    def __init__(self, query: Query) -> None:
        self.text = query.fts5()
        self.tables = {name: table(name, column("rowid"), column("rank"))
                       for name in ("segments_fts", "annotations_fts",
                                    "practice_search_fts")}  # fmt: skip

    def match(self, name: str) -> ColumnElement[bool]:
        return literal_column(name).op("MATCH")(literal(self.text))

    def ranking(self, session: Session, name: str) -> Ranking:
        """bm25, best first; or, when more than ``RANKED_MAX`` rows match, no score and the
        newest rows first, which FTS5 gives in order without reading them all.

        bm25 reads every matching row's statistics (about 6 µs a row): a word said in
        most lines ("you") would take over a second to rank, and ranking it means little.
        Unranked rows are not sorted, so their snippets are made in the same query for the
        rows returned only (a second query with ``rowid IN`` would expand a prefix* again
        for each id).
        """
        fts = self.tables[name]
        beyond = session.scalar(
            select(fts.c.rowid).where(self.match(name)).limit(1).offset(RANKED_MAX)
        )
        if beyond is not None:  # one order key, so FTS5 gives the rows in it, no sort
            return Ranking(literal(0.0), [fts.c.rowid.desc()], self._snippet(name))
        return Ranking(-fts.c.rank, [fts.c.rank, fts.c.rowid])

    def _snippet(self, name: str) -> ColumnElement[str]:
        which = -1 if name == "annotations_fts" else 0  # -1: the best of note and quote
        return func.snippet(literal_column(name), which, MARK_OPEN, MARK_CLOSE, "…", 16)

    def snippets(self, session: Session, name: str, _source: str, ids: list[int]) -> dict:
        fts = self.tables[name]
        rows = session.execute(
            select(fts.c.rowid, self._snippet(name)).where(self.match(name), fts.c.rowid.in_(ids))
        )
        return dict(rows.all())

    def from_(self, name: str, source: type) -> tuple[object, ColumnElement[bool]]:
        fts = self.tables[name]
        return fts, fts.c.rowid == source.id


# English stemming that keeps every word (migration 0006), as SQLite's porter tokenizer does.
CONFIG = literal_column("'bwvreview_english'::regconfig")
_MODELS: dict[str, type] = {"segments": models.Segment, "annotations": models.Annotation,
                            "practice_search": models.PracticeText}  # fmt: skip


class PostgresEngine:
    """The generated ``search`` tsvector, matched with ``@@`` and ranked with ``ts_rank``."""

    def __init__(self, query: Query) -> None:
        self.tsquery = tsquery(query)

    def match(self, table: str) -> ColumnElement[bool]:
        return literal_column(f"{table}.search").op("@@")(self.tsquery)

    def ranking(self, session: Session, table: str) -> Ranking:
        """ts_rank, best first; or, as on SQLite, the newest rows first, unranked, when more
        than ``RANKED_MAX`` rows match: ranking a word said in most lines ("you") read every
        one of them (120 ms median, 220 ms at p95 on the 2-million-word benchmark)."""
        model = _MODELS[table]
        beyond = session.scalar(
            select(model.id).where(self.match(table)).limit(1).offset(RANKED_MAX)
        )
        if beyond is not None:
            return Ranking(literal(0.0), [model.id.desc()])
        score = func.ts_rank(literal_column(f"{table}.search"), self.tsquery)
        return Ranking(score, [literal_column("score").desc(), literal_column(f"{table}.id")])

    def snippets(self, session: Session, table: str, source: str, ids: list[int]) -> dict:
        model = _MODELS[table]
        options = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=24, MinWords=10"
        rows = session.execute(
            select(model.id, func.ts_headline(CONFIG, literal_column(source), self.tsquery,
                                              options))
            .where(model.id.in_(ids))
        )  # fmt: skip
        return dict(rows.all())

    def from_(self, table: str, source: type) -> tuple[object, ColumnElement[bool]]:
        return source, literal(True)


def ts_term(term: Term) -> ColumnElement:
    if not term.prefix:
        return func.websearch_to_tsquery(CONFIG, literal('"' + term.words() + '"'))
    last = func.to_tsquery(CONFIG, literal(term.tokens[-1] + ":*"))
    if len(term.tokens) == 1:
        return last
    head = func.websearch_to_tsquery(CONFIG, literal('"' + " ".join(term.tokens[:-1]) + '"'))
    return func.tsquery_phrase(head, last)


def tsquery(query: Query) -> ColumnElement:
    alternatives = []
    for group in query.groups:
        combined = None
        for term in group:
            part = ts_term(term)
            if term.negated:
                part = func.tsquery_not(part)
            combined = part if combined is None else func.tsquery_and(combined, part)
        alternatives.append(combined)
    result = alternatives[0]
    for other in alternatives[1:]:
        result = func.tsquery_or(result, other)
    return result
