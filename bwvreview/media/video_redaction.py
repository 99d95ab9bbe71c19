"""The video half of an anonymised clip: faces, the reviewer's masks and the BWV banner.

``VideoRedactor`` is the one object the export pipeline uses. Frames go in as they are
decoded and come out masked, in the same order and number, about half a second later (the
face tracker's lookahead, so a face the detector misses for a moment is still covered).
Faces are detected on each frame, tracked, and masked unless the reviewer chose to keep
that person visible; then manual masks (plates, documents, screens) and the banner are
drawn on top. ``summary`` is what the anonymisation report says about the picture.

``scan_tracks`` runs the same detector and tracker without drawing, so the export dialog
can show each person once and let the reviewer pick who stays visible: the ids match the
ones ``VideoRedactor`` uses for the same span and settings.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bwvreview.media.banner import BannerRegion
from bwvreview.media.camera_motion import CameraMotion
from bwvreview.media.face_scan import (
    DEFAULT_SMALL_FACE_EVERY,
    DEFAULT_SMALL_FACE_WIDTH,
    FaceScan,
    ScanSettings,
)
from bwvreview.media.face_tracks import FaceTracker, MaskBox, TrackerSettings, TrackInfo
from bwvreview.media.faces import (
    CANDIDATE_THRESHOLD,
    CONFIRM_HITS,
    DEFAULT_DETECT_WIDTH,
    DEFAULT_THRESHOLD,
    input_size,
    model_info,
)
from bwvreview.media.masks import FACE_FILL, ManualMask, apply_mask
from bwvreview.steps import drain

log = logging.getLogger(__name__)

FACE_MODES = ("blur", "pixelate", "box", "none")
_FACE_SHAPE = {"blur": "ellipse", "pixelate": "ellipse", "box": "rect"}


@dataclass(frozen=True)
class VideoRedactionSettings:
    """What to hide in the picture. The defaults anonymise; each opt-out is explicit."""

    faces: str = "blur"  # "blur" | "pixelate" | "box" | "none"
    threshold: float = DEFAULT_THRESHOLD  # low: a masked wall costs less than a shown face
    # Weaker detections start a tentative track, masked once found ``confirm_hits`` times.
    candidate_threshold: float = CANDIDATE_THRESHOLD
    confirm_hits: int = CONFIRM_HITS
    detect_width: int = DEFAULT_DETECT_WIDTH
    small_face_width: int = DEFAULT_SMALL_FACE_WIDTH  # every ``small_face_every``-th frame
    small_face_every: int = DEFAULT_SMALL_FACE_EVERY
    keep_visible_tracks: frozenset[int] = frozenset()  # people the reviewer chose to show
    manual_masks: tuple[ManualMask, ...] = ()
    banner: BannerRegion | None = None  # resolved by the caller: a preset or detect_banner
    lookahead_ms: int = 500
    # Faces that verification found and this pass had missed: (frame index in the span,
    # (x0, y0, x1, y1)). They are tracked on their own, with pre-roll, hold and gaps filled,
    # and always masked (``clip_repair``: verify, then repair).
    found_faces: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()

    def __post_init__(self) -> None:
        if self.faces not in FACE_MODES:
            raise ValueError(f"unknown face mode {self.faces!r}; choose one of {FACE_MODES}")
        if self.lookahead_ms < 0:
            raise ValueError("lookahead_ms cannot be negative")


@dataclass(frozen=True, eq=False)
class RedactedFrame:
    """A released frame with what was masked on it (face boxes exclude kept-visible people)."""

    index: int
    time_ms: int  # in the source's clock: start_ms plus the frame's offset
    image: np.ndarray
    face_boxes: tuple[MaskBox, ...]
    manual_boxes: tuple[tuple[float, float, float, float], ...]
    kept_boxes: tuple[MaskBox, ...] = ()  # people left visible by choice, for verification


def tracker_settings(settings: VideoRedactionSettings, fps: float) -> TrackerSettings:
    """The tracker the redactor and ``scan_tracks`` share, so their track ids agree."""
    return dataclasses.replace(
        TrackerSettings.for_fps(fps, settings.lookahead_ms),
        confirm_score=settings.threshold,
        confirm_hits=settings.confirm_hits,
    )


# A face verification found is masked at least this share of the frame's width either side
# (32 px at 1280): a small detection's place is uncertain by about its own size once the
# camera shakes (on the night render the verifier found one 16 px shape 30 px from where it
# had found it eight frames before, after the first had been masked).
REPAIR_LEAST_MARGIN = 0.025


def repair_tracker_settings(settings: VideoRedactionSettings, fps: float) -> TrackerSettings:
    """Faces verification found are sure: each is masked at once, with a wider margin
    (the verifier saw the face on a frame where the export's detector did not)."""
    return dataclasses.replace(
        TrackerSettings.for_fps(fps, settings.lookahead_ms),
        margin=0.4,
        confirm_hits=1,
        least_margin=REPAIR_LEAST_MARGIN,
    )


def scan_settings(settings: VideoRedactionSettings) -> ScanSettings:
    """The detector passes the redactor and ``scan_tracks`` share: they report the weaker
    candidates too, which the tracker keeps only where they repeat."""
    return ScanSettings(
        threshold=min(settings.threshold, settings.candidate_threshold),
        detect_width=settings.detect_width,
        small_face_width=settings.small_face_width,
        small_face_every=settings.small_face_every,
    )


# One frame's face detections ((N,5) [x0,y0,x1,y1,score]) and the camera's shift to it.
Detected = tuple[np.ndarray, tuple[float, float]]


class VideoRedactor:
    """Mask a stream of BGR uint8 frames of one size; see the module docstring.

    Frames are masked in place: the arrays returned are the ones pushed, so hand over
    frames the caller no longer needs (a decoder's fresh arrays are). ``start_ms`` is the
    source time of the first frame, which manual-mask keyframes are measured against.
    ``detected`` keeps what the detector found on each frame; a later pass over the same
    span and settings (a repair) passes it back as ``detections`` and skips the detector,
    which gives the same tracks and ids and costs a fraction of the time. ``undrawn`` is a
    stand-in frame for frames that will not be written (a repair's groups copied from the
    clip before): pushed as that very array, a frame is tracked and reported as any other
    but nothing is drawn on it.
    """

    def __init__(
        self,
        settings: VideoRedactionSettings,
        width: int,
        height: int,
        fps: float,
        start_ms: int = 0,
        detections: Sequence[Detected] | None = None,
        undrawn: np.ndarray | None = None,
    ) -> None:
        if width <= 0 or height <= 0 or fps <= 0:
            raise ValueError("a redactor needs a positive frame size and frame rate")
        self.settings = settings
        self.width, self.height, self.fps = width, height, fps
        self.start_ms = start_ms
        self.detected: list[Detected] = []
        self._reuse = detections
        self._undrawn = undrawn
        self._detector = None
        self._tracker = None
        self._repair = None
        self._found: dict[int, list[tuple[float, float, float, float]]] = {}
        if settings.faces != "none":
            self._detector = FaceScan(scan_settings(settings))
            self._tracker = FaceTracker(tracker_settings(settings, fps), width, height)
            self._motion = CameraMotion(width, height)
            if settings.found_faces:
                self._repair = FaceTracker(repair_tracker_settings(settings, fps), width, height)
                for index, box in settings.found_faces:
                    self._found.setdefault(int(index), []).append(box)
        self._frames_repaired = 0
        self._passthrough: deque[np.ndarray] = deque()  # when faces are not detected
        self._frames_in = 0
        self._frames_out = 0
        self._frames_with_faces = 0
        self._frames_with_manual = 0

    def push(self, frame: np.ndarray) -> list[np.ndarray]:
        """Add the next frame; return the frames now ready, already masked."""
        return [r.image for r in self.push_detailed(frame)]

    def flush(self) -> list[np.ndarray]:
        """At the end of the stream: return every frame still held back, masked."""
        return [r.image for r in self.flush_detailed()]

    def push_detailed(self, frame: np.ndarray) -> list[RedactedFrame]:
        """``push`` that also says what was masked on each released frame."""
        if frame.shape != (self.height, self.width, 3) or frame.dtype != np.uint8:
            raise ValueError(
                f"expected a {self.width}x{self.height} BGR uint8 frame, got {frame.shape}"
            )
        index = self._frames_in
        self._frames_in += 1
        if self._tracker is None:
            self._passthrough.append(frame)
            return [self._finish(self._frames_out, self._passthrough.popleft(), ())]
        if self._reuse is not None and index < len(self._reuse):
            detections, motion = self._reuse[index]
        else:
            detections = self._detector.detect(frame, index)  # type: ignore[union-attr]
            motion = self._motion(frame)
        self.detected.append((detections, motion))
        released = self._tracker.push(detections, frame, motion)
        repaired = self._push_found(index, motion) if self._repair else [()] * len(released)
        pairs = zip(released, repaired, strict=True)
        return [self._finish(t.index, t.payload, t.boxes, r) for t, r in pairs]

    def flush_detailed(self) -> list[RedactedFrame]:
        """``flush`` that also says what was masked on each released frame."""
        if self._tracker is None:
            return []
        released = self._tracker.flush()
        repaired = [t.boxes for t in self._repair.flush()] if self._repair else [()] * len(released)
        pairs = zip(released, repaired, strict=True)
        return [self._finish(t.index, t.payload, t.boxes, r) for t, r in pairs]

    def _push_found(self, index: int, motion: tuple[float, float]) -> list[tuple[MaskBox, ...]]:
        """Track the faces verification found on this frame; the boxes of the frames
        released (in step with the main tracker: both hold the same lookahead)."""
        assert self._repair is not None
        found = np.array(
            [[*box, 1.0] for box in self._found.get(index, ())], dtype=np.float32
        ).reshape(-1, 5)
        return [t.boxes for t in self._repair.push(found, None, motion)]

    def tracks(self) -> list[TrackInfo]:
        """The face tracks found so far (complete after ``flush``)."""
        return self._tracker.tracks() if self._tracker is not None else []

    def _finish(
        self,
        index: int,
        image: np.ndarray,
        boxes: tuple[MaskBox, ...],
        repaired: tuple[MaskBox, ...] = (),
    ) -> RedactedFrame:
        s = self.settings
        time_ms = self.start_ms + round(index * 1000 / self.fps)
        # What verification found is masked whoever it is: a person kept visible by choice
        # was left out of verification already (``faces_expected``).
        face_boxes = tuple(b for b in boxes if b.track_id not in s.keep_visible_tracks)
        face_boxes += repaired
        self._frames_repaired += bool(repaired)
        draw = image is not self._undrawn
        for box in face_boxes if draw else ():
            apply_mask(
                image, (box.x0, box.y0, box.x1, box.y1), s.faces, _FACE_SHAPE[s.faces],
                FACE_FILL[s.faces],
            )  # fmt: skip
        manual = []
        frame_ms = max(1, round(1000 / self.fps))
        for mask in s.manual_masks:
            region = mask.box_at(time_ms, frame_ms)
            if region is not None:
                if draw:
                    apply_mask(image, region, mask.mode, "rect")
                manual.append(region)
        if s.banner is not None and draw:
            s.banner.redact(image)
        self._frames_out += 1
        self._frames_with_faces += bool(face_boxes)
        self._frames_with_manual += bool(manual)
        kept = tuple(b for b in boxes if b.track_id in s.keep_visible_tracks)
        return RedactedFrame(index, time_ms, image, face_boxes, tuple(manual), kept)

    def summary(self) -> dict[str, Any]:
        """What was done to the picture, JSON-ready, for the anonymisation report."""
        s = self.settings
        report: dict[str, Any] = {
            "frames_in": self._frames_in,
            "frames_out": self._frames_out,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "faces": s.faces,
            "frames_with_faces_masked": self._frames_with_faces,
            "tracks": [self._track_dict(t) for t in self.tracks()],
            "banner": None,
            "manual_masks": len(s.manual_masks),
            "frames_with_manual_masks": self._frames_with_manual,
        }
        if s.found_faces:
            report["repaired_faces"] = {
                "found_by_verification": len(s.found_faces),
                "frames_masked": self._frames_repaired,
            }
        if self._tracker is not None:
            in_w, in_h = input_size(self.width, self.height, s.detect_width)
            ts = self._tracker.settings
            report["detector"] = {
                **model_info(),
                **scan_settings(s).to_dict(self.width),
                "threshold": s.threshold,
                "candidate_threshold": s.candidate_threshold,
                "confirm_hits": s.confirm_hits,
                "input_size": [in_w, in_h],
            }
            report["tracker"] = {
                "lookahead_frames": ts.lookahead,
                "max_gap_frames": ts.max_gap,
                "preroll_frames": ts.preroll,
                "hold_frames": ts.hold,
                "margin": ts.margin,
            }
        if s.banner is not None:
            x0, y0, x1, y1 = s.banner.to_pixels(self.width, self.height)
            report["banner"] = {**s.banner.to_dict(), "pixels": [x0, y0, x1, y1]}
        return report

    def _track_dict(self, track: TrackInfo) -> dict[str, Any]:
        def ms(index: int) -> int:
            return self.start_ms + round(index * 1000 / self.fps)

        return {
            "id": track.track_id,
            "first_frame": track.first_frame,
            "last_frame": track.last_frame,
            "first_ms": ms(track.first_frame),
            "last_ms": ms(track.last_frame),
            "frames_detected": track.frames_detected,
            "frames_filled": track.frames_filled,
            "kept_visible": track.track_id in self.settings.keep_visible_tracks,
        }


def scan_tracks(
    frames: Iterable[np.ndarray],
    settings: VideoRedactionSettings,
    width: int,
    height: int,
    fps: float,
) -> list[TrackInfo]:
    """The face tracks in a span without drawing anything: for "keep this person visible".

    Uses the detector and tracker ``VideoRedactor`` uses with the same settings, so the
    ids it returns are the ids ``keep_visible_tracks`` refers to. Each track carries the
    frame index and box where the detector was surest, for a thumbnail.
    """
    return drain(iter_scan_tracks(frames, settings, width, height, fps))


def iter_scan_tracks(
    frames: Iterable[np.ndarray],
    settings: VideoRedactionSettings,
    width: int,
    height: int,
    fps: float,
) -> Generator[int, None, list[TrackInfo]]:
    """``scan_tracks`` that yields the number of frames seen so far, for a progress bar."""
    detector = FaceScan(scan_settings(settings))
    tracker = FaceTracker(tracker_settings(settings, fps), width, height)
    motion = CameraMotion(width, height)
    for index, frame in enumerate(frames):
        tracker.push(detector.detect(frame, index), motion=motion(frame))
        yield index + 1
    tracker.flush()
    return tracker.tracks()
