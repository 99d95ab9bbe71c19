"""Editing training packs (their export is ``training_pack``), and planning a session from
one: each clip's length and the talk after it, added up against the session's length."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bwvreview.annotations.learning.clip_library import LibraryClip
from bwvreview.annotations.learning.packs import (
    DISCUSSION_MINUTES,
    SESSION_MINUTES,
    Pack,
    PackItem,
    add_clip,
    create_pack,
    describe_pack,
    get_pack,
    list_packs,
    move_item,
    remove_item,
    rename_pack,
    reorder,
    set_item_discussion,
    set_item_notes,
    set_item_prompts,
    set_session_minutes,
)
from bwvreview.timecode import clock

MINUTE_MS = 60_000


def clip_length_ms(clip: LibraryClip) -> int:
    """How long the clip file plays: its recorded length (an opening card included), else
    the span it was cut from."""
    return int(clip.report_summary.get("duration_ms") or clip.duration_ms)


@dataclass(frozen=True)
class PlannedClip:
    item_id: int
    length_ms: int  # 0 for a clip no longer approved for trainers (it cannot be shown)
    discussion_minutes: int
    ends_at_ms: int  # the running total: this clip and its talk end this far into the session


@dataclass(frozen=True)
class SessionPlan:
    clips: tuple[PlannedClip, ...]
    session_minutes: int

    @property
    def footage_ms(self) -> int:
        return sum(c.length_ms for c in self.clips)

    @property
    def talk_ms(self) -> int:
        return sum(c.discussion_minutes for c in self.clips) * MINUTE_MS

    @property
    def total_ms(self) -> int:
        return self.footage_ms + self.talk_ms

    @property
    def session_ms(self) -> int:
        return self.session_minutes * MINUTE_MS

    @property
    def over(self) -> bool:
        return self.total_ms > self.session_ms

    def summary(self) -> str:
        """``3 clips, 0:11.2 of footage and 30 min of talk: 30:11 of a 90-minute session,
        59:48 left`` (or how far over it runs)."""
        count = len(self.clips)
        used = clock(self.total_ms)
        rest = (f"{clock(self.total_ms - self.session_ms)} over" if self.over
                else f"{clock(self.session_ms - self.total_ms)} left")  # fmt: skip
        return (f"{count} clip{'s' if count != 1 else ''}, {clock(self.footage_ms, tenths=True)}"
                f" of footage and {self.talk_ms // MINUTE_MS} min of talk: {used} of a"
                f" {self.session_minutes}-minute session, {rest}")  # fmt: skip


def plan_session(pack: Pack, clips: Mapping[int, LibraryClip]) -> SessionPlan:
    """The pack's clips in order with their lengths and running total (``clips`` by id, as
    ``learning.library_clips_by_id`` gives them; a missing one counts as no footage)."""
    planned, running = [], 0
    for item in pack.items:
        clip = clips.get(item.clip_id)
        length = clip_length_ms(clip) if clip is not None else 0
        running += length + item.discussion_minutes * MINUTE_MS
        planned.append(PlannedClip(item.id, length, item.discussion_minutes, running))
    return SessionPlan(tuple(planned), pack.session_minutes)


__all__ = [
    "DISCUSSION_MINUTES",
    "SESSION_MINUTES",
    "Pack",
    "PackItem",
    "PlannedClip",
    "SessionPlan",
    "add_clip",
    "clip_length_ms",
    "create_pack",
    "describe_pack",
    "get_pack",
    "list_packs",
    "move_item",
    "plan_session",
    "remove_item",
    "rename_pack",
    "reorder",
    "set_item_discussion",
    "set_item_notes",
    "set_item_prompts",
    "set_session_minutes",
]
