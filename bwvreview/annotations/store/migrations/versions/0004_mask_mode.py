"""the mode of a mask drawn on a recording (box, blur or pixelate)

Revision ID: 0004_mask_mode
Revises: 0003_clips
Create Date: 2026-11-23 15:20:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "0004_mask_mode"
down_revision = "0003_clips"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mode", sa.String(length=16), nullable=False, server_default="box")
        )


def downgrade() -> None:
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.drop_column("mode")
