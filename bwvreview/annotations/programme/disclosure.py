"""The rules every figure follows before it leaves the programme's reports.

- **Small cells**: a count under ``MIN_CELL`` (5) is shown as "<5", zero included, never
  as the number. A share (good practice out of all moments, people rating 4 or 5) is shown
  only when both it and its complement rest on at least 5; where one part of a total is
  "<5", the other part is shown as "*" too (else the total would give the small one away).
- **Uncertainty**: a share comes with its Wilson 95 % interval, which stays inside 0-100 %
  and is honest at small numbers; a mean with its normal-approximation 95 % interval. A
  figure resting on fewer than ``FEW`` (20) is flagged "few: read with care".
- **No one person**: figures are grouped only by the keys in ``GROUPING_KEYS`` (team,
  month, principle, category, session …), never by officer; a ``Table`` with any other
  grouping cannot be made. A team whose moments come from fewer than ``MIN_OFFICERS``
  officers is never named (``practice`` merges or leaves it out).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_CELL = 5
MIN_OFFICERS = 3
FEW = 20
Z95 = 1.959963984540054
SMALL = "<5"
HIDDEN = "*"  # a figure that would reveal a count under 5
GROUPING_KEYS = frozenset(
    {
        "activity",
        "team",
        "month",
        "period",
        "phase",
        "principle",
        "category",
        "polarity",
        "source",
        "session",
        "questionnaire",
        "measure",
    }
)


@dataclass(frozen=True)
class Cell:
    """A figure as shown (``text``) and the number behind it, ``None`` when not shown."""

    text: str
    value: float | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None


BLANK = Cell("")


def count(n: int) -> Cell:
    return Cell(str(n), float(n)) if n >= MIN_CELL else Cell(SMALL)


def hidden() -> Cell:
    return Cell(HIDDEN)


def percent(value: float) -> Cell:
    return Cell(f"{100 * value:.0f}%", value)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``k`` successes out of ``n`` (``n`` > 0)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def parts(k: int, n: int) -> tuple[Cell, Cell, Cell]:
    """``(k, n - k, n)`` as cells: a part under 5 is "<5" and the other part "*"."""
    rest = n - k
    if k >= MIN_CELL and rest >= MIN_CELL:
        return count(k), count(rest), count(n)
    if n < MIN_CELL:
        return Cell(SMALL), Cell(SMALL), Cell(SMALL)
    small_k = k < MIN_CELL
    return (Cell(SMALL) if small_k else hidden(), hidden() if small_k else Cell(SMALL), count(n))


def share(k: int, n: int) -> tuple[Cell, Cell, Cell]:
    """(share, low, high) of ``k`` out of ``n``, shown only if ``k`` and ``n - k`` are >= 5."""
    if k < MIN_CELL or n - k < MIN_CELL:
        return BLANK, BLANK, BLANK
    low, high = wilson(k, n)
    return percent(k / n), percent(low), percent(high)


def mean(values: Sequence[float]) -> tuple[Cell, Cell, Cell]:
    """(mean, low, high) of ``values``, shown only for 5 or more."""
    n = len(values)
    if n < MIN_CELL:
        return BLANK, BLANK, BLANK
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    half = Z95 * sd / math.sqrt(n)
    return Cell(f"{m:.2f}", m), Cell(f"{m - half:.2f}", m - half), Cell(f"{m + half:.2f}", m + half)


def reading(n: int) -> str:
    """How much weight a figure resting on ``n`` can bear, in words."""
    if n < MIN_CELL:
        return "fewer than 5: not shown"
    if n < FEW:
        return "few: read with care"
    return ""


@dataclass(frozen=True)
class Table:
    """One table of a report: grouped by ``keys`` (from ``GROUPING_KEYS`` only), each row
    the keys' values then one ``Cell`` per column."""

    name: str  # the CSV's name
    title: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str | Cell, ...], ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.keys) - GROUPING_KEYS
        if unknown:
            raise ValueError(f"a report may not group by {sorted(unknown)}")
        width = len(self.keys) + len(self.columns)
        if any(len(row) != width for row in self.rows):
            raise ValueError(f"every row of {self.name} needs {width} values")

    def text_rows(self) -> list[list[str]]:
        """The header, then each row as text (what the CSV holds)."""
        return [[*self.keys, *self.columns]] + [
            [v.text if isinstance(v, Cell) else v for v in row] for row in self.rows
        ]
