"""Check a written clip the way a sceptical reviewer would, from the file alone.

Every frame goes through the face detector again; the sound is transcribed again and
searched for the redacted items and for any personal data; the tags in the file are
listed; the picture and sound are checked for length and sync, counting what actually
decodes (a clip cut short still declares its full length); sampled frames are checked for a
static text strip (a banner left readable). Each check says what it found, and the clip
passes only if every check passes. ``Verification.without_values`` is what someone who may
not see raw footage is shown: what kind of thing leaked and where, never the thing itself.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import ctranslate2
import numpy as np

from bwvreview.media.audio import SAMPLE_RATE, decode_audio
from bwvreview.media.banner import detect_banner
from bwvreview.media.captions import caption_band
from bwvreview.media.clip_writer import NEUTRAL_ENCODER
from bwvreview.media.errors import MediaError
from bwvreview.media.faces import FaceDetector
from bwvreview.media.frames import open_video
from bwvreview.media.transcribe import DECODE_OPTIONS, SAMPLING_SEED, load_model
from bwvreview.personal_data.finder import TimedWord, find_personal_data, heard_items
from bwvreview.steps import Cancelled

# Tags a neutral MP4 carries whoever made it: the file type, and the track handlers.
NEUTRAL_TAGS = {
    "major_brand",
    "minor_version",
    "compatible_brands",
    "title",
    "handler_name",
    "vendor_id",
    "language",
    "encoder",
}
NEUTRAL_VALUES = {
    "handler_name": {"VideoHandler", "SoundHandler"},
    "encoder": {NEUTRAL_ENCODER},  # what clip_writer names the picture's encoder
}
# Kinds of personal data that identify someone on their own when heard in a clip.
IDENTIFYING_KINDS = {
    "phone",
    "email",
    "postcode",
    "vehicle_registration",
    "date_of_birth",
    "address",
    "name",
}
ENCODER_MARKERS = (b"x264 - core", b"x265 (build", b"Lavc", b"Lavf")
SYNC_TOLERANCE_MS = 50
LISTEN_WINDOW_S = 10  # the speech check transcribes windows this long ...
LISTEN_HOP_S = 5  # ... this often: anything said within 5 s (a phone number) is heard whole
_BANNER_SAMPLES = 12
_INSIDE_MASK = 0.6  # this share of a detection inside a mask: the mask, not a face


class VerifyCancelled(Cancelled):
    """The caller's cancel flag was set; no verdict was reached."""


@dataclass(frozen=True)
class Check:
    name: str  # "faces", "speech", "metadata", "sync", "banner"
    passed: bool
    summary: str  # one line a trainer can read
    findings: list[dict[str, Any]] = field(default_factory=list)
    skipped: bool = False


@dataclass(frozen=True)
class Verification:
    clip: Path
    checks: tuple[Check, ...]
    seconds: float

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def verdict(self) -> str:
        return "pass" if self.passed else "fail"

    def without_values(self) -> Verification:
        """The same verdict with every quoted value replaced by what kind of thing it is.

        Tag values (a collar number, a GPS position, a serial number) are all that a
        finding quotes; speech findings already give only a kind and a time.
        """
        checks = tuple(
            dataclasses.replace(c, findings=[_kind_only(f) for f in c.findings])
            for c in self.checks
        )
        return dataclasses.replace(self, checks=checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "clip": self.clip.name,
            "verdict": self.verdict,
            "checks": [
                {
                    "name": c.name,
                    "passed": c.passed,
                    "skipped": c.skipped,
                    "summary": c.summary,
                    "findings": c.findings,
                }
                for c in self.checks
            ],
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True)
class VerifyProgress:
    stage: str
    fraction: float


@dataclass(frozen=True)
class VerifyOptions:
    redacted_items: tuple[str, ...] = ()  # words that must not be heard (names, numbers…)
    skip_before_ms: int = 0  # an opening card: no faces or banner to look for there
    faces_expected: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()  # kept
    # Where faces were masked, per clip frame: a detection inside a mask is not a face
    # shown (the detector may still find a face-like shape in a masked oval).
    faces_masked: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()
    banner_redacted: bool = True
    captions: bool = False  # burned-in captions: their band is not a banner
    model: str | None = None  # Whisper model for the re-transcription


def iter_verify_clip(
    path: Path, options: VerifyOptions | None = None, cancel: threading.Event | None = None
) -> Generator[VerifyProgress, None, Verification]:
    """Run every check on ``path``; yield progress; return the verification."""
    options = options or VerifyOptions()
    started = time.perf_counter()
    streams = _streams(path)
    checks = [_metadata_check(path, streams["tags"])]
    # The banner is looked for in a dozen frames spread over the clip after its card,
    # kept as the face check decodes every frame (one decode, a dozen frames in memory).
    total = _frame_total(path)
    first = min(total, round(options.skip_before_ms * streams["fps"] / 1000))
    eligible = total - first
    picks = {
        first + int(i) for i in np.linspace(0, eligible - 1, min(_BANNER_SAMPLES, eligible)).round()
    }
    samples: list[np.ndarray] = []
    decoded: dict[str, int] = {}
    faces = yield from _faces_check(path, options, cancel, picks, samples, decoded)
    checks.append(faces)
    checks.append(_banner_check(samples, options))
    sound_ms = None
    if not streams["has_audio"]:
        checks.append(Check("speech", True, "the clip has no sound: nothing to hear", skipped=True))
    else:
        sound = _decode_sound(path, cancel)
        sound_ms = len(sound) * 1000 // SAMPLE_RATE
        speech = yield from _speech_check(sound, options, cancel)
        checks.append(speech)
    checks.insert(1, _sync_check(streams, decoded.get("frames", 0), sound_ms))
    yield VerifyProgress("done", 1.0)
    return Verification(path, tuple(checks), time.perf_counter() - started)


def _streams(path: Path) -> dict[str, Any]:
    with open_video(path) as (container, video):
        audio = container.streams.audio[0] if container.streams.audio else None
        tags: dict[str, dict[str, str]] = {"format": dict(container.metadata)}
        for stream in container.streams:
            tags[f"stream {stream.index} ({stream.type})"] = dict(stream.metadata)
        return {
            "tags": tags,
            "has_audio": audio is not None,
            "fps": float(video.average_rate or 25),
            "video_ms": _stream_ms(video),
            "video_start_ms": _start_ms(video),
            "audio_ms": _stream_ms(audio) if audio is not None else None,
            "audio_start_ms": _start_ms(audio) if audio is not None else None,
        }


def _stream_ms(stream: av.stream.Stream) -> int | None:
    if stream.duration is None or stream.time_base is None:
        return None
    return round(float(stream.duration * stream.time_base) * 1000)


def _start_ms(stream: av.stream.Stream) -> int:
    if stream.start_time is None or stream.time_base is None:
        return 0
    return round(float(stream.start_time * stream.time_base) * 1000)


def _metadata_check(path: Path, tags: dict[str, dict[str, str]]) -> Check:
    findings = [
        {"where": where, "tag": key, "value": value}
        for where, pairs in tags.items()
        for key, value in pairs.items()
        if key not in NEUTRAL_TAGS or value not in NEUTRAL_VALUES.get(key, {value})
    ]
    head = path.read_bytes()[: 4 * 1024 * 1024]
    findings += [
        {"where": "bitstream", "tag": "encoder comment", "value": marker.decode()}
        for marker in ENCODER_MARKERS
        if marker in head
    ]
    present = sorted({key for pairs in tags.values() for key in pairs})
    if findings:
        names = ", ".join(sorted({f["tag"] for f in findings}))
        summary = f"identifying or unexpected tags present: {names}"
        return Check("metadata", False, summary, findings)
    return Check("metadata", True, f"only neutral tags: {', '.join(present) or 'none'}")


def _sync_check(streams: dict[str, Any], frames: int, sound_ms: int | None) -> Check:
    """Lengths as declared and as decoded: a clip cut short still declares its full length."""
    video_ms, audio_ms = streams["video_ms"], streams["audio_ms"]
    if video_ms is None:
        return Check("sync", False, "the picture's length cannot be read")
    frame_ms = 1000 / streams["fps"]
    allowed = max(SYNC_TOLERANCE_MS, frame_ms)
    declared = max(1, round(video_ms / frame_ms))
    short = []
    if frames * frame_ms < video_ms - allowed:
        short.append(f"only {frames} of its {declared} frames decode")
    if sound_ms is not None and audio_ms is not None and sound_ms < audio_ms - allowed:
        short.append(f"only {sound_ms / 1000:.2f} s of its {audio_ms / 1000:.2f} s of sound decode")
    if streams["has_audio"] and sound_ms == 0:
        short.append("none of its sound decodes")
    decoded = {"frames_declared": declared, "frames_decoded": frames, "audio_decoded_ms": sound_ms}
    if short:
        summary = f"the clip is cut short or damaged: {' and '.join(short)}"
        finding = {"video_ms": video_ms, "audio_ms": audio_ms, **decoded}
        return Check("sync", False, summary, [finding])
    if not streams["has_audio"]:
        summary = f"picture only, {video_ms / 1000:.2f} s, all {frames} frames decode"
        return Check("sync", True, summary, skipped=True)
    if audio_ms is None:
        return Check("sync", False, "the sound's length cannot be read")
    length_gap = abs(video_ms - audio_ms)
    start_gap = abs(streams["video_start_ms"] - streams["audio_start_ms"])
    finding = {
        "video_ms": video_ms,
        "audio_ms": audio_ms,
        "start_gap_ms": start_gap,
        "length_gap_ms": length_gap,
        **decoded,
    }
    if length_gap > allowed or start_gap > SYNC_TOLERANCE_MS:
        summary = (
            f"picture {video_ms / 1000:.3f} s and sound {audio_ms / 1000:.3f} s differ"
            f" (starts {start_gap} ms apart)"
        )
        return Check("sync", False, summary, [finding])
    summary = f"picture and sound agree ({video_ms / 1000:.2f} s, every frame and the sound decode)"
    return Check("sync", True, summary, [finding])


def _iter_frames(path: Path) -> Iterator[tuple[int, int, np.ndarray]]:
    """Every frame that decodes; a damaged or cut-short file simply ends early (the sync
    check counts what came out against what the file declares)."""
    with open_video(path) as (container, stream):
        frames = container.decode(stream)
        index = 0
        while True:
            try:
                frame = next(frames)
            except (StopIteration, av.error.FFmpegError):
                return
            time_ms = round((frame.time or 0) * 1000)
            yield index, time_ms, frame.to_ndarray(format="bgr24")
            index += 1


def _frame_total(path: Path) -> int:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.frames:
            return int(stream.frames)
        seconds = float(container.duration or 0) / av.time_base
        return max(1, round(seconds * float(stream.average_rate or 25)))


def _faces_check(
    path: Path,
    options: VerifyOptions,
    cancel: threading.Event | None,
    keep: set[int] | None = None,
    kept_frames: list[np.ndarray] | None = None,
    decoded: dict[str, int] | None = None,
) -> Generator[VerifyProgress, None, Check]:
    """Detect faces in every frame; the frames numbered in ``keep`` go to ``kept_frames``,
    and how many frames decoded goes to ``decoded["frames"]``."""
    detector = FaceDetector()
    total = _frame_total(path)
    expected = _by_frame(options.faces_expected)
    masks = _by_frame(options.faces_masked)
    findings: list[dict[str, Any]] = []
    kept = inside = 0
    scanned = 0
    for index, time_ms, frame in _iter_frames(path):
        _check_cancel(cancel)
        scanned += 1
        if keep is not None and kept_frames is not None and index in keep:
            kept_frames.append(frame)
        if time_ms >= options.skip_before_ms:
            for x0, y0, x1, y1, score in detector.detect(frame):
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
    if decoded is not None:
        decoded["frames"] = scanned
    note = f"; {kept} detections of people kept visible by choice" if kept else ""
    if inside:
        note += f"; {inside} face-like shapes inside masked areas"
    if findings:
        frames = sorted({f["frame"] for f in findings})
        summary = f"a face was found in {len(frames)} of {scanned} frames{note}"
        return Check("faces", False, summary, findings)
    return Check("faces", True, f"no face found in {scanned} frames{note}")


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


def _banner_check(samples: list[np.ndarray], options: VerifyOptions) -> Check:
    if len(samples) < 2:
        return Check("banner", True, "too short to look for a banner", skipped=True)
    if options.captions:
        top, bottom = caption_band(samples[0].shape[1], samples[0].shape[0])
        for sample in samples:
            sample[top:bottom] = 0
    region = detect_banner(samples)
    if region is not None:
        kept = " (kept by choice: --keep-overlay)" if not options.banner_redacted else ""
        rows = f"{region.y0:.0%}–{region.y1:.0%} of the height"
        summary = f"a static text strip (banner) is readable at {rows}{kept}"
        return Check("banner", False, summary, [{"region": str(region)}])
    return Check("banner", True, "no static text strip (banner) visible")


def _decode_sound(path: Path, cancel: threading.Event | None) -> np.ndarray:
    """The clip's sound, 16 kHz mono; sound that does not decode is none at all."""
    try:
        return decode_audio(path, cancel=cancel)
    except MediaError:
        return np.zeros(0, dtype=np.float32)


def _speech_check(
    sound: np.ndarray, options: VerifyOptions, cancel: threading.Event | None
) -> Generator[VerifyProgress, None, Check]:
    if len(sound) == 0:
        return Check("speech", False, "the sound does not decode: nothing could be listened to")
    items = list(options.redacted_items)
    heard: list[Any] = []
    detected: list[Any] = []
    spoken = 0
    for fraction, words in listen_to(sound, options.model, cancel):
        spoken += len(words)
        heard += heard_items(words, items)
        detected += [h for h in find_personal_data(words) if h.kind in IDENTIFYING_KINDS]
        yield VerifyProgress("speech", 0.6 + 0.38 * fraction)
    heard_items_, detected = _distinct(heard), _distinct(detected)
    findings = [_hit(h, "a redacted item is audible") for h in heard_items_]
    findings += [_hit(h, "personal data is audible") for h in detected]
    if findings:
        kinds = ", ".join(sorted({f["kind"] for f in findings}))
        return Check("speech", False, f"personal data can still be heard: {kinds}", findings)
    return Check(
        "speech",
        True,
        f"none of {len(options.redacted_items)} redacted items and no personal data heard"
        f" ({spoken} words transcribed in {LISTEN_WINDOW_S:g} s windows)",
    )


def listen(
    path: Path,
    model: str | None,
    cancel: threading.Event | None,
    start_ms: int = 0,
    end_ms: int | None = None,
) -> Iterator[tuple[float, list[TimedWord]]]:
    """Transcribe a span in short overlapping windows, yielding (fraction, words).

    A clip starts mid-conversation, and the small Whisper model given the whole of it
    often writes the first sentence and stops; a fresh look every few seconds hears what
    is there (tested on the demo: the whole clip gave 3 words, windows gave all of it).
    Word times are in the file's time.
    """
    first = start_ms * SAMPLE_RATE // 1000
    last = None if end_ms is None else end_ms * SAMPLE_RATE // 1000
    samples = decode_audio(path, cancel=cancel)[first:last]
    yield from listen_to(samples, model, cancel, start_ms)


def listen_to(
    samples: np.ndarray, model: str | None, cancel: threading.Event | None, start_ms: int = 0
) -> Iterator[tuple[float, list[TimedWord]]]:
    """``listen`` on sound already decoded (16 kHz mono) that starts at ``start_ms``."""
    whisper, _, _ = load_model(model, "auto")
    window, hop = LISTEN_WINDOW_S * SAMPLE_RATE, LISTEN_HOP_S * SAMPLE_RATE
    starts = list(range(0, max(1, len(samples) - (window - hop)), hop)) or [0]
    for n, start in enumerate(starts):
        _check_cancel(cancel)
        offset_ms = start_ms + start * 1000 // SAMPLE_RATE
        ctranslate2.set_random_seed(SAMPLING_SEED)  # the same clip always hears the same
        pieces, _ = whisper.transcribe(
            samples[start : start + window], language="en", vad_filter=False, **DECODE_OPTIONS
        )
        words = [
            TimedWord(w.word, offset_ms + round(w.start * 1000), offset_ms + round(w.end * 1000))
            for piece in pieces
            for w in (piece.words or ())
        ]
        yield (n + 1) / len(starts), words


def _distinct(hits: Iterable[Any]) -> list[Any]:
    """One finding per kind and moment: overlapping windows hear the same words twice."""
    seen: dict[tuple[str, int], Any] = {}
    for hit in hits:
        seen.setdefault((hit.kind, hit.start_ms // 1000), hit)
    return list(seen.values())


def _hit(hit: Any, why: str) -> dict[str, Any]:
    return {"why": why, "kind": hit.kind, "start_ms": hit.start_ms, "end_ms": hit.end_ms}


# What kind of thing a tag holds, from its name or its value: shown instead of the value to
# someone who may not see raw footage. The first pattern that matches says.
_TAG_KINDS = (
    (re.compile(r"location|gps|iso6709|latitude|longitude|geo", re.I), "a GPS location tag"),
    (re.compile(r"^[+-]\d{1,2}\.\d+[+-]\d{1,3}\.\d+"), "a GPS location tag"),
    (re.compile(r"collar|badge|officer|\b(?:PC|PS|DC|DS|Sgt|Insp)\.? ?\d{2,}", re.I),
     "a collar number in the metadata"),
    (re.compile(r"serial|device.?id|\bs/?n\b|camera.?id|imei", re.I),
     "a device serial number in the metadata"),
    (re.compile(r"creation_time|date|time", re.I), "a recording date and time in the metadata"),
    (re.compile(r"encoder|x264|x265|lavc|lavf|software|handler", re.I),
     "the name of the software that made the file"),
    (re.compile(r"make|model", re.I), "the camera's make or model in the metadata"),
    (re.compile(r"artist|author|copyright|owner|user|name", re.I),
     "a person's or owner's name in the metadata"),
)  # fmt: skip


def describe_tag(tag: str, value: str) -> str:
    """What kind of thing a tag holds ("a GPS location tag"), never the value itself."""
    for pattern, kind in _TAG_KINDS:
        if pattern.search(tag) or pattern.search(value):
            return kind
    return "an identifying or unexpected tag in the metadata"


def _kind_only(finding: dict[str, Any]) -> dict[str, Any]:
    if "value" not in finding:
        return finding
    return {**finding, "value": describe_tag(str(finding.get("tag", "")), str(finding["value"]))}


def describe_finding(finding: dict[str, Any]) -> str | None:
    """A finding in words: "a phone number at 0:27", "a GPS location tag (format: location)"."""
    if "tag" in finding:
        return f"{finding['value']} ({finding['where']}: {finding['tag']})"
    if "kind" in finding and "start_ms" in finding:
        kind = _SPOKEN.get(finding["kind"], f"a {finding['kind'].replace('_', ' ')}")
        minutes, seconds = divmod(int(finding["start_ms"]) // 1000, 60)
        return f"{kind} at {minutes}:{seconds:02d}"
    return None


_SPOKEN = {
    "name": "a name",
    "address": "an address",
    "phone": "a phone number",
    "email": "an email address",
    "postcode": "a postcode",
    "vehicle_registration": "a vehicle registration",
    "date_of_birth": "a date of birth",
    "list_item": "an item on the incident's list of people and places",
}


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise VerifyCancelled()


def summary_lines(verification: Verification) -> list[str]:
    """A readable summary, one line per check, for the report's text file and the CLI."""
    lines = [f"{verification.clip.name}: {verification.verdict.upper()}"]
    for check in verification.checks:
        mark = "skipped" if check.skipped else ("ok" if check.passed else "FAIL")
        lines.append(f"  [{mark:>7}] {check.name}: {check.summary}")
        if not check.passed and check.name in ("metadata", "speech"):
            said = dict.fromkeys(filter(None, map(describe_finding, check.findings)))
            lines += [f"            - {line}" for line in said]
    return lines
