"""phrase-cue suggestions

Revision ID: 0002_suggestions
Revises: 0001_baseline
Create Date: 2026-11-23 13:10:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_suggestions"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("category_key", sa.String(length=64), nullable=False),
        sa.Column("cue_id", sa.String(length=100), nullable=False),
        sa.Column("start_ms", sa.Integer(), nullable=False),
        sa.Column("end_ms", sa.Integer(), nullable=False),
        sa.Column("first_word_id", sa.Integer(), nullable=True),
        sa.Column("last_word_id", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("speaker", sa.String(length=100), nullable=False),
        sa.Column("precision", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("end_ms >= start_ms", name="ck_suggestions_span"),
        sa.CheckConstraint(
            "state IN ('pending', 'accepted', 'rejected')", name="ck_suggestions_state"
        ),
        sa.CheckConstraint("precision IN ('high', 'low')", name="ck_suggestions_precision"),
        sa.ForeignKeyConstraint(["annotation_id"], ["annotations.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["first_word_id"], ["words.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["last_word_id"], ["words.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["transcript_id"], ["transcripts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "transcript_id", "category_key", "start_ms", "end_ms", name="uq_suggestions_span"
        ),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_suggestions_recording_start", ["recording_id", "start_ms"], unique=False
        )
        batch_op.create_index("ix_suggestions_cue_state", ["cue_id", "state"], unique=False)



def downgrade() -> None:

    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestions_cue_state")
        batch_op.drop_index("ix_suggestions_recording_start")

    op.drop_table("suggestions")
