"""``bwvreview transcribe`` with the real bundled tiny.en model on committed speech."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bwvreview import app
from bwvreview.annotations.review import transcripts
from bwvreview.cli import main
from bwvreview.media.transcribe import TranscriptionCancelled
from tests.mediafactory import make_clip
from tests.speech_checks import (
    SPEECH_MAX_WER,
    SPEECH_SCRIPT,
    SPEECH_STABLE_WORDS,
    assert_close_to_script,
    heard_words,
)

SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech_two_voices.mp4"
DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo_incident.mp4"

pytestmark = pytest.mark.slow


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_transcript_has_the_contract_shape_and_words(capsys):
    code, out, err = run_cli(capsys, "transcribe", str(SPEECH), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"recording", "model", "device", "language", "duration", "segments"}
    assert data["device"] == "cpu" and data["language"] == "en"
    assert data["duration"] == pytest.approx(15.3, abs=1.0)
    assert_close_to_script(SPEECH_SCRIPT, [s["text"] for s in data["segments"]], SPEECH_MAX_WER)
    words = [w["word"] for s in data["segments"] for w in s["words"]]
    assert heard_words(words) >= SPEECH_STABLE_WORDS
    speakers = {s["speaker"] for s in data["segments"]}
    assert speakers == {"wearer", "other"}
    first = data["segments"][0]  # the wearer speaks first, after 0.8 s of silence
    assert first["speaker"] == "wearer" and first["start"] == pytest.approx(0.8, abs=0.6)
    for segment in data["segments"]:
        starts = [w["start"] for w in segment["words"]]
        assert starts == sorted(starts)
        assert all(0 <= w["probability"] <= 1 for w in segment["words"])
    assert "transcribing" in err  # progress goes to stderr


def test_a_gpu_asked_for_but_missing_falls_back_to_the_cpu_and_says_so(capsys, monkeypatch):
    from bwvreview.media.devices import cuda_device_count

    if cuda_device_count() > 0:
        pytest.skip("this machine has a GPU CTranslate2 can use")
    monkeypatch.setenv("BWVREVIEW_DEVICE", "cuda")
    code, out, err = run_cli(capsys, "transcribe", str(SPEECH), "--json")
    assert code == 0, err
    assert json.loads(out)["device"] == "cpu"
    said = [line for line in err.splitlines() if "could not be used" in line]
    # CTranslate2's own reason the first time it is asked in a process, ours after that
    assert len(said) == 1
    assert "the GPU (CUDA) could not be used, so Whisper runs on the CPU: " in said[0]
    assert "CUDA" in said[0].split("runs on the CPU: ")[1]
    assert "on CPU (int8, oneDNN)" in err  # the closing line (and the live progress line)


def test_a_mistyped_device_setting_is_refused_before_any_work(capsys, monkeypatch):
    monkeypatch.setenv("BWVREVIEW_DEVICE", "gpu")
    code, out, err = run_cli(capsys, "transcribe", str(SPEECH))
    assert code == 3 and out == ""
    assert err.strip().endswith("gpu: unknown device (BWVREVIEW_DEVICE); use auto, cpu or cuda")
    assert "transcribing" not in err


def test_a_path_is_hashed_once_and_an_id_is_checked_against_its_fingerprint(
    capsys, monkeypatch
):
    """`transcribe FILE` imports the file, which takes its SHA-256: checking it again before
    transcribing read the whole file a second time (0.3 s a gigabyte). By id, the footage
    may have changed since it was imported, so it is checked."""
    from bwvreview.app import footage, importing
    from bwvreview.media import hashing

    hashed = []

    def counted(path):
        hashed.append(Path(path).name)
        return (yield from hashing.iter_sha256(path))

    monkeypatch.setattr(importing, "iter_sha256", counted)
    monkeypatch.setattr(footage, "iter_sha256", counted)
    code, out, err = run_cli(capsys, "transcribe", str(SPEECH), "--json")
    assert code == 0, err
    assert hashed == [SPEECH.name]
    hashed.clear()
    code, _out, err = run_cli(capsys, "transcribe", str(json.loads(out)["recording"]))
    assert code == 0, err
    assert hashed == [SPEECH.name]


def test_srt_export_labels_speakers(capsys):
    code, out, _ = run_cli(capsys, "transcribe", str(SPEECH), "--format", "srt")
    assert code == 0
    assert out.startswith("1\n00:00:0")
    assert "Officer (camera):" in out and "Other speaker:" in out


def test_retranscribing_by_id_replaces_the_current_transcript(capsys):
    _, out, _ = run_cli(capsys, "import", str(SPEECH), "--json")
    rec_id = json.loads(out)["id"]
    run_cli(capsys, "transcribe", str(rec_id))
    code, out, _ = run_cli(capsys, "transcribe", str(rec_id), "--json")
    assert code == 0 and json.loads(out)["recording"] == rec_id
    lib = app.open_library()
    with lib.db.begin() as session:
        from sqlalchemy import text

        rows = session.execute(text("select is_current from transcripts")).scalars().all()
    assert sorted(rows) == [0, 1]


def test_cancelling_keeps_the_previous_transcript_current():
    lib = app.open_library()
    recording, _ = app.import_media(lib, SPEECH)
    previous = app.drain(app.iter_transcribe_and_store(lib, recording.id))
    cancel = threading.Event()
    steps = app.iter_transcribe_and_store(lib, recording.id, cancel=cancel)
    next(steps)
    cancel.set()
    with pytest.raises(TranscriptionCancelled):
        for _ in steps:
            pass
    assert transcripts.current_transcript(lib.db, recording.id).id == previous.id


def test_batch_goes_on_after_a_failure(capsys, media_dir):
    silent_film = make_clip(media_dir / "no sound.mp4", audio=False)
    code, out, err = run_cli(capsys, "transcribe", str(silent_film), str(SPEECH), "--json")
    assert code == 3
    assert "this recording has no audio" in err
    assert len(json.loads(out)["transcripts"]) == 1


def test_silence_gives_an_empty_transcript(capsys, media_dir):
    quiet = media_dir / "quiet.mp4"
    from tests.mediafactory import run_ffmpeg

    run_ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=8",
               "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono:d=8", "-shortest",
               "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(quiet))  # fmt: skip
    code, out, _ = run_cli(capsys, "transcribe", str(quiet), "--json")
    assert code == 0
    assert json.loads(out)["segments"] == []


def test_a_missing_model_folder_is_named(capsys, tmp_path):
    missing = tmp_path / "models" / "small.en"
    code, out, err = run_cli(capsys, "transcribe", str(SPEECH), "--model", str(missing))
    assert code == 3 and out == ""
    assert str(missing) in err and err.count("\n") == 1


def test_unknown_recording_id_is_bad_input(capsys):
    code, _, err = run_cli(capsys, "transcribe", "4242")
    assert code == 3 and "no recording with id 4242" in err


@pytest.mark.skipif(os.name == "nt", reason="SIGINT delivery to a child differs on Windows")
def test_ctrl_c_during_transcription_leaves_the_database_consistent(tmp_path):
    env = {**os.environ, "BWVREVIEW_DATA": str(tmp_path / "data")}
    # The 55 s demo, not the 8 s speech clip: transcription is now quick enough that on a
    # loaded machine the short clip was done before the signal arrived (CI saw exit 0).
    cmd = [sys.executable, "-m", "bwvreview", "transcribe", str(DEMO)]
    assert subprocess.run(cmd, env=env, capture_output=True, check=False).returncode == 0
    # As from a terminal: a run started in the background (nohup, `cmd &` in a script)
    # inherits Ctrl+C ignored, and Python then never turns it into KeyboardInterrupt.
    child = subprocess.Popen(
        cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    # Redirected stderr gets a line per step. The first one comes once the model is loaded and
    # the words are being found; waiting for a later one left a busy machine too little time
    # to send the signal before the child had finished (CI saw exit 0).
    for line in child.stderr:
        if "transcribing" in line and "%" in line:
            break
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    con = sqlite3.connect(tmp_path / "data" / "bwvreview.sqlite3")
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = con.execute("select state, is_current from transcripts").fetchall()
    con.close()
    assert rows == [("complete", 1)]
