"""Encode frames and the source's sound into an MP4, written whole or not at all.

FFmpeg reads raw BGR frames on stdin and the sound straight from the source file, and
writes to a hidden temporary file beside the destination. Only a complete, closed file is
given the final name, so a cancel, a crash or a full disk never leaves half a clip where a
trainer would find it; a caller that checks the clip first (export-clip verifies it) names
the hidden file itself and publishes it later. Nothing is ever overwritten (``publish_new``).
The original is only ever opened for reading.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bwvreview.media.errors import MediaError
from bwvreview.media.ffmpeg import ffmpeg_exe

NEUTRAL_TITLE = "bwvreview learning clip"
NEUTRAL_ENCODER = "bwvreview"


@dataclass(frozen=True)
class EncodeSettings:
    width: int
    height: int
    fps: float
    audio_source: Path | None  # None: the clip has no sound
    audio_start_ms: int = 0
    audio_duration_ms: int = 0
    audio_graph: str = ""  # from ``audio_filter``: reads [1:a], writes [aout]
    keep_metadata: bool = False
    title: str = NEUTRAL_TITLE
    crf: int = 20
    preset: str = "veryfast"
    # Frames per closed group of pictures (0: two seconds' worth). Each group is encoded
    # on its own, so writing the clip again with a few frames changed (a repair) changes
    # only the groups they are in, and the rest need not be verified again.
    gop: int = 0


def temporary_path(destination: Path) -> Path:
    """A hidden name beside ``destination``, on the same disk so the final rename is atomic."""
    return destination.with_name(f".{destination.stem}.{uuid.uuid4().hex[:8]}.partial.mp4")


# A file system without hard links (FAT, exFAT, some network shares) says so with one of
# these; ``publish_new`` then falls back to a checked rename.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV}


def publish_new(partial: Path, final: Path) -> None:
    """Give a complete file its final name, never replacing a file already there.

    ``os.replace`` overwrites (and on Windows so would a replace-style rename), so on POSIX
    the file is hard-linked to its new name, which fails if the name is taken, and the
    hidden name is then removed; Windows' ``os.rename`` itself refuses a name that exists.
    Raises ``FileExistsError`` when ``final`` is taken; ``partial`` is left for the caller.
    """
    if os.name == "nt":
        os.rename(partial, final)
        return
    try:
        os.link(partial, final, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        # No hard links here: check, then rename (a name taken in between is the only risk).
        if os.path.lexists(final):
            raise FileExistsError(errno.EEXIST, "File exists", str(final)) from exc
        os.rename(partial, final)
        return
    os.unlink(partial)


def encode_command(settings: EncodeSettings, out: Path) -> list[str]:
    """The FFmpeg argument list (no shell: paths with spaces or any letters are safe)."""
    s = settings
    cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-nostats"]
    cmd += ["-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{s.width}x{s.height}"]
    cmd += ["-framerate", f"{s.fps:.6f}", "-i", "pipe:0"]
    if s.audio_source is not None:
        cmd += ["-ss", f"{s.audio_start_ms / 1000:.3f}", "-t", f"{s.audio_duration_ms / 1000:.3f}"]
        cmd += ["-vn", "-sn", "-dn", "-i", str(s.audio_source)]
        cmd += ["-filter_complex", s.audio_graph, "-map", "0:v", "-map", "[aout]"]
        cmd += ["-c:a", "aac", "-b:a", "128k"]
    else:
        cmd += ["-map", "0:v"]
    # Even dimensions for 4:2:0 chroma; H.264 High profile plays everywhere.
    cmd += ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset", s.preset]
    cmd += ["-crf", str(s.crf), "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
    gop = group_size(s)
    # CAVLC, not CABAC: the same picture (SSIM) for 10-23 % more bytes, and a clip that
    # decodes in 40 % of the CPU time at night (its noise is most of the bits), for the
    # verifier, every repair and a trainer's laptop alike (docs/decisions.md).
    cmd += ["-x264-params", f"keyint={gop}:min-keyint={gop}:scenecut=0:open-gop=0:cabac=0"]
    cmd += metadata_args(s)
    cmd += ["-f", "mp4", "-y", str(out)]
    return cmd


def group_size(settings: EncodeSettings) -> int:
    """Frames per closed group of pictures: ``settings.gop``, or two seconds' worth."""
    return settings.gop or max(1, round(2 * settings.fps))


def metadata_args(settings: EncodeSettings, encoding: bool = True) -> list[str]:
    """FFmpeg arguments for a clip's neutral tags (none when ``keep_metadata``); with
    ``encoding`` off, for a stream copy of pictures already encoded with them."""
    if settings.keep_metadata:
        return []
    # No tags from the source or the encoder: x264 writes its settings into an SEI
    # message, FFmpeg names its encoder in a stream tag (which MP4 also stores as the
    # compressor name), and the muxer writes its own version unless bit-exact.
    args = ["-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact"]
    args += ["-flags:v", "+bitexact", "-flags:a", "+bitexact"]
    # FFmpeg names the encoder unless a name is given, and before 6.0 its MP4 muxer
    # copied that name into the video's compressor-name field ("Lavc libx264"), so the
    # picture is given a neutral one; the sound's is simply dropped.
    args += ["-metadata:s:v", f"encoder={NEUTRAL_ENCODER}", "-metadata:s:a", "encoder="]
    if encoding:
        args += ["-bsf:v", "filter_units=remove_types=6"]
    return [*args, "-metadata", f"title={settings.title}"]


class ClipWriter:
    """One FFmpeg process fed frame by frame; ``finish`` publishes, ``abort`` cleans up.

    Given ``partial`` (a hidden name the caller chose and keeps track of), the writer
    writes there and ``finish`` leaves the complete file under it for the caller to check
    and publish; otherwise ``finish`` publishes it to ``destination``.
    """

    def __init__(
        self, settings: EncodeSettings, destination: Path, partial: Path | None = None
    ) -> None:
        self.settings = settings
        self.destination = destination
        self.publish = partial is None
        self.partial = partial or temporary_path(destination)
        self._stderr: deque[str] = deque(maxlen=20)
        self._proc = subprocess.Popen(
            encode_command(settings, self.partial),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _read_stderr(self) -> None:
        assert self._proc.stderr is not None
        for raw in self._proc.stderr:
            self._stderr.append(raw.decode("utf-8", "replace").rstrip())

    def write(self, frame: np.ndarray, masks: tuple[tuple[float, ...], ...] = ()) -> None:
        """Encode the next frame (its ``masks`` are for ``clip_splice``; a whole clip is
        written whatever is masked)."""
        expected = (self.settings.height, self.settings.width, 3)
        if frame.shape != expected:
            raise ValueError(f"frame of shape {frame.shape}, expected {expected}")
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(np.ascontiguousarray(frame).data)
        except (BrokenPipeError, OSError) as exc:
            self.abort()
            raise MediaError(f"the encoder stopped: {self._reason()}") from exc

    def finish(self) -> Path:
        """Close the stream, wait for FFmpeg, and publish the complete file (see the class)."""
        assert self._proc.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):
            self._proc.stdin.close()
        code = self._proc.wait()
        self._drain.join(timeout=5)
        if code != 0:
            self._remove_partial()
            raise MediaError(f"the encoder failed: {self._reason()}")
        if not self.publish:
            return self.partial
        try:
            publish_new(self.partial, self.destination)
        except FileExistsError:  # appeared while we worked: never overwrite
            self._remove_partial()
            raise MediaError(
                f"{self.destination} appeared while exporting; nothing overwritten"
            ) from None
        return self.destination

    def abort(self) -> None:
        """Stop FFmpeg and delete the partial file; safe to call more than once."""
        if self._proc.poll() is None:
            self._proc.kill()
        with contextlib.suppress(OSError, ValueError):
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        self._proc.wait()
        self._drain.join(timeout=5)
        self._remove_partial()

    def _remove_partial(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()

    def _reason(self) -> str:
        lines = [line for line in self._stderr if line]
        return lines[-1] if lines else f"exit code {self._proc.poll()}"
