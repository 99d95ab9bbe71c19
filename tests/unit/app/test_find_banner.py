"""The export's banner search samples where frames are cheap to decode and still finds the
demo's banner, whatever the source's keyframe spacing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bwvreview.annotations.records import Recording
from bwvreview.app.clip_plan import find_banner
from bwvreview.bundled import resource_path
from bwvreview.media.probe import probe
from tests.mediafactory import run_ffmpeg

DEMO = resource_path("demo", "demo_incident.mp4")


def _recording(path: Path) -> Recording:
    info = probe(path)
    return Recording(
        id=1, path=str(path), sha256="", size_bytes=path.stat().st_size,
        duration_ms=info.duration_ms, container="mp4", fps=info.fps, variable_frame_rate=False,
        width=info.width, height=info.height, rotation=0, video_codec="h264", audio_codec=None,
        audio_channels=0, has_audio=False, recorded_at=None,
        imported_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), status="ready",
        incident_reference=None, officers=(),
    )  # fmt: skip


@pytest.fixture(scope="module")
def long_gop(tmp_path_factory: pytest.TempPathFactory) -> Recording:
    """The demo's first 20 s with a keyframe every 10 s, as a camera set for small files
    (or x264's default) writes them."""
    out = tmp_path_factory.mktemp("gop") / "long_gop.mp4"
    run_ffmpeg("-i", str(DEMO), "-t", "20", "-an", "-c:v", "libx264", "-preset", "ultrafast",
               "-g", "250", "-sc_threshold", "0", str(out))  # fmt: skip
    return _recording(out)


@pytest.mark.parametrize("span", [(0, 20_000), (0, 4000), (2000, 12_000), (9000, 19_000)])
def test_the_banner_is_found_with_keyframes_ten_seconds_apart(long_gop: Recording, span) -> None:
    region = find_banner(long_gop, *span)
    assert region is not None and region.source == "detected"
    assert (region.y0, region.y1) == (0.0, pytest.approx(24 / 360, abs=0.01))


def test_the_banner_is_found_with_keyframes_two_seconds_apart() -> None:
    demo = _recording(Path(DEMO))
    region = find_banner(demo, 0, demo.duration_ms)
    assert region is not None and region.y1 == pytest.approx(24 / 360, abs=0.01)


def test_a_span_past_the_recording_end_samples_its_last_frame(long_gop: Recording) -> None:
    shorter = dataclasses.replace(long_gop, duration_ms=15_000)
    assert find_banner(shorter, 10_000, 30_000) is not None
