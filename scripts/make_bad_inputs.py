"""Generate the bad-input corpus: malformed, hostile or merely unusual files for bwvreview.

    .venv/bin/python scripts/make_bad_inputs.py [OUT_DIR] [--long]

Writes every input into OUT_DIR (default: tests/data/bad/, which git ignores) with the
bundled ffmpeg, so nothing is downloaded. ``--long`` also writes the 10-hour silent file
(about 20 s of work, a few MB). The tests call ``make_corpus`` / ``make_long`` themselves
into pytest's cache folder, lazily, so a fresh checkout needs no manual step.

What each input must give (exit code and message) is in tests/integration/test_bad_inputs.py;
tests/data/bad/README.md lists them for people.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bwvreview.bundled import resource_path  # noqa: E402
from bwvreview.media.ffmpeg import ffmpeg_exe  # noqa: E402

DEFAULT_OUT = ROOT / "tests" / "data" / "bad"
LONG_NAME = "ten_hours_silent.mp4"
LONG_SECONDS = 10 * 3600
# Non-UTF-8 bytes in a file name (Latin-1 "é" then an invalid byte); Linux allows any bytes.
NON_UTF8_NAME = b"body cam caf\xe9 \xff.mp4"
LONG_PATH_DIRS = 6  # six folders of 200 letters: a path over 1,200 characters


# --- ffmpeg and small media ---------------------------------------------------------------


def ffmpeg(*args: str) -> None:
    cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    subprocess.run(cmd, check=True)


def _video_in(seconds: float, size: str = "160x120", rate: int = 25) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]


def _tone_in(seconds: float, layout: str = "mono") -> list[str]:
    return [
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:duration={seconds},aformat=channel_layouts={layout}",
    ]


H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "48k"]


def clip(out: Path, *extra: str, seconds: float = 2.0, faststart: bool = True) -> Path:
    """A whole, ordinary H.264/AAC clip with ``extra`` output options."""
    moov = ["-movflags", "+faststart"] if faststart else []
    ffmpeg(*_video_in(seconds), *_tone_in(seconds), *H264, *AAC, *moov, *extra, str(out))
    return out


# --- MP4 boxes, for headers that lie ------------------------------------------------------

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}


def _boxes(data: bytes | bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each box between ``start`` and ``end``, depth first."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            return
        yield kind, pos + header, pos + size
        if kind in _CONTAINERS:
            yield from _boxes(data, pos + header, pos + size)
        pos += size


def _trak(data: bytearray, handler: bytes) -> tuple[int, int]:
    """The span of the first track whose handler is ``handler`` (b"vide", b"soun")."""
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind == b"trak":
            handlers = [s for k, s, _e in _boxes(data, start, end) if k == b"hdlr"]
            if handlers and data[handlers[0] + 8 : handlers[0] + 12] == handler:
                return start, end
    raise ValueError(f"no {handler!r} track")


def _video_trak(data: bytearray) -> tuple[int, int]:
    return _trak(data, b"vide")


def _u32s(data: bytearray, at: int, count: int, stride: int = 4) -> list[int]:
    return [
        struct.unpack(">I", data[at + n * stride : at + n * stride + 4])[0] for n in range(count)
    ]


def garble_sound(source: Path, out: Path) -> Path:
    """Every sound sample overwritten with random bytes; the container and picture intact."""
    data = bytearray(source.read_bytes())
    trak = _trak(data, b"soun")
    stsz, stco, stsc = (_payload(data, box, trak) for box in (b"stsz", b"stco", b"stsc"))
    fixed, count = struct.unpack(">II", data[stsz + 4 : stsz + 12])
    sizes = _u32s(data, stsz + 12, count) if fixed == 0 else [fixed] * count
    offsets = _u32s(data, stco + 8, _u32s(data, stco + 4, 1)[0])
    runs = [_u32s(data, stsc + 8 + 12 * n, 2) for n in range(_u32s(data, stsc + 4, 1)[0])]
    rng, sample = random.Random(3), 0
    for chunk, offset in enumerate(offsets, start=1):
        per_chunk = [n for first, n in runs if first <= chunk][-1]
        for _ in range(per_chunk):
            if sample < count:
                data[offset : offset + sizes[sample]] = rng.randbytes(sizes[sample])
                offset += sizes[sample]
                sample += 1
    out.write_bytes(bytes(data))
    return out


def _payload(data: bytearray, kind: bytes, span: tuple[int, int]) -> int:
    for k, start, _end in _boxes(data, *span):
        if k == kind:
            return start
    raise ValueError(f"no {kind!r} box")


def patch_mp4(source: Path, out: Path, patch: Callable[[bytearray, tuple[int, int]], None]) -> Path:
    data = bytearray(source.read_bytes())
    patch(data, _video_trak(data))
    out.write_bytes(bytes(data))
    return out


def _huge_dimensions(data: bytearray, trak: tuple[int, int]) -> None:
    tkhd = _payload(data, b"tkhd", trak)
    at = tkhd + (88 if data[tkhd] == 1 else 76)
    data[at : at + 8] = struct.pack(">II", 65535 << 16, 65535 << 16)
    stsd = _payload(data, b"stsd", trak)
    entry = stsd + 8 + 8  # version/flags, entry count, then the avc1 box header
    data[entry + 24 : entry + 28] = struct.pack(">HH", 65535, 65535)


def _zero_timescale(data: bytearray, trak: tuple[int, int]) -> None:
    mdhd = _payload(data, b"mdhd", trak)
    at = mdhd + (20 if data[mdhd] == 1 else 12)
    data[at : at + 4] = b"\0\0\0\0"


def _zero_frame_durations(data: bytearray, trak: tuple[int, int]) -> None:
    stts = _payload(data, b"stts", trak)
    count = struct.unpack(">I", data[stts + 4 : stts + 8])[0]
    for n in range(count):
        at = stts + 8 + n * 8 + 4
        data[at : at + 4] = b"\0\0\0\0"


def _huge_jpeg_dimensions(source: Path, out: Path) -> Path:
    """An MJPEG AVI whose JPEG frame headers claim 65,500 x 65,500 pixels."""
    data = bytearray(source.read_bytes())
    at = data.find(b"\xff\xc0")
    patched = 0
    while at != -1:
        data[at + 5 : at + 9] = struct.pack(">HH", 65500, 65500)  # height, width
        patched += 1
        at = data.find(b"\xff\xc0", at + 9)
    if not patched:
        raise ValueError("no JPEG frame header found")
    out.write_bytes(bytes(data))
    return out


# --- the corpus ---------------------------------------------------------------------------


def _transcript(segments: list[dict]) -> str:
    document = {"recording": "x.mp4", "segments": segments}
    return json.dumps(document, indent=1, ensure_ascii=False)


def _segment(start: object, end: object, text: str = "are you hurt") -> dict:
    return {"start": start, "end": end, "speaker": "wearer", "text": text}


def _codebook_text() -> str:
    return resource_path("codebook.yaml").read_text(encoding="utf-8")


def _cues_text() -> str:
    return resource_path("cues.yaml").read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"{old!r} is not in the bundled file any more: update the generator")
    return text.replace(old, new, 1)


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _media(folder: Path, scratch: Path) -> None:
    whole = clip(scratch / "whole.mp4", seconds=4)
    moov_at_end = clip(scratch / "moov_at_end.mp4", seconds=4, faststart=False)
    data = whole.read_bytes()
    _write(folder, "zero_bytes.mp4", b"")
    _write(folder, "truncated_moov_missing.mp4", moov_at_end.read_bytes()[: len(data) // 2])
    _write(folder, "truncated_media_missing.mp4", data[: len(data) * 7 // 10])
    _write(folder, "header_only.mp4", data[:64])
    _write(folder, "text_named.mp4", "Interview notes, not a video.\n" * 40)
    _write(folder, "random_bytes.mp4", random.Random(8).randbytes(256 * 1024))
    corrupt = bytearray(data)
    middle = len(corrupt) // 2
    corrupt[middle : middle + 4096] = random.Random(9).randbytes(4096)
    _write(folder, "corrupt_middle.mp4", bytes(corrupt))
    shutil.copyfile(whole, folder / "mp4_named.txt")
    ffmpeg(
        *_video_in(0.04),
        "-frames:v",
        "1",
        "-f",
        "image2",
        "-c:v",
        "png",
        str(folder / "png_named.mp4"),
    )
    ffmpeg(*_tone_in(2), *AAC, str(folder / "audio_only.m4a"))
    ffmpeg(*_video_in(2), *H264, str(folder / "no_audio.mp4"))
    ffmpeg(*_video_in(2), *_tone_in(2, "7.1"), *H264, *AAC, str(folder / "eight_channels.mp4"))
    ffmpeg(
        *_video_in(2),
        *_tone_in(2),
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-x265-params",
        "log-level=error",
        "-tag:v",
        "hvc1",
        *AAC,
        str(folder / "hevc.mp4"),
    )
    ffmpeg(
        "-display_rotation", "90", "-i", str(whole), "-c", "copy", str(folder / "rotated_90.mp4")
    )
    # Frames 40 ms apart, then 200 ms apart: a phone-style variable frame rate.
    ffmpeg(
        *_video_in(4),
        *_tone_in(4),
        "-vf",
        "setpts='if(lt(N,50),N*0.04,2+(N-50)*0.2)/TB'",
        "-fps_mode",
        "vfr",
        *H264,
        *AAC,
        str(folder / "variable_frame_rate.mp4"),
    )
    clip(folder / "timestamps_start_at_10h.mp4", "-output_ts_offset", "36000")
    ffmpeg(
        *_video_in(1, size="8192x4320", rate=2),
        *_tone_in(1),
        *H264,
        *AAC,
        str(folder / "huge_8k.mp4"),
    )
    patch_mp4(whole, folder / "huge_dimensions_header.mp4", _huge_dimensions)
    # Beyond the limits (16384 x 8192 took 14.4 GB at import; BWV is at most 4K and a shift):
    # a black 16K picture compresses to almost nothing, and 25 hours of a 1 fps 32 x 32 picture
    # are a minute's packets copied 1,500 times (no sound: the length is refused first).
    ffmpeg(
        "-f", "lavfi", "-i", "color=black:size=16384x8192:rate=2:duration=1", *_tone_in(1),
        *H264, "-threads", "1", *AAC, str(folder / "huge_16k.mp4"),
    )  # fmt: skip
    _over_24_hours(folder / "over_24_hours.mp4")
    garble_sound(whole, folder / "garbage_sound.mp4")
    mjpeg = scratch / "mjpeg.avi"
    ffmpeg(
        *_video_in(1, size="64x48", rate=5),
        *_tone_in(1),
        "-c:v",
        "mjpeg",
        "-c:a",
        "pcm_s16le",
        str(mjpeg),
    )
    _huge_jpeg_dimensions(mjpeg, folder / "huge_jpeg_dimensions.avi")
    patch_mp4(whole, folder / "zero_timescale.mp4", _zero_timescale)
    patch_mp4(whole, folder / "zero_frame_durations.mp4", _zero_frame_durations)
    (folder / "folder_named.mp4").mkdir(exist_ok=True)
    link = folder / "dangling_link.mp4"
    loop = folder / "link_loop.mp4"
    for path in (link, loop):
        if path.is_symlink():
            path.unlink()
    if hasattr(os, "symlink"):
        with contextlib.suppress(OSError):
            link.symlink_to(folder / "no such file.mp4")
            loop.symlink_to(loop.name)
    if hasattr(os, "mkfifo") and not (folder / "named_pipe.mp4").exists():
        os.mkfifo(folder / "named_pipe.mp4")
    # Names and paths: the bytes are ordinary, the way to them is not.
    if sys.platform.startswith("linux"):
        target = os.fsencode(folder) + b"/" + NON_UTF8_NAME
        if not os.path.exists(target):
            shutil.copyfile(whole, target)
    deep = folder.joinpath(*[f"{n}" + "d" * 199 for n in range(LONG_PATH_DIRS)])
    deep.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        clip(scratch / "long.mp4", "-metadata", "title=long"), deep / ("v" * 200 + ".mp4")
    )


def _transcripts(folder: Path) -> None:
    good = [_segment(1.0, 2.5, "are you hurt"), _segment(3.0, 4.0, "I'm going to explain")]
    _write(folder, "transcript_ok_with_bom.json", "\ufeff" + _transcript(good))
    _write(folder, "transcript_bad_json.json", '{"segments": [{"start": 1.0, "end": ')
    _write(folder, "transcript_empty.json", "")
    _write(folder, "transcript_negative_times.json", _transcript([_segment(-4.0, 2.0)]))
    _write(folder, "transcript_reversed_times.json", _transcript([_segment(9.0, 2.0)]))
    _write(
        folder, "transcript_nan_times.json", _transcript([_segment(1.0, 2.0)]).replace("2.0", "NaN")
    )
    _write(folder, "transcript_not_an_object.json", "[1, 2, 3]")
    _write(
        folder,
        "transcript_words_not_a_list.json",
        _transcript([{**_segment(1.0, 2.0), "words": "are you hurt"}]),
    )
    _write(folder, "transcript_deeply_nested.json", "[" * 200_000 + "]" * 200_000)
    _write(
        folder,
        "transcript_latin1.json",
        _transcript([_segment(1.0, 2.0, "café")]).encode("latin-1"),
    )


def _codebooks(folder: Path) -> None:
    text = _codebook_text()
    _write(
        folder,
        "codebook_bad_yaml.yaml",
        _replace_once(text, "categories:", "categories: [\n  - key: {"),
    )
    _write(
        folder,
        "codebook_python_tag.yaml",
        _replace_once(
            text, "\nversion:", "\nversion: !!python/object/apply:os.system ['echo owned']\nold:"
        ),
    )
    _write(folder, "codebook_empty.yaml", "")
    _write(
        folder,
        "codebook_duplicate_key.yaml",
        _replace_once(text, "key: shaming_language", "key: triggering_language"),
    )
    _write(
        folder,
        "codebook_unknown_principle.yaml",
        _replace_once(text, "principles: [choice]", "principles: [obedience]"),
    )
    _write(
        folder,
        "codebook_latin1.yaml",
        text.replace("—", "-").encode("utf-8") + "\n# café\n".encode("latin-1"),
    )
    bomb = ["version: bomb", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}" + f",*{chr(97 + n)}" * 8 + "]"
        for n in range(8)
    ]
    bomb += ["principles: *i", "categories: *i"]
    _write(folder, "codebook_alias_bomb.yaml", "\n".join(bomb) + "\n")


def _lexicons(folder: Path) -> None:
    text = _cues_text()
    _write(folder, "cues_bad_yaml.yaml", text + "\ncategories: : :\n  - [unclosed\n")
    _write(
        folder,
        "cues_unknown_category.yaml",
        _replace_once(
            text,
            "\ncategories:\n",
            "\ncategories:\n  not_in_the_codebook:\n    prompt: x\n    cues: []\n",
        ),
    )
    _write(folder, "cues_not_a_mapping.yaml", "- just\n- a\n- list\n")


def _eaf(folder: Path) -> None:
    _write(
        folder,
        "annotations_bad_xml.eaf",
        '<?xml version="1.0" encoding="UTF-8"?>\n<ANNOTATION_DOCUMENT><HEADER>'
        '<TIER TIER_ID="trust"><ANNOTATION></TIER>\n',
    )
    lol = "".join(f'<!ENTITY l{n + 1} "' + f"&l{n};" * 10 + '">' for n in range(9))
    _write(
        folder,
        "annotations_entity_bomb.eaf",
        f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY l0 "lol">{lol}]>\n'
        "<ANNOTATION_DOCUMENT>&l9;</ANNOTATION_DOCUMENT>\n",
    )


def make_corpus(folder: Path) -> Path:
    """Write every input except the 10-hour file into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bwvbad-") as tmp:
        _media(folder, Path(tmp))
    _transcripts(folder)
    _codebooks(folder)
    _lexicons(folder)
    _eaf(folder)
    return folder


def _over_24_hours(out: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="bwv25h-") as tmp:
        piece = Path(tmp) / "minute.mp4"
        ffmpeg("-f", "lavfi", "-i", "color=black:size=32x32:rate=1:duration=60", *H264,
               "-g", "60", str(piece))  # fmt: skip
        ffmpeg("-stream_loop", "-1", "-i", str(piece), "-t", str(25 * 3600), "-c", "copy",
               "-movflags", "+faststart", str(out))  # fmt: skip
    return out


def make_long(folder: Path) -> Path:
    """The 10-hour silent recording: 10 s of black 32x32 video at 1 fps and silent audio,
    repeated by copying packets (no re-encoding), so it takes seconds and a few MB."""
    out = folder / LONG_NAME
    if out.exists():
        return out
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bwvlong-") as tmp:
        piece = Path(tmp) / "piece.mp4"
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            "color=black:size=32x32:rate=1:duration=10",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=channel_layout=mono:sample_rate=8000",
            "-t",
            "10",
            *H264,
            "-g",
            "10",
            "-c:a",
            "aac",
            "-b:a",
            "8k",
            str(piece),
        )
        partial = Path(tmp) / LONG_NAME
        ffmpeg(
            "-stream_loop",
            "-1",
            "-i",
            str(piece),
            "-t",
            str(LONG_SECONDS),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(partial),
        )
        shutil.move(partial, out)
    return out


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--long"]
    out = Path(args[0]) if args else DEFAULT_OUT
    make_corpus(out)
    if "--long" in argv:
        make_long(out)
    print(f"wrote {sum(1 for _ in out.iterdir())} inputs to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
