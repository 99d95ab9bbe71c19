"""A session's sign-in list as a spreadsheet (CSV): one person a row.

Columns are found by their heading, in any order and case: ``name``, ``collar`` (or
``collar number``, ``collar no``, ``warrant``), and optionally ``role`` (``officer`` or
``staff``; someone with a collar number is an officer unless it says otherwise). A row needs
a name or a collar number; blank rows are skipped. Every problem is collected with its row
number (the line a spreadsheet shows, the heading being row 1), so a trainer can mend the
file in one go; nothing is imported from a file with a problem.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.formats.yaml_lines import not_utf8

NAME_MAX = 200
_COLLAR = re.compile(r"^(?=.*\d)[A-Za-z0-9]{1,12}$")
HEADINGS = {
    "name": "name",
    "full name": "name",
    "officer": "name",
    "attendee": "name",
    "collar": "collar",
    "collar number": "collar",
    "collar no": "collar",
    "collar no.": "collar",
    "collar_number": "collar",
    "warrant": "collar",
    "warrant number": "collar",
    "role": "kind",
    "kind": "kind",
    "type": "kind",
}
KINDS = {
    "officer": "officer",
    "police officer": "officer",
    "pc": "officer",
    "ps": "officer",
    "staff": "staff",
    "police staff": "staff",
    "pcso": "staff",
}
MAX_SHOWN = 5  # problems named in the one-line message; the rest are counted


class SignInListError(DomainError):
    """A sign-in list with problems: every bad row, by number."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:MAX_SHOWN])
        more = f"; and {len(problems) - MAX_SHOWN} more" if len(problems) > MAX_SHOWN else ""
        super().__init__(f"{source}: nothing imported: {shown}{more}")


@dataclass(frozen=True)
class SignInRow:
    row: int  # as a spreadsheet numbers it (the heading is row 1)
    name: str
    collar_number: str | None
    kind: str  # "officer" | "staff"


def _columns(header: list[str], source: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        what = HEADINGS.get(" ".join(heading.strip().lower().split()))
        if what and what not in columns:
            columns[what] = index
    if "name" not in columns and "collar" not in columns:
        raise SignInListError(source, ["row 1: no 'name' or 'collar' heading"])
    return columns


def _row(number: int, cells: list[str], columns: dict[str, int]) -> SignInRow | str | None:
    def cell(what: str) -> str:
        index = columns.get(what)
        return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""

    name, collar, kind = cell("name"), cell("collar"), cell("kind").lower()
    if not any(c.strip() for c in cells):
        return None
    if not name and not collar:
        return f"row {number}: no name or collar number"
    if collar and not _COLLAR.match(collar):
        return f"row {number}: {collar!r} is not a collar number (letters and digits, up to 12)"
    if len(name) > NAME_MAX:
        return f"row {number}: the name is over {NAME_MAX} characters"
    if kind and kind not in KINDS:
        return f"row {number}: role {kind!r} is not officer or staff"
    chosen = KINDS[kind] if kind else ("officer" if collar else "staff")
    return SignInRow(number, name, collar or None, chosen)


def parse_sign_in(text: str, source: str = "sign-in list") -> list[SignInRow]:
    """The rows of a sign-in list, or ``SignInListError`` naming every bad row."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = list(csv.reader(io.StringIO(text), dialect))
    if not table or not any(c.strip() for c in table[0]):
        raise SignInListError(source, ["the file is empty; the first row must be headings"])
    columns = _columns(table[0], source)
    rows, problems, first_of = [], [], {}
    for number, cells in enumerate(table[1:], start=2):
        found = _row(number, cells, columns)
        if isinstance(found, str):
            problems.append(found)
        elif found is not None:
            person = (found.collar_number or "").casefold() or f"name:{found.name.casefold()}"
            if person in first_of:
                problems.append(f"row {number}: the same person as row {first_of[person]}")
                continue
            first_of[person] = number
            rows.append(found)
    if problems:
        raise SignInListError(source, problems)
    return rows


def read_sign_in(path: Path) -> list[SignInRow]:
    """``parse_sign_in`` of a file (UTF-8, with or without a byte-order mark)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise SignInListError(str(path), ["file not found"]) from exc
    except UnicodeDecodeError as exc:
        raise SignInListError(str(path), [not_utf8(exc)]) from exc
    except OSError as exc:
        raise SignInListError(str(path), [f"cannot be read ({exc.__class__.__name__})"]) from exc
    return parse_sign_in(text, str(path))
