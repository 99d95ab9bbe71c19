"""Parsing the command line's T: seconds or a clock time, to whole milliseconds."""

from __future__ import annotations

import pytest

from bwvreview.annotations.errors import DomainError
from bwvreview.timecode import parse_time_ms


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("0", 0),
        ("12.5", 12_500),
        ("12.345", 12_345),
        (" 7 ", 7_000),
        ("00:00:12.5", 12_500),
        ("00:01:02.250", 62_250),
        ("1:02:03", 3_723_000),
        ("1:02", 62_000),
        ("10:00:00.001", 36_000_001),
    ],
)
def test_accepted_forms(text: str, ms: int) -> None:
    assert parse_time_ms(text) == ms


@pytest.mark.parametrize("text", ["", "-1", "1e3", "12.3456", "00:61:00", "1:2:3:4", "abc", "1,5"])
def test_rejected_forms_say_what_is_accepted(text: str) -> None:
    with pytest.raises(DomainError, match="HH:MM:SS"):
        parse_time_ms(text)
