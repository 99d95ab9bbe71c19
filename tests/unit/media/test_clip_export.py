"""The media half of export on small generated clips: odd inputs, failures, no half files."""

from __future__ import annotations

import threading
from pathlib import Path

import av
import pytest

from bwvreview.media import clip_export
from bwvreview.media.clip_export import ClipRequest, ExportCancelled, iter_export_clip
from bwvreview.media.clip_verify import VerifyOptions, iter_verify_clip
from bwvreview.media.errors import MediaError
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain
from tests.mediafactory import make_clip, run_ffmpeg

NO_FACES = VideoRedactionSettings(faces="none")


def _run(request: ClipRequest, cancel: threading.Event | None = None):
    return drain(iter_export_clip(request, cancel))


def _streams(path: Path) -> dict[str, object]:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        return {
            "size": (video.codec_context.width, video.codec_context.height),
            "codec": video.codec_context.name,
            "audio": [s.codec_context.name for s in container.streams.audio],
            "frames": sum(1 for _ in container.decode(video=0)),
        }


def test_a_clip_without_sound_is_picture_only_and_says_so(tmp_path: Path) -> None:
    silent = make_clip(tmp_path / "silent.mp4", seconds=2.0, audio=False)
    out = tmp_path / "out.mp4"
    result = _run(
        ClipRequest(probe(silent), 500, 1500, out, NO_FACES, audio_spans_ms=((600, 900),))
    )
    assert not result.has_audio and result.audio_spans_ms == ()
    assert _streams(out) == {"size": (160, 120), "codec": "h264", "audio": [], "frames": 25}
    verification = drain(iter_verify_clip(out, VerifyOptions()))
    speech = next(c for c in verification.checks if c.name == "speech")
    assert speech.skipped and "no sound" in speech.summary


def test_odd_dimensions_are_padded_for_h264(tmp_path: Path) -> None:
    odd = make_clip(tmp_path / "odd.mp4", seconds=1.0, size="161x121",
                    extra=("-vf", "scale=161:121", "-pix_fmt", "yuv444p"))  # fmt: skip
    out = tmp_path / "out.mp4"
    _run(ClipRequest(probe(odd), 0, 1000, out, NO_FACES))
    assert _streams(out)["size"] == (162, 122)


def test_a_rotated_source_comes_out_upright(tmp_path: Path) -> None:
    plain = make_clip(tmp_path / "plain.mp4", seconds=1.0, size="160x120")
    rotated = tmp_path / "rotated.mp4"
    run_ffmpeg("-display_rotation", "90", "-i", str(plain), "-c", "copy", str(rotated))
    out = tmp_path / "out.mp4"
    _run(ClipRequest(probe(rotated), 0, 1000, out, NO_FACES))
    assert _streams(out)["size"] == (120, 160)
    assert probe(out).rotation == 0


def test_cancel_leaves_no_file_of_any_name(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "long.mp4", seconds=8.0, size="320x240")
    folder = tmp_path / "out"
    folder.mkdir()
    cancel = threading.Event()
    steps = iter_export_clip(
        ClipRequest(probe(source), 0, 8000, folder / "c.mp4", NO_FACES), cancel
    )
    with pytest.raises(ExportCancelled):
        for step in steps:
            if step.fraction > 0.3:
                cancel.set()
    assert list(folder.iterdir()) == []


def test_an_encoder_failure_is_bad_input_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    source = make_clip(tmp_path / "c.mp4", seconds=1.0)
    folder = tmp_path / "out"
    folder.mkdir()
    real = clip_export.audio_filter
    monkeypatch.setattr(clip_export, "audio_filter", lambda plan: real(plan) + ";[nope]bogus[x]")
    with pytest.raises(MediaError, match="encoder"):
        _run(ClipRequest(probe(source), 0, 1000, folder / "c.mp4", NO_FACES))
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 500, "before the recording"),
        (500, 500, "not after"),
        (0, 9000, "after the recording ends"),
    ],
)
def test_spans_are_checked_before_anything_is_written(tmp_path, start, end, message) -> None:
    source = make_clip(tmp_path / "c.mp4", seconds=1.0)
    with pytest.raises(MediaError, match=message):
        _run(ClipRequest(probe(source), start, end, tmp_path / "o.mp4", NO_FACES))
    assert not (tmp_path / "o.mp4").exists()


def test_destinations_are_checked(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="ending in .mp4"):
        clip_export.check_destination(tmp_path / "clip.mov")
    with pytest.raises(MediaError, match="does not exist"):
        clip_export.check_destination(tmp_path / "missing" / "c.mp4")
