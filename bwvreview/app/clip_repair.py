"""Verify, then repair: what verification still finds in a written clip is hidden in another
pass, before the clip is ever called failed.

A failed check's findings are turned into ``Repair``s by that check's repairer
(``REPAIRERS``, keyed by the check's name); each repair says what to hide and where, in the
recording's time, and knows how to add itself to the ``ClipRequest``. ``iter_export``
(``clip_workflow``) then writes the clip again from the repaired request and verifies it
again, at most ``MAX_REPAIR_PASSES`` times; a check with no repairer, or findings no
repairer can place, leave the clip failed as before. The report lists every repair.

Two repairers: speech (a bleep over each moment personal data was still heard) and faces
(``face_repairs``: a tracked mask over each face the verifier found, drawn like any other
face). Adding a kind of repair: write a function ``(check, request, card_ms) ->
list[Repair]`` that reads the failed check's findings and returns repairs whose ``apply``
adds what hides them to the request, and register it in ``REPAIRERS`` under the check's
name; if the reviewer can opt out of it, say so in ``clip_workflow._wanted``. Nothing else
changes: the loop, the re-export, the re-verification and the report are shared.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwvreview.app.relay import relay
from bwvreview.media.clip_export import ClipRequest, ExportResult, iter_export_clip
from bwvreview.media.clip_splice import SpliceMiss, SpliceSource, work_folder
from bwvreview.media.clip_verify import (
    Check,
    SeenFrames,
    Verification,
    VerifyOptions,
    iter_verify_clip,
)

log = logging.getLogger(__name__)

MAX_REPAIR_PASSES = 2
# A re-transcription's word times are approximate: a repair bleeps this much either side.
SPEECH_REPAIR_MARGIN_MS = 400
# Faces found within this long of each other are reported as one moment.
FACE_MOMENT_MS = 1000


@dataclass(frozen=True)
class Repair:
    """One thing verification found that another pass hides."""

    check: str  # the check that found it: "speech" or "faces"
    kind: str  # what it was: "date_of_birth", "list_item", "face", ...
    start_ms: int  # where, in the recording's time
    end_ms: int
    apply: Callable[[ClipRequest], ClipRequest] = dataclasses.field(compare=False, repr=False)

    def to_json(self, pass_number: int) -> dict[str, Any]:
        """Kinds and times only: the report beside the clip never quotes what was said."""
        return {"pass": pass_number, "check": self.check, "kind": self.kind,
                "start_ms": self.start_ms, "end_ms": self.end_ms}  # fmt: skip


Repairer = Callable[[Check, ClipRequest, int], list[Repair]]


def speech_repairs(check: Check, request: ClipRequest, card_ms: int) -> list[Repair]:
    """A bleep over each moment where personal data was still heard."""
    repairs = []
    for finding in check.findings:
        if "start_ms" not in finding or "end_ms" not in finding:
            continue
        start = _source_ms(finding["start_ms"], request, card_ms) - SPEECH_REPAIR_MARGIN_MS
        end = _source_ms(finding["end_ms"], request, card_ms) + SPEECH_REPAIR_MARGIN_MS
        start, end = max(request.start_ms, start), min(request.end_ms, end)
        if end > start:
            repairs.append(
                Repair("speech", str(finding.get("kind", "")), start, end, _bleep(start, end))
            )
    return repairs


def face_repairs(check: Check, request: ClipRequest, card_ms: int) -> list[Repair]:
    """A tracked mask over each face the verifier found, one repair per moment.

    Each face found (a frame and a box) goes back into the export as a face found by
    verification (``VideoRedactionSettings.found_faces``): the redactor tracks those on
    their own, so the mask starts a moment before the frame, holds a moment after, bridges
    the frames between and follows the camera's shake, and it is drawn like any other face.
    """
    fps = request.source.fps or 25.0
    card_frames = round(card_ms * fps / 1000)
    found: list[tuple[int, tuple[float, float, float, float]]] = []
    for finding in check.findings:
        if "frame" in finding and "box" in finding and int(finding["frame"]) >= card_frames:
            x0, y0, x1, y1 = (float(v) for v in finding["box"])
            found.append((int(finding["frame"]) - card_frames, (x0, y0, x1, y1)))
    moments: list[list[tuple[int, tuple[float, float, float, float]]]] = []
    for item in sorted(found, key=lambda f: f[0]):
        if moments and (item[0] - moments[-1][-1][0]) * 1000 / fps <= FACE_MOMENT_MS:
            moments[-1].append(item)
        else:
            moments.append([item])

    def ms(frame: int) -> int:
        return min(request.end_ms, request.start_ms + round(frame * 1000 / fps))

    return [
        Repair("faces", "face", ms(m[0][0]), ms(m[-1][0] + 1), _mask_faces(tuple(m)))
        for m in moments
    ]


REPAIRERS: dict[str, Repairer] = {"speech": speech_repairs, "faces": face_repairs}


def repairs_for(
    verification: Verification,
    request: ClipRequest,
    card_ms: int,
    wanted: Callable[[Repair], bool] = lambda _repair: True,
) -> list[Repair]:
    """Every repair the failed checks of ``verification`` call for (none if it passed),
    less those ``wanted`` refuses: the reviewer's own choices stand (what they chose to
    leave audible, or visible, is never hidden behind their back)."""
    found: list[Repair] = []
    for check in verification.checks:
        repairer = REPAIRERS.get(check.name)
        if not check.passed and repairer is not None:
            found += [r for r in repairer(check, request, card_ms) if wanted(r)]
    return found


def repaired(request: ClipRequest, repairs: Sequence[Repair]) -> ClipRequest:
    """The request with every repair added."""
    for repair in repairs:
        request = repair.apply(request)
    return request


def _bleep(start_ms: int, end_ms: int) -> Callable[[ClipRequest], ClipRequest]:
    def add(request: ClipRequest) -> ClipRequest:
        spans = _merged([*request.audio_spans_ms, (start_ms, end_ms)])
        captions = request.captions
        if captions is not None:  # a bleeped word is not captioned either
            captions = tuple(
                dataclasses.replace(c, redacted=True)
                if c.start_ms < end_ms and c.end_ms > start_ms
                else c
                for c in captions
            )
        return dataclasses.replace(request, audio_spans_ms=spans, captions=captions)

    return add


def _mask_faces(
    found: tuple[tuple[int, tuple[float, float, float, float]], ...],
) -> Callable[[ClipRequest], ClipRequest]:
    def add(request: ClipRequest) -> ClipRequest:
        video = dataclasses.replace(request.video, found_faces=(*request.video.found_faces, *found))
        return dataclasses.replace(request, video=video)

    return add


def _source_ms(clip_ms: int, request: ClipRequest, card_ms: int) -> int:
    """A time in the clip (after its opening card) as a time in the recording."""
    return request.start_ms + int(clip_ms) - card_ms


def _merged(spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def iter_repair(
    request: ClipRequest,
    result: ExportResult,
    verified: tuple[Verification, VerifyOptions],
    written: Path,
    wanted: Callable[[Repair], bool],
    repairs: list[dict[str, Any]],
    progress: tuple[threading.Event | None, Any],
    seen: SeenFrames | None = None,
) -> Generator[Any, None, tuple[ExportResult, Verification, VerifyOptions]]:
    """Verify-then-repair (``clip_repair``): while verification fails on something a repair
    can hide, write the clip again with it hidden and verify again, at most
    ``MAX_REPAIR_PASSES`` times. ``repairs`` is filled with what was done, for the report;
    ``progress`` is the cancel flag and what to yield meanwhile. Returns the last clip's
    export result, its verification and what it was verified against (the faces masked are
    the new clip's).

    Another pass costs little: it reuses what the face detector found the first time
    (``ClipRequest.face_detections``), and the clip is written in closed two-second groups
    of frames (``clip_writer``), so only the groups a repair touched change; given ``seen``
    (filled by the first verification), the face check scans only the frames that did."""
    verification, expect = verified
    cancel, waiting = progress
    for number in range(1, MAX_REPAIR_PASSES + 1):
        if verification.passed:
            break
        found = repairs_for(verification, request, result.card_ms, wanted)
        if not found:
            break
        repairs += [r.to_json(number) for r in found]
        _log_found(number, verification)
        before = SpliceSource(written, request.video.found_faces, result.masked_faces)
        request = dataclasses.replace(
            repaired(request, found), face_detections=result.face_detections
        )
        faces_only = all(r.check == "faces" for r in found)
        yield waiting
        result = yield from _write_again(request, before, faces_only, cancel, waiting)
        expect = dataclasses.replace(
            expect, faces_expected=tuple(result.kept_faces), faces_masked=tuple(result.masked_faces)
        )
        # Faces alone repaired: the sound is written as before, so is heard as before.
        heard = next((c for c in verification.checks if c.name == "speech"), None)
        if not faces_only:
            heard = None
        verifying = iter_verify_clip(written, expect, cancel, seen, heard)
        verification = yield from relay(verifying, cancel, lambda _: waiting)
    return result, verification, expect


def _log_found(number: int, verification: Verification) -> None:
    """What a repair pass answers, in the log: where faces were found (frame, box, score)
    and when other findings were (never what was said)."""
    for check in verification.checks:
        if check.passed:
            continue
        where = [
            {k: f[k] for k in ("frame", "box", "score", "start_ms", "end_ms", "kind") if k in f}
            for f in check.findings
        ]
        log.info("repair pass %d for the %s check: %s", number, check.name, where)


def _write_again(
    request: ClipRequest,
    before: SpliceSource,
    faces_only: bool,
    cancel: threading.Event | None,
    waiting: Any,
) -> Generator[Any, None, ExportResult]:
    """The clip written again with the repairs, under its hidden name. A repair of faces
    only encodes again just the groups of frames it touches and copies the rest from the
    clip before (``before``, written under its hidden name: ``clip_splice``); should that
    fail for any reason, the whole clip is written again, as any other repair is."""
    written = before.path
    if faces_only:
        folder = work_folder(written)
        folder.mkdir(exist_ok=True)
        previous = folder / "previous.mp4"
        os.replace(written, previous)
        source = dataclasses.replace(before, path=previous)
        spliced = dataclasses.replace(request, splice_from=source)
        try:
            return (yield from relay(iter_export_clip(spliced, cancel), cancel, lambda _: waiting))
        except SpliceMiss as exc:
            log.info("repair written whole: %s", exc)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    written.unlink(missing_ok=True)
    return (yield from relay(iter_export_clip(request, cancel), cancel, lambda _: waiting))
