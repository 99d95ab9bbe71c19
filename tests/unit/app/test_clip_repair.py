"""Verify-then-repair (app/clip_repair.py): what a failed check found becomes repairs in the
recording's time, added to the clip request; checks without a repairer, passed checks and
the reviewer's own choices are left alone. The loop itself runs on real audio in
tests/integration/test_export_personal_speech.py."""

from __future__ import annotations

from pathlib import Path

from bwvreview.app.clip_repair import (
    REPAIRERS,
    SPEECH_REPAIR_MARGIN_MS,
    repaired,
    repairs_for,
)
from bwvreview.media.captions import CaptionWord
from bwvreview.media.clip_export import ClipRequest
from bwvreview.media.clip_verify import Check, Verification


def request(**changes) -> ClipRequest:
    values = {
        "source": None,  # the repairs never read the source
        "start_ms": 10_000,
        "end_ms": 30_000,
        "out": Path("clip.mp4"),
        "audio_spans_ms": ((11_000, 11_500),),
        "captions": (CaptionWord(" June", 14_000, 14_400), CaptionWord(" okay", 25_000, 25_300)),
    }
    return ClipRequest(**{**values, **changes})  # type: ignore[arg-type]


def speech_failed(*findings: tuple[str, int, int]) -> Verification:
    check = Check(
        "speech",
        False,
        "personal data can still be heard",
        [{"why": "personal data is audible", "kind": k, "start_ms": s, "end_ms": e}
         for k, s, e in findings],
    )  # fmt: skip
    return Verification(Path("clip.mp4"), (Check("metadata", True, "ok"), check), 1.0)


def test_a_spoken_finding_becomes_a_bleep_in_the_recordings_time():
    # the clip opens with a 3 s card: 7.0 s into the clip is 14.0 s into the recording
    (repair,) = repairs_for(speech_failed(("date_of_birth", 7_000, 7_400)), request(), 3_000)
    margin = SPEECH_REPAIR_MARGIN_MS
    assert (repair.check, repair.kind) == ("speech", "date_of_birth")
    assert (repair.start_ms, repair.end_ms) == (14_000 - margin, 14_400 + margin)
    fixed = repaired(request(), [repair])
    assert fixed.audio_spans_ms == ((11_000, 11_500), (14_000 - margin, 14_400 + margin))
    assert [c.redacted for c in fixed.captions] == [True, False]  # not captioned either
    assert repair.to_json(1) == {"pass": 1, "check": "speech", "kind": "date_of_birth",
                                 "start_ms": 13_600, "end_ms": 14_800}  # fmt: skip


def test_repairs_stay_inside_the_span_and_merge_with_the_bleeps_there():
    found = repairs_for(
        speech_failed(("name", 0, 300), ("phone", 900, 1_400), ("name", 19_900, 20_000)),
        request(),
        0,
    )
    assert [(r.start_ms, r.end_ms) for r in found] == [
        (10_000, 10_700),
        (10_500, 11_800),
        (29_500, 30_000),
    ]
    assert repaired(request(), found).audio_spans_ms == ((10_000, 11_800), (29_500, 30_000))


def test_a_passed_verification_or_a_check_without_a_repairer_calls_for_nothing():
    passed = Verification(Path("c.mp4"), (Check("speech", True, "ok"),), 1.0)
    assert repairs_for(passed, request(), 0) == []
    banner = Verification(Path("c.mp4"), (Check("banner", False, "a banner", [{}]),), 1.0)
    assert "banner" not in REPAIRERS and repairs_for(banner, request(), 0) == []


def test_the_reviewers_choices_are_never_repaired_away():
    failed = speech_failed(("name", 1_000, 1_300), ("phone", 5_000, 5_500))
    kept = repairs_for(failed, request(), 0, wanted=lambda r: r.kind != "name")
    assert [r.kind for r in kept] == ["phone"]
