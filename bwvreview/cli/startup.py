"""Before a command runs: arguments that are not UTF-8 refused, logging set up, and the
data folder kept private to this user."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from bwvreview import locations
from bwvreview.app.errors import DomainError

log = logging.getLogger("bwvreview")

_installed_handlers: list[logging.Handler] = []


def setup_logging(args: argparse.Namespace) -> Path | None:
    """Warnings (details with -v) to stderr, one line each; tracebacks only to the log file."""
    from bwvreview.app.logs import busy_log, log_file

    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if args.verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(lambda record: not record.exc_info)
    console.addFilter(lambda record: record.name != busy_log.name)
    # "the library is busy…" as a plain line: a person is waiting and should know why.
    busy = logging.StreamHandler(sys.stderr)
    busy.setFormatter(logging.Formatter("bwvreview: %(message)s"))
    busy.addFilter(lambda record: record.name == busy_log.name)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for old in _installed_handlers:  # main() may run more than once in one process
        root.removeHandler(old)
        old.close()
    _installed_handlers[:] = [console, busy]
    root.addHandler(console)
    root.addHandler(busy)
    try:
        path = log_file(args.data_dir)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _installed_handlers.append(handler)
    return path


# Queues of paths: the workflow refuses each bad name alone and goes on with the rest.
_CHECKED_PER_ITEM = {"paths", "targets"}
_PATH_ARGS = {"data_dir", "db", "target", "clip", "file", "out", "report", "pdf", "model"}


def _not_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes the terminal or file system gave in another encoding
        return True
    return False


def check_text(args: argparse.Namespace) -> None:
    """Refuse arguments and BWVREVIEW_* variables that are not UTF-8 before any work: they
    cannot be stored, logged or printed (today they ended in a fault or a logging traceback)."""
    for name in sorted(os.environ):
        if name.startswith("BWVREVIEW_") and _not_utf8(os.environ[name]):
            raise DomainError(f"the environment variable {name} is not valid UTF-8 text")
    for dest, value in vars(args).items():
        if dest in _CHECKED_PER_ITEM:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and _not_utf8(text):
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                what, fix = (("the file or folder name", "rename it") if dest in _PATH_ARGS
                             else ("this text", "type it again"))  # fmt: skip
                raise DomainError(f"{shown[:200]}: {what} is not valid UTF-8 text; {fix}")


def keep_private(data: Path | None) -> None:
    """Make what bwvreview keeps in the data folder readable by this user only (POSIX)."""
    if data is None:
        return
    changed = locations.tighten_data_dir(data)
    if changed:
        shown = ", ".join(str(p.relative_to(data)) for p in changed[:20])
        log.info("made %d file(s) or folder(s) in %s readable by this user only: %s",
                 len(changed), data, shown)  # fmt: skip
