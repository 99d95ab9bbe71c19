"""Face tracks over a stream of frames, with a lookahead so no face flashes through unmasked.

A detector misses a face now and then: a turned head, motion blur, a hand in front. Masking
only the frames it fires on would let the face show for a frame or two, which is enough to
recognise someone. So frames are held back ``lookahead`` frames before they are released:
by then the tracker knows whether the face comes back, and can fill the gap by
interpolating between the boxes on either side. It also extends every track a few frames
before its first detection (pre-roll: a face is usually visible a moment before the
detector is sure of it) and holds the last box a few frames after its last, and it widens
each box by a margin, more in the direction the face is moving.

Two things make it hold up on body-worn video at night. The camera shakes: each push may
say how far the whole picture moved since the last frame (``camera_motion``), and tracks
are kept in the scene's coordinates, so a gap is bridged along the face's own path and the
shake is added back when the box is drawn (widened by the frame's own jolt, which smears
the face along it). And small faces in noise score low: with ``confirm_score`` above the
detector's threshold, a weak detection starts only a tentative track, which becomes a
person (and is masked, back to where it was first seen if those frames are still held)
once one of its detections is sure enough or it has been found ``confirm_hits`` times in
the same place; noise rarely fires twice in one spot, a face does.

Track ids are small integers given in order of confirmation (left to right among tracks
confirmed on the same frame), so processing the same span again gives the same ids and a
reviewer's choice of "keep this person visible" still points at the same person.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class TrackerSettings:
    """How eagerly the tracker bridges and widens; frames, not milliseconds, because it
    works on frame indices (``for_fps`` turns the usual half-second into frames)."""

    lookahead: int = 12  # frames held back before release
    max_gap: int = 12  # missed frames bridged by interpolation (at most ``lookahead``)
    preroll: int = 6  # frames masked before a track's first detection (at most ``lookahead``)
    hold: int = 6  # frames masked after a track's last detection
    margin: float = 0.3  # added on each side, as a fraction of the box's width / height
    motion_frames: float = 3.0  # extra reach ahead of a moving face, in frames of its motion
    uncertainty: float = 0.03  # extra margin per frame away from a real detection
    max_shift: float = 1.0  # largest centre jump between frames, in face sizes, to associate
    confirm_score: float = 0.0  # a detection this sure makes a track a person at once
    confirm_hits: int = 1  # ...or this many detections on one track
    shake: float = 0.5  # share of the frame's camera jolt added on each side (motion blur)
    least_margin: float = 0.0  # at least this share of the frame's width on each side

    def __post_init__(self) -> None:
        if self.lookahead < 0 or min(self.max_gap, self.preroll, self.hold) < 0:
            raise ValueError("tracker frame counts cannot be negative")
        if self.least_margin < 0:
            raise ValueError("the least margin cannot be negative")
        if self.confirm_hits < 1:
            raise ValueError("a track needs at least one detection to be confirmed")
        if self.max_gap > self.lookahead or self.preroll > self.lookahead:
            raise ValueError("gaps and pre-roll can only be filled within the lookahead")

    @classmethod
    def for_fps(cls, fps: float, lookahead_ms: int = 500) -> TrackerSettings:
        """Settings for a frame rate: by default half a second of lookahead, and gaps,
        pre-roll and hold as long as it, so any gap up to twice the lookahead is covered
        (interpolated up to one lookahead, held and pre-rolled beyond)."""
        lookahead = max(1, round(fps * lookahead_ms / 1000))
        return cls(lookahead=lookahead, max_gap=lookahead, preroll=lookahead, hold=lookahead)


@dataclass(frozen=True)
class MaskBox:
    """One region to mask on one frame, in frame pixels (it may reach past the frame's
    edge; masks clip it); ``filled`` when no detection fired on this frame and the box was
    interpolated, held or pre-rolled."""

    track_id: int
    x0: float
    y0: float
    x1: float
    y1: float
    filled: bool


@dataclass(frozen=True)
class TrackedFrame:
    """A released frame: its index in the stream, what to mask, and what was pushed with it."""

    index: int
    boxes: tuple[MaskBox, ...]
    payload: Any = None


@dataclass(frozen=True)
class TrackInfo:
    """One person's track, for the report and for "keep this person visible"."""

    track_id: int
    first_frame: int  # first frame masked, pre-roll included
    last_frame: int  # last frame masked, hold included
    frames_detected: int
    frames_filled: int
    best_frame: int  # where the detector was surest: a good frame to show the reviewer
    best_box: tuple[float, float, float, float]  # x0, y0, x1, y1 on that frame
    best_score: float


@dataclass
class _Track:
    track_id: int = 0  # given when the track is confirmed as a person
    frames: list[int] = field(default_factory=list)  # detection frames, ascending
    boxes: list[np.ndarray] = field(default_factory=list)  # [x0,y0,x1,y1,score], scene coords
    first_masked: int = -1
    last_masked: int = -1
    detected: int = 0
    filled: int = 0
    hits: int = 0  # detections ever added (``frames`` is pruned)
    best_frame: int = -1
    best: np.ndarray | None = None  # in the frame's coordinates, for the thumbnail

    def add(self, frame: int, box: np.ndarray, offset: np.ndarray) -> None:
        self.frames.append(frame)
        self.boxes.append(box)
        self.hits += 1
        if self.best is None or box[4] > self.best[4]:
            self.best_frame = frame
            self.best = box + np.concatenate([offset, offset, [0.0]]).astype(np.float32)

    def prune_before(self, frame: int) -> None:
        """Forget detections older than ``frame`` but keep the latest one, which still
        serves as the start of a gap or the box to hold."""
        cut = min(bisect.bisect_left(self.frames, frame), len(self.frames) - 1)
        if cut > 0:
            del self.frames[:cut], self.boxes[:cut]

    def info(self) -> TrackInfo:
        assert self.best is not None
        x0, y0, x1, y1, score = (float(v) for v in self.best)
        return TrackInfo(
            self.track_id, self.first_masked, self.last_masked, self.detected, self.filled,
            self.best_frame, (x0, y0, x1, y1), score,
        )  # fmt: skip


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of every box in ``a`` (N,4+) with every box in ``b`` (M,4+)."""
    ix0 = np.maximum(a[:, None, 0], b[None, :, 0])
    iy0 = np.maximum(a[:, None, 1], b[None, :, 1])
    ix1 = np.minimum(a[:, None, 2], b[None, :, 2])
    iy1 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(ix1 - ix0, 0, None) * np.clip(iy1 - iy0, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-6)


def _centre(box: np.ndarray) -> np.ndarray:
    return np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])


class FaceTracker:
    """Streaming tracker: push each frame's detections, get frames back ``lookahead`` later.

    ``push`` returns the frames released by this push (none while the buffer fills, then
    one per push); ``flush`` releases the rest at the end of the stream. Frame order and
    count in equal order and count out.
    """

    def __init__(self, settings: TrackerSettings, width: int, height: int) -> None:
        self.settings = settings
        self.width, self.height = width, height
        self._pending: deque[Any] = deque()  # payloads not yet released
        self._offsets: deque[tuple[np.ndarray, np.ndarray]] = deque()  # (offset, jolt) held
        self._offset = np.zeros(2)  # where the scene's origin is in the latest frame
        self._next_in = 0  # index of the next frame pushed
        self._next_out = 0  # index of the next frame released
        self._live: list[_Track] = []  # tracks that may still get or show boxes
        self._done: list[_Track] = []
        self._next_id = 1

    def push(
        self,
        detections: np.ndarray,
        payload: Any = None,
        motion: tuple[float, float] = (0.0, 0.0),
    ) -> list[TrackedFrame]:
        """Add one frame's detections ((N,5) [x0,y0,x1,y1,score]), its payload, and how far
        the whole picture moved since the previous frame (``CameraMotion``)."""
        jolt = np.asarray(motion, dtype=np.float64)
        self._offset = self._offset + jolt
        self._offsets.append((self._offset, jolt))
        dets = np.asarray(detections, dtype=np.float32).reshape(-1, 5).copy()
        dets[:, :4] -= np.tile(self._offset, 2).astype(np.float32)  # into scene coordinates
        self._associate(self._next_in, dets)
        self._pending.append(payload)
        self._next_in += 1
        released = []
        while self._next_in - self._next_out > self.settings.lookahead:
            released.append(self._release())
        return released

    def flush(self) -> list[TrackedFrame]:
        """Release every frame still held back (the stream has ended)."""
        return [self._release() for _ in range(len(self._pending))]

    def tracks(self) -> list[TrackInfo]:
        """Every person tracked so far, by id (tentative tracks never confirmed are not
        people). Masked spans are final once the frames are out."""
        every = sorted((t for t in self._done + self._live if t.track_id), key=lambda t: t.track_id)
        return [t.info() for t in every]

    # -- association -------------------------------------------------------------------

    def _associate(self, frame: int, dets: np.ndarray) -> None:
        reach = self.settings.max_gap + 1
        candidates = [t for t in self._live if t.frames and frame - t.frames[-1] <= reach]
        matched_det: set[int] = set()
        if candidates and len(dets):
            predicted = np.stack([self._predict(t, frame) for t in candidates])
            for ti, di in self._match(predicted, dets):
                candidates[ti].add(frame, dets[di], self._offset)
                matched_det.add(di)
        fresh = [i for i in range(len(dets)) if i not in matched_det]
        for di in fresh:
            track = _Track()
            track.add(frame, dets[di], self._offset)
            self._live.append(track)
        self._confirm()

    def _confirm(self) -> None:
        """Give an id to each tentative track that has become a person: left to right."""
        s = self.settings
        newly = [
            t
            for t in self._live
            if not t.track_id
            and (t.hits >= s.confirm_hits or max(float(b[4]) for b in t.boxes) >= s.confirm_score)
        ]
        for track in sorted(newly, key=lambda t: (float(t.boxes[0][0]), float(t.boxes[0][1]))):
            track.track_id = self._next_id
            self._next_id += 1

    def _match(self, predicted: np.ndarray, dets: np.ndarray) -> list[tuple[int, int]]:
        """Greedy pairs (track, detection), nearest centres first, among plausible pairs:
        overlapping, or centres within ``max_shift`` face sizes and sizes within 2x."""
        size_p = np.sqrt((predicted[:, 2] - predicted[:, 0]) * (predicted[:, 3] - predicted[:, 1]))
        size_d = np.sqrt((dets[:, 2] - dets[:, 0]) * (dets[:, 3] - dets[:, 1]))
        cp = (predicted[:, None, :2] + predicted[:, None, 2:4]) / 2
        cd = (dets[None, :, :2] + dets[None, :, 2:4]) / 2
        shift = np.linalg.norm(cp - cd, axis=2) / np.maximum(size_p[:, None], 1.0)
        ratio = size_d[None, :] / np.maximum(size_p[:, None], 1.0)
        overlap = iou(predicted, dets)
        plausible = (overlap > 0.1) | (
            (shift <= self.settings.max_shift) & (ratio > 0.5) & (ratio < 2)
        )
        rows, cols = np.nonzero(plausible)
        order = np.lexsort((cols, rows, shift[rows, cols]))  # nearest first, ties by index
        used_t: set[int] = set()
        used_d: set[int] = set()
        chosen = []
        for ti, di in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
            if ti not in used_t and di not in used_d:
                used_t.add(ti)
                used_d.add(di)
                chosen.append((ti, di))
        return chosen

    def _predict(self, track: _Track, frame: int) -> np.ndarray:
        """The track's last box moved on by its recent velocity to ``frame``."""
        last = track.boxes[-1][:4]
        velocity = self._velocity(track, track.frames[-1])
        step = velocity * (frame - track.frames[-1])
        return last + np.concatenate([step, step])

    def _velocity(self, track: _Track, around: int) -> np.ndarray:
        """Centre motion in px/frame from the detections within a lookahead of ``around``."""
        span = self.settings.lookahead
        lo = bisect.bisect_left(track.frames, around - span)
        hi = bisect.bisect_right(track.frames, around + span) - 1
        if hi <= lo:
            return np.zeros(2)
        dt = track.frames[hi] - track.frames[lo]
        return (_centre(track.boxes[hi]) - _centre(track.boxes[lo])) / dt

    # -- release -------------------------------------------------------------------------

    def _release(self) -> TrackedFrame:
        index = self._next_out
        payload = self._pending.popleft()
        offset, jolt = self._offsets.popleft()
        self._next_out += 1
        boxes = []
        for track in self._live:
            if not track.track_id:
                continue
            found = self._boxes_at(track, index)
            for box, filled, distance in found:
                frame_box = box + np.tile(offset, 2)
                widened = self._widen(track, index, frame_box, distance, jolt)
                boxes.append(MaskBox(track.track_id, *widened, filled=filled))
            if found:
                self._count(track, index, filled=all(filled for _, filled, _ in found))
        self._retire(index)
        return TrackedFrame(index, tuple(boxes), payload)

    def _count(self, track: _Track, index: int, filled: bool) -> None:
        if track.first_masked < 0:
            track.first_masked = index
        track.last_masked = index
        if filled:
            track.filled += 1
        else:
            track.detected += 1

    def _boxes_at(self, track: _Track, k: int) -> list[tuple[np.ndarray, bool, int]]:
        """The track's box(es) on frame ``k`` in scene coordinates, whether each was filled
        in rather than detected, and how many frames away the nearest detection is."""
        s = self.settings
        at = bisect.bisect_left(track.frames, k)
        if at < len(track.frames) and track.frames[at] == k:
            return [(track.boxes[at][:4], False, 0)]
        prev = at - 1 if at > 0 else None
        nxt = at if at < len(track.frames) else None
        if prev is not None and nxt is not None:
            f0, f1 = track.frames[prev], track.frames[nxt]
            if f1 - f0 - 1 <= s.max_gap:
                w = (k - f0) / (f1 - f0)
                box = (1 - w) * track.boxes[prev][:4] + w * track.boxes[nxt][:4]
                return [(box, True, min(k - f0, f1 - k))]
        out = []
        if nxt is not None and track.frames[nxt] - k <= s.preroll:
            out.append((self._extend(track, k, nxt), True, track.frames[nxt] - k))
        if prev is not None and k - track.frames[prev] <= s.hold:
            out.append((self._extend(track, k, prev), True, k - track.frames[prev]))
        return out

    def _extend(self, track: _Track, k: int, at: int) -> np.ndarray:
        """The box of detection ``at`` stretched to where the face would be on frame ``k``
        if it kept moving: the union of the two, so a wrong guess still covers the last seen
        place."""
        box = track.boxes[at][:4]
        dt = k - track.frames[at]
        moved = box + np.tile(self._velocity(track, track.frames[at]) * dt, 2)
        return np.concatenate([np.minimum(box[:2], moved[:2]), np.maximum(box[2:], moved[2:])])

    def _widen(
        self, track: _Track, k: int, box: np.ndarray, distance: int, jolt: np.ndarray
    ) -> tuple[float, ...]:
        """Margin on every side (more the further from a real detection), plus reach ahead
        of the motion and along the camera's jolt on this frame (the face is smeared along
        it). Not clipped to the frame: a face cut by the frame's edge has a box cut there
        too, so that side is pushed out by half the box, which keeps an elliptical mask from
        curving in before the edge and leaving a sliver of face in the corner."""
        s = self.settings
        x0, y0, x1, y1 = (float(v) for v in box)
        w, h = x1 - x0, y1 - y0
        x0 -= w / 2 if x0 <= 1 else 0.0
        y0 -= h / 2 if y0 <= 1 else 0.0
        x1 += w / 2 if x1 >= self.width - 1 else 0.0
        y1 += h / 2 if y1 >= self.height - 1 else 0.0
        margin = s.margin + s.uncertainty * min(distance, s.lookahead)
        least = s.least_margin * self.width
        mx = max(w * margin, least) + s.shake * abs(float(jolt[0]))
        my = max(h * margin, least) + s.shake * abs(float(jolt[1]))
        vx, vy = (float(v) * s.motion_frames for v in self._velocity(track, k))
        return (
            x0 - mx + min(vx, 0.0), y0 - my + min(vy, 0.0),
            x1 + mx + max(vx, 0.0), y1 + my + max(vy, 0.0),
        )  # fmt: skip

    def _retire(self, released: int) -> None:
        """Move tracks that can show no more boxes to ``_done``; trim old detections."""
        s = self.settings
        keep = []
        for track in self._live:
            last = track.frames[-1]
            if self._next_in - last > s.max_gap + 1 and released - last >= s.hold:
                if track.track_id:  # a tentative track never confirmed was not a person
                    self._done.append(track)
            else:
                track.prune_before(released - s.lookahead - s.max_gap - 1)
                keep.append(track)
        self._live = keep
