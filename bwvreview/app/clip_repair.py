"""Verify, then repair: what verification still finds in a written clip is hidden in another
pass, before the clip is ever called failed.

A failed check's findings are turned into ``Repair``s by that check's repairer
(``REPAIRERS``, keyed by the check's name); each repair says what to hide and where, in the
recording's time, and knows how to add itself to the ``ClipRequest``. ``iter_export``
(``clip_workflow``) then writes the clip again from the repaired request and verifies it
again, at most ``MAX_REPAIR_PASSES`` times; a check with no repairer, or findings no
repairer can place, leave the clip failed as before. The report lists every repair.

Adding a kind of repair (e.g. faces the verifier found): write a function
``(check, request, card_ms) -> list[Repair]`` that reads the failed check's findings and
returns repairs whose ``apply`` adds what hides them to the request (for faces: a
``ManualMask`` on ``request.video.manual_masks`` over the frames and box found), and register
it in ``REPAIRERS`` under the check's name ("faces"); if the reviewer can opt out of it (a
person kept visible), say so in ``clip_workflow._wanted``. Nothing else changes: the loop,
the re-export, the re-verification and the report are shared.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwvreview.app.relay import relay
from bwvreview.media.clip_export import ClipRequest, ExportResult, iter_export_clip
from bwvreview.media.clip_verify import Check, Verification, VerifyOptions, iter_verify_clip

MAX_REPAIR_PASSES = 2
# A re-transcription's word times are approximate: a repair bleeps this much either side.
SPEECH_REPAIR_MARGIN_MS = 400


@dataclass(frozen=True)
class Repair:
    """One thing verification found that another pass hides."""

    check: str  # the check that found it: "speech" (and, later, "faces")
    kind: str  # what it was: "date_of_birth", "list_item", ...
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


REPAIRERS: dict[str, Repairer] = {"speech": speech_repairs}


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
) -> Generator[Any, None, tuple[ExportResult, Verification, VerifyOptions]]:
    """Verify-then-repair (``clip_repair``): while verification fails on something a repair
    can hide, write the clip again with it hidden and verify again, at most
    ``MAX_REPAIR_PASSES`` times. ``repairs`` is filled with what was done, for the report;
    ``progress`` is the cancel flag and what to yield meanwhile. Returns the last clip's
    export result, its verification and what it was verified against (the faces masked are
    the new clip's)."""
    verification, expect = verified
    cancel, waiting = progress
    for number in range(1, MAX_REPAIR_PASSES + 1):
        if verification.passed:
            break
        found = repairs_for(verification, request, result.card_ms, wanted)
        if not found:
            break
        repairs += [r.to_json(number) for r in found]
        request = repaired(request, found)
        written.unlink(missing_ok=True)
        yield waiting
        result = yield from relay(iter_export_clip(request, cancel), cancel, lambda _: waiting)
        expect = dataclasses.replace(
            expect, faces_expected=tuple(result.kept_faces), faces_masked=tuple(result.masked_faces)
        )
        verifying = iter_verify_clip(written, expect, cancel)
        verification = yield from relay(verifying, cancel, lambda _: waiting)
    return result, verification, expect
