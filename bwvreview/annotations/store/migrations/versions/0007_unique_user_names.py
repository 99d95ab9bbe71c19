"""One person per name: a normalised, unique name key on users

Revision ID: 0007_unique_user_names
Revises: 0006_search_every_word
Create Date: 2027-01-10 10:00:00.000000

Sign-in by name must find exactly one person, so names are compared case-folded with runs
of white space made one space (``name_key``), under a unique index on both engines. A name
may not look like a collar number (all digits) or be another user's collar number.

Libraries made before this may hold clashes ("Tia Tip" twice, an admin "tia tip", an admin
called "5002" beside officer 5002). Refusing to upgrade would leave the library unopenable
with no tool to mend it, so the upgrade mends it instead: the oldest holder of a name keeps
it, every later clash is renamed "NAME (user ID)", a name over 80 characters is shortened,
and each rename is written to the audit log (action ``user-rename``) for an admin to see
and correct. Nobody is deleted, and ids (what annotations and links point at) are unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0007_unique_user_names"
down_revision = "0006_search_every_word"
branch_labels = None
depends_on = None

NAME_MAX = 80
GENESIS = "0" * 64
CHAIN_LOCK = 0x62777661  # audit.py's advisory lock: no other writer forks the chain

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
    sa.column("collar_number", sa.String),
)
audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("details", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _key(name: str) -> str:
    # the same rule as models.user_name_key, frozen here as it was at this revision
    return " ".join(name.split()).casefold()


def _mended_names(rows: list[sa.Row]) -> dict[int, tuple[str, str]]:
    """``{user id: (new name, reason)}`` for every user whose name must change."""
    collars = {r.collar_number.casefold() for r in rows if r.collar_number}
    taken: set[str] = set()
    changes: dict[int, tuple[str, str]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        name = " ".join((row.name or "").split())
        reason = "long name" if len(name) > NAME_MAX else "spacing"
        name = name[:NAME_MAX].strip()
        key = _key(name)
        if not name or name.isdigit() or key in collars:
            reason = "looks like a collar number"
        elif key in taken:
            reason = "duplicate name"
        else:
            reason = reason if name != row.name else ""
        if reason in ("looks like a collar number", "duplicate name"):
            suffix = f" (user {row.id})"
            name = (name[: NAME_MAX - len(suffix)].strip() + suffix).strip()
            key = _key(name)
        taken.add(key)
        if name != row.name:
            changes[row.id] = (name, reason)
    return changes


def _audit(conn: sa.Connection, user_id: int, details: dict) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    last = conn.execute(
        sa.select(audit_events.c.hash).order_by(audit_events.c.id.desc()).limit(1)
    ).scalar()
    prev = last or GENESIS
    at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    actor, action, obj = "bwvreview upgrade", "user-rename", f"user:{user_id}"
    payload = json.dumps(
        [prev, at.isoformat(), actor, action, obj, details], sort_keys=True, separators=(",", ":")
    )
    conn.execute(
        audit_events.insert().values(
            at=at, actor=actor, action=action, object_type="user", object_id=str(user_id),
            details=details, prev_hash=prev,
            hash=hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        )
    )  # fmt: skip


def upgrade() -> None:
    op.add_column("users", sa.Column("name_key", sa.String(length=320), nullable=True))
    conn = op.get_bind()
    rows = list(conn.execute(sa.select(users.c.id, users.c.name, users.c.collar_number)))
    changes = _mended_names(rows)
    for row in rows:
        name, reason = changes.get(row.id, (row.name, ""))
        conn.execute(
            users.update().where(users.c.id == row.id).values(name=name, name_key=_key(name))
        )
        if reason:
            _audit(conn, row.id, {"reason": reason, "was": row.name[:200], "now": name})
    if conn.dialect.name == "postgresql":
        op.alter_column("users", "name_key", nullable=False)
    op.create_index("ux_users_name_key", "users", ["name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_users_name_key", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("name_key")
