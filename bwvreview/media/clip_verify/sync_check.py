"""The sync check, and the decoding it rests on: the streams' declared lengths and starts, the
frames that actually decode, and whether picture and sound agree."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import av
import numpy as np

from bwvreview.media.clip_verify.verdict import Check
from bwvreview.media.frames import open_video

SYNC_TOLERANCE_MS = 50


def read_streams(path: Path) -> dict[str, Any]:
    """The clip's tags, frame rate, and each stream's declared length and start."""
    with open_video(path) as (container, video):
        audio = container.streams.audio[0] if container.streams.audio else None
        tags: dict[str, dict[str, str]] = {"format": dict(container.metadata)}
        for stream in container.streams:
            tags[f"stream {stream.index} ({stream.type})"] = dict(stream.metadata)
        return {
            "tags": tags,
            "has_audio": audio is not None,
            "fps": float(video.average_rate or 25),
            "video_ms": _stream_ms(video),
            "video_start_ms": _start_ms(video),
            "audio_ms": _stream_ms(audio) if audio is not None else None,
            "audio_start_ms": _start_ms(audio) if audio is not None else None,
        }


def _stream_ms(stream: av.stream.Stream) -> int | None:
    if stream.duration is None or stream.time_base is None:
        return None
    return round(float(stream.duration * stream.time_base) * 1000)


def _start_ms(stream: av.stream.Stream) -> int:
    if stream.start_time is None or stream.time_base is None:
        return 0
    return round(float(stream.start_time * stream.time_base) * 1000)


def sync_check(streams: dict[str, Any], frames: int, sound_ms: int | None) -> Check:
    """Lengths as declared and as decoded: a clip cut short still declares its full length."""
    video_ms, audio_ms = streams["video_ms"], streams["audio_ms"]
    if video_ms is None:
        return Check("sync", False, "the picture's length cannot be read")
    frame_ms = 1000 / streams["fps"]
    allowed = max(SYNC_TOLERANCE_MS, frame_ms)
    declared = max(1, round(video_ms / frame_ms))
    short = []
    if frames * frame_ms < video_ms - allowed:
        short.append(f"only {frames} of its {declared} frames decode")
    if sound_ms is not None and audio_ms is not None and sound_ms < audio_ms - allowed:
        short.append(f"only {sound_ms / 1000:.2f} s of its {audio_ms / 1000:.2f} s of sound decode")
    if streams["has_audio"] and sound_ms == 0:
        short.append("none of its sound decodes")
    decoded = {"frames_declared": declared, "frames_decoded": frames, "audio_decoded_ms": sound_ms}
    if short:
        summary = f"the clip is cut short or damaged: {' and '.join(short)}"
        finding = {"video_ms": video_ms, "audio_ms": audio_ms, **decoded}
        return Check("sync", False, summary, [finding])
    if not streams["has_audio"]:
        summary = f"picture only, {video_ms / 1000:.2f} s, all {frames} frames decode"
        return Check("sync", True, summary, skipped=True)
    if audio_ms is None:
        return Check("sync", False, "the sound's length cannot be read")
    length_gap = abs(video_ms - audio_ms)
    start_gap = abs(streams["video_start_ms"] - streams["audio_start_ms"])
    finding = {
        "video_ms": video_ms,
        "audio_ms": audio_ms,
        "start_gap_ms": start_gap,
        "length_gap_ms": length_gap,
        **decoded,
    }
    if length_gap > allowed or start_gap > SYNC_TOLERANCE_MS:
        summary = (
            f"picture {video_ms / 1000:.3f} s and sound {audio_ms / 1000:.3f} s differ"
            f" (starts {start_gap} ms apart)"
        )
        return Check("sync", False, summary, [finding])
    summary = f"picture and sound agree ({video_ms / 1000:.2f} s, every frame and the sound decode)"
    return Check("sync", True, summary, [finding])


# A group of pictures as read from the file: where its first frame falls in the clip, a
# digest of its packets (bytes, times and flags), and its frames' times (ms).
Group = tuple[int, bytes, tuple[int, ...]]


def iter_frames(
    path: Path,
    known: Mapping[int, Group] | None = None,
    groups: dict[int, Group] | None = None,
) -> Iterator[tuple[int, int, np.ndarray | None]]:
    """Every frame that decodes; a damaged or cut-short file simply ends early (the sync
    check counts what came out against what the file declares).

    Given ``known`` (groups of pictures of an earlier version of this clip, by the index
    of their first frame), a group whose packets are byte for byte the group at the same
    place there is not decoded: its frames come out as ``None`` with their times, and the
    caller takes what it found on them before. The same bytes decode to the same frames,
    and a group starts on a keyframe that needs nothing before it (the clip writer closes
    its groups); should the frames decoded so far not line up with the packets read, no
    group is passed over from there on. ``groups`` is given this version's groups.
    """
    with open_video(path) as (container, stream):
        codec = stream.codec_context
        base = stream.time_base
        h264 = codec.name == "h264" and codec.extradata and _avcc_sets(codec.extradata)
        extradata = codec.extradata if h264 else None
        out = 0  # frames given so far (decoded, or passed over as known)
        read = 0  # packets read into finished groups: each is one frame
        passing = known is not None

        def decoded(packet: av.Packet | None) -> Iterator[tuple[int, int, np.ndarray]]:
            nonlocal out
            for frame in stream.decode(packet):
                # The stream's time base: frames the decoder gives up at the end have none.
                at_ms = round(float(frame.pts * base) * 1000) if frame.pts is not None else 0
                yield out, at_ms, frame.to_ndarray(format="bgr24")
                out += 1

        def finish(packets: list[av.Packet]) -> Iterator[tuple[int, int, np.ndarray | None]]:
            nonlocal out, read, passing
            first, read = read, read + len(packets)
            group = None
            if groups is not None or known:  # digested only for a version before or after
                group = _group(first, packets, base, extradata)
            if groups is not None and group is not None:
                groups[first] = group
            # Passed over only when every packet has a time (else its frames cannot be
            # accounted for) and the group is the one at this place before.
            same = group is not None and len(group[2]) == len(packets)
            if passing and same and known is not None and known.get(first) == group:
                yield from decoded(None)  # what the decoder still holds, then a clean start
                codec.flush_buffers()
                if out == first:
                    for k, at_ms in enumerate(group[2]):
                        yield first + k, at_ms, None
                    out += len(packets)
                    return
                passing = False
            for packet in packets:
                yield from decoded(packet)

        packets: list[av.Packet] = []
        try:
            for packet in container.demux(stream):
                if packet.size == 0:
                    continue
                if packet.is_keyframe and packets:
                    yield from finish(packets)
                    packets = []
                packets.append(packet)
            if packets:
                yield from finish(packets)
            yield from decoded(None)
        except av.error.FFmpegError:
            return


def _group(first: int, packets: list[av.Packet], base: Any, extradata: bytes | None) -> Group:
    """The group's place, digest and frames' times. For H.264 the digest takes the picture
    data unit by unit, and the parameter sets the decoder may use (the stream's and any in
    the packets) as one set: a copy of a group cut out and joined again by FFmpeg carries
    the same sets in its first packet, and decodes to the same frames."""
    digest = hashlib.blake2b(digest_size=16)
    sets = set(_avcc_sets(extradata)) if extradata else None
    for packet in packets:
        digest.update(f"{packet.pts},{packet.dts},{int(packet.is_keyframe)};".encode())
        data = bytes(packet)
        units = _nal_units(data) if sets is not None else None
        if units is None:
            digest.update(data)
            continue
        for unit in units:
            if unit and unit[0] & 0x1F in (7, 8):  # a sequence or picture parameter set
                sets.add(unit)  # type: ignore[union-attr]
            else:
                digest.update(len(unit).to_bytes(4, "big") + unit)
    for unit in sorted(sets or ()):
        digest.update(b"set" + len(unit).to_bytes(4, "big") + unit)
    times = sorted(round(float(p.pts * base) * 1000) for p in packets if p.pts is not None)
    return first, digest.digest(), tuple(times)


def _nal_units(data: bytes) -> list[bytes] | None:
    """The NAL units of a length-prefixed (MP4) H.264 packet, or None if it is not one."""
    units, at = [], 0
    while at < len(data):
        if at + 4 > len(data):
            return None
        size = int.from_bytes(data[at : at + 4], "big")
        if size == 0 or at + 4 + size > len(data):
            return None
        units.append(data[at + 4 : at + 4 + size])
        at += 4 + size
    return units


def _avcc_sets(extradata: bytes) -> list[bytes]:
    """The parameter sets in an H.264 stream's avcC record (none if it is not one, or its
    NAL units are not 4-byte length-prefixed: then packets are digested whole)."""
    if len(extradata) < 7 or extradata[0] != 1 or extradata[4] & 0x03 != 3:
        return []
    sets, at = [], 5
    for count_mask in (0x1F, 0xFF):
        if at >= len(extradata):
            return []
        count = extradata[at] & count_mask
        at += 1
        for _ in range(count):
            size = int.from_bytes(extradata[at : at + 2], "big")
            sets.append(extradata[at + 2 : at + 2 + size])
            at += 2 + size
    return sets


def frame_total(path: Path) -> int:
    """How many frames the clip declares (from its length and rate when it does not say)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.frames:
            return int(stream.frames)
        seconds = float(container.duration or 0) / av.time_base
        return max(1, round(seconds * float(stream.average_rate or 25)))
