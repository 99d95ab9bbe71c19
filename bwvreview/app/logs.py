"""Where bwvreview writes its log, kept private to this user."""

from __future__ import annotations

import os
from pathlib import Path

from bwvreview import locations
from bwvreview.annotations.store import private_files
from bwvreview.annotations.store.db import busy_log

__all__ = ["busy_log", "log_file"]


def log_file(data_dir: str | os.PathLike[str] | None) -> Path:
    """The log file in the data folder, made (0600, whatever the umask) if new."""
    logs = locations.data_dir(data_dir) / "logs"
    private_files.make_private_dir(logs)
    private_files.create_private_file(logs / "bwvreview.log")
    return logs / "bwvreview.log"
