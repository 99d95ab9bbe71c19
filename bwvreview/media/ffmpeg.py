"""Locate the ffmpeg binary: the one imageio-ffmpeg ships, or an explicit, checked override.

bwvreview always runs the static ffmpeg inside the imageio-ffmpeg wheel, never whatever
``ffmpeg`` happens to be on PATH: a distribution's build (Debian 12 ships 5.1) lacks options
the export uses and may tag clips with its encoder's name, and a clip's anonymisation must
not depend on which other programs a laptop has installed. ``BWVREVIEW_FFMPEG`` names
another binary on purpose (a force's approved build, say); it is checked once, before any
work, for everything an export needs, and refused with one line if it falls short.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bwvreview.media.errors import MediaError

OVERRIDE_ENV = "BWVREVIEW_FFMPEG"
MINIMUM_VERSION = (5, 1)
# What an export runs: H.264 and AAC encoders, the SEI-stripping bitstream filter, and the
# filters of the sound graph (bleeps, silence, voice disguise) and the even-size pad.
REQUIRED_ENCODERS = ("libx264", "aac")
REQUIRED_BSFS = ("filter_units",)
REQUIRED_FILTERS = (
    "pad", "aresample", "aformat", "asetpts", "apad", "atrim", "asetnsamples", "asetrate",
    "atempo", "volume", "sine", "amix", "adelay", "anull",
)  # fmt: skip
_VERSION = re.compile(r"ffmpeg version\s+n?(\S+)")
_TIMEOUT_S = 30


@dataclass(frozen=True)
class FfmpegInfo:
    """Which ffmpeg runs, and why: what ``bwvreview doctor`` and the About box show."""

    path: Path
    version: str  # as the binary prints it, e.g. "7.0.2-static" or "5.1.6-0+deb12u1"
    source: str  # "bundled (imageio-ffmpeg X)" or "BWVREVIEW_FFMPEG"


def bundled_exe() -> Path:
    """The static ffmpeg inside the imageio-ffmpeg wheel."""
    import imageio_ffmpeg

    return Path(imageio_ffmpeg.get_ffmpeg_exe())


def _run(exe: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            [str(exe), "-hide_banner", *args],
            capture_output=True,
            timeout=_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise MediaError(f"{OVERRIDE_ENV}={exe} cannot be run: {exc}") from exc
    return done.stdout.decode("utf-8", "replace")


def _version_of(exe: Path) -> str:
    match = _VERSION.search(_run(exe, "-version"))
    return match.group(1) if match else "unknown"


def _numeric(version: str) -> tuple[int, ...] | None:
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _names(listing: str) -> set[str]:
    """The second column of ``-encoders`` / ``-filters`` output, or each line of ``-bsfs``."""
    names: set[str] = set()
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith(" ="):
            names.add(parts[1])
        if len(parts) == 1:
            names.add(parts[0])
    return names


def check_override(exe: Path) -> str:
    """Check that a chosen ffmpeg can make an anonymised clip; return its version.

    Raises ``MediaError`` with one line naming what is missing: a binary that is not there,
    older than 5.1, or without one of the encoders, filters or bitstream filters the export
    uses. Build-specific version strings (a git snapshot such as ``N-112233-g…``) are taken
    on trust when every capability is present.
    """
    if not exe.is_file():
        raise MediaError(f"{OVERRIDE_ENV}={exe}: no such file")
    version = _version_of(exe)
    numeric = _numeric(version)
    if numeric is not None and numeric < MINIMUM_VERSION:
        wanted = ".".join(map(str, MINIMUM_VERSION))
        raise MediaError(f"{OVERRIDE_ENV}={exe} is ffmpeg {version}; {wanted} or newer is needed")
    encoders = _names(_run(exe, "-encoders"))
    if not encoders:
        raise MediaError(f"{OVERRIDE_ENV}={exe} is not an ffmpeg (it lists no encoders)")
    missing = [name for name in REQUIRED_ENCODERS if name not in encoders]
    missing += [name for name in REQUIRED_FILTERS if name not in _names(_run(exe, "-filters"))]
    missing += [name for name in REQUIRED_BSFS if name not in _names(_run(exe, "-bsfs"))]
    if missing:
        raise MediaError(f"{OVERRIDE_ENV}={exe} lacks {', '.join(missing)}: unset it to use the "
                         "ffmpeg bundled with bwvreview")  # fmt: skip
    return version


@functools.cache
def ffmpeg_info() -> FfmpegInfo:
    """The ffmpeg every encode runs, checked once per process (see the module's note)."""
    configured = os.environ.get(OVERRIDE_ENV, "").strip()
    if configured:
        exe = Path(configured)
        return FfmpegInfo(exe, check_override(exe), OVERRIDE_ENV)
    import imageio_ffmpeg

    exe = bundled_exe()
    source = f"bundled (imageio-ffmpeg {imageio_ffmpeg.__version__})"
    return FfmpegInfo(exe, _version_of(exe), source)


def ffmpeg_exe() -> Path:
    """The path of the ffmpeg to run (raises ``MediaError`` for an unusable override)."""
    return ffmpeg_info().path
