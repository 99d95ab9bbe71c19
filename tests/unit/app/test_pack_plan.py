"""A session planned from a pack: each clip's length and talk, added up against its length."""

from __future__ import annotations

import datetime as dt

from bwvreview.app.packs import Pack, PackItem, clip_length_ms, plan_session
from bwvreview.app.records import LibraryClip


def clip(clip_id: int, start_ms: int, end_ms: int, played_ms: int | None = None) -> LibraryClip:
    summary = {"duration_ms": played_ms} if played_ms is not None else {}
    return LibraryClip(clip_id, None, start_ms, end_ms, f"/clips/{clip_id}.mp4", "0" * 64,
                       True, False, "pass", "gave_time", "Gave time", "good_practice",
                       ("safety",), "", "", summary, dt.datetime(2027, 1, 1))  # fmt: skip


def pack(minutes: int, *items: tuple[int, int]) -> Pack:
    return Pack(1, "P", "", None, dt.datetime(2027, 1, 1), None,
                tuple(PackItem(n + 10, clip_id, n, "", (), talk)
                      for n, (clip_id, talk) in enumerate(items)), minutes)  # fmt: skip


def test_a_clip_plays_for_its_recorded_length_or_else_its_span():
    assert clip_length_ms(clip(1, 9_000, 12_500)) == 3_500
    assert clip_length_ms(clip(1, 9_000, 12_500, played_ms=6_500)) == 6_500  # with a card


def test_the_running_total_adds_each_clip_and_its_talk():
    clips = {1: clip(1, 0, 3_200), 2: clip(2, 0, 5_250)}
    plan = plan_session(pack(90, (1, 10), (2, 15)), clips)
    assert [c.length_ms for c in plan.clips] == [3_200, 5_250]
    assert [c.ends_at_ms for c in plan.clips] == [603_200, 1_508_450]
    assert (plan.footage_ms, plan.talk_ms, plan.total_ms) == (8_450, 1_500_000, 1_508_450)
    assert not plan.over
    assert plan.summary() == ("2 clips, 0:08.4 of footage and 25 min of talk: 25:08 of a"
                              " 90-minute session, 1:04:51 left")  # fmt: skip


def test_a_plan_longer_than_the_session_says_by_how_much_and_a_withdrawn_clip_counts_nothing():
    plan = plan_session(pack(20, (1, 10), (3, 15)), {1: clip(1, 0, 30_000)})
    assert [c.length_ms for c in plan.clips] == [30_000, 0]
    assert plan.over
    assert plan.summary().endswith("25:30 of a 20-minute session, 5:30 over")
