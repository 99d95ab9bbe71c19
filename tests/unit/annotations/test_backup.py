"""Daily SQLite backups: online API, once a day, newest N kept, verified, atomic."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwvreview import app
from bwvreview.annotations.store import models
from bwvreview.annotations.store.backup import backup_if_due, backup_name, list_backups
from bwvreview.annotations.store.db import open_database, sqlite_url

DAY = dt.date(2026, 11, 23)


@pytest.fixture
def db(tmp_path):
    database = open_database(sqlite_url(tmp_path / "lib" / "bwvreview.sqlite3"))
    yield database
    database.close()


def _add_user(db, name: str) -> None:
    with db.begin() as session:
        session.add(models.User(name=name, role="tip"))


def _users_in(path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("select name from users order by id")]
    finally:
        con.close()


def test_the_backup_is_a_checked_copy_of_the_committed_data(db, tmp_path):
    _add_user(db, "Asha")
    folder = tmp_path / "backups"
    made = backup_if_due(db, folder, today=DAY)
    assert made == folder / "bwvreview-20261123.sqlite3"
    assert _users_in(made) == ["Asha"]
    con = sqlite3.connect(made)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    con.close()
    assert sorted(p.name for p in folder.iterdir()) == ["bwvreview-20261123.sqlite3"]


def test_at_most_one_backup_a_day(db, tmp_path):
    folder = tmp_path / "backups"
    _add_user(db, "first")
    assert backup_if_due(db, folder, today=DAY) is not None
    _add_user(db, "second")
    assert backup_if_due(db, folder, today=DAY) is None  # not due: the morning's copy stands
    assert _users_in(folder / "bwvreview-20261123.sqlite3") == ["first"]
    nxt = backup_if_due(db, folder, today=DAY + dt.timedelta(days=1))
    assert nxt is not None and _users_in(nxt) == ["first", "second"]


def test_only_the_newest_n_are_kept(db, tmp_path):
    folder = tmp_path / "backups"
    for n in range(10):
        backup_if_due(db, folder, keep=3, today=DAY + dt.timedelta(days=n))
    kept = [p.name for p in list_backups(folder)]
    assert kept == [
        backup_name(Path(db.engine.url.database), DAY + dt.timedelta(days=n)) for n in (7, 8, 9)
    ]


def test_other_files_in_the_folder_are_left_alone(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    mine = folder / "my notes.txt"
    mine.write_text("keep me")
    other = folder / "team-20200101.sqlite3"  # another database's backups
    other.write_bytes(b"x")
    for n in range(3):
        backup_if_due(db, folder, keep=1, today=DAY + dt.timedelta(days=n))
    assert mine.exists() and other.exists()
    assert [p.name for p in list_backups(folder)] == ["bwvreview-20261125.sqlite3"]


def test_a_backup_taken_while_another_connection_writes_is_consistent(db, tmp_path):
    """The online API copies one snapshot even while the library is being written."""
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            _add_user(db, f"user {n}")
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        made = [
            backup_if_due(db, tmp_path / "b", today=DAY + dt.timedelta(days=n)) for n in range(5)
        ]
    finally:
        stop.set()
        thread.join()
    for path in made:
        assert path is not None
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = [r[0] for r in con.execute("select name from users order by id")]
        con.close()
        assert names == [f"user {n}" for n in range(len(names))]  # a prefix: no gaps


def test_a_failed_backup_leaves_nothing_under_the_dated_name(db, tmp_path, caplog):
    folder = tmp_path / "backups"
    folder.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING):
        assert backup_if_due(db, folder, today=DAY) is None
    assert "daily backup of the library was not made" in caplog.text
    assert folder.read_text() == "a file where the folder should be"


def test_a_stale_partial_from_a_crash_is_cleared(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = folder / ".bwvreview-20261122.deadbeef.partial"
    stale.write_bytes(b"half a copy")
    os.utime(stale, (0, 0))
    fresh = folder / ".bwvreview-20261123.cafef00d.partial"  # maybe another process's, now
    fresh.write_bytes(b"being written")
    backup_if_due(db, folder, today=DAY)
    assert not stale.exists() and fresh.exists()


def test_postgresql_is_skipped(db, tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connected
    pg = type(db)(url=str(engine.url), engine=engine, sessions=sessionmaker(engine))
    assert pg.dialect == "postgresql"
    assert backup_if_due(pg, tmp_path / "backups", today=DAY) is None
    assert not (tmp_path / "backups").exists()
    engine.dispose()


def test_in_memory_database_is_skipped(tmp_path):
    memory = open_database("sqlite://")
    try:
        assert backup_if_due(memory, tmp_path / "backups", today=DAY) is None
    finally:
        memory.close()


def test_keep_must_be_at_least_one(db, tmp_path):
    with pytest.raises(ValueError):
        backup_if_due(db, tmp_path, keep=0)


def test_opening_the_library_makes_todays_backup_once(_isolated_data):
    lib = app.open_library()
    try:
        backups = list_backups(_isolated_data / "backups")
        assert [p.name for p in backups] == [f"bwvreview-{dt.date.today():%Y%m%d}.sqlite3"]
        first = backups[0].stat().st_mtime_ns
        with lib.db.begin() as session:
            assert session.scalar(select(func.count()).select_from(models.CodebookVersion)) == 1
    finally:
        lib.close()
    again = app.open_library()
    again.close()
    assert [p.stat().st_mtime_ns for p in list_backups(_isolated_data / "backups")] == [first]


def test_a_backup_opens_as_a_library(_isolated_data, clip_path):
    """Restoring is copying the file back; the copy is a complete, current library."""
    lib = app.open_library()
    try:
        recording, _ = app.import_media(lib, clip_path)
        made = backup_if_due(lib.db, _isolated_data / "restore-test", today=DAY)
    finally:
        lib.close()
    restored = app.open_library(db_url=f"sqlite:///{made.as_posix()}")
    try:
        listed = app.library.list_recordings(restored.db)
        assert [(r.id, r.sha256) for r in listed] == [(recording.id, recording.sha256)]
    finally:
        restored.close()
