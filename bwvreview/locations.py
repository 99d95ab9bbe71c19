"""Where the library lives: the data folder and the database URL.

Precedence everywhere (command line, window, tests): an explicit argument, then the
``BWVREVIEW_DATA`` / ``BWVREVIEW_DB`` environment variables, then the per-user data folder
that platformdirs gives for this operating system.

``prepare_data_dir`` checks the folder before any work (it must be a folder this user can
create and write in) and keeps it private: on POSIX the folder and what bwvreview keeps
in it (the database and its side files, ``logs/``, ``backups/``, ``cache/``) are readable
by this user only, and a library made before that rule is tightened. On Windows the user
profile's ACLs protect the default folder (see ``annotations.private_files``).
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from pathlib import Path

from platformdirs import user_data_dir

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.store import private_files

DB_FILENAME = "bwvreview.sqlite3"
DATA_ENV = "BWVREVIEW_DATA"
# What bwvreview itself keeps in the data folder; nothing else there is touched.
_OWN_FOLDERS = ("logs", "backups", "cache", "audit", "exports in progress")  # the last: export-clip


class DataFolderError(DomainError):
    """The data folder cannot hold a library (a file, not creatable, not writable)."""


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    chosen = explicit or os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(user_data_dir("bwvreview", appauthor=False))


def check_given(explicit: str | os.PathLike[str] | None) -> None:
    """Refuse ``--data-dir ""``: an empty name given on purpose is not "the default"."""
    if explicit is not None and not str(explicit).strip():
        raise DataFolderError(
            f"--data-dir was given no folder name; give a folder you can write in, or leave"
            f" it out for {DATA_ENV} or the per-user default"
        )


def data_dir_source(explicit: str | os.PathLike[str] | None = None) -> str:
    """Where ``data_dir`` took its answer from, for messages."""
    if explicit:
        return "--data-dir"
    return DATA_ENV if os.environ.get(DATA_ENV) else "the per-user default"


def database_url(explicit: str | None = None, data: Path | None = None) -> str:
    chosen = explicit or os.environ.get("BWVREVIEW_DB")
    if chosen:
        return chosen
    return f"sqlite:///{((data or data_dir()) / DB_FILENAME).as_posix()}"


def _refuse(folder: Path, source: str, problem: str) -> DataFolderError:
    shown = str(folder) if len(str(folder)) <= 300 else f"{str(folder)[:300]}…"
    return DataFolderError(
        f"the data folder {shown} ({source}) {problem}; give a folder you can write in "
        f"with --data-dir or {DATA_ENV}"
    )


def _reason(exc: OSError) -> str:
    return (exc.strerror or exc.__class__.__name__).lower()


def prepare_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Check and create the data folder before any work; return it.

    Raises ``DataFolderError`` with one line when the path is a file, lies somewhere no
    folder can be made (``/proc``, a read-only disk, a name too long) or cannot be written
    in. A new folder is made 0700 on POSIX.
    """
    folder = data_dir(explicit)
    source = data_dir_source(explicit)
    created = True  # until it is found: a name too long to look up cannot be created either
    try:
        if folder.exists() and not folder.is_dir():
            raise _refuse(folder, source, "is a file, not a folder")
        created = not folder.exists()
        if created:
            private_files.make_private_dir(folder)
        probe = folder / f".bwvreview-write-test-{uuid.uuid4().hex[:8]}"
        private_files.create_private_file(probe)
        probe.unlink()
    except NotADirectoryError:
        raise _refuse(folder, source, "is inside a file, not a folder") from None
    except OSError as exc:
        verb = "cannot be created" if created else "cannot be written in"
        raise _refuse(folder, source, f"{verb} ({_reason(exc)})") from None
    return folder


def _may_tighten_folder(folder: Path) -> bool:
    """Only a folder of bwvreview's own: ours, not shared (sticky, like /tmp), not home."""
    try:
        st = folder.stat()
    except OSError:
        return False
    if not private_files.POSIX or st.st_uid != os.geteuid() or st.st_mode & stat.S_ISVTX:
        return False
    return folder.resolve() != Path.home().resolve()


def tighten_data_dir(folder: Path) -> list[Path]:
    """Make what bwvreview keeps in ``folder`` readable by this user only (POSIX).

    Returns what was changed, for the log. The folder itself is tightened only if it is
    this user's and not a shared one (a sticky folder such as /tmp, or the home folder);
    of its contents only the database, its side files and bwvreview's own sub-folders are
    touched, never anything else someone keeps there.
    """
    changed: list[Path] = []
    if _may_tighten_folder(folder):
        with contextlib.suppress(OSError):  # a read-only disk: nothing to protect by mode
            changed += [folder] * private_files.tighten(folder)
    own = [folder / name for name in _OWN_FOLDERS]
    own += private_files.database_side_files(folder / DB_FILENAME)
    return changed + private_files.tighten_all(p for p in own if p.exists())
