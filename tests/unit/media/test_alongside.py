"""A check run on a helper thread beside another: its result, its failure, and stopping it."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from pathlib import Path

import pytest

from bwvreview.bundled import resource_path
from bwvreview.media.clip_export import ClipRequest, iter_export_clip
from bwvreview.media.clip_verify import VerifyCancelled, VerifyProgress, iter_verify_clip
from bwvreview.media.clip_verify.alongside import Alongside
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain


def _steps(halt: threading.Event, n: int = 3) -> Generator[VerifyProgress, None, str]:
    for k in range(n):
        if halt.is_set():
            raise VerifyCancelled()
        time.sleep(0.05)
        yield VerifyProgress("speech", k / n)
    return "heard nothing"


def _helpers_alive() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "bwvreview-verify"]


def _wait_until_gone(limit_s: float = 10.0) -> None:
    deadline = time.monotonic() + limit_s
    while _helpers_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _helpers_alive(), "the helper thread was still running"


def test_the_result_and_the_progress_come_back() -> None:
    beside = Alongside(_steps)
    progress = []
    gen = beside.result(None)
    while True:
        try:
            progress.append(next(gen))
        except StopIteration as done:
            assert done.value == "heard nothing"
            break
    assert all(p.stage == "speech" for p in progress)
    _wait_until_gone()


def test_a_failure_on_the_helper_is_raised_to_the_caller() -> None:
    def broken(halt: threading.Event) -> Generator[VerifyProgress, None, str]:
        yield VerifyProgress("speech", 0.0)
        raise OSError("the sound could not be read")

    with pytest.raises(OSError, match="could not be read"):
        drain(Alongside(broken).result(None))


def test_stop_ends_the_work_at_its_next_step() -> None:
    beside = Alongside(lambda halt: _steps(halt, n=1000))
    beside.stop()
    with pytest.raises(VerifyCancelled):
        drain(beside.result(None))
    _wait_until_gone()


def test_the_callers_cancel_is_honoured_while_waiting() -> None:
    cancel = threading.Event()
    cancel.set()
    beside = Alongside(lambda halt: _steps(halt, n=1000))
    try:
        with pytest.raises(VerifyCancelled):
            drain(beside.result(cancel))
    finally:
        beside.stop()
    _wait_until_gone()


def test_cancelling_a_verification_stops_its_listening_too(tmp_path: Path) -> None:
    demo = resource_path("demo", "demo_incident.mp4")
    clip = tmp_path / "clip.mp4"
    request = ClipRequest(probe(demo), 20_000, 22_000, clip, VideoRedactionSettings())
    drain(iter_export_clip(request))
    cancel = threading.Event()
    steps = iter_verify_clip(clip, cancel=cancel)
    next(steps)  # the face check has started, the speech check beside it
    assert _helpers_alive(), "the speech check runs beside the face check"
    cancel.set()
    with pytest.raises(VerifyCancelled):
        drain(steps)
    _wait_until_gone(30.0)
