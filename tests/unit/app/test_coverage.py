"""A suggestion the reviewer has already coded is covered; another category is not."""

import datetime as dt
from dataclasses import replace

from bwvreview.app.coverage import covering_annotations
from bwvreview.app.review import Annotation
from bwvreview.app.suggesting import SuggestedMoment

NOW = dt.datetime(2026, 3, 14, tzinfo=dt.timezone.utc)


def annotation(aid, start, end, category):
    return Annotation(aid, 1, start, end, category, category, "good_practice", ("choice",),
                      "2026.2", "", None, "", None, None, "", "draft", "human", None, 1, NOW,
                      NOW)  # fmt: skip


def moment(sid, start, end, category="offered_choice", state="pending"):
    return SuggestedMoment(start, end, category, "Offered a choice", "good_practice",
                           "A choice?", "cue", "would you rather", "wearer", "high", state,
                           sid)  # fmt: skip


def test_an_overlapping_annotation_of_the_same_category_covers_it():
    made = annotation(7, 20_000, 25_000, "offered_choice")
    moments = [moment(1, 21_000, 22_000), moment(2, 21_000, 22_000, "missed_choice"),
               moment(3, 40_000, 41_000), moment(4, 25_800, 26_500)]  # fmt: skip
    assert covering_annotations(moments, [made]) == {1: made, 4: made}


def test_a_decided_suggestion_is_not_marked_covered():
    made = annotation(7, 20_000, 25_000, "offered_choice")
    assert covering_annotations([replace(moment(1, 21_000, 22_000), state="accepted")],
                                [made]) == {}  # fmt: skip


def test_a_point_annotation_covers_the_words_around_it():
    made = annotation(8, 30_500, 30_500, "offered_choice")
    assert covering_annotations([moment(1, 30_000, 31_000)], [made]) == {1: made}
