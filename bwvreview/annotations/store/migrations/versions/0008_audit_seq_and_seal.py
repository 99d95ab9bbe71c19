"""The audit log gets a sequence number per event and a record of its keyed cut-over

Revision ID: 0008_audit_seq_and_seal
Revises: 0007_unique_user_names
Create Date: 2027-01-12 10:00:00.000000

``audit_events.seq`` numbers events 1, 2, 3 … with no gaps, so a deleted event shows as a
missing number even where ids would not tell (a PostgreSQL sequence skips numbers on every
rolled-back insert). Existing events are numbered in id order.

``audit_seal`` (one row) records when the chain started being keyed: events up to
``legacy_through`` were chained with plain SHA-256 before this upgrade and are still checked
that way; every later one is HMAC'd with the library's key (kept outside the database, see
``audit_seal.py``). The row is written by the first event recorded after the upgrade, not
here: a migration does not know where the key belongs. Migrations after this one must not
append audit events themselves (they have no key): they would break the keyed chain.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_seq_and_seal"
down_revision = "0007_unique_user_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("seq", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE audit_events SET seq = numbered.n FROM "
        "(SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_events) AS numbered "
        "WHERE audit_events.id = numbered.id"
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.create_index("ux_audit_events_seq", ["seq"], unique=True)
    op.create_table(
        "audit_seal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("legacy_through", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_seal_one_row"),
    )


def downgrade() -> None:
    op.drop_table("audit_seal")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ux_audit_events_seq")
        batch.drop_column("seq")
