"""Opening the library: where the data lives, the database (opened and migrated) and the
codebook in force. ``open_library`` is the composition root for everything that is not a widget.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bwvreview import locations
from bwvreview.annotations.access import os_account
from bwvreview.annotations.codebook import (
    Codebook,
    installed_codebook,
    load_codebook,
    store_codebook,
)
from bwvreview.annotations.store.backup import backup_if_due
from bwvreview.annotations.store.db import Database, open_database
from bwvreview.bundled import resource_path


@dataclass(frozen=True)
class Library:
    """An open library: database, data folder and the codebook in force."""

    db: Database
    data_dir: Path
    codebook: Codebook
    codebook_id: int
    actor: str

    def close(self) -> None:
        self.db.close()


def current_actor() -> str:
    """Who is acting, for the audit log, until someone signs in: the OS account."""
    return os_account()


def open_library(
    db_url: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    codebook_path: Path | None = None,
) -> Library:
    """Open the library: resolve locations, migrate the database, load and record the codebook."""
    data = locations.data_dir(data_dir)
    url = locations.database_url(db_url, data)
    # The codebook in force: a file given here, else the one an admin installed in the
    # library, else the bundled one. A bad file is refused before the database is touched.
    explicit = load_codebook(codebook_path) if codebook_path else None
    db = open_database(url)
    backup_if_due(db, data / "backups")  # SQLite only, once a day; cheap when not due
    codebook = explicit or installed_codebook(db) or load_codebook(resource_path("codebook.yaml"))
    with db.begin() as session:
        codebook_id = store_codebook(session, codebook)
    return Library(db, data, codebook, codebook_id, current_actor())
