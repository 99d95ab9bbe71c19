"""Times as people type them on the command line: ``12.5`` seconds or ``HH:MM:SS(.mmm)``."""

from __future__ import annotations

import re

from bwvreview.annotations.errors import DomainError

_CLOCK = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]?\d(?:\.\d{1,3})?)$")
_SECONDS = re.compile(r"^\d+(?:\.\d{1,3})?$")


def parse_time_ms(text: str) -> int:
    """``"12.5"`` → 12500, ``"00:01:02.250"`` → 62250, ``"1:02"`` → 62000 (MM:SS)."""
    value = text.strip()
    if _SECONDS.match(value):
        return round(float(value) * 1000)
    clock = _CLOCK.match(value)
    if clock is None:
        raise DomainError(f"{text!r} is not a time: use seconds (12.5) or HH:MM:SS(.mmm)")
    hours, minutes, seconds = clock.groups()
    return round((int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)
