"""Migration 0011 (the training programme) on both engines: up from the revision before it
with data in place, the tables as the models describe them, and down again leaving the
rest of the library as it was."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import _alembic_config, normalise_url

PROGRAMME_TABLES = {"programme_documents", "training_sessions", "training_session_packs",
                    "training_attendance", "questionnaire_responses"}  # fmt: skip


def _previous_head(cfg) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(cfg).get_revision("0011_programme").down_revision


def test_0011_goes_up_and_down_keeping_the_library(empty_url):
    engine = create_engine(normalise_url(empty_url))
    cfg = _alembic_config(engine)
    before = _previous_head(cfg)
    assert before and before.startswith("00")  # the revision just before it, whichever
    command.upgrade(cfg, before)
    with engine.begin() as conn:
        conn.execute(text("insert into users (name, name_key, role, active, created_at) values "
                          "('Tess', 'tess', 'trainer', true, '2026-01-01')"))  # fmt: skip
        conn.execute(text("insert into training_packs (title, description, created_at) "
                          "values ('Pack', '', '2026-01-01')"))  # fmt: skip
    assert not PROGRAMME_TABLES & set(inspect(engine).get_table_names())
    command.upgrade(cfg, "0011_programme")
    assert set(inspect(engine).get_table_names()) >= PROGRAMME_TABLES
    with engine.begin() as conn:
        conn.execute(text("insert into programme_documents (kind, key, version, sha256, "
                          "source_yaml, installed_at) values ('curriculum', 'curriculum', '1', "
                          "'a', 'x: 1', '2026-01-01')"))  # fmt: skip
        conn.execute(text("insert into training_sessions (curriculum_id, module_key, held_on, "
                          "length_minutes, team, created_at) values (1, 'one', '2026-02-01', "
                          "180, 'North', '2026-01-01')"))  # fmt: skip
        conn.execute(text("insert into training_session_packs values (1, 1)"))
        # the server's own defaults, as another program writing SQL would get them
        assert conn.scalar(text("select trainer_name from training_sessions")) == ""
    command.downgrade(cfg, before)
    assert not PROGRAMME_TABLES & set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.scalar(text("select count(*) from training_packs")) == 1
        assert conn.scalar(text("select name from users")) == "Tess"
    command.upgrade(cfg, "head")
    engine.dispose()


def test_the_programme_tables_are_what_the_models_say(db):
    """Autogenerate finds nothing to add, drop or change in the programme's tables."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, models.Base.metadata)

    def table_of(diff) -> str | None:  # noqa: ANN001
        for part in diff if isinstance(diff, list) else [diff]:
            for item in part[1:]:
                name = getattr(item, "name", None) if not isinstance(item, str) else None
                table = getattr(item, "table", None)
                if table is not None and table.name in PROGRAMME_TABLES:
                    return table.name
                if name in PROGRAMME_TABLES:
                    return name
                if isinstance(item, str) and item in PROGRAMME_TABLES:
                    return item
        return None

    ours = [d for d in differences if table_of(d)]
    assert ours == []
