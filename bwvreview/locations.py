"""Where the library lives: the data folder and the database URL.

Precedence everywhere (command line, window, tests): an explicit argument, then the
``BWVREVIEW_DATA`` / ``BWVREVIEW_DB`` environment variables, then the per-user data folder
that platformdirs gives for this operating system.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DB_FILENAME = "bwvreview.sqlite3"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    chosen = explicit or os.environ.get("BWVREVIEW_DATA")
    if chosen:
        return Path(chosen).expanduser()
    return Path(user_data_dir("bwvreview", appauthor=False))


def database_url(explicit: str | None = None, data: Path | None = None) -> str:
    chosen = explicit or os.environ.get("BWVREVIEW_DB")
    if chosen:
        return chosen
    return f"sqlite:///{((data or data_dir()) / DB_FILENAME).as_posix()}"
