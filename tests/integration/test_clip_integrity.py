"""Issue 15 items 3 and 7: export-clip never overwrites, a clip is verified before it has
its name, verify-clip counts what decodes and tells a trainer kinds, never values, and
transcription refuses footage changed since import. Each test failed on the code before.

Small generated footage keeps these quick: a 2 s test pattern with a tone.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.annotations.learning import clips as clip_service
from bwvreview.annotations.review import transcripts
from bwvreview.cli import main
from bwvreview.media.errors import MediaError
from tests.mediafactory import make_clip, run_ffmpeg

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("footage") / "incident.mp4", seconds=2.0)


@pytest.fixture()
def library(tmp_path: Path, footage: Path) -> tuple[Path, int]:
    """A library of its own (nobody signs in: its owner acts) holding a copy of the footage."""
    data = tmp_path / "data"
    copy = tmp_path / "incident.mp4"
    shutil.copyfile(footage, copy)
    lib = app.open_library(data_dir=data)
    try:
        recording, _ = app.import_media(lib, copy)
    finally:
        lib.close()
    return data, recording.id


def run(capsys, data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def clip_rows(data: Path) -> int:
    con = sqlite3.connect(data / "bwvreview.sqlite3")
    try:
        return con.execute("select count(*) from clips").fetchone()[0]
    finally:
        con.close()


def export(capsys, data: Path, recording: int, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, data, "export-clip", str(recording), "--start", "0", "--end", "1",
               "--bleep", "none", "--out", str(out), *extra)  # fmt: skip


# --- 1. never overwrite -------------------------------------------------------------------


def test_a_report_named_as_the_clip_is_refused(library, tmp_path, capsys) -> None:
    """Before: exit 0 "PASS", d.mp4 was the 4 KB JSON report, recorded as a verified clip."""
    data, recording = library
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "d.mp4"
    code, _, err = export(capsys, data, recording, out, "--report", str(out))
    assert code == 3 and err.count("\n") == 1, err
    assert "same file" in err
    assert list(folder.iterdir()) == [] and clip_rows(data) == 0


def test_a_report_never_overwrites_its_readable_copy(library, tmp_path, capsys) -> None:
    """Before: --report out/victim.json overwrote an existing out/victim.txt."""
    data, recording = library
    victim = tmp_path / "victim.txt"
    victim.write_text("someone's notes", encoding="utf-8")
    code, _, err = export(capsys, data, recording, tmp_path / "c.mp4", "--report",
                          str(tmp_path / "victim.json"))  # fmt: skip
    assert code == 3 and "victim.txt already exists" in err and err.count("\n") == 1
    assert victim.read_text(encoding="utf-8") == "someone's notes"
    assert not (tmp_path / "c.mp4").exists() and clip_rows(data) == 0


def test_the_footage_itself_is_never_an_output(library, tmp_path, capsys) -> None:
    data, recording = library
    source = tmp_path / "incident.mp4"
    before = source.read_bytes()
    code, _, err = export(capsys, data, recording, tmp_path / "c.mp4", "--report", str(source))
    assert code == 3 and "the footage itself" in err and err.count("\n") == 1
    assert source.read_bytes() == before


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_two_names_for_one_file_are_refused(library, tmp_path, capsys, monkeypatch) -> None:
    data, recording = library
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    cases = [
        (real / "d.mp4", tmp_path / "alias" / "d.mp4"),  # a symlinked folder
        (real / "D.mp4", real / "d.mp4"),  # case only: one file on macOS and Windows
        (Path("d.mp4"), real / "d.mp4"),  # relative and absolute
        (real / "d.mp4", real / "d.txt"),  # the report's readable copy is the report
    ]
    monkeypatch.chdir(real)
    for out, report in cases:
        code, _, err = export(capsys, data, recording, out, "--report", str(report))
        assert code == 3 and "same file" in err and err.count("\n") == 1, (out, report, err)
    assert list(real.iterdir()) == [] and clip_rows(data) == 0


def test_a_missing_report_folder_is_refused_before_the_export(library, tmp_path, capsys) -> None:
    """Before: refused only after the export and its verification, the clip deleted."""
    data, recording = library
    out = tmp_path / "c.mp4"
    code, _, err = export(capsys, data, recording, out, "--report",
                          str(tmp_path / "missing" / "r.json"))  # fmt: skip
    assert code == 3 and "does not exist" in err and err.count("\n") == 1
    assert "export:" not in err  # no progress: refused before any work
    assert not out.exists() and clip_rows(data) == 0


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_report_folder_is_refused_before_the_export(library, tmp_path, capsys):
    data, recording = library
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _, err = export(capsys, data, recording, tmp_path / "c.mp4", "--report",
                          str(locked / "r.json"))  # fmt: skip
    assert code == 3 and "cannot write" in err and "export:" not in err


def test_a_taken_failed_name_is_refused_before_the_export(library, tmp_path, capsys) -> None:
    data, recording = library
    (tmp_path / "c.failed.mp4").write_bytes(b"an earlier attempt")
    code, _, err = export(capsys, data, recording, tmp_path / "c.mp4")
    assert code == 3 and "c.failed.mp4 already exists" in err
    assert (tmp_path / "c.failed.mp4").read_bytes() == b"an earlier attempt"


# --- 2. verified or nothing ---------------------------------------------------------------


def test_a_clip_that_fails_is_never_under_its_own_name(library, tmp_path, capsys) -> None:
    """Before: a failed clip sat under the name asked for, looking finished."""
    data, recording = library
    out = tmp_path / "c.mp4"
    # The test pattern's moving text reads as a banner left readable: verification fails.
    code, stdout, err = export(capsys, data, recording, out, "--keep-overlay", "--faces", "none")
    assert code == 4, err
    assert not out.exists()
    failed = tmp_path / "c.failed.mp4"
    assert failed.is_file() and "saved as c.failed.mp4" in err
    report = json.loads((tmp_path / "c.report.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "fail" and report["clip"]["file"] == "c.failed.mp4"
    assert report["verification"]["clip"] == "c.failed.mp4"
    assert (tmp_path / "c.report.txt").read_text(encoding="utf-8").startswith("c.failed.mp4: FAIL")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    lib = app.open_library(data_dir=data)
    try:
        (record,) = clip_service.list_clips(lib.db)
        assert Path(record.output_path).name == "c.failed.mp4" and not record.verified
        assert not record.in_library
    finally:
        lib.close()


def test_a_clip_that_passes_has_its_name_and_no_leftovers(library, tmp_path, capsys) -> None:
    data, recording = library
    out = tmp_path / "c.mp4"
    code, _, err = export(capsys, data, recording, out, "--faces", "none", "--keep-metadata",
                          "--report", str(tmp_path / "r.json"))  # fmt: skip
    # keep-metadata leaves the source's tags: a failure, whatever else passes
    assert code == 4, err
    code, _, err = export(capsys, data, recording, tmp_path / "ok.mp4")
    if code == 0:
        assert (tmp_path / "ok.mp4").is_file() and not (tmp_path / "ok.failed.mp4").exists()
    else:
        assert code == 4 and (tmp_path / "ok.failed.mp4").is_file()
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []
    assert list((data / "exports in progress").iterdir()) == []


# --- 3. verify-clip counts what decodes; bad files are one line ----------------------------


@pytest.fixture(scope="module")
def whole_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean 3 s clip (no faces, no banner, no words) that passes verify-clip whole."""
    out = tmp_path_factory.mktemp("whole") / "whole.mp4"
    run_ffmpeg("-f", "lavfi", "-i", "color=c=gray:size=160x120:rate=25:duration=3",
               "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:v", "libx264",
               "-pix_fmt", "yuv420p", "-c:a", "aac", "-map_metadata", "-1", "-fflags",
               "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
               "-bsf:v", "filter_units=remove_types=6", "-movflags", "+faststart",
               str(out))  # fmt: skip
    return out


def test_a_whole_clip_passes_its_sync_check(whole_clip, tmp_path, capsys) -> None:
    code, out, _ = run(capsys, tmp_path / "data", "verify-clip", str(whole_clip), "--json")
    sync = next(c for c in json.loads(out)["checks"] if c["name"] == "sync")
    assert sync["passed"], sync
    assert sync["findings"][0]["frames_decoded"] == sync["findings"][0]["frames_declared"] == 75


@pytest.mark.parametrize("share", [0.6, 0.3])
def test_a_clip_cut_short_fails(whole_clip, tmp_path, capsys, share) -> None:
    """Before: 18 of 75 frames decoded yet "sync: picture and sound agree", PASS."""
    cut = tmp_path / "cut.mp4"
    data = whole_clip.read_bytes()
    cut.write_bytes(data[: int(len(data) * share)])
    code, out, _ = run(capsys, tmp_path / "data", "verify-clip", str(cut))
    assert code == 4
    assert "FAIL" in out and "cut short or damaged" in out and "of its 75 frames decode" in out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
        (lambda p: p.write_text("not a video", encoding="utf-8"), "not a video file"),
        (lambda p: p.write_bytes(os.urandom(4096)), "not a video file"),
        (lambda p: None, "does not exist"),
    ],
)
def test_verify_clip_on_a_bad_file_is_one_line(tmp_path, capsys, make, message) -> None:
    """Before: a directory "does not exist"; a non-media file a raw [Errno 1094995529]."""
    target = tmp_path / "clip.mp4"
    make(target)
    code, out, err = run(capsys, tmp_path / "data", "verify-clip", str(target))
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and message in err and "Errno" not in err, err


# --- 4. transcription refuses changed footage ------------------------------------------------


def test_transcribe_refuses_footage_changed_since_import(library, tmp_path, capsys) -> None:
    """Before: a transcript was stored for footage changed by one byte since import."""
    data, recording = library
    source = tmp_path / "incident.mp4"
    raw = bytearray(source.read_bytes())
    raw[-1] ^= 0xFF
    source.write_bytes(bytes(raw))
    code, out, err = run(capsys, data, "transcribe", str(recording))
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "has changed since it was imported" in err
    assert "nothing transcribed" in err
    lib = app.open_library(data_dir=data)
    try:
        assert transcripts.current_transcript(lib.db, recording) is None
        # The window takes the same path (app.iter_transcription) and is refused the same way.
        with pytest.raises(MediaError, match="changed since it was imported"):
            app.drain(app.iter_transcription(lib, recording))
    finally:
        lib.close()


# --- 5. padding and times ---------------------------------------------------------------------


@pytest.mark.parametrize("padding", ["nan", "inf", "-inf", "-1", "1e308", "1e9", "601"])
def test_absurd_padding_is_one_line(library, tmp_path, capsys, padding) -> None:
    """Before: exit 1 with a ValueError or an OverflowError."""
    data, recording = library
    code, _, err = export(capsys, data, recording, tmp_path / "c.mp4", f"--padding={padding}")
    assert code == 3 and err.count("\n") == 1 and "--padding" in err, err
    assert not (tmp_path / "c.mp4").exists() and clip_rows(data) == 0


@pytest.mark.parametrize("when", ["nan", "inf", "-1", "1e3", "99999999999999999999"])
def test_odd_times_are_one_line(library, tmp_path, capsys, when) -> None:
    data, recording = library
    code, _, err = run(capsys, data, "export-clip", str(recording), "--start", "0",
                       "--end", when, "--out", str(tmp_path / "c.mp4"))  # fmt: skip
    assert code == 3 and err.count("\n") == 1, err
    assert clip_rows(data) == 0


# --- 6. a trainer hears kinds, never values -------------------------------------------------


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory, footage: Path) -> Path:
    """Footage as a camera writes it: a collar number, a GPS position and a serial number."""
    out = tmp_path_factory.mktemp("tagged") / "raw.mp4"
    run_ffmpeg("-i", str(footage), "-c", "copy", "-metadata", "location=+51.5074-000.1278/",
               "-metadata", "comment=PC 4471 collar", "-metadata", "serial_number=AXN-99812",
               "-movflags", "+use_metadata_tags", str(out))  # fmt: skip
    return out


VALUES = ("+51.5074", "4471", "AXN-99812")
KINDS = ("a GPS location tag", "a collar number in the metadata",
         "a device serial number in the metadata")  # fmt: skip


def _with_people(data: Path) -> None:
    lib = app.open_library(data_dir=data)
    try:
        users.create_user(lib.db, "Tia Tip", "tip")
        users.create_user(lib.db, "Tom Trainer", "trainer")
    finally:
        lib.close()


def test_a_trainer_is_told_kinds_never_values(tagged, tmp_path, capsys, monkeypatch) -> None:
    """Before: a trainer saw the collar number, the GPS position and the serial number."""
    data = tmp_path / "data"
    _with_people(data)
    monkeypatch.setenv("BWVREVIEW_USER", "Tom Trainer")
    code, text, err = run(capsys, data, "verify-clip", str(tagged))
    assert code == 4, err
    code, raw_json, _ = run(capsys, data, "verify-clip", str(tagged), "--json")
    assert code == 4
    for value in VALUES:
        assert value not in text and value not in raw_json
    for kind in KINDS:
        assert kind in text and kind in raw_json
    metadata = next(c for c in json.loads(raw_json)["checks"] if c["name"] == "metadata")
    assert all(set(f) == {"where", "tag", "value"} for f in metadata["findings"])


def test_a_tip_sees_the_values(tagged, tmp_path, capsys, monkeypatch) -> None:
    """A TIP may watch the raw footage, so the values themselves are shown to them."""
    data = tmp_path / "data"
    _with_people(data)
    monkeypatch.setenv("BWVREVIEW_USER", "Tia Tip")
    code, raw_json, err = run(capsys, data, "verify-clip", str(tagged), "--json")
    assert code == 4, err
    for value in VALUES:
        assert value in raw_json
