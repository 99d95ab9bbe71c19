"""The export's progress line names where faces are looked for (the CPU or the GPU)."""

from __future__ import annotations

from bwvreview.app.clip_workflow import ClipProgress
from bwvreview.cli.clips import _describe_export
from bwvreview.media.faces import detector_device


def test_the_progress_line_names_the_face_detectors_device() -> None:
    line = _describe_export(ClipProgress("verify", 0.7, eta_s=12.2, device="CPU"))
    assert line == "export: verify  70% (faces on CPU), about 12 s left"
    assert _describe_export(ClipProgress("banner", 0.1)) == "export: banner  10%"


def test_the_detector_says_where_it_runs() -> None:
    # No GPU build of onnxruntime is installed here: the detector runs on the CPU.
    assert detector_device() == "CPU"
