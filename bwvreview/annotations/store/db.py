"""Opening the database: engine, per-call sessions, and migrations applied at open.

SQLite is the embedded default (one file, WAL, foreign keys on every connection);
PostgreSQL is the same schema selected by URL. Sessions commit when their block ends, so
every change is saved the moment it is made.

A SQLite library is created 0600 (its ``-wal`` and ``-shm`` follow), and an existing one
whose files others could read is tightened at open (see ``private_files``). When another
process holds the write lock, a statement waits for it a second at a time, says once that
the library is busy, and gives up with ``LibraryBusyError`` after ``BWVREVIEW_BUSY_WAIT``
seconds (default 30) with nothing half-written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bwvreview.annotations.access import LOCAL, READ_AUDIT, Principal, require
from bwvreview.annotations.errors import DatabaseError
from bwvreview.annotations.store import private_files

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
# One line for whoever is waiting: the CLI prints this logger's records as they are.
busy_log = logging.getLogger(f"{__name__}.busy")

BUSY_WAIT_ENV = "BWVREVIEW_BUSY_WAIT"
DEFAULT_BUSY_WAIT_S = 30.0
_MAX_BUSY_WAIT_S = 3600.0
_BUSY_STEP_S = 1.0  # SQLite's own busy handler waits this long per attempt
# SQLITE_BUSY, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_TIMEOUT: waiting longer can help.
_RETRYABLE_BUSY = {5, 261, 773}
_BUSY_SNAPSHOT = 517  # our read snapshot went stale while we waited: the transaction must end

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class Database:
    """An open database: the engine, a factory of sessions bound to it, and who is acting.

    Every service function checks what ``principal`` may do (see ``access.py``); sign-in
    gives a copy bound to the signed-in user with ``as_user``, sharing the engine.
    """

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    principal: Principal = field(default=LOCAL)

    def as_user(self, principal: Principal) -> Database:
        return replace(self, principal=principal)

    @property
    def dialect(self) -> str:
        return self.engine.url.get_backend_name()

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        """A session whose work is committed when the block ends (rolled back on error)."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


# Any key will do as long as every bwvreview agrees on it: it serialises migrations when
# several people open the same PostgreSQL database at once.
MIGRATION_LOCK_KEY = 0x62777672  # "bwvr"


def normalise_url(url: str) -> str:
    """The URL SQLAlchemy should use: ``postgresql://`` and ``postgres://`` mean psycopg 3.

    SQLAlchemy's plain ``postgresql://`` picks psycopg2, which bwvreview does not install.
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def safe_url(url: str) -> str:
    """The URL with any password replaced by ***, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


class LibraryBusyError(DatabaseError):
    """Another process held the library's write lock for longer than we wait."""


def busy_wait_s() -> float:
    """How long a statement waits for another writer: ``BWVREVIEW_BUSY_WAIT`` or 30 s."""
    raw = os.environ.get(BUSY_WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_BUSY_WAIT_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= _MAX_BUSY_WAIT_S:  # also NaN
        raise DatabaseError(
            f"{BUSY_WAIT_ENV} must be a number of seconds from 0 to {_MAX_BUSY_WAIT_S:.0f}, "
            f"not {raw[:40]!r}"
        )
    return seconds


def _busy_code(exc: sqlite3.OperationalError) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None and "database is locked" in str(exc):
        return 5
    return code


def _patiently(connection: sqlite3.Connection, call: Callable[[], object]) -> object:
    """Run ``call``; while another writer holds the lock, wait (bounded) and try again."""
    wait_s = getattr(connection, "busy_wait_s", DEFAULT_BUSY_WAIT_S)
    deadline: float | None = None
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            code = _busy_code(exc)
            if code == _BUSY_SNAPSHOT:
                raise LibraryBusyError(
                    "another bwvreview changed the library while this one waited to write; "
                    "nothing was saved: please try again"
                ) from exc
            if code not in _RETRYABLE_BUSY:
                raise
            now = time.monotonic()
            if deadline is None:  # the first attempt has already waited one step
                deadline = now + wait_s - min(wait_s, _BUSY_STEP_S)
                if now < deadline:
                    busy_log.warning(
                        "the library is busy (another bwvreview is writing); waiting up to %.0f s…",
                        wait_s,
                    )
            if now >= deadline:
                raise LibraryBusyError(
                    f"the library is still busy after {wait_s:.0f} s: another bwvreview (or "
                    "another program) is writing to it; nothing was changed: try again when "
                    f"it has finished (or set {BUSY_WAIT_ENV} to wait longer)"
                ) from exc


class _PatientCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: object = (), /) -> _PatientCursor:
        call = functools.partial(super().execute, sql, parameters)
        _patiently(self.connection, call)
        return self

    def executemany(self, sql: str, seq_of_parameters: object, /) -> _PatientCursor:
        rows = list(seq_of_parameters)  # type: ignore[call-overload]
        _patiently(self.connection, functools.partial(super().executemany, sql, rows))
        return self


class _PatientConnection(sqlite3.Connection):
    """A sqlite3 connection whose statements wait out another writer (see ``_patiently``)."""

    busy_wait_s = DEFAULT_BUSY_WAIT_S

    def cursor(self, factory: type[sqlite3.Cursor] = _PatientCursor) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory)

    def commit(self) -> None:
        _patiently(self, super().commit)


def _on_sqlite_connect(wait_s: float) -> Callable[[sqlite3.Connection, object], None]:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.busy_wait_s = wait_s  # type: ignore[attr-defined]
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={round(min(wait_s, _BUSY_STEP_S) * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def _sqlite_file(engine: Engine) -> Path | None:
    if engine.url.get_backend_name() != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the database with SQLite's online backup API before a migration touches it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    private_files.create_private_file(target)
    with (
        contextlib.closing(sqlite3.connect(path)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
    return target


# `revision = "0012_practice"`, `down_revision: str | None = "0011_programme"  # why`
_REVISION_LINE = re.compile(
    r"""^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(None|["']([^"'\n]+)["'])\s*(?:#.*)?$""", re.M
)


@functools.cache
def newest_revision() -> str | None:
    """The newest migration's revision, read from the files in ``migrations/versions``
    without loading Alembic; None unless they form one line of revisions (then Alembic,
    which knows every shape of history, decides)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {key: value for key, _raw, value in
                 _REVISION_LINE.findall(path.read_text(encoding="utf-8"))}  # fmt: skip
        if not found.get("revision"):
            return None
        revisions.add(found["revision"])
        parents.add(found.get("down_revision") or None)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    """The revision stamped in the database (Alembic's table), or None if there is none."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return stamped[0] if len(stamped) == 1 else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, backing up an existing SQLite file first.

    A database stamped with a revision this version of bwvreview does not know was written
    by a newer version: it is refused rather than guessed at. A database already at the
    newest revision, as nearly every open finds it, is told from one query without
    loading Alembic (a tenth of a second at every start of the command line).
    """
    current = _stored_revision(engine)
    if current is not None and current == newest_revision():
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:
            raise DatabaseError(
                f"the database was made by a newer bwvreview (schema {current}); "
                "please update bwvreview"
            ) from exc
        db_file = _sqlite_file(engine)
        if db_file is not None:
            log.info("backed up database to %s before migrating", _backup_sqlite(db_file, current))
    command.upgrade(cfg, "head")


def _migrate_locked(engine: Engine) -> None:
    """Migrate; on PostgreSQL under an advisory lock, so two clients never migrate at once."""
    if engine.url.get_backend_name() != "postgresql":
        migrate(engine)
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            migrate(engine)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            conn.commit()


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own first line (e.g. "Connection refused", "database "x" does not exist")."""
    orig = getattr(exc, "orig", None)
    lines = str(orig or "").strip().splitlines()
    detail = lines[0].rsplit("failed: ", 1)[-1] if lines else ""
    detail = detail.removeprefix("FATAL:").strip()
    return f"{exc.__class__.__name__}: {detail[:200]}" if detail else exc.__class__.__name__


def _prepare_sqlite_file(db_file: Path, url: str) -> None:
    """Create the database file 0600 before SQLite does (its -wal and -shm copy its mode),
    and tighten the files of an existing library that others could read."""
    try:
        if not db_file.parent.is_dir():
            private_files.make_private_dir(db_file.parent)
        private_files.create_private_file(db_file)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise DatabaseError(f"cannot open the database {safe_url(url)}: {reason}") from exc
    tightened = private_files.tighten_all(private_files.database_side_files(db_file))
    if tightened:
        log.info(
            "made %d library file(s) readable by this user only (others could read them): %s",
            len(tightened), ", ".join(p.name for p in tightened),
        )  # fmt: skip


def open_database(url: str) -> Database:
    """Open (creating if needed) the database at ``url`` and migrate it to the newest schema.

    ``url`` is a SQLite URL (``sqlite:///path``) or a PostgreSQL one
    (``postgresql://user:password@host:port/database``; the database must exist). A
    PostgreSQL database is shared by a team: each bwvreview opens it and migrates it if needed.
    """
    url = normalise_url(url)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {safe_url(url)}") from exc
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(f"bwvreview works with SQLite or PostgreSQL, not {backend}")
    options: dict[str, object] = {}
    if backend == "sqlite":
        wait_s = busy_wait_s()
        options = {"connect_args": {"factory": _PatientConnection, "timeout": _BUSY_STEP_S}}
    if backend == "postgresql":
        # A team server may restart or drop idle connections: check before handing one out.
        options = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}}
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot open the database {safe_url(url)}: {exc}") from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect(wait_s))
        db_file = _sqlite_file(engine)
        if db_file is not None:
            _prepare_sqlite_file(db_file, url)
    try:
        _migrate_locked(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {safe_url(url)}: {_reason(exc)}") from exc
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def check_integrity(db: Database) -> list[str]:
    """Look for damage in the database; returns what is wrong (an empty list: nothing found).

    SQLite: ``PRAGMA integrity_check`` (pages, indexes, constraints) and
    ``PRAGMA foreign_key_check`` (rows pointing at rows that are gone). PostgreSQL: the
    amcheck extension's ``bt_index_check`` on every B-tree index of the public schema, when
    the extension can be created (it needs a privileged role), and a search for rows whose
    foreign keys point at rows that are gone. Checking is an administrator's task
    (``READ_AUDIT``).
    """
    require(db.principal, READ_AUDIT)
    try:
        with db.engine.connect() as conn:
            if db.dialect == "sqlite":
                return _sqlite_problems(conn)
            return _amcheck_problems(conn) + _orphan_problems(conn)
    except SQLAlchemyError as exc:
        return [f"cannot check the database: {exc.__class__.__name__}: {exc.orig or exc}"]


def _sqlite_problems(conn: Connection) -> list[str]:
    problems = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    problems = [p for p in problems if p != "ok"]
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points at a missing row of {parent}")
    return problems


def _amcheck_problems(conn: Connection) -> list[str]:
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
    except SQLAlchemyError as exc:
        log.info("amcheck unavailable, B-tree indexes not checked: %s", exc.__class__.__name__)
        conn.rollback()
        return []
    indexes = conn.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND am.amname = 'btree' AND i.indisvalid "
            "ORDER BY c.relname"
        )
    ).all()
    problems = []
    for oid, name in indexes:
        try:
            with conn.begin_nested():
                conn.execute(text("SELECT bt_index_check(:oid)"), {"oid": oid})
        except SQLAlchemyError as exc:
            problems.append(f"index {name}: {str(exc.orig or exc).splitlines()[0]}")
    conn.commit()
    return problems


def _orphan_problems(conn: Connection) -> list[str]:
    """Rows whose foreign key names a row that does not exist (possible only if checks were off)."""
    quote = conn.dialect.identifier_preparer.quote
    inspector = inspect(conn)
    problems = []
    for table in sorted(inspector.get_table_names()):
        for fk in inspector.get_foreign_keys(table):
            child, parent = fk["constrained_columns"], fk["referred_columns"]
            match = " AND ".join(
                f"p.{quote(p)} = c.{quote(c)}" for c, p in zip(child, parent, strict=True)
            )
            present = " AND ".join(f"c.{quote(c)} IS NOT NULL" for c in child)
            count = conn.scalar(
                text(
                    f"SELECT count(*) FROM {quote(table)} c WHERE {present} AND NOT EXISTS "
                    f"(SELECT 1 FROM {quote(fk['referred_table'])} p WHERE {match})"
                )
            )
            if count:
                problems.append(
                    f"{count} row(s) of {table} point at missing rows of {fk['referred_table']}"
                )
    conn.commit()
    return problems
