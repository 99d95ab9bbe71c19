"""clip library flags and the incident's people & places list

Revision ID: 0003_clips
Revises: 0002_suggestions
Create Date: 2026-11-23 15:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "0003_clips"
down_revision = "0002_suggestions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source_sha256", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("in_library", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index("ix_clips_sha256", ["sha256"], unique=False)
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("people_places", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("people_places")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_index("ix_clips_sha256")
        batch_op.drop_column("in_library")
        batch_op.drop_column("source_sha256")
