"""`bwvreview doctor` and the help texts: what a support person and a script read."""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bwvreview import __version__
from bwvreview.cli import EXIT_CODES, build_parser, main
from bwvreview.media.ffmpeg import ffmpeg_info


@pytest.fixture
def fresh_ffmpeg():
    """ffmpeg is checked once per process: forget the answer before and after the test."""
    ffmpeg_info.cache_clear()
    yield
    ffmpeg_info.cache_clear()


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def problem_lines(text):
    return [line for line in text.splitlines() if line.startswith("PROBLEM:")]


def test_doctor_is_one_quiet_screen_with_every_part(_isolated_data):
    # A process of its own: Qt Multimedia complains (no PipeWire, no PulseAudio) only the
    # first time it starts, and that must go to the log, not the terminal.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BWVREVIEW_DATA": str(_isolated_data)}
    done = subprocess.run([sys.executable, "-m", "bwvreview", "doctor"], capture_output=True,
                          text=True, env=env, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    text = done.stdout
    for line in (f"version: {__version__}", "source: bundled (imageio-ffmpeg",
                 "speech model: bundled:tiny.en", "detector uses: CPUExecutionProvider",
                 f"data folder: {_isolated_data}", "Qt Multimedia backend: ",
                 "transcription uses: ", "instruction set used: ", "model sha256: ",
                 "prepared model sha256: "):  # fmt: skip
        assert line in text, line
    assert re.search(r"^int8 library: (oneDNN|Intel MKL) \(CT2_USE_MKL=", text, re.M)
    # What CTranslate2 itself says it multiplies int8 with: oneDNN (DNNL), bwvreview's choice
    # (Intel MKL on this AMD CPU took 7x as long).
    assert re.search(r"^int8 matrix backend: DNNL", text, re.M)
    assert re.search(r"^device asked for: (auto|cpu|cuda) \(BWVREVIEW_DEVICE", text, re.M)
    assert problem_lines(text) == []
    assert all(": " in line for line in text.splitlines() if line and not line.startswith("["))
    assert text.rstrip().endswith(("result: no problems found", "0 problem(s), 1 warning(s)"))


def test_doctor_json_shape(capsys, qapp, fresh_ffmpeg):
    code, out, err = run_cli(capsys, "doctor", "--json")
    data = json.loads(out)
    assert code == data["exit_code"] == 0, out
    assert data["version"] == __version__
    titles = [s["title"] for s in data["sections"]]
    assert titles == ["bwvreview", "ffmpeg", "transcription", "face detection", "library", "Qt"]
    for section in data["sections"]:
        for item in section["items"]:
            assert set(item) == {"label", "value", "status"}
            assert item["status"] in ("ok", "warning", "problem")
    ffmpeg = {i["label"]: i["value"] for i in data["sections"][1]["items"]}
    assert Path(ffmpeg["path"]).is_file() and ffmpeg["source"].startswith("bundled")


def test_doctor_says_where_a_gpu_asked_for_cannot_be_used(capsys, qapp, monkeypatch):
    from bwvreview.media import devices

    if devices.cuda_device_count() > 0:
        pytest.skip("this machine has a GPU CTranslate2 can use")
    monkeypatch.setenv("BWVREVIEW_DEVICE", "cuda")
    code, out, _err = run_cli(capsys, "doctor")
    assert code == 0 and problem_lines(out) == []
    assert "device asked for: cuda (BWVREVIEW_DEVICE=cuda)" in out
    assert re.search(r"^WARNING: transcription uses: CPU \(int8, oneDNN\), \d+ threads: the GPU "
                     r"\(CUDA\) cannot be used \(.*CUDA", out, re.M)  # fmt: skip
    if devices.CUDA_PROVIDER not in devices.onnx_providers("cuda"):
        assert "WARNING: detector uses: CPUExecutionProvider" in out
        assert devices.NO_CUDA_PROVIDER in out


def test_an_unknown_device_setting_is_a_problem(capsys, qapp, monkeypatch):
    monkeypatch.setenv("BWVREVIEW_DEVICE", "gpu")
    code, out, _err = run_cli(capsys, "doctor")
    assert code == 3
    assert problem_lines(out) == ["PROBLEM: device asked for: gpu: unknown device "
                                  "(BWVREVIEW_DEVICE); use auto, cpu or cuda"]  # fmt: skip


@pytest.mark.parametrize("override", ["/bin/true", "/no/such/ffmpeg"])
def test_a_bad_ffmpeg_override_is_one_problem_and_exit_3(capsys, qapp, fresh_ffmpeg,
                                                         monkeypatch, override):  # fmt: skip
    monkeypatch.setenv("BWVREVIEW_FFMPEG", override)
    code, out, err = run_cli(capsys, "doctor")
    assert code == 3, out + err
    [line] = problem_lines(out)
    assert line.startswith(f"PROBLEM: ffmpeg: BWVREVIEW_FFMPEG={override}")
    assert "Traceback" not in err
    assert "1 problem(s)" in out


def test_a_missing_speech_model_is_a_problem(capsys, qapp, monkeypatch, tmp_path):
    monkeypatch.setenv("BWVREVIEW_MODEL", str(tmp_path / "no-model"))
    code, out, _ = run_cli(capsys, "doctor")
    assert code == 3
    [line] = problem_lines(out)
    assert line.startswith("PROBLEM: model folder: ") and "no-model" in line


def test_doctor_hides_the_database_password(capsys, qapp):
    code, out, _ = run_cli(capsys, "--db", "postgresql://tip:s3cret@127.0.0.1:1/bwv", "doctor")
    assert "s3cret" not in out
    assert "database: postgresql://tip:***@127.0.0.1:1/bwv" in out
    assert code == 3 and problem_lines(out)[0].startswith("PROBLEM: database: ")


def help_of(capsys, *argv):
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--help"])
    assert stopped.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines: unwrap


def test_demo_no_gui_help_says_it_transcribes_and_opens_no_window(capsys):
    text = help_of(capsys, "demo")
    no_gui = text.split("--no-gui", 2)[2]
    assert "no window" in no_gui and "transcribe" in no_gui and "recording id" in no_gui


def test_the_faces_and_device_options_are_explained(capsys):
    faces = help_of(capsys, "export-clip").split("--faces {blur,pixelate,box,none}", 2)[2]
    assert faces.startswith(" how faces are hidden: blur (default)")
    device = help_of(capsys, "transcribe").split("--device {auto,cpu,cuda}", 2)[2]
    assert device.startswith(" where Whisper runs") and "CUDA" in device
    assert "FILE.txt" in help_of(capsys, "export-clip")


def test_verify_clip_has_a_description_and_its_exit_codes(capsys):
    text = help_of(capsys, "verify-clip")
    assert "face detector" in text and "Exit 0 if it passes, 4 if it fails" in text


def test_every_command_help_has_a_description():
    def commands(parser, path=()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield (*path, name), sub
                    yield from commands(sub, (*path, name))

    missing = [" ".join(path) for path, sub in commands(build_parser()) if not sub.description]
    assert missing == []


def test_help_lists_exactly_the_exit_codes_in_use(capsys):
    text = help_of(capsys)
    assert "exit codes: 0 success" in text
    listed = {int(code) for code in re.findall(r"^  (\d+) ", EXIT_CODES, re.M)}
    source = Path(sys.modules["bwvreview.cli.common"].__file__).read_text(encoding="utf-8")
    constants = re.search(r"EXIT_OK, EXIT_FAULT, EXIT_USAGE, EXIT_BAD_INPUT = (.*)", source)
    used = {int(n) for n in constants.group(1).split(", ")}
    used |= {int(n) for n in re.findall(r"^EXIT_\w+ = (\d+)", source, re.M)}
    assert listed == used == {0, 1, 2, 3, 4, 130}


def test_export_clip_names_both_reports_it_wrote(capsys, clip_path, tmp_path):
    out_clip = tmp_path / "clip.mp4"
    code, out, err = run_cli(capsys, "export-clip", str(clip_path), "--start", "0", "--end",
                             "1.5", "--out", str(out_clip), "--faces", "none")  # fmt: skip
    assert code in (0, 4), err
    first = out.splitlines()[0]
    json_report, text_report = tmp_path / "clip.report.json", tmp_path / "clip.report.txt"
    assert json_report.is_file() and text_report.is_file()
    assert (
        first == f"wrote {out_clip}, its report {json_report.resolve()} and a readable copy "
        f"{text_report.resolve()}"
    )
