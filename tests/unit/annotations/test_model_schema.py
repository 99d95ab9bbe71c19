"""The models that share column blocks and checks (``_SharedRecord`` for observations and
PPN1 reviews, ``span_check`` for every span of time) describe the tables exactly as the
frozen migrations made them, on both engines."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Table, inspect

from bwvreview.annotations.store import models

SHARED_RECORDS = ("observations", "ppn1_reviews")
SPANS = ("annotations", "redactions", "suggestions", "segments", "words", "clips")
# clips: its two reviewer keys differ from the migrations on SQLite (ON DELETE SET NULL)
# since before the shared checks, so autogenerate is asked about the others
COMPARED = {*SHARED_RECORDS, *SPANS} - {"clips"}
FULL_TEXT = "search"  # PostgreSQL's generated tsvector column and its index: not in the ORM


def _tables_of(diff) -> set[str]:  # noqa: ANN001
    """The tables an autogenerate difference is about (a table, or a column, index or
    constraint of one, or a table named in a column change)."""
    found = set()
    for part in diff if isinstance(diff, list) else [diff]:
        for item in part[1:]:
            if isinstance(item, Table):
                found.add(item.name)
            elif isinstance(item, str):
                found.add(item)
            elif getattr(item, "table", None) is not None:
                found.add(item.table.name)
    return found


def _is_full_text(diff) -> bool:  # noqa: ANN001
    items = [i for part in (diff if isinstance(diff, list) else [diff]) for i in part[1:]]
    names = {getattr(i, "name", None) for i in items}
    return FULL_TEXT in names or any(n and n.endswith(f"_{FULL_TEXT}") for n in names if n)


def test_autogenerate_finds_nothing_to_change_in_the_shared_tables(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, models.Base.metadata)
    ours = [d for d in differences if _tables_of(d) & COMPARED and not _is_full_text(d)]
    assert ours == []


@pytest.mark.parametrize("table", [*SHARED_RECORDS, *SPANS])
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
    assert f"ck_{table}_span" in declared or f"ck_{table}_status" in declared
    indexes = {i["name"] for i in inspect(db.engine).get_indexes(table)}
    model_indexes = {i.name for i in models.Base.metadata.tables[table].indexes}
    assert model_indexes <= indexes
