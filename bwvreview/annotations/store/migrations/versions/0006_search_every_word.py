"""PostgreSQL search keeps every word: an English configuration without stop words

Revision ID: 0006_search_every_word
Revises: 0005_team_learning
Create Date: 2026-12-06 21:00:00.000000

PostgreSQL's ``english`` configuration drops stop words, so in team mode a search for "you"
found nothing and "sit down" was a search for "sit", where SQLite's FTS5 (porter, no stop
words) found them. ``bwvreview_english`` stems with the same Snowball English stemmer but
keeps every word. A generated column's expression cannot be altered before PostgreSQL 17,
so the ``search`` columns and their GIN indexes are made again. SQLite is unchanged.
"""

from alembic import op


revision = "0006_search_every_word"
down_revision = "0005_team_learning"
branch_labels = None
depends_on = None

CONFIG = "bwvreview_english"
SOURCES = {
    "segments": "coalesce(text, '')",
    "annotations": "coalesce(note, '') || ' ' || coalesce(quote, '')",
}


def _search_columns(config: str) -> None:
    for table, source in SOURCES.items():
        op.execute(f"ALTER TABLE {table} DROP COLUMN search")  # drops its index too
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('{config}', {source})) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING GIN (search)")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE TEXT SEARCH DICTIONARY {CONFIG}_stem (TEMPLATE = snowball, LANGUAGE = english)"
    )
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.english)")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
        f"ALTER MAPPING REPLACE english_stem WITH {CONFIG}_stem"
    )
    _search_columns(CONFIG)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _search_columns("english")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {CONFIG}")
    op.execute(f"DROP TEXT SEARCH DICTIONARY {CONFIG}_stem")
