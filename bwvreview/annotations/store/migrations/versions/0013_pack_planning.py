"""Training packs are planned against a session's length: minutes for the session and for
the talk after each clip

Revision ID: 0013_pack_planning
Revises: 0012_practice
Create Date: 2027-01-21 10:00:00.000000

A trainer plans a pack for a session of a given length (90 minutes unless changed) and
allows time to talk after each clip (10 minutes unless changed); the pack editor adds each
clip's length and its talk into a running total against the session. Packs made before
this get the same defaults.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_pack_planning"
down_revision = "0012_practice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_packs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_minutes", sa.Integer(), nullable=False, server_default="90")
        )
    with op.batch_alter_table("training_pack_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("discussion_minutes", sa.Integer(), nullable=False, server_default="10")
        )


def downgrade() -> None:
    with op.batch_alter_table("training_pack_items", schema=None) as batch_op:
        batch_op.drop_column("discussion_minutes")
    with op.batch_alter_table("training_packs", schema=None) as batch_op:
        batch_op.drop_column("session_minutes")
