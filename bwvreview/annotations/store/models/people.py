"""People and incidents: users (with the key sign-in compares names by), incidents and the
officers on them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from bwvreview.annotations.store.models.base import Base, utcnow

if TYPE_CHECKING:  # the other side of a relationship, resolved by name at run time
    from bwvreview.annotations.store.models.footage import Recording

incident_officers = Table(
    "incident_officers",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


def user_name_key(name: str) -> str:
    """A name as sign-in compares it: case folded, runs of white space made one space."""
    return " ".join(name.split()).casefold()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('tip', 'trainer', 'officer', 'admin')", name="ck_users_role"),
        Index("ux_users_name_key", "name_key", unique=True),  # migration 0007
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Two people may not share a name in any case or spacing: sign-in by name finds one.
    name_key: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    collar_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    team: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @validates("name")
    def _keep_name_key(self, _attribute: str, value: str) -> str:
        self.name_key = user_name_key(value)
        return value


REFERENCE_LENGTH = 100  # an incident reference, in characters


class Incident(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH), unique=True)
    occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    # a key of the codebook's incident_types (migration 0012); None: not said
    incident_type: Mapped[str | None] = mapped_column(String(64))
    # Names and places the reviewer lists once, bleeped wherever they are heard in a clip.
    people_places: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What was found in the incident's transcripts and not yet confirmed by the reviewer,
    # [{"text", "kind", "state": "found" | "dismissed"}]: a found entry is bleeped like a
    # listed one until the reviewer dismisses it (migration 0010).
    people_places_found: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    officers: Mapped[list[User]] = relationship(secondary=incident_officers)
    recordings: Mapped[list[Recording]] = relationship(back_populates="incident")
