"""A versioned data file an admin may edit: the codebook, the cue lexicon, the observation
templates, the curriculum and the questionnaires (and, for reading alone, a transcript file
handed to ``suggest``).

Each file's own parser checks its own fields; what they all do alike lives here, so a
person who broke any of them reads the same words for the same mistake: the file is read
as UTF-8, parsed as YAML that must be a mapping, its ``version`` is required text, its
content hash is taken of that text, and every refusal is one error naming the file and,
where known, the line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.formats.yaml_lines import LINE, load_yaml, not_utf8

KEY = re.compile(r"^[a-z][a-z0-9_]*$")  # a key a file gives its entries: lower_snake_case


def content_sha256(text: str) -> str:
    """The hash a file's version is recorded with: of its text, as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DataFile:
    """One data file being read. ``kind`` starts every message ("codebook"; none for the
    programme's files, whose error says what they are), ``error`` is the exception raised,
    and ``fold_spaces`` folds runs of white space inside a text field into one space
    (else the text is only stripped)."""

    def __init__(
        self,
        path: Path | str,
        kind: str,
        error: Callable[[str], DomainError],
        *,
        fold_spaces: bool = True,
    ) -> None:
        self.path, self.kind, self.error, self.fold_spaces = path, kind, error, fold_spaces

    def fail(self, line: int | None, message: str) -> DomainError:
        """The error to raise: ``codebook c.yaml, line 4: what is wrong``."""
        where = f"{self.path}, line {line}" if line else str(self.path)
        return self.error(f"{self.kind} {where}: {message}" if self.kind else f"{where}: {message}")

    def read(self, encoding: str = "utf-8") -> str:
        """The file's text; a missing, unreadable or non-UTF-8 file is refused.
        ``utf-8-sig`` also takes a file that starts with a byte-order mark (Notepad's)."""
        try:
            return Path(self.path).read_text(encoding=encoding)
        except FileNotFoundError as exc:
            raise self.fail(None, "file not found") from exc
        except UnicodeDecodeError as exc:
            raise self.fail(None, not_utf8(exc)) from exc
        except OSError as exc:
            raise self.fail(None, f"cannot be read ({exc.__class__.__name__})") from exc

    def parse(self, text: str, refusal: str) -> dict[str, Any]:
        """The YAML ``text`` as a mapping (``LINE`` marks each mapping's line); YAML that is
        broken is refused at its line, anything but a mapping with ``refusal`` at line 1."""
        raw = load_yaml(text, self.fail)
        if not isinstance(raw, dict):
            raise self.fail(1, refusal)
        return raw

    def text(self, entry: dict[str, Any], field: str, *, required: bool = True) -> str:
        """A text field of an entry (a number is read as its text); missing or blank is
        refused when ``required``, else read as ""."""
        value = entry.get(field, "")
        if value is None:
            value = ""
        if not isinstance(value, str | int | float) or (required and not str(value).strip()):
            raise self.fail(entry.get(LINE), f"'{field}' must be non-empty text")
        return " ".join(str(value).split()) if self.fold_spaces else str(value).strip()

    def version(self, raw: dict[str, Any]) -> str:
        """The file's version, which records made with it keep: required text."""
        return self.text(raw, "version")

    def key(self, entry: dict[str, Any], seen: set[str], what: str = "") -> str:
        """An entry's ``key``: lower_snake_case and not used twice among ``seen`` (which it
        joins); ``what`` says whose key it is in a refusal ("template key 'x' …")."""
        key = self.text(entry, "key")
        name = f"{what} key" if what else "key"
        if not KEY.match(key):
            raise self.fail(entry.get(LINE), f"{name} {key!r} must be lower_snake_case")
        if key in seen:
            raise self.fail(entry.get(LINE), f"{name} {key!r} is used twice")
        seen.add(key)
        return key
