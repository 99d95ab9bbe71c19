"""Files and folders only their owner can open: the library, its side files, backups, logs.

The library holds transcripts with names and addresses in them, so on POSIX every folder
bwvreview makes for it is created 0700 and every file 0600, through ``os.open`` with an
explicit mode rather than whatever the umask allows; files that already exist with wider
modes (a library made by an older bwvreview) are tightened when the library opens, and
each one tightened is reported so the log can say so. SQLite gives its ``-wal`` and
``-shm`` files the mode of the database file, so creating the database 0600 covers them.

On Windows the mode bits mean nothing (``os.chmod`` only sets the read-only flag), so
nothing here changes them: the files rely on the ACLs of the user profile they live in.
The platformdirs default (``%LOCALAPPDATA%\\bwvreview``) inherits an ACL that lets in only
that user, SYSTEM and administrators; a data folder chosen elsewhere must be protected the
same way, and a laptop that holds footage needs full-disk encryption (BitLocker) either way.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

POSIX = os.name == "posix"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_OTHERS = 0o077  # group and world bits


def make_private_dir(path: Path) -> bool:
    """Create ``path`` (and missing parents) if needed; the folder itself 0700 on POSIX.

    Returns True if an existing folder's mode was tightened. Parents keep the usual mode:
    only the folder bwvreview owns is made private. Raises ``OSError`` as ``mkdir`` does.
    """
    path = Path(path)
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process made it first
            path.mkdir(mode=PRIVATE_DIR_MODE)
    return tighten(path)


def create_private_file(path: Path) -> bool:
    """Make sure ``path`` exists as a 0600 file (empty if new) before anything writes it.

    Returns True if an existing file's mode was tightened. Creating it through ``os.open``
    with the mode is what keeps a umask of 022 from making it readable by everyone.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        os.close(os.open(path, flags, PRIVATE_FILE_MODE))
    except FileExistsError:
        return tighten(path)
    return False


def tighten(path: Path) -> bool:
    """Remove the group and world bits of ``path`` (POSIX); True if they were set.

    Symbolic links are left alone (``chmod`` would change whatever they point at), and so
    is anything owned by another account (it is theirs to change, and chmod would fail).
    """
    if not POSIX:
        return False
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid() or not st.st_mode & _OTHERS:
        return False
    os.chmod(path, stat.S_IMODE(st.st_mode) & ~_OTHERS)
    return True


def tighten_tree(folder: Path) -> list[Path]:
    """Tighten ``folder`` and everything under it (links not followed); what was changed."""
    changed = [folder] if tighten(folder) else []
    if not POSIX or not folder.is_dir() or folder.is_symlink():
        return changed
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(root, name)
            with contextlib.suppress(OSError):  # gone meanwhile, or not ours
                if tighten(path):
                    changed.append(path)
    return changed


def tighten_all(paths: Iterable[Path]) -> list[Path]:
    """Tighten each of ``paths`` (files or whole folders); what was changed."""
    changed: list[Path] = []
    for path in paths:
        with contextlib.suppress(OSError):
            changed += tighten_tree(path) if path.is_dir() else [path] * tighten(path)
    return changed


def database_side_files(db_file: Path) -> list[Path]:
    """The database and the files SQLite and bwvreview keep beside it (``-wal``, ``-shm``,
    ``-journal``, the audit key and checkpoint, backups made before a migration)."""
    folder = db_file.parent
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{db_file.name}*") if p.is_file())
