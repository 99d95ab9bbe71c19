"""A daily copy of the SQLite library, made with SQLite's online backup API.

``backup_if_due`` is called each time the library opens. At most once a day it copies the
database page by page into ``<data>/backups/bwvreview-YYYYMMDD.sqlite3`` while other
connections may be reading or writing (the backup API copies one consistent snapshot),
checks the copy with ``PRAGMA integrity_check``, and only then renames it into place, so a
crash or a full disk never leaves a half backup under a dated name. The newest ``keep``
copies are kept. When a backup is not due the cost is one ``stat`` of the day's name. The
folder is made 0700 and each copy 0600 (see ``private_files``): a backup holds every
transcript the library does.

PostgreSQL (team mode) is skipped: the server's own backups (``pg_dump``, base backups and
WAL archiving) are the right tool there, and a client cannot copy a server consistently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
import uuid
from pathlib import Path

from bwvreview.annotations.store import private_files
from bwvreview.annotations.store.db import Database

log = logging.getLogger(__name__)

DEFAULT_KEEP = 7
_PARTIAL_SUFFIX = ".partial"
_STALE_PARTIAL_S = 3600


def _source_file(db: Database) -> Path | None:
    """The SQLite file behind ``db``, or None (PostgreSQL, or an in-memory database)."""
    if db.dialect != "sqlite":
        return None
    database = db.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database)


def backup_name(source: Path, day: dt.date) -> str:
    """``bwvreview-20261123.sqlite3`` for the default ``bwvreview.sqlite3``."""
    return f"{source.stem}-{day:%Y%m%d}.sqlite3"


def list_backups(folder: Path, source_stem: str = "bwvreview") -> list[Path]:
    """Finished daily backups of the database named ``source_stem``, oldest first."""
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(source_stem)}-\d{{8}}\.sqlite3$")
    return sorted(p for p in folder.iterdir() if pattern.match(p.name))


def _copy_verified(source: Path, target: Path) -> None:
    """Copy ``source`` into ``target`` with the online backup API and check the copy."""
    private_files.create_private_file(target)  # before SQLite makes it with the umask's mode
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        # A self-contained single file: the copy does not need a -wal beside it.
        dst.execute("PRAGMA journal_mode=DELETE")
        result = [row[0] for row in dst.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise sqlite3.DatabaseError(f"integrity_check of the copy: {'; '.join(result[:3])}")
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())


def _prune(folder: Path, stem: str, keep: int) -> None:
    for old in list_backups(folder, stem)[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    # Left by a crash mid-backup; an hour old, so never one another process is writing now.
    cutoff = dt.datetime.now().timestamp() - _STALE_PARTIAL_S
    for partial in folder.glob(f".{stem}-*{_PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            if partial.stat().st_mtime < cutoff:
                partial.unlink()


def backup_if_due(
    db: Database, folder: Path, keep: int = DEFAULT_KEEP, *, today: dt.date | None = None
) -> Path | None:
    """Make today's backup of a SQLite library if there is none yet; return its path.

    Returns None when nothing was written: not due (today's copy exists), PostgreSQL (the
    server's own backups apply), an in-memory database, or a failure. A failure is logged
    as a warning and never stops the library from opening.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    source = _source_file(db)
    if source is None:
        if db.dialect != "sqlite":
            log.debug("no daily backup on %s: the server's own backups apply", db.dialect)
        return None
    folder = Path(folder)
    target = folder / backup_name(source, today or dt.date.today())
    if target.exists() or not source.is_file():
        return None
    partial = folder / f".{target.stem}.{uuid.uuid4().hex[:8]}{_PARTIAL_SUFFIX}"
    try:
        private_files.make_private_dir(folder)
        _copy_verified(source, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        log.warning("daily backup of the library was not made (%s: %s)", type(exc).__name__, exc)
        return None
    _prune(folder, source.stem, keep)
    log.info("backed up the library to %s", target)
    return target
