"""How each engine matches, ranks and quotes a parsed query: SQLite's FTS5 tables or
PostgreSQL's generated ``search`` tsvector columns (neither is in the ORM models)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, column, func, literal, literal_column, select, table
from sqlalchemy.orm import Session

from bwvreview.annotations import models
from bwvreview.annotations.search_query import Query, Term

MARK_OPEN, MARK_CLOSE = "«", "»"  # around each matched word in a snippet
RANKED_MAX = 2000  # SQLite: more matching rows than this are listed newest first, unranked


class SqliteEngine:
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


class PostgresEngine:
    """The generated ``search`` tsvector, matched with ``@@`` and ranked with ``ts_rank``."""

    def __init__(self, query: Query) -> None:
        self.tsquery = tsquery(query)

    def match(self, table: str) -> ColumnElement[bool]:
        return literal_column(f"{table}.search").op("@@")(self.tsquery)

    def ranking(self, _session: Session, table: str) -> tuple[ColumnElement, list[ColumnElement]]:
        score = func.ts_rank(literal_column(f"{table}.search"), self.tsquery)
        return score, [literal_column("score").desc(), literal_column(f"{table}.id")]

    def snippets(self, session: Session, table: str, source: str, ids: list[int]) -> dict:
        model = models.Segment if table == "segments" else models.Annotation
        options = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=24, MinWords=10"
        rows = session.execute(
            select(model.id, func.ts_headline(literal_column("'english'::regconfig"),
                                              literal_column(source), self.tsquery, options))
            .where(model.id.in_(ids))
        )  # fmt: skip
        return dict(rows.all())

    def from_(self, table: str, source: type) -> tuple[object, ColumnElement[bool]]:
        return source, literal(True)


def ts_term(term: Term) -> ColumnElement:
    english = literal_column("'english'::regconfig")
    if not term.prefix:
        return func.websearch_to_tsquery(english, literal('"' + term.words() + '"'))
    last = func.to_tsquery(english, literal(term.tokens[-1] + ":*"))
    if len(term.tokens) == 1:
        return last
    head = func.websearch_to_tsquery(english, literal('"' + " ".join(term.tokens[:-1]) + '"'))
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
