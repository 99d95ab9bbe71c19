import datetime as dt

import pytest

from bwvreview.media.errors import MediaError
from bwvreview.media.probe import probe
from tests.mediafactory import make_clip, run_ffmpeg


def test_probe_reads_the_basic_facts(clip_path):
    info = probe(clip_path)
    assert info.duration_ms == 2000
    assert info.fps == 25.0
    assert (info.width, info.height) == (160, 120)
    assert (info.video_codec, info.audio_codec, info.audio_channels) == ("h264", "aac", 1)
    assert info.rotation == 0
    assert not info.variable_frame_rate
    assert info.recorded_at is None
    assert info.size_bytes == clip_path.stat().st_size


def test_probe_reads_creation_time_and_rotation(media_dir):
    path = make_clip(media_dir / "unrotated.mp4")
    rotated = media_dir / "rotated2.mp4"
    run_ffmpeg(
        "-display_rotation",
        "90",
        "-i",
        str(path),
        "-c",
        "copy",
        "-metadata",
        "creation_time=2026-03-14T21:37:05Z",
        str(rotated),
    )
    info = probe(rotated)
    assert info.recorded_at == dt.datetime(2026, 3, 14, 21, 37, 5)
    assert info.rotation in (90, 270)


def test_probe_detects_variable_frame_rate(media_dir):
    path = make_clip(
        media_dir / "vfr.mp4",
        seconds=4,
        fps=30,
        extra=("-vf", r"select='lt(n\,30)+not(mod(n\,3))'", "-fps_mode", "vfr"),
    )
    assert probe(path).variable_frame_rate


def test_probe_reads_eight_audio_channels(media_dir):
    path = make_clip(media_dir / "eight.mp4", extra=("-ac", "8"))
    assert probe(path).audio_channels == 8


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.mp4", b"", "the file is empty"),
        ("text.mp4", b"hello, I am a text file\n" * 40, "not a video file that can be read"),
    ],
)
def test_unreadable_files_raise_media_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MediaError, match=message):
        probe(path)


def test_missing_file_raises_media_error(tmp_path):
    with pytest.raises(MediaError, match="file not found"):
        probe(tmp_path / "nothing here.mp4")


@pytest.mark.parametrize("faststart", [False, True])
def test_truncated_mp4_is_refused(media_dir, tmp_path, faststart):
    extra = ("-movflags", "+faststart") if faststart else ()
    whole = make_clip(media_dir / f"whole{faststart}.mp4", seconds=6, extra=extra)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    with pytest.raises(MediaError, match="truncated|not a video file"):
        probe(cut)


def test_truncated_matroska_is_refused(media_dir, tmp_path):
    whole = make_clip(media_dir / "whole.mkv", seconds=6)
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    assert probe(whole).duration_ms > 5000
    with pytest.raises(MediaError, match="truncated"):
        probe(cut)


def test_audio_only_is_refused(media_dir):
    path = make_clip(media_dir / "audio_only.m4a", video=False)
    with pytest.raises(MediaError, match="has no video stream"):
        probe(path)


def test_video_only_probes_without_audio(media_dir):
    info = probe(make_clip(media_dir / "silent_film.mp4", audio=False))
    assert not info.has_audio
    assert info.audio_channels == 0
