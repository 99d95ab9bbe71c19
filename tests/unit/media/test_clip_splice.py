"""A repair of faces encodes again only the groups of frames it touches (``clip_splice``):
the rest of the clip is the same bytes, it decodes to the same frames, the sound and the
clip's neutral tags are kept, a second pass encodes only around the faces new to it, and a
frame masked differently outside the planned groups, or a failure, leaves nothing behind."""

from __future__ import annotations

import dataclasses
import zlib
from pathlib import Path

import av
import numpy as np
import pytest

from bwvreview.app.clip_outputs import remove
from bwvreview.bundled import resource_path
from bwvreview.media.clip_export import ClipRequest, iter_export_clip
from bwvreview.media.clip_splice import (
    SpliceMiss,
    SpliceSource,
    SpliceWriter,
    touched_groups,
    work_folder,
)
from bwvreview.media.clip_verify import VerifyOptions, iter_verify_clip
from bwvreview.media.clip_writer import EncodeSettings
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain

DEMO = resource_path("demo", "demo_incident.mp4")
BOX = (200.0, 60.0, 320.0, 200.0)


def _checksums(clip: Path) -> list[int]:
    with av.open(str(clip)) as container:
        return [zlib.crc32(f.to_ndarray(format="bgr24").data) for f in container.decode(video=0)]


def _repaired(folder: Path, before: SpliceSource | None, found: tuple, name: str, detected=None):
    """20-26 s of the demo (150 frames, three closed groups of 50) with the faces ``found``
    masked, spliced from ``before`` if given, reusing the face detector's findings
    ``detected`` as a repair pass does; the clip is kept under ``name``."""
    video = VideoRedactionSettings(found_faces=found)
    request = ClipRequest(probe(DEMO), 20_000, 26_000, folder / "clip.mp4", video,
                          partial=folder / ".clip.partial.mp4", face_detections=detected,
                          splice_from=before)  # fmt: skip
    result = drain(iter_export_clip(request))
    kept = result.path.rename(folder / name)
    return dataclasses.replace(result, path=kept)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory):
    """The clip as first written: nothing found by verification yet."""
    folder = tmp_path_factory.mktemp("splice")
    return _repaired(folder, None, (), "previous.mp4")


@pytest.fixture(scope="module")
def spliced(first):
    # A face "found" on frame 75 only: masked 13 frames either side, all in group 1.
    before = SpliceSource(first.path, (), first.masked_faces)
    found = ((75, BOX),)
    return first.path, _repaired(first.path.parent, before, found, "one.mp4", first.face_detections)


def test_only_the_touched_group_is_encoded_again(spliced) -> None:
    previous, result = spliced
    info = result.video["repaired_faces"]
    assert (info["groups_written_again"], info["groups_in_clip"]) == (1, 3)
    before, after = _checksums(previous), _checksums(result.path)
    assert len(after) == len(before) == 150
    differ = [i for i in range(150) if before[i] != after[i]]
    assert differ and set(differ) <= set(range(50, 100)), differ
    assert before[:50] == after[:50] and before[100:] == after[100:]


def test_the_spliced_clip_keeps_its_sound_and_neutral_tags(spliced) -> None:
    _, result = spliced
    verification = drain(iter_verify_clip(result.path, VerifyOptions(skip_before_ms=0)))
    checks = {c.name: c for c in verification.checks}
    assert checks["metadata"].passed, checks["metadata"].summary
    assert checks["sync"].passed, checks["sync"].summary  # every frame and the sound decode
    assert not work_folder(result.path).exists()


def test_groups_reach_either_side_of_each_face_found() -> None:
    assert touched_groups([75], 13, 50, 150) == {1}
    assert touched_groups([40, 149], 13, 50, 150) == {0, 1, 2}
    assert touched_groups([], 13, 50, 150) == set()


def test_two_groups_apart_are_encoded_again_by_one_encoder_and_the_rest_copied(first) -> None:
    # Faces on frames 20 and 130: groups 0 and 2 written again, group 1 copied between them.
    before = SpliceSource(first.path, (), first.masked_faces)
    found = ((20, BOX), (130, BOX))
    result = _repaired(first.path.parent, before, found, "two.mp4", first.face_detections)
    assert result.video["repaired_faces"]["groups_written_again"] == 2
    was, now = _checksums(first.path), _checksums(result.path)
    assert len(now) == 150 and was[50:100] == now[50:100]
    assert was[:50] != now[:50] and was[100:] != now[100:]
    whole = _repaired(first.path.parent, None, found, "two_whole.mp4")
    assert result.masked_faces == whole.masked_faces  # the masks a whole clip would have


def test_a_second_pass_encodes_again_only_around_the_faces_new_to_it(spliced) -> None:
    _, once = spliced
    # Pass 1 masked frame 75 (group 1); pass 2 finds one more on frame 130 (group 2).
    before = SpliceSource(once.path, ((75, BOX),), once.masked_faces)
    found = ((75, BOX), (130, BOX))
    twice = _repaired(once.path.parent, before, found, "twice.mp4", once.face_detections)
    assert twice.video["repaired_faces"]["groups_written_again"] == 1
    was, now = _checksums(once.path), _checksums(twice.path)
    assert was[:100] == now[:100] and was[100:] != now[100:]  # pass 1's mask kept as written
    whole = _repaired(once.path.parent, None, found, "twice_whole.mp4")
    assert twice.masked_faces == whole.masked_faces


def test_a_frame_masked_otherwise_outside_the_planned_groups_leaves_nothing(
    tmp_path: Path,
) -> None:
    previous = tmp_path / "previous.mp4"
    previous.write_bytes(b"not read")
    partial = tmp_path / ".clip.partial.mp4"
    before = SpliceSource(previous, (), ((60, BOX),))  # frame 60 was masked there
    writer = SpliceWriter(EncodeSettings(160, 120, 25.0, None), tmp_path / "clip.mp4", partial,
                          before, {0})  # fmt: skip
    frame = np.zeros((120, 160, 3), np.uint8)
    for _ in range(50):
        writer.write(frame, ((1.0, 2.0, 3.0, 4.0),))  # group 0: planned, any masks
    for _ in range(10):
        writer.write(frame)  # frames 50-59 of group 1: copied, no masks as before
    writer.write(frame, (BOX,))  # frame 60: the same mask as before
    with pytest.raises(SpliceMiss, match="frame 61 is masked differently"):
        writer.write(frame, (BOX,))  # frame 61 had none
    assert not work_folder(partial).exists() and not partial.exists()


def test_the_journal_removes_a_splice_folder_and_no_other_folder(tmp_path: Path) -> None:
    ours = work_folder(tmp_path / ".clip.ab12.partial.mp4")
    (ours / "x").mkdir(parents=True)
    other = tmp_path / "footage"
    other.mkdir()
    assert remove([ours, other]) == [ours]
    assert not ours.exists() and other.is_dir()


def test_a_repair_decodes_only_its_groups_and_they_are_the_frames_of_the_span() -> None:
    from bwvreview.media.clip_export import _frames_for_groups
    from bwvreview.media.frames import iter_span_frames

    info = probe(DEMO)
    span = (20_000, 26_000)
    whole = list(iter_span_frames(DEMO, *span, 25.0))
    # An opening card of 10 frames: group 1 (of 50 frames) is frames 40-89 of the span.
    blank = np.zeros((360, 640, 3), np.uint8)
    parts = list(_frames_for_groups(info, span, 25.0, blank, 10, 50, {1}))
    assert len(parts) == len(whole) == 150
    for k, frame in enumerate(parts):
        if 40 <= k < 90:
            assert np.array_equal(frame, whole[k]), f"frame {k} is not the span's"
        else:
            assert frame is blank, f"frame {k} was decoded though its group is copied"


def test_the_stand_in_for_frames_not_written_is_tracked_but_never_drawn_on() -> None:
    from bwvreview.media.banner import BannerRegion
    from bwvreview.media.video_redaction import VideoRedactionSettings, VideoRedactor

    blank = np.zeros((360, 640, 3), np.uint8)
    blank.flags.writeable = False  # drawing on it would raise
    face = np.array([[200, 100, 260, 170, 0.9]], np.float32)
    reuse = [(face, (0.0, 0.0))] * 30
    settings = VideoRedactionSettings(banner=BannerRegion(0, 0, 1, 0.1, "preset"))
    redactor = VideoRedactor(settings, 640, 360, 25.0, 0, reuse, blank)
    frames = [blank] * 10 + [np.full((360, 640, 3), 128, np.uint8) for _ in range(10)]
    frames += [blank] * 10
    done = [r for f in frames for r in redactor.push_detailed(f)]
    done += redactor.flush_detailed()
    assert len(done) == 30
    for r in done:
        assert r.face_boxes, f"frame {r.index}: its face is tracked and reported all the same"
        if 10 <= r.index < 20:
            assert r.image is not blank and (r.image[:36] == 0).all()  # the banner drawn
            assert r.image[100:170, 200:260].std() < 20 and r.image[200:, 400:].mean() == 128
        else:
            assert r.image is blank
    assert not blank.any()


# The verifier after a spliced repair: groups byte for byte as before are not decoded again.


def _frames(clip: Path, known=None, groups=None) -> list[tuple[int, int, np.ndarray | None]]:
    from bwvreview.media.clip_verify.sync_check import iter_frames

    return list(iter_frames(clip, known, groups))


def test_groups_with_the_same_bytes_are_passed_over_and_the_rest_decodes_the_same(
    spliced,
) -> None:
    previous, result = spliced
    earlier: dict = {}
    first = _frames(previous, groups=earlier)
    assert sorted(earlier) == [0, 50, 100] and all(f is not None for _, _, f in first)
    now: dict = {}
    again = _frames(result.path, earlier, now)
    plain = _frames(result.path)
    assert (
        [(i, t) for i, t, _ in again]
        == [(i, t) for i, t, _ in plain]
        == [(i, t) for i, t, _ in first]
    )
    for (index, _, frame), (_, _, decoded) in zip(again, plain, strict=True):
        if 50 <= index < 100:  # the group written again: decoded, and as a plain decode
            assert frame is not None and np.array_equal(frame, decoded), index
        else:
            assert frame is None, f"frame {index}: its group is the same bytes as before"
            assert np.array_equal(decoded, first[index][2]), index  # the same frame indeed
    assert now[0] == earlier[0] and now[100] == earlier[100] and now[50] != earlier[50]


def test_a_group_at_another_place_or_with_other_bytes_is_decoded(spliced) -> None:
    previous, _ = spliced
    earlier: dict = {}
    _frames(previous, groups=earlier)
    moved = {50: (50, *earlier[0][1:])}  # the first group's bytes, said to stand at frame 50
    assert all(f is not None for _, _, f in _frames(previous, moved))
    other = {0: (0, b"\0" * 16, earlier[0][2])}
    assert all(f is not None for _, _, f in _frames(previous, other))


def test_the_face_check_after_a_splice_scans_only_what_changed_and_finds_the_same(
    spliced,
) -> None:
    from bwvreview.media.clip_verify.face_check import SeenFrames, faces_check

    previous, result = spliced
    options = VerifyOptions(skip_before_ms=0)
    seen = SeenFrames()
    keep, kept_before = {10, 60, 140}, []
    drain(faces_check(previous, options, None, keep, kept_before, {}, seen))
    counts: dict = {}
    kept_after: list = []
    again = drain(faces_check(result.path, options, None, keep, kept_after, counts, seen))
    fresh_kept: list = []
    fresh = drain(faces_check(result.path, options, None, keep, fresh_kept, {}, None))
    assert counts["frames"] == 150 and counts["frames_passed_over"] == 100
    assert counts["faces_scanned"] <= 50
    assert (again.passed, again.summary, again.findings) == (
        fresh.passed, fresh.summary, fresh.findings,
    )  # fmt: skip
    assert len(kept_after) == len(fresh_kept) == 3
    for a, b in zip(kept_after, fresh_kept, strict=True):
        assert np.array_equal(a, b)


def test_a_face_check_cut_short_leaves_nothing_to_lean_on(spliced) -> None:
    import threading

    from bwvreview.media.clip_verify.face_check import SeenFrames, faces_check
    from bwvreview.media.clip_verify.verdict import VerifyCancelled

    previous, _ = spliced
    seen = SeenFrames()
    cancel = threading.Event()
    steps = faces_check(previous, VerifyOptions(skip_before_ms=0), cancel, None, None, {}, seen)
    next(steps)
    next(steps)
    cancel.set()
    with pytest.raises(VerifyCancelled):
        drain(steps)
    assert not seen.frames and not seen.groups and not seen.kept


def _entropy_coding_mode(clip: Path) -> int:
    """The clip's picture parameter set's entropy_coding_mode_flag (0: CAVLC, 1: CABAC)."""
    from bwvreview.media.clip_verify.sync_check import _avcc_sets

    with av.open(str(clip)) as container:
        sets = _avcc_sets(container.streams.video[0].codec_context.extradata)
    pps = next(unit for unit in sets if unit[0] & 0x1F == 8)
    bits = "".join(f"{byte:08b}" for byte in pps[1:])
    at = 0
    for _ in range(2):  # pic_parameter_set_id and seq_parameter_set_id, Exp-Golomb coded
        zeros = bits.index("1", at) - at
        at += 2 * zeros + 1
    return int(bits[at])


def test_clips_are_written_with_cavlc_whole_or_spliced(spliced) -> None:
    previous, result = spliced
    assert _entropy_coding_mode(previous) == 0
    assert _entropy_coding_mode(result.path) == 0


@pytest.mark.parametrize(("keyint", "runs"), [(250, 1), (10, 2)])
def test_groups_with_no_keyframe_between_are_decoded_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyint: int, runs: int
) -> None:
    from bwvreview.media import clip_export
    from bwvreview.media.frames import iter_span_frames
    from tests.mediafactory import make_clip

    fixed = ("-g", str(keyint), "-keyint_min", str(keyint), "-sc_threshold", "0")
    source = make_clip(tmp_path / "gop.mp4", seconds=4.0, fps=25, audio=False, extra=fixed)
    whole = list(iter_span_frames(source, 0, 4000, 25.0))
    calls: list[tuple[int, int]] = []

    def counted(path, start_ms, end_ms, *rest):  # type: ignore[no-untyped-def]
        calls.append((start_ms, end_ms))
        return iter_span_frames(path, start_ms, end_ms, *rest)

    monkeypatch.setattr(clip_export, "iter_span_frames", counted)
    blank = np.zeros_like(whole[0])
    # Groups of 20 frames: 0 (frames 0-19) and 2 (40-59) written again, 1 and 3-4 copied.
    parts = list(
        clip_export._frames_for_groups(probe(source), (0, 4000), 25.0, blank, 0, 20, {0, 2})
    )
    assert len(parts) == 100 and len(calls) == runs, calls
    for k, frame in enumerate(parts):
        if k < 20 or 40 <= k < 60:
            assert np.array_equal(frame, whole[k]), f"frame {k} is not the span's"
        else:
            assert frame is blank, f"frame {k}"


def test_a_clip_that_keeps_the_sources_tags_is_spliced_too(tmp_path: Path) -> None:
    from bwvreview.media.clip_verify.sync_check import read_streams

    def export(before: SpliceSource | None, found: tuple, name: str, detected=None):
        request = ClipRequest(probe(DEMO), 20_000, 26_000, tmp_path / "clip.mp4",
                              VideoRedactionSettings(found_faces=found), keep_metadata=True,
                              partial=tmp_path / ".clip.partial.mp4", face_detections=detected,
                              splice_from=before)  # fmt: skip
        result = drain(iter_export_clip(request))
        return dataclasses.replace(result, path=result.path.rename(tmp_path / name))

    first = export(None, (), "first.mp4")
    found = ((75, BOX),)
    before = SpliceSource(first.path, (), first.masked_faces)
    spliced = export(before, found, "spliced.mp4", first.face_detections)
    whole = export(None, found, "whole.mp4")
    assert spliced.video["repaired_faces"]["groups_written_again"] == 1
    assert _checksums(spliced.path)[:50] == _checksums(first.path)[:50]
    tags = read_streams(spliced.path)["tags"]
    assert tags == read_streams(whole.path)["tags"]  # kept as a clip written whole keeps them
    verification = drain(iter_verify_clip(spliced.path, VerifyOptions(skip_before_ms=0)))
    assert {c.name: c.passed for c in verification.checks}["sync"]
