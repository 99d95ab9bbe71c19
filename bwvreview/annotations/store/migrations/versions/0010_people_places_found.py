"""people, places and numbers found in an incident's transcripts, for the reviewer to confirm

Revision ID: 0010_people_places_found
Revises: 0009_clip_release
Create Date: 2027-02-02 10:00:00.000000

Beside the reviewer's own list (``incidents.people_places``), what the export found in the
incident's transcripts: ``[{"text", "kind", "state"}]`` with state ``found`` (bleeped
wherever it is said, shown to the reviewer as not yet confirmed) or ``dismissed`` (the
reviewer said it is not personal data). Existing incidents start with none found.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_people_places_found"
down_revision = "0009_clip_release"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("people_places_found", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("people_places_found")
