"""Times as people read and type them. One place for every format bwvreview shows.

Times are integer milliseconds everywhere inside bwvreview; these turn them into text and
back, in a small set of named formats:

* ``clock(ms)``: ``m:ss``, or ``h:mm:ss`` from an hour on (``hours=True`` always shows the
  hour); ``tenths=True`` adds tenths of a second (``1:05.3``), cut, never rounded up into
  the next second. What windows, reports and case studies show; ``span(a, b)`` is a
  moment's start and end so.
* ``precise(ms)``: ``HH:MM:SS.mmm`` to the millisecond; with ``separator=","`` the SRT form.
  What exports, subtitles and the player's readout use.
* ``hours_minutes(minutes)``: a planned length such as a training module's, ``1 h 30 min``.
* ``time_left(seconds)``: how long work still needs, in words, ``about 20 seconds left``:
  what the window says of an export or a transcription (the command line keeps its terse
  ``about 20 s left``, which scripts may read).
* ``parse_time_ms(text)``: what people type on the command line or in a box: seconds
  (``12.5``) or ``[HH:]MM:SS(.mmm)``.
"""

from __future__ import annotations

import re

from bwvreview.annotations.errors import DomainError

_CLOCK = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]?\d(?:\.\d{1,3})?)$")
_SECONDS = re.compile(r"^\d+(?:\.\d{1,3})?$")


def clock(ms: int, *, tenths: bool = False, hours: bool = False) -> str:
    """``m:ss`` / ``h:mm:ss``, with tenths of a second when ``tenths``."""
    seconds, rest = divmod(max(0, int(ms)), 1000)
    h, seconds = divmod(seconds, 3600)
    m, s = divmod(seconds, 60)
    sec = f"{s:02d}.{rest // 100}" if tenths else f"{s:02d}"
    return f"{h}:{m:02d}:{sec}" if hours or h else f"{m}:{sec}"


def span(start_ms: int, end_ms: int, separator: str = "–") -> str:
    """A moment's start and end as people read them: ``1:05.3–1:09.0``."""
    return f"{clock(start_ms, tenths=True)}{separator}{clock(end_ms, tenths=True)}"


def precise(ms: int, separator: str = ".") -> str:
    """``HH:MM:SS.mmm`` (or ``HH:MM:SS,mmm`` for SRT with ``separator=","``)."""
    ms = max(0, int(ms))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, millis = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{millis:03d}"


def hours_minutes(minutes: int) -> str:
    """A planned length in whole minutes: ``45 min``, ``2 h``, ``1 h 30 min``."""
    h, m = divmod(max(0, int(minutes)), 60)
    parts = ([f"{h} h"] if h else []) + ([f"{m} min"] if m or not h else [])
    return " ".join(parts)


def time_left(seconds: float | None) -> str:
    """``about 1 second left``, ``about 20 seconds left``, from 90 seconds ``about 2 minutes
    left``, from 90 minutes ``about 2 hours left``; ``""`` while it is not known or under a
    second. Whole words, not ``s``: read by people who do not read units."""
    if not seconds or seconds < 1:
        return ""
    whole = round(seconds)
    if whole < 90:
        return f"about {whole} second{'s' * (whole != 1)} left"
    if whole < 5400:
        return f"about {round(whole / 60)} minutes left"
    return f"about {round(whole / 3600)} hours left"


def parse_time_ms(text: str) -> int:
    """``"12.5"`` → 12500, ``"00:01:02.250"`` → 62250, ``"1:02"`` → 62000 (MM:SS)."""
    value = text.strip()
    if _SECONDS.match(value):
        return round(float(value) * 1000)
    found = _CLOCK.match(value)
    if found is None:
        raise DomainError(f"{text!r} is not a time: use seconds (12.5) or HH:MM:SS(.mmm)")
    h, m, s = found.groups()
    return round((int(h or 0) * 3600 + int(m) * 60 + float(s)) * 1000)
