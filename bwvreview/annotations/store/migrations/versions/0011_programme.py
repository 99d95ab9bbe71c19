"""The training programme: curriculum and questionnaire versions, sessions, attendance, answers

Revision ID: 0011_programme
Revises: 0010_people_places_found (the practice records follow as 0012_practice: the chain
stays one line)
Create Date: 2027-02-01 10:00:00.000000

New tables only; nothing existing changes. ``programme_documents`` keeps each version of
the curriculum and of every questionnaire as the YAML that was in force, so a session held
under an old curriculum, and answers given to an old questionnaire, keep their meaning.
A session may name the training packs it used; attendance holds the register (name and
collar number, linked to a user who has that collar number); an answer is anonymous
unless its respondent chose to be named.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_programme"
down_revision = "0010_people_places_found"
branch_labels = None
depends_on = None


def _users_fk(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"))


def upgrade() -> None:
    op.create_table(
        "programme_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_yaml", sa.Text(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.Column("installed_by", sa.String(200), nullable=False, server_default=""),
        sa.UniqueConstraint("kind", "key", "sha256", name="uq_programme_document"),
        sa.CheckConstraint("kind IN ('curriculum', 'questionnaire')", name="ck_programme_doc_kind"),
    )
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("curriculum_id", sa.Integer(), sa.ForeignKey("programme_documents.id"),
                  nullable=False),
        sa.Column("module_key", sa.String(64), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(100), nullable=False),
        _users_fk("trainer_id"),
        sa.Column("trainer_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("length_minutes > 0", name="ck_training_sessions_length"),
    )
    op.create_index("ix_training_sessions_held_on", "training_sessions", ["held_on"])
    op.create_index("ix_training_sessions_team", "training_sessions", ["team", "held_on"])
    op.create_table(
        "training_session_packs",
        sa.Column("session_id", sa.Integer(),
                  sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("pack_id", sa.Integer(),
                  sa.ForeignKey("training_packs.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "training_attendance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(),
                  sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("collar_number", sa.String(32), nullable=True),
        sa.Column("person_key", sa.String(340), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _users_fk("user_id"),
        sa.Column("added_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("session_id", "person_key", name="uq_training_attendance_person"),
        sa.CheckConstraint("kind IN ('officer', 'staff')", name="ck_training_attendance_kind"),
    )
    op.create_index("ix_training_attendance_user", "training_attendance", ["user_id"])
    op.create_table(
        "questionnaire_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(),
                  sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), sa.ForeignKey("programme_documents.id"),
                  nullable=False),
        sa.Column("phase", sa.String(8), nullable=False),
        sa.Column("entry", sa.String(8), nullable=False),
        _users_fk("respondent_id"),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("phase IN ('before', 'after')", name="ck_questionnaire_phase"),
        sa.CheckConstraint("entry IN ('paper', 'laptop')", name="ck_questionnaire_entry"),
    )
    op.create_index("ix_questionnaire_responses_session", "questionnaire_responses",
                    ["session_id", "phase"])
    op.create_index("ix_questionnaire_responses_respondent", "questionnaire_responses",
                    ["respondent_id"])


def downgrade() -> None:
    op.drop_index("ix_questionnaire_responses_respondent", table_name="questionnaire_responses")
    op.drop_index("ix_questionnaire_responses_session", table_name="questionnaire_responses")
    op.drop_table("questionnaire_responses")
    op.drop_index("ix_training_attendance_user", table_name="training_attendance")
    op.drop_table("training_attendance")
    op.drop_table("training_session_packs")
    op.drop_index("ix_training_sessions_team", table_name="training_sessions")
    op.drop_index("ix_training_sessions_held_on", table_name="training_sessions")
    op.drop_table("training_sessions")
    op.drop_table("programme_documents")
