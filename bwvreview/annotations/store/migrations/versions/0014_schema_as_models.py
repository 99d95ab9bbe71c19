"""SQLite libraries get the schema the models declare: users.name_key NOT NULL, and the
clip reviewers' keys written so that what reads the schema sees ON DELETE SET NULL

Revision ID: 0014_schema_as_models
Revises: 0013_pack_planning
Create Date: 2026-12-07 20:00:00.000000

Two differences between a SQLite library and the models, found by comparing the two
(``tests/unit/annotations/test_model_schema.py``); PostgreSQL libraries already match, and
this revision changes nothing there.

* ``users.name_key`` was left nullable on SQLite by 0007 (SQLite cannot add NOT NULL to a
  column), where the model, PostgreSQL and every write through bwvreview say NOT NULL (the
  key is set whenever a name is). A user written around bwvreview since then may have none,
  and cannot be found by name at sign-in: the key is filled in by the rule sign-in compares
  names by (``models.user_name_key``: case folded, runs of white space made one space). Where
  that key is already another user's, that user keeps it (they sign in by it today; among
  users without a key, the oldest) and the name becomes "NAME (user ID)", as 0007 renamed
  clashes; the rename is logged, not audited: migrations after 0008 have no audit key.
* ``clips.override_by_id`` and ``clips.decided_by_id`` were added by 0009 with
  ``ALTER TABLE ADD COLUMN … REFERENCES users (id) ON DELETE SET NULL``. SQLite enforces the
  SET NULL, but SQLAlchemy's reflection reads ON DELETE only from table-level ``FOREIGN KEY``
  clauses: reflected, both keys had no action, and any later batch copy of the table (the
  only way SQLite changes a constraint) would have made them NO ACTION, so deleting a user
  who had decided a clip would have failed. The table is copied once here with both keys
  restated, so its text says what SQLite enforces.

Both tables are copied (``batch_alter_table``, recreate) with foreign keys off, as SQLite
prescribes for a table others point at: with them on, dropping the old ``users`` table would
delete every incident link, attendance and practice record of every user (ON DELETE CASCADE)
and unlink the rest (SET NULL); dropping ``clips`` would empty every training pack. The copy
runs in one transaction with every row, id and link kept; ``PRAGMA foreign_key_check`` must
find no broken link the library did not already have, and foreign keys are turned back on
before the connection goes back to bwvreview. The audit log is not touched.
"""

from __future__ import annotations

import logging
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0014_schema_as_models"
down_revision = "0013_pack_planning"
branch_labels = None
depends_on = None

log = logging.getLogger("bwvreview.annotations.store.migrations")
NAME_MAX = 80  # access/users.NAME_MAX, as at this revision

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
)


def _key(name: str) -> str:
    # the same rule as models.user_name_key, frozen here as it was at this revision
    return " ".join(name.split()).casefold()


def _free_name(name: str, user_id: int, taken: set[str]) -> str:
    """``NAME (user ID)``, within the 80 characters a name may have, and no one else's."""
    for n in range(1, len(taken) + 2):
        suffix = f" (user {user_id})" if n == 1 else f" (user {user_id}, {n})"
        renamed = " ".join(name.split())[: NAME_MAX - len(suffix)].strip() + suffix
        if _key(renamed) not in taken:
            return renamed
    raise AssertionError("unreachable: there are more suffixes than names")


def _fill_name_keys(conn: sa.Connection) -> None:
    """Give every user without a name key the key of their name (renamed if it is taken)."""
    rows = conn.execute(sa.select(users.c.id, users.c.name, users.c.name_key)).all()
    taken = {row.name_key for row in rows if row.name_key is not None}
    for row in sorted((r for r in rows if r.name_key is None), key=lambda r: r.id):
        name = row.name
        if _key(name) in taken:
            name = _free_name(row.name, row.id, taken)
            log.warning("user %s: the name %r is another user's; renamed %r", row.id, row.name,
                        name)  # fmt: skip
        taken.add(_key(name))
        conn.execute(
            users.update().where(users.c.id == row.id).values(name=name, name_key=_key(name))
        )


def _broken_links(conn: sa.Connection) -> Counter:
    """``{(table, rowid, parent table): count}``; a key's number within its table is left
    out (a copied table may number its keys in another order)."""
    rows = conn.exec_driver_sql("PRAGMA foreign_key_check")
    return Counter((table, rowid, parent) for table, rowid, parent, _fk in rows)


def _set_foreign_keys(on: bool) -> None:
    """PRAGMA foreign_keys is ignored inside a transaction: set it between two."""
    with op.get_context().autocommit_block():
        conn = op.get_bind()
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        if conn.exec_driver_sql("PRAGMA foreign_keys").scalar() != int(on):
            raise RuntimeError(f"SQLite did not turn foreign keys {'on' if on else 'off'}")


def _copy_tables(conn: sa.Connection) -> None:
    # SQLite runs DDL outside a transaction until the first write: begin one ourselves, so a
    # failure leaves neither a half-copied table nor a stray temporary one.
    if not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")
    before = _broken_links(conn)
    _fill_name_keys(conn)
    with op.batch_alter_table("users", recreate="always") as batch:
        batch.alter_column("name_key", existing_type=sa.String(320), nullable=False)
    reviewers = [
        sa.Column(name, sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"))
        for name in ("override_by_id", "decided_by_id")
    ]
    with op.batch_alter_table("clips", recreate="always", reflect_args=reviewers):
        pass
    if _broken_links(conn) != before:
        raise RuntimeError("copying the users and clips tables broke links between rows")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL libraries already have this schema (0007 and 0009 made it there)
    was_on = bool(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())
    _set_foreign_keys(False)
    try:
        _copy_tables(op.get_bind())
    except BaseException:
        # The transaction is rolled back; this connection must not go back to the pool
        # with foreign keys off, and cannot turn them on inside the failed transaction.
        op.get_bind().invalidate()
        raise
    # This commits the copy before Alembic stamps the revision; stopped in between, the
    # library is opened at 0013 again and the copy is simply made again (nothing to fill).
    _set_foreign_keys(was_on)


def downgrade() -> None:
    """Nothing to undo: 0013 reads and writes this schema as it is (a name key on every user,
    the same ON DELETE actions), and loosening it again would bring the defects back."""
