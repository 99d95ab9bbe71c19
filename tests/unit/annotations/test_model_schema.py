"""The database the migrations build is the one the models declare, on both engines: every
table, column, type, nullability, index, unique constraint and foreign key (with its ON
DELETE action) as Alembic's autogenerate compares them, the ON DELETE actions again as the
engine itself enforces them, and every CHECK constraint by name (autogenerate does not
compare checks)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Column, Computed, Index, Table, inspect, text
from sqlalchemy.dialects.postgresql import TSVECTOR

from bwvreview.annotations.store import models

SHARED_RECORDS = ("observations", "ppn1_reviews")
SPANS = ("annotations", "redactions", "suggestions", "segments", "words", "clips")

# The full-text index of notes, transcripts and practice records is kept by the migrations
# and read with SQL alone (annotations/search), never through the ORM, so the models do not
# declare it (migrations 0005, 0006 and 0012):
# - SQLite: an FTS5 virtual table per indexed table and the shadow tables FTS5 keeps for it;
FTS_TABLES = ("segments_fts", "annotations_fts", "practice_search_fts")
FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")
# - PostgreSQL: a generated tsvector column `search` on each indexed table, with a GIN index.
SEARCH_TABLES = ("segments", "annotations", "practice_search")


def _is_full_text_index(kind: str, item: object, dialect: str) -> bool:
    """One autogenerate difference that is the full-text index, and nothing else."""
    if dialect == "sqlite":
        fts = {*FTS_TABLES, *(f"{t}_{s}" for t in FTS_TABLES for s in FTS5_SHADOWS)}
        return kind == "remove_table" and isinstance(item, Table) and item.name in fts
    if kind == "remove_column":
        return (
            isinstance(item, Column)
            and item.table.name in SEARCH_TABLES
            and item.name == "search"
            and isinstance(item.type, TSVECTOR)
            and isinstance(item.computed, Computed)
        )
    if kind == "remove_index":
        return (
            isinstance(item, Index)
            and item.table.name in SEARCH_TABLES
            and [c.name for c in item.columns] == ["search"]
        )
    return False


def _differences(db) -> list:  # noqa: ANN001
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        found = compare_metadata(context, models.Base.metadata)
    flat = [d for diff in found for d in (diff if isinstance(diff, list) else [diff])]
    return [d for d in flat if not _is_full_text_index(d[0], d[-1], db.dialect)]


def _readable(diff: tuple) -> str:
    kind, *rest = diff
    if kind in ("add_fk", "remove_fk"):
        fk = rest[0]
        cols = ", ".join(c.name for c in fk.columns)
        return f"{kind} {fk.table.name}({cols}) -> {fk.referred_table.name} ondelete={fk.ondelete}"
    if kind.startswith("modify_"):
        return f"{kind} {rest[1]}.{rest[2]}: {rest[-2]!r} -> {rest[-1]!r}"
    return f"{kind} {rest[-1]!r}"[:200]


def test_autogenerate_finds_nothing_between_the_migrations_and_the_models(db):
    """Server defaults are not compared: the migrations give many columns a default for the
    rows already there and for other programs' SQL (test_db inserts a job with SQL alone),
    where the models set their defaults in Python. That is a default more, not a difference
    in what a row may hold."""
    differences = [_readable(d) for d in _differences(db)]
    assert not differences, "the migrations and the models differ:\n" + "\n".join(differences)


def _enforced_on_delete(conn, table: str) -> set[tuple[tuple[str, ...], str, str]]:  # noqa: ANN001
    """``{(columns, referred table, ON DELETE action)}`` as the engine itself enforces them."""
    by_id: dict[object, tuple[list[str], str, str]] = {}
    if conn.dialect.name == "sqlite":  # the PRAGMA, not the CREATE TABLE text reflection parses
        for fk_id, _seq, parent, child, _pcol, _on_update, on_delete, _match in conn.execute(
            text(f'PRAGMA foreign_key_list("{table}")')
        ):
            by_id.setdefault(fk_id, ([], parent, on_delete))[0].append(child)
    else:
        rows = conn.execute(text(
            "SELECT c.oid, a.attname, p.relname, c.confdeltype FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace "
            "JOIN unnest(c.conkey) WITH ORDINALITY k(attnum, n) ON true "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
            "WHERE c.contype = 'f' AND n.nspname = 'public' AND t.relname = :table "
            "ORDER BY c.oid, k.n"), {"table": table})  # fmt: skip
        actions = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
                   "d": "SET DEFAULT"}  # fmt: skip
        for oid, child, parent, action in rows:
            by_id.setdefault(oid, ([], parent, actions[action]))[0].append(child)
    return {(tuple(cols), parent, action) for cols, parent, action in by_id.values()}


def test_every_foreign_key_acts_on_delete_as_its_model_says(db):
    with db.engine.connect() as conn:
        for table in models.Base.metadata.sorted_tables:
            declared = {
                (tuple(c.name for c in fk.columns), fk.referred_table.name,
                 (fk.ondelete or "NO ACTION").upper())
                for fk in table.foreign_key_constraints
            }  # fmt: skip
            assert _enforced_on_delete(conn, table.name) == declared, table.name


@pytest.mark.parametrize("table", sorted(models.Base.metadata.tables))
def test_the_checks_the_models_declare_are_the_databases(db, table):
    """Autogenerate does not compare CHECK constraints: they are compared here, by name
    (and on SQLite, where the text is kept as written, by their words too)."""
    declared = {
        c.name: str(c.sqltext)
        for c in models.Base.metadata.tables[table].constraints
        if isinstance(c, CheckConstraint)
    }
    stored = {c["name"]: c["sqltext"] for c in inspect(db.engine).get_check_constraints(table)}
    assert set(stored) == set(declared)
    if db.engine.dialect.name == "sqlite":
        assert {n: " ".join(t.split()) for n, t in stored.items()} == declared
    if table in (*SHARED_RECORDS, *SPANS):
        assert f"ck_{table}_span" in declared or f"ck_{table}_status" in declared
