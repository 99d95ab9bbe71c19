"""Verification's face check: a face shown fails; a detection inside a mask does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bwvreview.bundled import resource_path
from bwvreview.media.clip_export import ClipRequest, iter_export_clip
from bwvreview.media.clip_verify import Check, VerifyOptions
from bwvreview.media.clip_verify.face_check import faces_check
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain

DEMO = resource_path("demo", "demo_incident.mp4")


@pytest.fixture(scope="module")
def face_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One second of the demo with its face left visible (20-21 s: the face is large)."""
    out = tmp_path_factory.mktemp("verify") / "face.mp4"
    request = ClipRequest(probe(DEMO), 20_000, 21_000, out, VideoRedactionSettings(faces="none"))
    drain(iter_export_clip(request))
    return out


def _truth_box() -> tuple[float, float, float, float]:
    facts = json.loads(resource_path("demo", "demo_incident.json").read_text("utf-8"))
    x, y, w, h = next(p["box"] for p in facts["faces"]["track"] if p["t"] == 20.5)
    return (x - 0.3 * w, y - 0.4 * h, x + 1.3 * w, y + 1.3 * h)


def _faces(clip: Path, options: VerifyOptions) -> Check:
    return drain(faces_check(clip, options, None))


def test_a_visible_face_fails(face_clip: Path) -> None:
    check = _faces(face_clip, VerifyOptions())
    assert not check.passed
    assert len({f["frame"] for f in check.findings}) >= 20


def test_detections_inside_masked_areas_are_not_faces_shown(face_clip: Path) -> None:
    masked = tuple((frame, _truth_box()) for frame in range(25))
    check = _faces(face_clip, VerifyOptions(faces_masked=masked))
    assert check.passed and "inside masked areas" in check.summary


def test_a_mask_elsewhere_does_not_excuse_a_face(face_clip: Path) -> None:
    masked = tuple((frame, (0.0, 0.0, 60.0, 60.0)) for frame in range(25))
    assert not _faces(face_clip, VerifyOptions(faces_masked=masked)).passed
