"""The face check: every frame through the face detector again; a detection kept visible by
choice or inside a mask is not a face shown.

It looks the way the export does (``face_scan``: every frame 512 px wide, every eighth
frame closer, for faces too small at 512), with two differences. Its closer look is at
the whole frame 1024 px wide, where the export takes tiles where the small pass stirred:
tiles score faces higher (more found) and some street furniture too (0.33 in a tile, 0.12
in the whole frame, on the night benchmark), which costs the export a blurred patch of
wall but would fail a clean clip here. And it takes its closer look at the frames in
between the export's, so a small face the export missed on its frames is looked for on
others. ``VERIFY_THRESHOLD`` is calibrated on real faces composited at 40, 80 and 200 px
into street and room scenes (``benchmarks/face_calibration.py``): at 0.25 the scan finds
85 % of the 40 px faces and all the 80 and 200 px ones, while no face masked the default
way scores above 0.16; a failed face check is something a person could recognise.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bwvreview.media.background import iterate_in_background
from bwvreview.media.clip_verify.sync_check import Group, frame_total, iter_frames
from bwvreview.media.clip_verify.verdict import (
    Check,
    VerifyCancelled,
    VerifyOptions,
    VerifyProgress,
    check_cancel,
)
from bwvreview.media.face_scan import DEFAULT_SMALL_FACE_EVERY, FaceScan, ScanSettings
from bwvreview.media.faces import DEFAULT_THRESHOLD

_INSIDE_MASK = 0.6  # this share of a detection inside a mask: the mask, not a face
VERIFY_THRESHOLD = DEFAULT_THRESHOLD
# The verifier's closer looks fall half-way between the export's, at the whole frame.
VERIFY_SCAN = ScanSettings(
    threshold=VERIFY_THRESHOLD, phase=DEFAULT_SMALL_FACE_EVERY // 2, closer="frame"
)


@dataclass
class SeenFrames:
    """What the face check found on a clip already verified, for the next version of it (a
    repair). A group of pictures whose packets are byte for byte the same is not decoded
    again (``sync_check.iter_frames``): its frames' detections, and any of its frames kept
    for the banner check, are taken from here. A frame in a group that changed is scanned
    again only when its pixels differ: CRC-32 reads a 720p frame in 0.4 ms against BLAKE2's
    2.2 ms, and a changed frame with the same CRC, the one way a change could go unchecked
    there, is a 1 in 4 billion chance."""

    frames: dict[int, tuple[int, np.ndarray]] = field(default_factory=dict)  # crc, found
    groups: dict[int, Group] = field(default_factory=dict)  # by their first frame's index
    kept: dict[int, np.ndarray] = field(default_factory=dict)  # frames kept, by index

    def clear(self) -> None:
        self.frames.clear()
        self.groups.clear()
        self.kept.clear()

    def known_groups(self, keep: set[int] | None, skip_before_ms: int) -> dict[int, Group]:
        """The groups a later version may pass over: every frame of theirs that is looked
        at was scanned, and every frame of theirs to keep was kept."""
        known = {}
        for first, group in self.groups.items():
            frames = range(first, first + len(group[2]))
            scanned = all(
                index in self.frames or at_ms < skip_before_ms
                for index, at_ms in zip(frames, group[2], strict=True)
            )
            kept = keep is None or all(i in self.kept for i in frames if i in keep)
            if scanned and kept:
                known[first] = group
        return known


def faces_check(
    path: Path,
    options: VerifyOptions,
    cancel: threading.Event | None,
    keep: set[int] | None = None,
    kept_frames: list[np.ndarray] | None = None,
    decoded: dict[str, int] | None = None,
    seen: SeenFrames | None = None,
) -> Generator[VerifyProgress, None, Check]:
    """Detect faces in every frame; the frames numbered in ``keep`` go to ``kept_frames``,
    and how many frames decoded goes to ``decoded["frames"]``. Given ``seen`` (from an
    earlier version of this clip), a frame identical to the one verified there is not
    scanned again; ``seen`` is brought up to date for the next version."""
    detector = FaceScan(VERIFY_SCAN)
    total = frame_total(path)
    expected = _by_frame(options.faces_expected)
    masks = _by_frame(options.faces_masked)
    findings: list[dict[str, Any]] = []
    kept = inside = 0
    scanned = rescanned = passed = 0
    # Decoded on a helper thread, so the next frame decodes while this one is looked at.
    known = seen.known_groups(keep, options.skip_before_ms) if seen is not None else None
    groups: dict[int, Group] = {}  # this version's, kept in ``seen`` once every frame is seen
    frames = iterate_in_background(
        lambda: iter_frames(path, known, groups), cancel, VerifyCancelled
    )
    try:
        for index, time_ms, frame in frames:
            check_cancel(cancel)
            scanned += 1
            if frame is None:  # a group as in the version verified before
                passed += 1
                frame_kept = seen.kept.get(index) if seen is not None else None
            else:
                frame_kept = frame
            if keep is not None and index in keep and frame_kept is not None:
                if kept_frames is not None:
                    kept_frames.append(frame_kept)
                if seen is not None:
                    seen.kept[index] = frame_kept
            if time_ms >= options.skip_before_ms:
                found, looked = _detections(detector, frame, index, seen)
                rescanned += looked
                for x0, y0, x1, y1, score in found:
                    box = (float(x0), float(y0), float(x1), float(y1))
                    if any(_overlap(box, k) > 0.3 for k in expected.get(index, ())):
                        kept += 1
                        continue
                    if any(_covered_by(box, m) > _INSIDE_MASK for m in masks.get(index, ())):
                        inside += 1
                        continue
                    findings.append(
                        {
                            "frame": index,
                            "time_ms": time_ms,
                            "box": [round(v) for v in box],
                            "score": round(float(score), 3),
                        }
                    )
            if index % 10 == 0:
                yield VerifyProgress("faces", 0.6 * min(1.0, (index + 1) / total))
    except BaseException:
        if seen is not None:
            seen.clear()  # half brought up to date: no later version may lean on it
        raise
    finally:
        frames.close()  # type: ignore[attr-defined]
    if seen is not None:
        seen.groups = groups
    if decoded is not None:
        decoded["frames"] = scanned
        decoded["faces_scanned"] = rescanned
        decoded["frames_passed_over"] = passed
    note = f"; {kept} detections of people kept visible by choice" if kept else ""
    if inside:
        note += f"; {inside} face-like shapes inside masked areas"
    if findings:
        frames = sorted({f["frame"] for f in findings})
        summary = f"a face was found in {len(frames)} of {scanned} frames{note}"
        return Check("faces", False, summary, findings)
    return Check("faces", True, f"no face found in {scanned} frames{note}")


def _detections(
    detector: FaceScan, frame: np.ndarray | None, index: int, seen: SeenFrames | None
) -> tuple[np.ndarray, bool]:
    """What the detector finds on frame ``index``, and whether it had to look: a frame
    passed over (``None``), or with the same pixels as the version before, is taken from
    ``seen``, which is kept up to date."""
    if frame is None:
        return seen.frames[index][1], False  # type: ignore[union-attr]
    digest = zlib.crc32(np.ascontiguousarray(frame).data)
    earlier = seen.frames.get(index) if seen is not None else None
    if earlier is not None and earlier[0] == digest:
        return earlier[1], False
    found = detector.detect(frame, index)
    if seen is not None:
        seen.frames[index] = (digest, found)
    return found, True


def _by_frame(
    boxes: tuple[tuple[int, tuple[float, float, float, float]], ...],
) -> dict[int, list[tuple[float, float, float, float]]]:
    found: dict[int, list[tuple[float, float, float, float]]] = {}
    for index, box in boxes:
        found.setdefault(int(index), []).append(tuple(box))  # type: ignore[arg-type]
    return found


def _area(box: tuple[float, ...]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _intersection(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return w * h


def _covered_by(found: tuple[float, ...], mask: tuple[float, ...]) -> float:
    """The share of a detection's box that lies inside a mask's box."""
    area = _area(found)
    return _intersection(found, mask) / area if area > 0 else 0.0


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Intersection over the smaller box: a detection inside a kept box counts as kept."""
    smaller = min(_area(a), _area(b))
    return _intersection(a, b) / smaller if smaller > 0 else 0.0
