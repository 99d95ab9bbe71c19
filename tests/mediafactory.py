"""Build small test media with the bundled ffmpeg (lavfi sources and tones)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bwvreview.media.ffmpeg import ffmpeg_exe


def run_ffmpeg(*args: str) -> None:
    cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-y", *args]
    subprocess.run(cmd, check=True)


def make_clip(
    path: Path,
    *,
    seconds: float = 2.0,
    size: str = "160x120",
    fps: int = 25,
    video: bool = True,
    audio: bool = True,
    tone_hz: int = 440,
    extra: tuple[str, ...] = (),
) -> Path:
    """Write an H.264/AAC MP4 (or audio-only / video-only) clip of ``seconds`` to ``path``."""
    args: list[str] = []
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency={tone_hz}:duration={seconds}"]
    if video:
        args += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast"]
    if audio:
        args += ["-c:a", "aac", "-b:a", "64k"]
    args += [*extra, str(path)]
    run_ffmpeg(*args)
    return path
