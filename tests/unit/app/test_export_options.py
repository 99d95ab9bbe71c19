"""The export span rule and the one definition of the export options (``app``)."""

from __future__ import annotations

import argparse
from dataclasses import fields
from types import SimpleNamespace

import pytest

from bwvreview.app import clip_workflow as clips
from bwvreview.app.errors import DomainError, MediaError
from bwvreview.cli.clips import add_export_arguments
from tests.unit.annotations.coded_library import DURATION_MS, annotate, open_coded


@pytest.fixture
def coded(tmp_path):
    coded = open_coded(tmp_path)
    yield coded
    coded.db.close()


def _moment(coded, start_ms: int, end_ms: int) -> tuple[SimpleNamespace, int]:
    made = annotate(coded, "note", start_ms, end_ms, coded.tip_a)
    return SimpleNamespace(db=coded.db), made.id


def test_the_span_is_the_annotations_and_a_given_end_takes_its_place(coded) -> None:
    lib, moment = _moment(coded, 10_000, 12_000)
    span = clips.export_span
    assert span(lib, coded.recording_id, annotation_id=moment) == (10_000, 12_000)
    assert span(lib, coded.recording_id, annotation_id=moment, end_ms=15_000) == (10_000, 15_000)
    assert span(lib, coded.recording_id, start_ms=1_000, end_ms=2_000) == (1_000, 2_000)
    with pytest.raises(DomainError, match="give --start and --end"):
        span(lib, coded.recording_id, start_ms=1_000)


def test_the_window_offers_at_least_a_second_or_twenty_seconds_about_the_playhead(coded) -> None:
    lib, moment = _moment(coded, 10_000, 10_200)
    span = clips.export_span
    assert span(lib, coded.recording_id, annotation_id=moment, at_least_ms=1_000) == (
        9_600, 10_600,
    )  # fmt: skip
    assert span(lib, coded.recording_id, playhead_ms=30_000) == (20_000, 40_000)
    assert span(lib, coded.recording_id, playhead_ms=3_000) == (0, 13_000)
    assert span(lib, coded.recording_id, playhead_ms=DURATION_MS) == (50_000, DURATION_MS)


def test_a_clip_cut_for_an_annotation_leads_in_and_out_within_the_recording(coded) -> None:
    lib, moment = _moment(coded, 10_000, 12_000)
    span = clips.export_span
    lead = {"lead_in_ms": clips.CLIP_LEAD_IN_MS, "lead_out_ms": clips.CLIP_LEAD_OUT_MS}
    assert span(lib, coded.recording_id, annotation_id=moment, **lead) == (7_000, 14_000)
    assert span(lib, coded.recording_id, annotation_id=moment) == (10_000, 12_000)  # the CLI
    _lib, early = _moment(coded, 1_000, 2_000)
    assert span(lib, coded.recording_id, annotation_id=early, **lead) == (0, 4_000)
    _lib, late = _moment(coded, DURATION_MS - 500, DURATION_MS)
    assert span(lib, coded.recording_id, annotation_id=late, **lead) == (
        DURATION_MS - 3_500, DURATION_MS
    )  # fmt: skip
    # a span the person typed is theirs
    assert span(lib, coded.recording_id, annotation_id=moment, start_ms=9_000, **lead) == (
        9_000, 14_000
    )  # fmt: skip


def test_padding_widens_the_span_within_the_recording() -> None:
    recording = SimpleNamespace(duration_ms=DURATION_MS)
    assert clips.span_with_padding(recording, 10_000, 12_000, 1_500) == (8_500, 13_500)
    assert clips.span_with_padding(recording, 500, 59_800, 1_000) == (0, DURATION_MS)
    with pytest.raises(MediaError):
        clips.span_with_padding(recording, 0, 1_000, clips.MAX_PADDING_MS + 1)


def test_every_option_is_defined_once_with_its_flag_and_whether_it_queues() -> None:
    assert {
        "faces", "keep_overlay", "banner_preset", "bleep", "audio_mode", "voice_disguise",
        "keep_metadata", "captions", "opening_card", "padding_ms", "annotation_id",
        "report_path", "verify",
    } == clips.QUEUEABLE  # fmt: skip
    flagged = {f.name for f in fields(clips.ExportOptions) if f.metadata["flag"]}
    assert not flagged - clips.QUEUEABLE  # every flag can be queued


def test_the_flags_give_the_default_options_and_map_back() -> None:
    for queue in (False, True):
        parser = argparse.ArgumentParser()
        add_export_arguments(parser, queue=queue)
        args = parser.parse_args(["7", "--out", "c.mp4"])
        assert clips.export_options(vars(args)) == clips.ExportOptions()
    parser = argparse.ArgumentParser()
    add_export_arguments(parser)
    args = parser.parse_args(["7", "--out", "c.mp4", "--mute", "--card", "--padding", "1.5",
                              "--faces", "box", "--report", "r.json"])  # fmt: skip
    options = clips.export_options(vars(args), kept_audible=frozenset({2}))
    assert (options.audio_mode, options.opening_card, options.padding_ms) == ("mute", True, 1500)
    assert options.faces == "box" and str(options.report_path) == "r.json"
    assert options.kept_audible == {2}
    for bad in ("nan", "-1", "601"):
        with pytest.raises(MediaError, match="--padding"):
            clips.export_options({"padding": float(bad)})
