"""Shared fixtures. Qt runs offscreen; every test gets its own data folder and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

# Qt keeps window layouts and the export folder in the user's settings. The tests (and the
# app processes they start) keep theirs in a folder of their own: a developer's settings
# are never touched, and no test sees what another left there.
_SETTINGS_HOME = tempfile.mkdtemp(prefix="bwvreview-test-settings-")
os.environ["XDG_CONFIG_HOME"] = _SETTINGS_HOME
atexit.register(shutil.rmtree, _SETTINGS_HOME, ignore_errors=True)

import itertools  # noqa: E402
import queue  # noqa: E402
import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

import bwvreview.media  # noqa: E402, F401  (chooses Whisper's runtime before a test imports it)
from tests.mediafactory import make_clip  # noqa: E402

if TYPE_CHECKING:
    from bwvreview.annotations.store.db import Database


# --- A test that takes its worker down fails alone -------------------------------------------
# pytest-timeout's thread method (pyproject) ends a stuck test by dumping every thread's stack
# and exiting its process: the only way out of a Qt modal loop or a C++ wait, where no Python
# runs. xdist then replaces the worker, but under --dist loadfile (3.8) it puts the crashed
# test back in the queue with the rest of its file, so the replacement runs it again and dies
# too, until --max-worker-restart is spent and the file's other tests never run
# (pytest-dev/pytest-xdist#1371); it also re-queues the dead worker's finished files as empty
# work, which can leave the run waiting forever (#1378). This scheduler marks the crashed
# test done and re-queues only unfinished work: the stuck test fails once, the run goes on.


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN001, ANN201
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class CrashOnceLoadFileScheduling(LoadFileScheduling):
        def remove_node(self, node):  # noqa: ANN001, ANN202
            workload = self.assigned_work.pop(node)
            pending = [
                (scope, nodeid)
                for scope, unit in workload.items()
                for nodeid, done in unit.items()
                if not done
            ]
            if not pending:
                return None
            scope, crashitem = pending[0]  # a worker runs its work in order
            workload[scope][crashitem] = True
            for scope, unit in workload.items():
                if not all(unit.values()):
                    self.workqueue[scope] = unit
            for other in self.assigned_work:
                self._reschedule(other)
            return crashitem

    return CrashOnceLoadFileScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_handlecrashitem(crashitem: str, report: pytest.TestReport, sched) -> None:  # noqa: ANN001
    """Say why a worker may have ended: the stacks pytest-timeout prints stay in the
    worker's output, which xdist does not show."""
    timeout = sched.config.getini("timeout")
    report.longrepr = (
        f"{report.longrepr}: it outlived the {timeout} s per-test timeout (pyproject.toml;"
        " pytest-timeout's thread method ends the worker) or crashed. Run it alone with"
        " -n 0 to see every thread's stack."
    )


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashes():
    """Real argon2, with the cost turned down: the tests hash and check passwords hundreds of
    times (every command of a signed-in person checks one), and the library's own cost
    (about 90 ms a hash here) is a defence for stored passwords, not what the tests prove.
    Processes the tests start keep the real cost."""
    from argon2 import PasswordHasher

    from bwvreview.annotations.access import users

    real = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    users._hasher = real


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

    from bwvreview.annotations.store.db import normalise_url

    return create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")


def _pg_url_for(server_url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    from bwvreview.annotations.store.db import normalise_url

    url = make_url(normalise_url(server_url)).set(database=database)
    return url.render_as_string(hide_password=False)


def _pg_server_or_skip() -> str:
    server = os.environ.get(PG_ENV)
    if server:
        return server
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs PostgreSQL: set {PG_ENV} (.ci/run starts one)", pytrace=False)
    pytest.skip(f"PostgreSQL tests need {PG_ENV} (python3 scripts/pg_server.py start)")


class _FreshPgDatabases:
    """Fresh databases cloned from a migrated template, made one ahead in a background thread.

    ``CREATE DATABASE ... TEMPLATE`` takes about half a second (it copies the catalog), so
    the next test's database is made while the current test runs.
    """

    def __init__(self, server: str, template: str) -> None:
        self.server = server
        self.template = template
        self.admin = _pg_admin_engine(server)
        self.counter = itertools.count(1)
        self.ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=1)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._fill, name="fresh-pg-databases", daemon=True)
        self.thread.start()

    def execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def _fill(self) -> None:
        while not self.stopping.is_set():
            name = f"bwv_test_{os.getpid()}_{next(self.counter)}"
            try:
                self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            except BaseException as exc:  # handed to the test that waits for it
                self.ready.put(exc)
                return
            while True:
                try:
                    self.ready.put(name, timeout=0.2)
                    break
                except queue.Full:
                    if self.stopping.is_set():
                        self.drop(name)
                        return

    def take(self) -> str:
        item = self.ready.get(timeout=300)
        if isinstance(item, BaseException):
            raise item
        return item

    def url(self, name: str) -> str:
        return _pg_url_for(self.server, name)

    def drop(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=60)
        while not self.ready.empty():
            item = self.ready.get_nowait()
            if isinstance(item, str):
                self.drop(item)
        self.drop(self.template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[_FreshPgDatabases]:
    """The session's source of fresh PostgreSQL databases (template migrated once)."""
    server = _pg_server_or_skip()
    from bwvreview.annotations.store.db import open_database

    template = f"bwv_template_{os.getpid()}"
    admin = _pg_admin_engine(server)
    from sqlalchemy import text

    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{template}"'))
    admin.dispose()
    open_database(_pg_url_for(server, template)).close()
    databases = _FreshPgDatabases(server, template)
    yield databases
    databases.close()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database at the newest schema, dropped after the test."""
    _pg_server_or_skip()  # before the session fixture, so each test says why it skips or fails
    databases: _FreshPgDatabases = request.getfixturevalue("pg_databases")
    name = databases.take()
    try:
        yield databases.url(name)
    finally:
        databases.drop(name)


@pytest.fixture
def pg_empty_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (no schema), dropped after the test."""
    _pg_server_or_skip()
    databases: _FreshPgDatabases = request.getfixturevalue("pg_databases")
    name = f"bwv_empty_{os.getpid()}_{next(databases.counter)}"
    databases.execute(f'CREATE DATABASE "{name}"')
    try:
        yield databases.url(name)
    finally:
        databases.drop(name)


@pytest.fixture(params=ENGINES)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for a database with no schema yet, on each engine in turn: for building a
    library at an old revision (``tests/unit/annotations/old_library.py``) and upgrading it."""
    if request.param == "sqlite":
        from bwvreview.annotations.store.db import sqlite_url

        return sqlite_url(tmp_path / "old.sqlite3")
    return request.getfixturevalue("pg_empty_url")


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for a fresh database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        from bwvreview.annotations.store.db import sqlite_url

        return sqlite_url(tmp_path / "db" / "lib.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh database opened at the newest schema, on each engine in turn."""
    from bwvreview.annotations.store.db import open_database

    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh SQLite database, for tests of what only SQLite has (WAL, pragmas, the file)."""
    from bwvreview.annotations.store.db import open_database, sqlite_url

    database = open_database(sqlite_url(tmp_path / "db" / "lib.sqlite3"))
    yield database
    database.close()
