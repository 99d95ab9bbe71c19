"""Originals are sacred: the whole workflow leaves the footage's bytes, times and folder as
they were.

A copy of the committed speech clip (real voices) goes through import, transcribe, suggest,
the waveform the workspace draws, annotate, export-clip (taking its span and card from the
annotation) and verify-clip, through the command line where there is a command. Then the
original's SHA-256, size and every stat field that reading cannot change (mode, inode,
device, links, owner, mtime and ctime; not atime, which reading may update) are compared,
and its folder must hold nothing new: no sidecar, cache, lock or temporary file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.cli import main
from bwvreview.steps import drain

pytestmark = pytest.mark.slow

SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech_two_voices.mp4"
STAT_FIELDS = ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size",
               "st_mtime_ns", "st_ctime_ns")  # fmt: skip


def fingerprint(path: Path) -> dict[str, object]:
    stat = path.stat()
    facts: dict[str, object] = {field: getattr(stat, field) for field in STAT_FIELDS}
    facts["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return facts


def folder_listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out


def test_the_whole_workflow_leaves_the_original_untouched(capsys, tmp_path, _isolated_data):
    evidence = tmp_path / "evidence store"
    evidence.mkdir()
    original = evidence / "BWV 2026-11-23 incident.mp4"
    shutil.copyfile(SPEECH, original)
    os.utime(original, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before, listing = fingerprint(original), folder_listing(evidence)
    clips = tmp_path / "clips"
    clips.mkdir()

    code, out = run(capsys, "import", str(original), "--incident", "INC-9", "--json")
    assert code == 0
    recording = json.loads(out)["id"]
    code, out = run(capsys, "transcribe", str(original), "--json")
    assert code == 0 and json.loads(out)["segments"]
    code, out = run(capsys, "suggest", str(recording), "--json")
    assert code == 0
    suggested = json.loads(out)["suggestions"]

    lib = app.open_library()
    try:
        drain(app.iter_waveform(lib, app.library.get_recording(lib.db, recording)))
        start_ms, end_ms = (
            (round(suggested[0]["start"] * 1000), round(suggested[0]["end"] * 1000))
            if suggested
            else (1_000, 4_000)
        )
        annotation = review.create_annotation(
            lib.db, recording_id=recording, codebook_id=lib.codebook_id,
            category_key="safety_check", start_ms=start_ms, end_ms=max(end_ms, start_ms + 2_000),
            actor=lib.actor, note="Asked about injuries early.", status="final",
        )  # fmt: skip
    finally:
        lib.close()

    clip = clips / "learning clip.mp4"
    code, _ = run(capsys, "export-clip", str(original), "--annotation", str(annotation.id),
                  "--padding", "1", "--card", "--captions", "--out", str(clip))  # fmt: skip
    assert code == 0 and clip.is_file()
    code, out = run(capsys, "verify-clip", str(clip), "--json")
    assert code == 0 and json.loads(out)["verdict"] == "pass"

    assert fingerprint(original) == before
    assert folder_listing(evidence) == listing == [original.name]


@pytest.mark.parametrize("aimed_at", ["--out", "--report"])
def test_an_export_aimed_at_the_original_is_refused(capsys, tmp_path, _isolated_data, aimed_at):
    original = tmp_path / "evidence" / "BWV.mp4"
    original.parent.mkdir()
    shutil.copyfile(SPEECH, original)
    code, out = run(capsys, "import", str(original), "--json")
    assert code == 0
    before, listing = fingerprint(original), folder_listing(original.parent)
    elsewhere = str(tmp_path / ("clip.mp4" if aimed_at == "--report" else "report.json"))
    paths = {"--out": str(original), "--report": str(original)}
    paths["--report" if aimed_at == "--out" else "--out"] = elsewhere
    code = main(["export-clip", str(json.loads(out)["id"]), "--start", "1", "--end", "3",
                 "--out", paths["--out"], "--report", paths["--report"]])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 3 and "already exists" in err and err.count("\n") == 1
    assert fingerprint(original) == before
    assert folder_listing(original.parent) == listing
