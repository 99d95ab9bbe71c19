"""Where an export writes: every name checked before any work, nothing ever overwritten,
and a journal of exports in progress so a killed one's hidden files are found and removed.

An export writes four files: the clip (under its own name once verified, or as
``NAME.failed.mp4`` when it fails), the report ``.json`` and its readable ``.txt`` copy.
All are refused before the minute-long work if any exists, if two are the same file (by
path, symlink or a difference of case only) or if one is the footage itself, or if their
folder is missing or cannot be written. Each is written under a hidden name and published
with ``publish_new``, which never replaces a file.

The output folder can be anywhere, so the hidden names are listed in a journal entry in the
data folder before they exist. The entry's lock is held while the export runs; a lock that
can be taken means the export that made it is gone, and its leftovers are removed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bwvreview.media.clip_splice import work_folder
from bwvreview.media.clip_writer import publish_new, temporary_path
from bwvreview.media.errors import MediaError

log = logging.getLogger(__name__)

JOURNAL_FOLDER = "exports in progress"


@dataclass(frozen=True)
class ClipOutputs:
    """The files one export may write, and the hidden names they are written under first."""

    clip: Path  # published here when verification passes
    held: Path  # ... or here when it fails (or was not run): never under the clip's name
    report: Path
    text_report: Path
    partial_clip: Path
    partial_report: Path
    partial_text: Path

    @property
    def finals(self) -> tuple[Path, ...]:
        return (self.clip, self.held, self.report, self.text_report)

    @property
    def partials(self) -> tuple[Path, ...]:
        """Hidden names, and the folder a repair's splice works in (``clip_splice``)."""
        splice = work_folder(self.partial_clip)
        return (self.partial_clip, self.partial_report, self.partial_text, splice)


def text_report_for(report: Path) -> Path:
    """The readable copy written beside a report: ``x.report.json`` → ``x.report.txt``."""
    return report.with_suffix(".txt")


def held_path_for(clip: Path, *, verified: bool = True) -> Path:
    """Where a clip that failed verification (or was not verified) is published."""
    word = "failed" if verified else "unverified"
    return clip.with_name(f"{clip.stem}.{word}{clip.suffix}")


def plan_outputs(clip: Path, report: Path, source: Path, *, verify: bool = True) -> ClipOutputs:
    """Check every name an export would write, before any work; raise ``MediaError`` if not."""
    if clip.suffix.lower() != ".mp4":
        raise MediaError(f"{clip.name}: a clip is written as MP4; use a name ending in .mp4")
    text = text_report_for(report)
    held = held_path_for(clip, verified=verify)
    named = [("the clip", clip), ("the report", report), ("the report's readable copy", text)]
    _refuse_the_footage(named, source)
    _refuse_clashes([*named, ("the failed clip's name", held)])
    for _, path in [*named, ("", held)]:
        if os.path.lexists(path):
            raise MediaError(f"{path} already exists; choose another name (nothing is overwritten)")
    for folder in dict.fromkeys(p.parent for p in (clip, report)):
        _check_folder(folder)
    return ClipOutputs(
        clip=clip,
        held=held,
        report=report,
        text_report=text,
        partial_clip=temporary_path(clip),
        partial_report=_hidden(report),
        partial_text=_hidden(text),
    )


def plan_new_files(paths: list[Path]) -> list[tuple[Path, Path]]:
    """``(final, hidden partial)`` for each of ``paths`` that a writer other than the clip
    export means to publish (a report, a CSV): refused with ``MediaError`` before any work
    if one exists, two are the same file, or a folder is missing or cannot be written."""
    _refuse_clashes([(f"the file {p.name}", p) for p in paths])
    for path in paths:
        if os.path.lexists(path):
            raise MediaError(f"{path} already exists; choose another folder (nothing is replaced)")
    for folder in dict.fromkeys(p.parent for p in paths):
        _check_folder(folder)
    return [(path, _hidden(path)) for path in paths]


def _identity(path: Path) -> str:
    """One spelling per file: absolute, symlinks followed, and case folded (on a
    case-insensitive disk ``A.mp4`` is ``a.mp4``; elsewhere refusing it costs nothing)."""
    return os.path.normcase(os.path.realpath(path)).casefold()


def _same_file(a: Path, b: Path) -> bool:
    if _identity(a) == _identity(b):
        return True
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)  # hard links, bind mounts
    return False


def _refuse_the_footage(named: list[tuple[str, Path]], source: Path) -> None:
    for what, path in named:
        if _same_file(path, source):
            raise MediaError(
                f"{what} {path} already exists: it is the footage itself, and the original"
                " is never written to"
            )


def _refuse_clashes(named: list[tuple[str, Path]]) -> None:
    for i, (what, path) in enumerate(named):
        for other_what, other in named[i + 1 :]:
            if _same_file(path, other):
                raise MediaError(
                    f"{what} and {other_what} would be the same file ({other}); "
                    "give the report a name of its own"
                )


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise MediaError(f"the folder {folder} does not exist")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise MediaError(f"cannot write in {folder}: {exc.strerror or exc}") from exc


def _hidden(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")


def write_new_text(partial: Path, text: str) -> None:
    """Write a hidden file that must not exist yet, and flush it to disk."""
    with partial.open("x", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_new_bytes(partial: Path, data: bytes) -> None:
    """``write_new_text`` for bytes (a PDF, a PNG)."""
    with partial.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def publish(partial: Path, final: Path) -> None:
    """``publish_new``, with a file that appeared meanwhile as bad input."""
    try:
        publish_new(partial, final)
    except FileExistsError:
        raise MediaError(f"{final} appeared while exporting; nothing was overwritten") from None


def remove(paths: Iterator[Path] | tuple[Path, ...] | list[Path]) -> list[Path]:
    """Delete the files that exist among ``paths``, and the splice work folders (hidden,
    named ``….splice``: never any other folder, whatever a journal says); return those
    deleted."""
    removed = []
    for path in paths:
        ours = path.name.startswith(".") and path.name.endswith(".splice")
        if ours and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
            continue
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
            path.unlink()
            removed.append(path)
    return removed


# --- The journal -----------------------------------------------------------------------


class JournalEntry:
    """One export in progress, listed in the data folder while its lock is held."""

    def __init__(self, folder: Path, outputs: ClipOutputs) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        self.path = folder / f"{name}.json"
        self.lock_path = folder / f"{name}.lock"
        self.outputs = outputs
        self._lock = _locked(self.lock_path)
        self._write("working")

    def publishing(self) -> None:
        """From here the final names may appear: a kill leaves reports to take back."""
        self._write("publishing")

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._lock.close()
        with contextlib.suppress(OSError):
            self.lock_path.unlink()

    def _write(self, state: str) -> None:
        o = self.outputs
        entry = {
            "state": state,
            "pid": os.getpid(),
            "partials": [str(p.absolute()) for p in o.partials],
            "clips": [str(o.clip.absolute()), str(o.held.absolute())],
            "reports": [str(o.report.absolute()), str(o.text_report.absolute())],
        }
        partial = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}")
        write_new_text(partial, json.dumps(entry, ensure_ascii=False))
        os.replace(partial, self.path)  # the journal's own file: replacing it is the point


def journal_folder(data_dir: Path) -> Path:
    return data_dir / JOURNAL_FOLDER


def clean_up_interrupted(data_dir: Path) -> list[Path]:
    """Remove what killed exports left behind (hidden partial files; reports published
    just before a kill whose clip never appeared), say so in one log line, return them."""
    folder = journal_folder(data_dir)
    if not folder.is_dir():
        return []
    removed: list[Path] = []
    for entry_path in sorted(folder.glob("*.json")):
        lock_path = entry_path.with_suffix(".lock")
        try:
            lock = _locked(lock_path)
        except BlockingIOError:
            continue  # its export is still running (this process or another)
        with lock:
            removed += _undo(_read(entry_path))
            with contextlib.suppress(FileNotFoundError):
                entry_path.unlink()
        with contextlib.suppress(OSError):
            lock_path.unlink()
    if removed:
        where = sorted({str(p.parent) for p in removed})
        log.warning(
            "removed %d file(s) left by an interrupted export in %s: %s",
            len(removed),
            ", ".join(where),
            ", ".join(p.name for p in removed),
        )
    return removed


def _read(entry_path: Path) -> dict[str, Any]:
    try:
        return json.loads(entry_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _undo(entry: dict[str, Any]) -> list[Path]:
    removed = remove([Path(p) for p in entry.get("partials", ())])
    clips = [Path(p) for p in entry.get("clips", ())]
    if entry.get("state") == "publishing" and not any(p.exists() for p in clips):
        # Reports are published just before their clip; without the clip they describe
        # nothing, and they were ours: every name was checked free and none is overwritten.
        removed += remove([Path(p) for p in entry.get("reports", ())])
    return removed


def _locked(path: Path) -> IO[bytes]:
    """Open ``path`` and hold an exclusive lock on it (released by the OS if we die);
    ``BlockingIOError`` if another process holds it."""
    handle = path.open("a+b")
    try:
        if os.name == "nt":
            import msvcrt

            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError as exc:
                raise BlockingIOError(str(exc)) from exc
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        handle.close()
        raise
    return handle
