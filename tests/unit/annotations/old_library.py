"""Libraries made by an older bwvreview, for the tests of the migrations that upgrade them."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event

from bwvreview.annotations.store.db import normalise_url


def engine_as_opened(url: str) -> Engine:
    """An engine on ``url`` as bwvreview opens one (on SQLite, foreign keys on), without
    migrating it: the test brings it to the revision it wants with Alembic."""
    engine = create_engine(normalise_url(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _r: conn.execute("PRAGMA foreign_keys=ON"))
    return engine
