"""The declarative base every table hangs off, the clock rows are stamped with, and the
check every span of time is kept by."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint
from sqlalchemy.orm import DeclarativeBase


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def span_check(table: str) -> CheckConstraint:
    """A span of time (``start_ms``, ``end_ms``) ends at or after it starts:
    ``ck_<table>_span``."""
    return CheckConstraint("end_ms >= start_ms", name=f"ck_{table}_span")
