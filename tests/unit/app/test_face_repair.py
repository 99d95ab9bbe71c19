"""Verify, then repair, for faces (app/clip_repair.face_repairs and the loop): a face the
first pass misses by construction (its detector made blind for the test) is found by the
verifier, masked in a second pass that reuses the first's detections, and the clip then
passes; the report lists the repair in the recording's time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwvreview.app.clip_repair import face_repairs, iter_repair, repairs_for
from bwvreview.bundled import resource_path
from bwvreview.media.banner import detect_banner
from bwvreview.media.clip_export import ClipRequest, iter_export_clip
from bwvreview.media.clip_verify import (
    Check,
    SeenFrames,
    Verification,
    VerifyOptions,
    iter_verify_clip,
)
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain
from tests.unit.media.test_faces import demo_frames

DEMO = resource_path("demo", "demo_incident.mp4")


def blind() -> VideoRedactionSettings:
    """A face detector that sees nothing (no score reaches 0.99, no closer look for small
    faces); the demo's banner redacted as the export would."""
    banner = detect_banner(list(demo_frames(range(500, 530, 3)).values()))
    return VideoRedactionSettings(
        threshold=0.99, candidate_threshold=0.99, small_face_every=0, banner=banner
    )


def faces(verification) -> Check:
    return next(c for c in verification.checks if c.name == "faces")


@pytest.fixture(scope="module")
def repaired_export(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("face_repair")
    partial = folder / ".clip.partial.mp4"
    # 20.0-21.5 s of the demo: the face is large and in every frame, and nothing personal
    # is said (the officer: "Take your time. Would you rather ...").
    out = folder / "clip.mp4"
    request = ClipRequest(probe(DEMO), 20_000, 21_500, out, blind(), partial=partial)
    first = drain(iter_export_clip(request))
    expect = VerifyOptions(faces_expected=first.kept_faces, faces_masked=first.masked_faces)
    seen = SeenFrames()
    before = drain(iter_verify_clip(partial, expect, None, seen))
    repairs: list[dict] = []
    result, after, _ = drain(
        iter_repair(request, first, (before, expect), partial, lambda r: True, repairs,
                    (None, None), seen)
    )  # fmt: skip
    return request, first, before, result, after, repairs


def test_the_first_pass_missed_the_face_and_verification_found_it(repaired_export) -> None:
    _, first, before, _, _, _ = repaired_export
    assert first.masked_faces == ()
    assert not faces(before).passed
    assert len({f["frame"] for f in faces(before).findings}) >= 20


def test_the_repaired_clip_passes_and_the_report_says_what_was_repaired(repaired_export) -> None:
    request, _, before, result, after, repairs = repaired_export
    assert faces(after).passed, faces(after).summary
    assert after.passed, [c.summary for c in after.checks if not c.passed]
    assert repairs and {(r["check"], r["kind"], r["pass"]) for r in repairs} == {
        ("faces", "face", 1)
    }
    # In the recording's time, within the span, covering the frames where the face was.
    assert all(request.start_ms <= r["start_ms"] < r["end_ms"] <= request.end_ms for r in repairs)
    found = {f["frame"] for f in faces(before).findings}
    assert result.video["repaired_faces"]["frames_masked"] >= len(found)
    assert len(result.masked_faces) >= len(found)


def test_the_second_pass_reused_the_first_passs_detections(repaired_export) -> None:
    _, first, _, result, _, _ = repaired_export
    assert len(result.face_detections) == len(first.face_detections)
    assert all(a is b for (a, _), (b, _) in zip(first.face_detections, result.face_detections,
                                                  strict=True))  # fmt: skip


def test_face_findings_become_repairs_in_the_recordings_time() -> None:
    check = Check("faces", False, "a face was found in 2 of 50 frames", [
        {"frame": 80, "time_ms": 3200, "box": [10, 20, 50, 70], "score": 0.4},
        {"frame": 81, "time_ms": 3240, "box": [12, 20, 52, 70], "score": 0.4},
        {"frame": 10, "time_ms": 400, "box": [0, 0, 9, 9], "score": 0.5},  # on the card
    ])  # fmt: skip
    request = ClipRequest(probe(DEMO), 10_000, 20_000, Path("clip.mp4"))
    (repair,) = face_repairs(check, request, card_ms=3000)  # a 3 s card: 75 frames
    assert (repair.check, repair.kind) == ("faces", "face")
    assert (repair.start_ms, repair.end_ms) == (10_200, 10_280)
    fixed = repair.apply(request)
    assert fixed.video.found_faces == ((5, (10.0, 20.0, 50.0, 70.0)), (6, (12.0, 20.0, 52.0, 70.0)))
    passed = Check("faces", True, "no face found")
    assert repairs_for(Verification(Path("clip.mp4"), (passed,), 1.0), request, 0) == []
