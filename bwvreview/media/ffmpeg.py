"""Locate the ffmpeg binary: a system ffmpeg when present, else the one imageio-ffmpeg ships."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path


@functools.cache
def ffmpeg_exe() -> Path:
    """Return the ffmpeg executable to run.

    ``BWVREVIEW_FFMPEG`` wins; then an ``ffmpeg`` on PATH; then imageio-ffmpeg's bundled
    static binary, so a machine with only Python still works.
    """
    configured = os.environ.get("BWVREVIEW_FFMPEG")
    if configured:
        return Path(configured)
    on_path = shutil.which("ffmpeg")
    if on_path:
        return Path(on_path)
    import imageio_ffmpeg

    return Path(imageio_ffmpeg.get_ffmpeg_exe())
