"""The import/list command line as scripts use it: JSON shapes, exit codes, one-line errors."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from bwvreview.cli import main
from tests.mediafactory import make_clip


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def table_counts(data_dir):
    db = data_dir / "bwvreview.sqlite3"
    if not db.exists():
        return {}
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    counts = {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}
    con.close()
    return counts


def test_import_json_reports_the_sha256_of_the_bytes(capsys, clip_path):
    code, out, err = run_cli(capsys, "import", str(clip_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["sha256"] == hashlib.sha256(clip_path.read_bytes()).hexdigest()
    assert data["created"] is True
    assert data["duration"] == 2.0
    assert data["has_audio"] is True
    assert isinstance(data["id"], int)


def test_importing_a_copy_returns_the_same_recording(capsys, clip_path, tmp_path):
    copy = tmp_path / "elsewhere" / "copy of clip.mp4"
    copy.parent.mkdir()
    shutil.copy2(clip_path, copy)
    _, first, _ = run_cli(capsys, "import", str(clip_path), "--json")
    code, second, _ = run_cli(capsys, "import", str(copy), "--json")
    assert code == 0
    assert json.loads(second)["id"] == json.loads(first)["id"]
    assert json.loads(second)["created"] is False


def test_import_never_changes_the_original(capsys, media_dir, tmp_path):
    original = make_clip(tmp_path / "evidence.mp4")
    os.utime(original, (1_600_000_000, 1_600_000_000))
    before = (original.read_bytes(), original.stat().st_mtime_ns)
    run_cli(capsys, "import", str(original), "--incident", "INC-7", "--officer", "4471")
    run_cli(capsys, "import", str(original))
    assert (original.read_bytes(), original.stat().st_mtime_ns) == before


def test_import_files_incident_and_officer_and_audits_it(capsys, clip_path, _isolated_data):
    code, out, _ = run_cli(
        capsys, "import", str(clip_path), "--incident", "INC-42", "--officer", "4471", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["incident_reference"] == "INC-42"
    assert data["officers"] == ["4471"]
    assert table_counts(_isolated_data)["audit_events"] == 1


def test_list_json_shows_imported_recordings(capsys, clip_path):
    run_cli(capsys, "import", str(clip_path))
    code, out, _ = run_cli(capsys, "list", "--json")
    assert code == 0
    listed = json.loads(out)["recordings"]
    assert [r["path"] for r in listed] == [str(clip_path.resolve())]
    code, out, _ = run_cli(capsys, "list")
    assert (code, out) == (0, f"{listed[0]['id']}\tnew\t0:02\t-\tclip.mp4\n")


def test_list_on_an_empty_library_says_how_to_start(capsys):
    code, out, _ = run_cli(capsys, "list")
    assert code == 0
    assert "bwvreview import" in out


def test_a_path_with_spaces_and_non_ascii_letters_imports(capsys, tmp_path):
    odd = make_clip(tmp_path / "Zoë's café – body cam 1.mp4")
    code, out, err = run_cli(capsys, "import", str(odd), "--json")
    assert code == 0, err
    assert json.loads(out)["path"] == str(odd.resolve())


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    whole = make_clip(folder / "whole.mp4", seconds=4)
    (folder / "zero bytes.mp4").write_bytes(b"")
    (folder / "truncated.mp4").write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    (folder / "notes.mp4").write_text("Interview notes, not a video.\n" * 20)
    make_clip(folder / "audio only.m4a", video=False)
    make_clip(folder / "video only.mp4", audio=False)
    return folder


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zero bytes.mp4", "the file is empty"),
        ("truncated.mp4", "truncated"),
        ("notes.mp4", "not a video file"),
        ("audio only.m4a", "has no video stream"),
        ("video only.mp4", "has no audio"),
        ("missing.mp4", "file not found"),
    ],
)
def test_bad_media_exits_3_with_one_line_and_writes_nothing(
    capsys, bad_inputs, _isolated_data, name, message
):
    before = table_counts(_isolated_data)
    code, out, err = run_cli(capsys, "import", str(bad_inputs / name))
    assert code == 3
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    after = table_counts(_isolated_data)
    assert after.get("recordings", 0) == before.get("recordings", 0) == 0
    assert after.get("audit_events", 0) == 0


def test_one_bad_file_among_good_ones_still_imports_the_good(capsys, bad_inputs, clip_path):
    code, out, err = run_cli(
        capsys, "import", str(clip_path), str(bad_inputs / "notes.mp4"), "--json"
    )
    assert code == 3
    assert len(json.loads(out)["recordings"]) == 1
    assert "notes.mp4" in err


def test_unknown_subcommand_and_missing_argument_are_usage_errors(capsys):
    for argv in (["frobnicate"], ["import"], ["import", "x.mp4", "--incident"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
    capsys.readouterr()


def test_db_and_data_dir_flags_are_honoured(capsys, clip_path, tmp_path):
    other = tmp_path / "team.sqlite3"
    code, _, _ = run_cli(capsys, "--db", f"sqlite:///{other.as_posix()}", "import", str(clip_path))
    assert code == 0 and other.exists()
    data = tmp_path / "another data dir"
    code, _, _ = run_cli(capsys, "--data-dir", str(data), "import", str(clip_path))
    assert code == 0 and (data / "bwvreview.sqlite3").exists()


def test_environment_variable_selects_the_database(capsys, clip_path, tmp_path, monkeypatch):
    target = tmp_path / "env.sqlite3"
    monkeypatch.setenv("BWVREVIEW_DB", f"sqlite:///{target.as_posix()}")
    run_cli(capsys, "import", str(clip_path))
    assert target.exists()


def test_the_installed_command_prints_no_traceback(bad_inputs, tmp_path):
    env = {**os.environ, "BWVREVIEW_DATA": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "bwvreview", "import", str(bad_inputs / "truncated.mp4")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith("bwvreview: truncated.mp4:")


def test_an_unexpected_fault_is_one_line_and_the_traceback_goes_to_the_log(
    capsys, monkeypatch, _isolated_data
):
    def broken(_db):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bwvreview.annotations.review.library.list_recordings", broken)
    code, out, err = run_cli(capsys, "list")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [err.strip()] and "Traceback" not in err
    assert "unexpected fault: RuntimeError" in err
    log_text = (_isolated_data / "logs" / "bwvreview.log").read_text()
    assert "Traceback" in log_text and "disk on fire" in log_text


def test_ctrl_c_that_a_library_wrapped_in_its_own_error_is_still_an_interrupt(
    capsys, monkeypatch, _isolated_data
):
    """Ctrl+C while onnxruntime was being imported came back as faster-whisper's
    RuntimeError ("requires the onnxruntime package"), from an ImportError, from the
    KeyboardInterrupt: it is an interruption, not a fault."""

    def interrupted(_db):
        try:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt as exc:
                raise ImportError("initialization failed") from exc
        except ImportError as exc:
            raise RuntimeError("Applying the VAD filter requires the onnxruntime package") from exc

    monkeypatch.setattr("bwvreview.annotations.review.library.list_recordings", interrupted)
    code, out, err = run_cli(capsys, "list")
    assert (code, out) == (130, "")
    assert err.strip() == "bwvreview: interrupted; unfinished work was not stored"
