"""teams, review of reflections, training pack text, the job queue and full-text search

Revision ID: 0005_team_learning
Revises: 0004_mask_mode
Create Date: 2026-11-23 17:20:00.000000

Search is the engine's own: SQLite FTS5 tables kept in step by triggers, or on PostgreSQL a
generated tsvector column with a GIN index. Neither is in the ORM models: ``search.py``
queries them with SQL of its engine.
"""

from alembic import op
import sqlalchemy as sa


revision = "0005_team_learning"
down_revision = "0004_mask_mode"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE segments_fts USING fts5("
    "text, content='segments', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER segments_fts_ai AFTER INSERT ON segments BEGIN "
    "INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER segments_fts_ad AFTER DELETE ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER segments_fts_au AFTER UPDATE OF text ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE annotations_fts USING fts5("
    "note, quote, content='annotations', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER annotations_fts_ai AFTER INSERT ON annotations BEGIN "
    "INSERT INTO annotations_fts(rowid, note, quote) VALUES (new.id, new.note, new.quote); END",
    "CREATE TRIGGER annotations_fts_ad AFTER DELETE ON annotations BEGIN "
    "INSERT INTO annotations_fts(annotations_fts, rowid, note, quote) "
    "VALUES ('delete', old.id, old.note, old.quote); END",
    "CREATE TRIGGER annotations_fts_au AFTER UPDATE OF note, quote ON annotations BEGIN "
    "INSERT INTO annotations_fts(annotations_fts, rowid, note, quote) "
    "VALUES ('delete', old.id, old.note, old.quote); "
    "INSERT INTO annotations_fts(rowid, note, quote) VALUES (new.id, new.note, new.quote); END",
    "INSERT INTO annotations_fts(annotations_fts) VALUES ('rebuild')",
]

POSTGRES_FTS = [
    "ALTER TABLE segments ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(text, ''))) STORED",
    "CREATE INDEX ix_segments_search ON segments USING GIN (search)",
    "ALTER TABLE annotations ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(note, '') || ' ' || coalesce(quote, ''))) STORED",
    "CREATE INDEX ix_annotations_search ON annotations USING GIN (search)",
]


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seen_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("codebook_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("installed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("source_yaml", sa.Text(), nullable=True))
    with op.batch_alter_table("training_packs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("description", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))

    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column(
            "recording_id",
            sa.Integer(),
            sa.ForeignKey("recordings.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("params", sa.JSON(), nullable=False, server_default="{}"),
        sa.Column("state", sa.String(length=16), nullable=False, server_default="queued"),
        sa.Column("priority", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("progress", sa.Float(), nullable=False, server_default="0"),
        sa.Column("message", sa.Text(), nullable=False, server_default=""),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('transcribe', 'export')", name="ck_jobs_kind"),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="ck_jobs_state"
        ),
    )
    op.create_index("ix_jobs_state_priority", "jobs", ["state", "priority", "id"])
    # search filtered by category: transcript lines inside annotations of that category
    op.create_index(
        "ix_annotations_category_span",
        "annotations",
        ["category_id", "recording_id", "start_ms", "end_ms"],
    )

    statements = SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else POSTGRES_FTS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("segments_fts_ai", "segments_fts_ad", "segments_fts_au",
                     "annotations_fts_ai", "annotations_fts_ad", "annotations_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS segments_fts")
        op.execute("DROP TABLE IF EXISTS annotations_fts")
    else:
        op.execute("ALTER TABLE segments DROP COLUMN search")
        op.execute("ALTER TABLE annotations DROP COLUMN search")
    op.drop_index("ix_annotations_category_span", table_name="annotations")
    op.drop_index("ix_jobs_state_priority", table_name="jobs")
    op.drop_table("jobs")
    with op.batch_alter_table("training_packs", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("description")
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.drop_column("seen_at")
    with op.batch_alter_table("codebook_versions", schema=None) as batch_op:
        batch_op.drop_column("source_yaml")
        batch_op.drop_column("installed_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("active")
        batch_op.drop_column("team")
