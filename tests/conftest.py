"""Shared fixtures. Qt runs offscreen; every test gets its own data folder and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

from tests.mediafactory import make_clip  # noqa: E402

if TYPE_CHECKING:
    from bwvreview.annotations.db import Database


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point bwvreview at a fresh data folder so no test touches the user's library."""
    data = tmp_path / "bwvdata"
    monkeypatch.setenv("BWVREVIEW_DATA", str(data))
    monkeypatch.delenv("BWVREVIEW_DB", raising=False)
    return data


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def clip_path(media_dir: Path) -> Path:
    """A 2 s 160x120 H.264/AAC clip with a 440 Hz tone."""
    return make_clip(media_dir / "clip.mp4")


# --- Databases on both engines -------------------------------------------------------------
# `db` / `db_url` run a test once on SQLite and once on PostgreSQL (ids test_x[sqlite] and
# test_x[postgresql]). PostgreSQL comes from BWVREVIEW_TEST_PG (a server URL, e.g. printed by
# `python3 scripts/pg_server.py start`); without it those runs are skipped, except in CI
# (CI=true), where they fail so PostgreSQL can never be silently left out.

ENGINES = ["sqlite", "postgresql"]
PG_ENV = "BWVREVIEW_TEST_PG"


def _pg_admin_engine(server_url: str):  # noqa: ANN202 - sqlalchemy Engine
    from sqlalchemy import create_engine

    from bwvreview.annotations.db import normalise_url

    return create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")


def _pg_url_for(server_url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    from bwvreview.annotations.db import normalise_url

    url = make_url(normalise_url(server_url)).set(database=database)
    return url.render_as_string(hide_password=False)


def _pg_server_or_skip() -> str:
    server = os.environ.get(PG_ENV)
    if server:
        return server
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs PostgreSQL: set {PG_ENV} (.ci/run starts one)", pytrace=False)
    pytest.skip(f"PostgreSQL tests need {PG_ENV} (python3 scripts/pg_server.py start)")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[tuple[str, str]]:
    """(server URL, name of a template database migrated to the newest schema), made once."""
    server = _pg_server_or_skip()
    from sqlalchemy import text

    from bwvreview.annotations.db import open_database

    name = f"bwv_template_{os.getpid()}"
    admin = _pg_admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    open_database(_pg_url_for(server, name)).close()
    yield server, name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_pg_counter = itertools.count(1)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database at the newest schema, dropped after the test."""
    server, template = request.getfixturevalue("pg_template")
    from sqlalchemy import text

    name = f"bwv_test_{os.getpid()}_{next(_pg_counter)}"
    admin = _pg_admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _pg_url_for(server, name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for a fresh database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        from bwvreview.annotations.db import sqlite_url

        return sqlite_url(tmp_path / "db" / "lib.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh database opened at the newest schema, on each engine in turn."""
    from bwvreview.annotations.db import open_database

    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh SQLite database, for tests of what only SQLite has (WAL, pragmas, the file)."""
    from bwvreview.annotations.db import open_database, sqlite_url

    database = open_database(sqlite_url(tmp_path / "db" / "lib.sqlite3"))
    yield database
    database.close()
