"""Practice beyond one recording: incident types, observations, PPN1 reviews, sessions

Revision ID: 0012_practice
Revises: 0011_programme
Create Date: 2027-01-20 10:00:00.000000

An incident gets a type (a key of the codebook's ``incident_types``; existing incidents keep
none, as nobody said what they were) and a second kind of source beside its recordings:
**observations**, a TIP's time-stamped field notes. Their notes are annotations, so an
annotation now belongs to exactly one source: ``recording_id`` or ``observation_id`` (a
check constraint says so). Every existing annotation keeps its recording, id, version and
everything hanging off it.

On PostgreSQL that is an ``ALTER COLUMN ... DROP NOT NULL``. SQLite cannot drop a NOT NULL,
so the annotations table is copied into its new shape, ids and all; SQLite runs this with
foreign keys on, and dropping the old table would cascade to reflections on a moment and
unlink suggestions and clips from theirs, so those links are kept aside and put back, and
the search triggers (migration 0005) are made again on the new table.

New tables: ``observations`` with ``observation_checks`` (a template's points as seen),
``ppn1_reviews`` with ``ppn1_points`` and ``ppn1_point_moments``, ``practice_sessions`` with
``session_attendees``, ``session_topics``, ``session_entries`` (learning points and notes)
and ``session_follow_ups``; and ``practice_search``, the words each record is found by,
indexed as notes are (FTS5 on SQLite, a generated tsvector with ``bwvreview_english`` on
PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_practice"
down_revision = "0011_programme"  # issues 21 and 19 took 0010 and 0011 first
branch_labels = None
depends_on = None


def _user(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"))


def _fk(name: str, target: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"),
                     nullable=nullable)  # fmt: skip


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text, nullable=False, server_default="")


def _name(name: str, length: int = 200) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False, server_default="")


def _when(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime, nullable=nullable)


def _observations() -> None:
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("incident_id", "incidents.id"),
        _user("officer_id"),
        _user("observer_id"),
        _name("observer_name"),
        _when("started_at"),
        _text("context"),
        sa.Column("template_key", sa.String(64), nullable=False),
        sa.Column("template_version", sa.String(50), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
        _when("shared_at", nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint("status IN ('draft', 'shared')", name="ck_observations_status"),
    )
    op.create_index("ix_observations_incident", "observations", ["incident_id"])
    op.create_table(
        "observation_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("observation_id", "observations.id"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("group_label", sa.String(200), nullable=False),
        sa.Column("point_key", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        _text("prompt"),
        sa.Column("category_key", sa.String(64)),
        sa.Column("answer", sa.String(16)),
        _text("note"),
        sa.UniqueConstraint("observation_id", "point_key", name="uq_observation_checks_point"),
        sa.CheckConstraint(
            "answer IS NULL OR answer IN ('met', 'partly', 'not', 'not_applicable')",
            name="ck_observation_checks_answer",
        ),
    )


def _ppn1_reviews() -> None:
    op.create_table(
        "ppn1_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("incident_id", "incidents.id"),
        _user("officer_id"),
        _user("reviewer_id"),
        _name("reviewer_name"),
        _text("ppn1_text"),
        _text("strengths"),
        sa.Column("points_version", sa.String(50), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
        _when("shared_at", nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint("status IN ('draft', 'shared')", name="ck_ppn1_reviews_status"),
    )
    op.create_index("ix_ppn1_reviews_incident", "ppn1_reviews", ["incident_id"])
    op.create_table(
        "ppn1_points",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("review_id", "ppn1_reviews.id"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("point_key", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        _text("prompt"),
        sa.Column("rating", sa.String(16)),
        _text("note"),
        _text("suggested_wording"),
        sa.UniqueConstraint("review_id", "point_key", name="uq_ppn1_points_point"),
        sa.CheckConstraint(
            "rating IS NULL OR rating IN ('met', 'partly', 'not')", name="ck_ppn1_points_rating"
        ),
    )
    op.create_table(
        "ppn1_point_moments",
        sa.Column("point_id", sa.Integer, sa.ForeignKey("ppn1_points.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("annotation_id", sa.Integer,
                  sa.ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True),
    )  # fmt: skip


def _sessions() -> None:
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("held_on", sa.Date, nullable=False),
        _user("tip_id"),
        _name("tip_name"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("team", sa.String(100)),
        sa.Column("started_from", sa.String(16), nullable=False, server_default="scratch"),
        _text("went_well"),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint("kind IN ('individual', 'pair', 'team')",
                           name="ck_practice_sessions_kind"),
        sa.CheckConstraint("started_from IN ('debrief', 'scratch')",
                           name="ck_practice_sessions_start"),
    )  # fmt: skip
    op.create_table(
        "session_attendees",
        sa.Column("session_id", sa.Integer,
                  sa.ForeignKey("practice_sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
    )  # fmt: skip
    op.create_table(
        "session_topics",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("session_id", "practice_sessions.id"),
        sa.Column("position", sa.Integer, nullable=False),
        _fk("incident_id", "incidents.id", nullable=True),
        _fk("annotation_id", "annotations.id", nullable=True),
        sa.CheckConstraint("(incident_id IS NULL) <> (annotation_id IS NULL)",
                           name="ck_session_topics_one"),
    )  # fmt: skip
    op.create_table(
        "session_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("session_id", "practice_sessions.id"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        _user("author_id"),
        _name("author_name"),
        _when("created_at"),
        sa.CheckConstraint("kind IN ('learning', 'note')", name="ck_session_entries_kind"),
    )
    op.create_table(
        "session_follow_ups",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("session_id", "practice_sessions.id"),
        sa.Column("text", sa.Text, nullable=False),
        _user("owner_id"),
        _name("owner_name"),
        sa.Column("due_on", sa.Date),
        _when("done_at", nullable=True),
        _name("done_by"),
        _when("created_at"),
    )
    op.create_index("ix_session_follow_ups_open", "session_follow_ups", ["done_at", "due_on"])


SEARCH_KINDS = "kind IN ('observation', 'ppn1', 'ppn1_text', 'session')"
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE practice_search_fts USING fts5(text, content='practice_search', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER practice_search_fts_ai AFTER INSERT ON practice_search BEGIN "
    "INSERT INTO practice_search_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER practice_search_fts_ad AFTER DELETE ON practice_search BEGIN "
    "INSERT INTO practice_search_fts(practice_search_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER practice_search_fts_au AFTER UPDATE OF text ON practice_search BEGIN "
    "INSERT INTO practice_search_fts(practice_search_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO practice_search_fts(rowid, text) VALUES (new.id, new.text); END",
]
POSTGRES_FTS = [
    "ALTER TABLE practice_search ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('bwvreview_english', coalesce(text, ''))) STORED",
    "CREATE INDEX ix_practice_search_search ON practice_search USING GIN (search)",
]


def _practice_search(dialect: str) -> None:
    op.create_table(
        "practice_search",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        _fk("observation_id", "observations.id", nullable=True),
        _fk("ppn1_review_id", "ppn1_reviews.id", nullable=True),
        _fk("session_id", "practice_sessions.id", nullable=True),
        _text("text"),
        sa.CheckConstraint(SEARCH_KINDS, name="ck_practice_search_kind"),
        sa.UniqueConstraint("kind", "record_id", name="uq_practice_search_record"),
    )
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS:
        op.execute(statement)


# --- annotations: one source, a recording or an observation --------------------------------
ONE_SOURCE = "(recording_id IS NULL) <> (observation_id IS NULL)"
ANNOTATION_FTS = [
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
COLUMNS = ("id", "recording_id", "category_id", "start_ms", "end_ms", "note", "severity",
           "quote", "first_word_id", "last_word_id", "suggested_wording", "author_id", "status",
           "source", "version", "created_at", "updated_at")  # fmt: skip


def _annotations_table(name: str, *, with_observations: bool) -> sa.Table:
    """The annotations table as it is after (``with_observations``) or before 0010."""
    columns = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recording_id", sa.Integer,
                  sa.ForeignKey("recordings.id", ondelete="CASCADE"),
                  nullable=with_observations),
        sa.Column("category_id", sa.Integer, sa.ForeignKey("codebook_categories.id"),
                  nullable=False),
        sa.Column("start_ms", sa.Integer, nullable=False),
        sa.Column("end_ms", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("severity", sa.Integer),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("first_word_id", sa.Integer, sa.ForeignKey("words.id", ondelete="SET NULL")),
        sa.Column("last_word_id", sa.Integer, sa.ForeignKey("words.id", ondelete="SET NULL")),
        sa.Column("suggested_wording", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("source IN ('human', 'cue')", name="ck_annotations_source"),
        sa.CheckConstraint("status IN ('draft', 'final', 'shared')", name="ck_annotations_status"),
        sa.CheckConstraint("end_ms >= start_ms", name="ck_annotations_span"),
        sa.CheckConstraint("severity IS NULL OR severity BETWEEN 1 AND 3",
                           name="ck_annotations_sev"),
    ]  # fmt: skip
    if with_observations:
        columns += [
            sa.Column("observation_id", sa.Integer,
                      sa.ForeignKey("observations.id", ondelete="CASCADE")),
            sa.CheckConstraint(ONE_SOURCE, name="ck_annotations_one_source"),
        ]  # fmt: skip
    metadata = sa.MetaData()
    for parent in ("recordings", "codebook_categories", "words", "users", "observations"):
        sa.Table(parent, metadata, sa.Column("id", sa.Integer, primary_key=True))  # to point at
    return sa.Table(name, metadata, *columns)


# What hangs off an annotation and would be lost or unlinked when its table is dropped.
KEEP = [
    ("keep_reflections", "SELECT * FROM reflections WHERE annotation_id IS NOT NULL"),
    ("keep_suggestion_links",
     "SELECT id, annotation_id FROM suggestions WHERE annotation_id IS NOT NULL"),
    ("keep_clip_links", "SELECT id, annotation_id FROM clips WHERE annotation_id IS NOT NULL"),
]  # fmt: skip
PUT_BACK = [
    "INSERT INTO reflections SELECT * FROM keep_reflections "
    "WHERE id NOT IN (SELECT id FROM reflections)",
    "UPDATE suggestions SET annotation_id = (SELECT k.annotation_id FROM keep_suggestion_links k "
    "WHERE k.id = suggestions.id) WHERE id IN (SELECT id FROM keep_suggestion_links)",
    "UPDATE clips SET annotation_id = (SELECT k.annotation_id FROM keep_clip_links k "
    "WHERE k.id = clips.id) WHERE id IN (SELECT id FROM keep_clip_links)",
]


def _rebuild_sqlite_annotations(*, with_observations: bool) -> None:
    conn = op.get_bind()
    for name, select in KEEP:
        op.execute(f"CREATE TEMP TABLE {name} AS {select}")
    conn.execute(sa.schema.CreateTable(
        _annotations_table("annotations_new", with_observations=with_observations)))  # fmt: skip
    columns = ", ".join(COLUMNS)
    op.execute(f"INSERT INTO annotations_new ({columns}) SELECT {columns} FROM annotations")
    op.execute("DROP TABLE annotations")  # its triggers and indexes go with it
    op.execute("ALTER TABLE annotations_new RENAME TO annotations")
    op.execute("CREATE INDEX ix_annotations_recording_start ON annotations "
               "(recording_id, start_ms)")  # fmt: skip
    op.execute("CREATE INDEX ix_annotations_category_span ON annotations "
               "(category_id, recording_id, start_ms, end_ms)")  # fmt: skip
    if with_observations:
        op.execute("CREATE INDEX ix_annotations_observation_start ON annotations "
                   "(observation_id, start_ms)")  # fmt: skip
    for statement in ANNOTATION_FTS + PUT_BACK:
        op.execute(statement)
    for name, _select in KEEP:
        op.execute(f"DROP TABLE {name}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("incidents", sa.Column("incident_type", sa.String(64), nullable=True))
    _observations()
    if dialect == "sqlite":
        _rebuild_sqlite_annotations(with_observations=True)
    else:
        op.alter_column("annotations", "recording_id", nullable=True)
        op.add_column("annotations", sa.Column(
            "observation_id", sa.Integer, sa.ForeignKey("observations.id", ondelete="CASCADE")))  # fmt: skip
        op.create_check_constraint("ck_annotations_one_source", "annotations", ONE_SOURCE)
        op.create_index("ix_annotations_observation_start", "annotations",
                        ["observation_id", "start_ms"])  # fmt: skip
    _ppn1_reviews()
    _sessions()
    _practice_search(dialect)


def downgrade() -> None:
    """Back to 0011_programme: every practice record goes, and with them the observations'
    notes."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("practice_search_fts_ai", "practice_search_fts_ad", "practice_search_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS practice_search_fts")
    for table in ("practice_search", "session_follow_ups", "session_entries", "session_topics",
                  "session_attendees", "practice_sessions", "ppn1_point_moments", "ppn1_points",
                  "ppn1_reviews"):  # fmt: skip
        op.drop_table(table)
    op.execute("DELETE FROM annotations WHERE observation_id IS NOT NULL")
    if dialect == "sqlite":
        _rebuild_sqlite_annotations(with_observations=False)
    else:
        op.drop_index("ix_annotations_observation_start", table_name="annotations")
        op.drop_constraint("ck_annotations_one_source", "annotations", type_="check")
        op.drop_column("annotations", "observation_id")
        op.alter_column("annotations", "recording_id", nullable=False)
    op.drop_table("observation_checks")
    op.drop_table("observations")
    if dialect == "sqlite":
        # SQLite >= 3.35 drops a plain column in place (no copy of the incidents table)
        op.execute("ALTER TABLE incidents DROP COLUMN incident_type")
    else:
        op.drop_column("incidents", "incident_type")
