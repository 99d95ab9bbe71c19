"""One set of time formats for every window, report and export (bwvreview.timecode)."""

import pytest

from bwvreview.annotations.errors import DomainError
from bwvreview.timecode import clock, hours_minutes, parse_time_ms, precise, span, time_left


@pytest.mark.parametrize(
    ("ms", "plain", "tenths"),
    [(0, "0:00", "0:00.0"), (5_000, "0:05", "0:05.0"), (75_250, "1:15", "1:15.2"),
     (59_999, "0:59", "0:59.9"), (3_725_000, "1:02:05", "1:02:05.0"), (-40, "0:00", "0:00.0")],
)  # fmt: skip
def test_clock_cuts_and_never_shows_sixty_seconds(ms, plain, tenths):
    assert clock(ms) == plain and clock(ms, tenths=True) == tenths


def test_precise_to_the_millisecond_and_srt():
    assert precise(3_723_456) == "01:02:03.456"
    assert precise(3_723_456, ",") == "01:02:03,456"


def test_a_span_reads_as_one_moment():
    assert span(65_300, 69_000) == "1:05.3–1:09.0"


@pytest.mark.parametrize(("text", "ms"), [("12.5", 12_500), ("1:02", 62_000),
                                          ("00:01:02.250", 62_250)])  # fmt: skip
def test_what_people_type_is_read_back(text, ms):
    assert parse_time_ms(text) == ms
    assert parse_time_ms(precise(ms)) == ms


@pytest.mark.parametrize("text", ["", "nan", "inf", "1:99", "-3", "twelve"])
def test_anything_else_is_one_clear_error(text):
    with pytest.raises(DomainError, match="is not a time"):
        parse_time_ms(text)


@pytest.mark.parametrize(("minutes", "text"), [(45, "45 min"), (120, "2 h"), (90, "1 h 30 min"),
                                               (0, "0 min")])  # fmt: skip
def test_a_planned_length_in_hours_and_minutes(minutes, text):
    assert hours_minutes(minutes) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""), (0, ""), (0.4, ""),  # not known yet, or nothing worth saying
        (1, "about 1 second left"), (1.4, "about 1 second left"), (9.2, "about 9 seconds left"),
        (19.6, "about 20 seconds left"), (89.4, "about 89 seconds left"),
        (90, "about 2 minutes left"), (150, "about 2 minutes left"),
        (151, "about 3 minutes left"), (3600, "about 60 minutes left"),
        (5399, "about 90 minutes left"), (5400, "about 2 hours left"),
        (36_000, "about 10 hours left"),
    ],
)  # fmt: skip
def test_time_left_in_words(seconds, text):
    assert time_left(seconds) == text
