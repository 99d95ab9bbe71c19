"""Data at rest: another account on the machine must not be able to read the library.

As an attacker would look: make a library through the real command line (with a umask of
0, the most careless), then check the mode of every file and folder under the data folder,
the database's -wal and -shm included while it is open. The tests run as root here, so they
check mode bits rather than trying to read as another user.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bwvreview.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes (Windows: profile ACLs)")

DB_NAME = "bwvreview.sqlite3"


def _open_to_others(data: Path) -> list[str]:
    """Everything under ``data`` (and itself) that group or world may open, with its mode."""
    found = []
    for path in [data, *data.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077 and not path.is_symlink():
            found.append(f"{oct(mode)} {path.relative_to(data.parent)}")
    return found


def _bwvreview(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The installed command, with umask 0: whatever it creates is private by its own doing."""
    return subprocess.run(
        [sys.executable, "-m", "bwvreview", "--data-dir", str(data), *argv],
        capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=lambda: os.umask(0),  # noqa: PLW1509 - single-threaded test process
    )  # fmt: skip


def test_a_new_library_is_readable_by_its_owner_only(tmp_path, clip_path):
    data = tmp_path / "data"
    for argv in (["import", str(clip_path), "--incident", "INC-7"], ["list"], ["audit"]):
        done = _bwvreview(data, *argv)
        assert done.returncode in (0, 3), done.stderr
    assert (data / "backups").is_dir() and (data / "logs" / "bwvreview.log").is_file()
    assert (data / f"{DB_NAME}.audit-key").is_file()
    # While the library is open its -wal and -shm exist; they must be as private.
    con = sqlite3.connect(data / DB_NAME)
    try:
        con.execute("UPDATE incidents SET description = description")
        con.commit()
        assert (data / f"{DB_NAME}-wal").exists() and (data / f"{DB_NAME}-shm").exists()
        assert _open_to_others(data) == []
    finally:
        con.close()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / DB_NAME).stat().st_mode) == 0o600


def test_an_existing_library_is_tightened_at_open_and_the_log_says_so(tmp_path, clip_path):
    data = tmp_path / "data"
    assert _bwvreview(data, "import", str(clip_path)).returncode == 0
    for path in [data, *data.rglob("*")]:  # as an older bwvreview left it
        path.chmod(0o755 if path.is_dir() else 0o644)
    (data / "cache" / "peaks").mkdir(parents=True)
    (data / "cache" / "peaks" / "x.npy").write_bytes(b"peaks")
    (data / "cache" / "peaks" / "x.npy").chmod(0o666)
    assert len(_open_to_others(data)) > 5
    done = _bwvreview(data, "list")
    assert (done.returncode, done.stderr) == (0, "")
    assert _open_to_others(data) == []
    log = (data / "logs" / "bwvreview.log").read_text(encoding="utf-8")
    assert "readable by this user only" in log and f"{DB_NAME}.audit-key" in log


def test_a_shared_folder_is_not_tightened_only_bwvreview_files_in_it(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: sticky, everyone's
    (shared / "someone-elses.txt").write_text("theirs")
    (shared / "someone-elses.txt").chmod(0o644)
    assert main(["--data-dir", str(shared), "list"]) == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "someone-elses.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((shared / DB_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE((shared / "logs").stat().st_mode) == 0o700


def test_a_database_named_with_db_is_made_private_but_not_its_folder(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    url = f"sqlite:///{folder / 'team.sqlite3'}"
    assert main(["--data-dir", str(tmp_path / "data"), "--db", url, "list"]) == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_daily_backups_are_private(tmp_path):
    import datetime as dt

    from bwvreview.annotations.store.backup import backup_if_due
    from bwvreview.annotations.store.db import open_database

    old = os.umask(0)
    try:
        db = open_database(f"sqlite:///{tmp_path / DB_NAME}")
        made = backup_if_due(db, tmp_path / "backups", today=dt.date(2026, 1, 2))
        db.close()
    finally:
        os.umask(old)
    assert made is not None
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700


def test_on_windows_nothing_is_chmodded(monkeypatch, tmp_path):
    """Windows relies on the profile's ACLs: the helpers must not call POSIX-only APIs."""
    from bwvreview.annotations.store import private_files

    monkeypatch.setattr(private_files, "POSIX", False)

    def no_chmod(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("chmod called on Windows")

    monkeypatch.setattr(os, "chmod", no_chmod)
    monkeypatch.setattr(os, "geteuid", no_chmod, raising=False)
    target = tmp_path / "f"
    target.write_text("x")
    assert private_files.tighten(target) is False
    assert private_files.tighten_tree(tmp_path) == []
    assert private_files.create_private_file(tmp_path / "new") is False
    assert private_files.make_private_dir(tmp_path / "folder") is False
