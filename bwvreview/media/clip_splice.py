"""A repaired clip written by encoding again only the groups of frames the repair changed.

The clip is written in closed groups of frames (``clip_writer``: two seconds each, each
starting on a keyframe and referring to no frame outside it). A repair of faces changes the
picture only around the faces verification found, and the sound not at all. So the earlier
clip is cut into its groups without decoding (FFmpeg's segment muxer, stream copy), the
groups the repair touches are encoded again from the repaired frames with the clip's own
settings (one after another by one encoder, whose keyframes fall on their first frames, and
cut the same way), and the groups are joined again with the earlier clip's sound (FFmpeg's
concat demuxer, stream copy). The groups not touched are the same bytes, so they decode to
the same frames and the face check does not scan them again (``SeenFrames``).

Which groups a repair touches is known before any frame is masked: a face verification
found on frame ``f`` is masked from ``reach`` frames before it to ``reach`` after (the
repair tracker's pre-roll, hold and gap filling), and only faces new since the earlier clip
count (``SpliceSource.found``: the faces an earlier repair found are masked in it already).
A frame outside those groups whose masks differ from the earlier clip's raises
``SpliceMiss`` and the caller writes the whole clip again instead; so does any failure of
FFmpeg here. Everything is written in a hidden folder beside the clip (``work_folder``),
which the export's journal removes after a crash.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from bwvreview.media.clip_writer import (
    ClipWriter,
    EncodeSettings,
    group_size,
    metadata_args,
    publish_new,
)
from bwvreview.media.errors import MediaError
from bwvreview.media.ffmpeg import ffmpeg_exe

Box = tuple[float, float, float, float]
FrameBoxes = tuple[tuple[int, Box], ...]  # (clip frame index, box), as ``ExportResult`` has


@dataclass(frozen=True)
class SpliceSource:
    """The clip a repair of faces is spliced from: its file, the faces verification found
    that are masked in it already, and the masks drawn on each of its frames."""

    path: Path
    found: FrameBoxes = ()  # ``VideoRedactionSettings.found_faces`` it was written with
    masked: FrameBoxes = ()  # its ``ExportResult.masked_faces``


class SpliceMiss(MediaError):
    """A repaired frame fell in a group that was to be copied: write the whole clip."""


def work_folder(partial: Path) -> Path:
    """The hidden folder a splice of the clip written to ``partial`` works in."""
    return partial.with_name(f"{partial.name}.splice")


def touched_groups(found: Iterable[int], reach: int, gop: int, total: int) -> set[int]:
    """The groups holding any frame within ``reach`` of a ``found`` frame (stream indices)."""
    groups: set[int] = set()
    for frame in found:
        first, last = max(0, frame - reach), min(total - 1, frame + reach)
        groups.update(range(first // gop, last // gop + 1))
    return groups


class SpliceWriter:
    """``ClipWriter``'s interface for a repair: frames of the ``groups`` to encode again go
    to one encoder; the others are skipped (``write`` is told each frame's masks, and
    refuses a frame outside ``groups`` masked differently from ``previous``); ``finish``
    joins the groups."""

    def __init__(
        self,
        settings: EncodeSettings,
        destination: Path,
        partial: Path | None,
        previous: SpliceSource,
        groups: set[int],
    ) -> None:
        self.settings = settings
        self.destination = destination
        self.publish = partial is None
        self.partial = partial or destination.with_name(f".{destination.stem}.splice.mp4")
        self.previous = previous.path
        self.groups = groups
        self.gop = group_size(settings)
        self.work = work_folder(self.partial)
        self.work.mkdir(exist_ok=True)
        self._masked_before: dict[int, list[Box]] = {}
        for index, box in previous.masked:
            self._masked_before.setdefault(index, []).append(box)
        self._index = 0
        self._writer: ClipWriter | None = None
        self._encoded: list[int] = []  # in the order the encoder had them

    def write(self, frame: np.ndarray, masks: tuple[Box, ...] = ()) -> None:
        index, group = self._index, self._index // self.gop
        self._index += 1
        if group not in self.groups:
            if sorted(masks) != sorted(self._masked_before.get(index, ())):
                self.abort()
                raise SpliceMiss(
                    f"frame {index} is masked differently from the clip before, outside"
                    " the groups planned"
                )
            return
        if self._writer is None:
            path = self.work / "new.mp4"
            self._writer = ClipWriter(dataclasses.replace(self.settings, audio_source=None),
                                      path, path)  # fmt: skip
        if not self._encoded or self._encoded[-1] != group:
            self._encoded.append(group)
        self._writer.write(frame)

    def finish(self) -> Path:
        """Join the groups into the clip (see the module); publish it unless ``partial``."""
        try:
            total = self._index
            if self._writer is not None:
                self._writer.finish()
                self._writer = None
                self._cut(self.work / "new.mp4", len(self._encoded), "new")
            self._cut(self.previous, self.group_count, "seg")
            rank = {group: k for k, group in enumerate(self._encoded)}
            parts = [
                f"new_{rank[g]:05d}.mp4" if g in rank else f"seg_{g:05d}.mp4"
                for g in range(self.group_count)
            ]
            (self.work / "groups.txt").write_text(
                "".join(f"file '{name}'\n" for name in parts), encoding="utf-8"
            )
            self._join(total)
        except BaseException:
            self.abort()
            raise
        shutil.rmtree(self.work, ignore_errors=True)
        if not self.publish:
            return self.partial
        publish_new(self.partial, self.destination)
        return self.destination

    def abort(self) -> None:
        """Stop and remove everything written here; safe to call more than once."""
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
        shutil.rmtree(self.work, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()

    @property
    def groups_encoded(self) -> int:
        return len(self._encoded)

    @property
    def group_count(self) -> int:
        """Groups in the clip written so far (the last may be short)."""
        return -(-self._index // self.gop)

    def _cut(self, clip: Path, groups: int, prefix: str) -> None:
        """``clip``'s first ``groups`` groups of frames, each its own file ``prefix_NNNNN``."""
        bounds = ",".join(str(g * self.gop) for g in range(1, groups))
        cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-nostats"]
        cmd += ["-i", str(clip), "-map", "0:v", "-c", "copy", "-f", "segment"]
        cmd += ["-segment_frames", bounds] if bounds else []
        cmd += ["-reset_timestamps", "1", str(self.work / f"{prefix}_%05d.mp4")]
        _run(cmd, f"cutting {clip.name} into its groups")
        if len(list(self.work.glob(f"{prefix}_*.mp4"))) != groups:
            raise SpliceMiss(f"{clip.name} did not cut into its {groups} groups")

    def _join(self, total: int) -> None:
        cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-nostats"]
        cmd += ["-f", "concat", "-safe", "0", "-i", str(self.work / "groups.txt")]
        if self.settings.audio_source is not None:
            cmd += ["-i", str(self.previous), "-map", "0:v", "-map", "1:a"]
        else:
            cmd += ["-map", "0:v"]
        cmd += ["-c", "copy", *metadata_args(self.settings, encoding=False)]
        cmd += ["-movflags", "+faststart", "-f", "mp4", "-y", str(self.partial)]
        _run(cmd, "joining the groups")
        with av.open(str(self.partial)) as container:
            frames = container.streams.video[0].frames
        if frames != total:
            raise SpliceMiss(f"the joined clip has {frames} frames, not {total}")


def _run(cmd: list[str], doing: str) -> None:
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpliceMiss(f"{doing} failed: {said[-1] if said else done.returncode}")
