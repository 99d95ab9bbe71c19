"""Which ffmpeg runs: always the bundled one, unless BWVREVIEW_FFMPEG names another on
purpose, and then only one that can make a clean clip."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from bwvreview.media import ffmpeg
from bwvreview.media.clip_export import ClipRequest, iter_export_clip
from bwvreview.media.clip_verify import VerifyOptions, iter_verify_clip
from bwvreview.media.errors import MediaError
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain


@pytest.fixture(autouse=True)
def _fresh_choice():
    """ffmpeg_info() is worked out once per process: each test here chooses again."""
    ffmpeg.ffmpeg_info.cache_clear()
    yield
    ffmpeg.ffmpeg_info.cache_clear()


def _fake_ffmpeg(folder: Path, version: str, encoders: str = "libx264 aac") -> Path:
    """A stand-in binary that answers -version, -encoders, -filters and -bsfs like ffmpeg."""
    listing = "\n".join(f" V..... {name} {name}" for name in encoders.split())
    filters = "\n".join(f" ... {name} A->A {name}" for name in ffmpeg.REQUIRED_FILTERS)
    script = folder / "ffmpeg"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "arg = sys.argv[-1]\n"
        f"if arg == '-version': print('ffmpeg version {version} Copyright (c) 2000-2024')\n"
        f"elif arg == '-encoders': print('Encoders:\\n ------\\n' + {listing!r})\n"
        f"elif arg == '-filters': print('Filters:\\n' + {filters!r})\n"
        "elif arg == '-bsfs': print('Bitstream filters:\\nfilter_units\\nnull')\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


@pytest.mark.skipif(os.name == "nt", reason="the stand-in ffmpeg is a POSIX script")
def test_an_ffmpeg_on_path_is_never_used(tmp_path, monkeypatch) -> None:
    _fake_ffmpeg(tmp_path, "4.4.2")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv(ffmpeg.OVERRIDE_ENV, raising=False)
    assert shutil.which("ffmpeg") == str(tmp_path / "ffmpeg")
    info = ffmpeg.ffmpeg_info()
    assert info.path == ffmpeg.bundled_exe() and info.source.startswith("bundled")
    assert info.path != tmp_path / "ffmpeg"


def test_a_missing_override_is_one_clear_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ffmpeg.OVERRIDE_ENV, str(tmp_path / "nowhere" / "ffmpeg"))
    with pytest.raises(MediaError, match=r"^BWVREVIEW_FFMPEG=.*: no such file$"):
        ffmpeg.ffmpeg_exe()


@pytest.mark.skipif(os.name == "nt", reason="the stand-in ffmpeg is a POSIX script")
def test_an_override_older_than_5_1_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ffmpeg.OVERRIDE_ENV, str(_fake_ffmpeg(tmp_path, "4.4.2-0ubuntu1")))
    with pytest.raises(MediaError, match="is ffmpeg 4.4.2-0ubuntu1; 5.1 or newer is needed"):
        ffmpeg.ffmpeg_exe()


@pytest.mark.skipif(os.name == "nt", reason="the stand-in ffmpeg is a POSIX script")
def test_an_override_without_x264_is_refused_naming_what_it_lacks(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ffmpeg.OVERRIDE_ENV, str(_fake_ffmpeg(tmp_path, "6.1", "aac mpeg4")))
    with pytest.raises(MediaError, match="lacks libx264: unset it"):
        ffmpeg.ffmpeg_exe()


@pytest.mark.skipif(os.name == "nt", reason="the stand-in ffmpeg is a POSIX script")
def test_a_program_that_is_not_ffmpeg_is_refused(monkeypatch) -> None:
    true = shutil.which("true")
    assert true is not None
    monkeypatch.setenv(ffmpeg.OVERRIDE_ENV, true)
    with pytest.raises(MediaError, match="is not an ffmpeg"):
        ffmpeg.ffmpeg_exe()


@pytest.mark.skipif(os.name == "nt", reason="the stand-in ffmpeg is a POSIX script")
def test_a_capable_override_is_used_and_named(tmp_path, monkeypatch) -> None:
    fake = _fake_ffmpeg(tmp_path, "7.1")
    monkeypatch.setenv(ffmpeg.OVERRIDE_ENV, str(fake))
    info = ffmpeg.ffmpeg_info()
    assert (info.path, info.version, info.source) == (fake, "7.1", "BWVREVIEW_FFMPEG")


def _system_ffmpeg() -> str:
    """A distribution's ffmpeg (CI installs Debian's 5.1): what a user's PATH may hold."""
    found = shutil.which("ffmpeg")
    if found and Path(found).resolve() != ffmpeg.bundled_exe().resolve():
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI installs a system ffmpeg (Debian's package): none is on PATH")
    pytest.skip("no system ffmpeg on PATH")


def test_a_system_ffmpeg_as_override_writes_a_clip_without_identifying_tags(
    clip_path, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv(ffmpeg.OVERRIDE_ENV, _system_ffmpeg())
    assert ffmpeg.ffmpeg_info().source == "BWVREVIEW_FFMPEG"
    out = tmp_path / "clean.mp4"
    request = ClipRequest(
        probe(clip_path), 0, 1500, out, VideoRedactionSettings(faces="none"),
        audio_spans_ms=((400, 800),),
    )  # fmt: skip
    drain(iter_export_clip(request))
    verification = drain(iter_verify_clip(out, VerifyOptions()))
    metadata = next(c for c in verification.checks if c.name == "metadata")
    assert metadata.passed, metadata.summary
    assert b"Lavc" not in out.read_bytes() and b"Lavf" not in out.read_bytes()
