"""Release needs a second person: clips carry a release state and who decided it

Revision ID: 0009_clip_release
Revises: 0008_audit_seq_and_seal
Create Date: 2027-01-14 10:00:00.000000

A clip joins the trainers' library only when a second person (another TIP or an admin, not
whoever exported it or overrode its verification) has watched it and approved it
(``annotations/clips.py``). ``release_state`` is ``held`` (failed verification, not put
forward), ``awaiting`` (a second person), ``approved`` (released to trainers) or
``not_approved`` (with a reason). ``in_library`` stays, true exactly when the state is
``approved`` (a check constraint keeps the two together), so every existing read filter
that shows a trainer only library clips now shows only approved ones.

Libraries made before this hold clips already released to trainers, some in packs a trainer
has planned a session round. Those stay released, recorded as approved by
``before second-person release`` with no date (nobody approved them as such; the list
says so and a TIP or admin can still withdraw one with a reason). Withdrawing them all
would break every existing pack with no sign that anything was wrong with a clip. A clip
not in the library that passed verification waits for a second person; one that failed is
held. Who exported a clip and why a failed one was overridden come from the audit log,
which this migration reads but never writes (migration 0008: only keyed writers append).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_clip_release"
down_revision = "0008_audit_seq_and_seal"
branch_labels = None
depends_on = None

BEFORE = "before second-person release"
BEFORE_NOTE = "released to trainers before a second person's approval was required"

clips = sa.table(
    "clips",
    sa.column("id", sa.Integer),
    sa.column("verified", sa.Boolean),
    sa.column("in_library", sa.Boolean),
    sa.column("release_state", sa.String),
    sa.column("exported_by", sa.String),
    sa.column("override_reason", sa.String),
    sa.column("override_by", sa.String),
    sa.column("decided_by", sa.String),
    sa.column("decision_reason", sa.String),
)
audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("details", sa.JSON),
)


def _from_the_log(conn: sa.Connection) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """``({clip id: exporter}, {clip id: (override reason, who overrode)})`` as logged."""
    exported: dict[str, str] = {}
    overridden: dict[str, tuple[str, str]] = {}
    rows = conn.execute(
        sa.select(audit_events.c.actor, audit_events.c.action, audit_events.c.object_id,
                  audit_events.c.details)
        .where(audit_events.c.object_type == "clip",
               audit_events.c.action.in_(("clip.exported", "clip.library_override")))
        .order_by(audit_events.c.id)
    )  # fmt: skip
    for actor, action, object_id, details in rows:
        if action == "clip.exported":
            exported.setdefault(object_id, actor or "")
        else:
            reason = (details or {}).get("reason", "") if isinstance(details, dict) else ""
            overridden[object_id] = (str(reason), actor or "")
    return exported, overridden


STATES = "release_state IN ('held', 'awaiting', 'approved', 'not_approved')"
IN_LIBRARY_IS_APPROVED = (
    "(in_library AND release_state = 'approved')"
    " OR (NOT in_library AND release_state <> 'approved')"
)
NEW_COLUMNS = (
    ("release_state", "VARCHAR(16) NOT NULL DEFAULT 'held'"),
    ("exported_by", "VARCHAR(200) NOT NULL DEFAULT ''"),
    ("override_reason", "TEXT NOT NULL DEFAULT ''"),
    ("override_by_id", "INTEGER REFERENCES users (id) ON DELETE SET NULL"),
    ("override_by", "VARCHAR(200) NOT NULL DEFAULT ''"),
    ("decided_by_id", "INTEGER REFERENCES users (id) ON DELETE SET NULL"),
    ("decided_by", "VARCHAR(200) NOT NULL DEFAULT ''"),
    ("decided_at", "DATETIME"),
    ("decision_reason", "TEXT NOT NULL DEFAULT ''"),
)


def _fill(conn: sa.Connection, *, with_reason: bool = True) -> None:
    exported, overridden = _from_the_log(conn)
    rows = conn.execute(sa.select(clips.c.id, clips.c.verified, clips.c.in_library)).all()
    for clip_id, verified, in_library in rows:
        reason, by = overridden.get(str(clip_id), ("", ""))
        values: dict[str, object] = {"exported_by": exported.get(str(clip_id), "")}
        if in_library:
            values |= {"release_state": "approved", "decided_by": BEFORE}
            if with_reason:
                values["decision_reason"] = BEFORE_NOTE
        else:
            values["release_state"] = "awaiting" if verified or reason else "held"
        if not verified and reason:
            values |= {"override_reason": reason, "override_by": by}
        conn.execute(clips.update().where(clips.c.id == clip_id).values(**values))


def _upgrade_sqlite(conn: sa.Connection) -> None:
    # Plain ADD COLUMN, never a batch copy of the table: SQLite runs this with foreign keys
    # on, and dropping the old clips table would cascade to every training pack's items.
    for name, spec in NEW_COLUMNS[:-1]:
        named = name == "release_state"
        check = f" CONSTRAINT ck_clips_release_state CHECK ({STATES})" if named else ""
        op.execute(f"ALTER TABLE clips ADD COLUMN {name} {spec}{check}")
    _fill(conn, with_reason=False)
    # A CHECK given with ADD COLUMN is tested against every row, so the last column carries
    # the one joining in_library to the state, added once the states are filled in.
    name, spec = NEW_COLUMNS[-1]
    op.execute(
        f"ALTER TABLE clips ADD COLUMN {name} {spec}"
        f" CONSTRAINT ck_clips_in_library_is_approved CHECK ({IN_LIBRARY_IS_APPROVED})"
    )
    op.execute(clips.update().where(clips.c.release_state == "approved")
               .values(decision_reason=BEFORE_NOTE))  # fmt: skip


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _upgrade_sqlite(conn)
        return
    for name, spec in NEW_COLUMNS:
        kind = spec.split()[0].replace("DATETIME", "TIMESTAMP WITHOUT TIME ZONE")
        rest = " ".join(spec.split()[1:])
        op.execute(f"ALTER TABLE clips ADD COLUMN {name} {kind} {rest}".rstrip())
    _fill(conn)
    op.create_check_constraint("ck_clips_release_state", "clips", STATES)
    op.create_check_constraint("ck_clips_in_library_is_approved", "clips", IN_LIBRARY_IS_APPROVED)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        # SQLite cannot drop a column a CHECK names: copy the table, keeping pack items
        # (dropping the old table with foreign keys on would cascade to them).
        op.execute("CREATE TEMP TABLE keep_pack_items AS SELECT * FROM training_pack_items")
        with op.batch_alter_table("clips", recreate="always") as batch:
            batch.drop_constraint("ck_clips_in_library_is_approved", type_="check")
            batch.drop_constraint("ck_clips_release_state", type_="check")
            for name, _spec in reversed(NEW_COLUMNS):
                batch.drop_column(name)
        op.execute("DELETE FROM training_pack_items")
        op.execute("INSERT INTO training_pack_items SELECT * FROM keep_pack_items")
        op.execute("DROP TABLE keep_pack_items")
        return
    op.drop_constraint("ck_clips_in_library_is_approved", "clips", type_="check")
    op.drop_constraint("ck_clips_release_state", "clips", type_="check")
    for name, _spec in reversed(NEW_COLUMNS):
        op.drop_column("clips", name)
