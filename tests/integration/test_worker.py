"""Batch workers on both engines: real worker processes, the real tiny.en model, real kills."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwvreview import app
from bwvreview.annotations import jobs
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.store import models
from bwvreview.app import batch_worker as worker
from bwvreview.media.errors import MediaError
from tests.mediafactory import run_ffmpeg
from tests.speech_checks import SPEECH_MAX_WER, SPEECH_SCRIPT, assert_close_to_script

SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech_two_voices.mp4"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def speech_copies(tmp_path_factory):
    """Four copies of the speech clip with different bytes (so four recordings)."""
    folder = tmp_path_factory.mktemp("copies")
    paths = []
    for n in range(4):
        path = folder / f"speech_{n}.mp4"
        run_ffmpeg("-i", str(SPEECH), "-c", "copy", "-metadata", f"comment=copy {n}", str(path))
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def long_speech(tmp_path_factory):
    """The speech clip six times over (about 90 s): long enough to stop a worker mid-job."""
    path = tmp_path_factory.mktemp("long") / "long_speech.mp4"
    run_ffmpeg("-stream_loop", "5", "-i", str(SPEECH), "-c", "copy", str(path))
    return path


@pytest.fixture
def lib(db_url):
    library = app.open_library(db_url=db_url)
    yield library
    library.close()


def start_worker(lib, *args):
    url = lib.db.engine.url.render_as_string(hide_password=False)
    cmd = [sys.executable, "-m", "bwvreview", "--db", url, "worker", "--poll", "0.2", *args]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def wait_for(condition, what, timeout_s=240):
    """Poll the database until ``condition()`` holds (a test guard, not a measured time)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def running_with_progress(lib, job_id):
    job = jobs.get_job(lib.db, job_id)
    return job.state == "running" and job.progress > 0


def transcript_count(lib, recording_id):
    with lib.db.begin() as session:
        return session.scalar(
            select(func.count()).where(models.Transcript.recording_id == recording_id)
        )


def test_two_worker_processes_do_each_job_exactly_once(lib, speech_copies):
    queued = []
    for path in speech_copies:
        recording, _ = app.import_media(lib, path)
        queued.append(worker.queue_transcription(lib, recording.id))
    workers = [start_worker(lib, "--once", "--name", f"w{n}") for n in (1, 2)]
    for proc in workers:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    for job in queued:
        done = jobs.get_job(lib.db, job.id)
        assert (done.state, done.attempts) == ("done", 1), done.message
        assert done.worker in ("w1", "w2")
        assert transcript_count(lib, job.recording_id) == 1
        current = transcripts.current_transcript(lib.db, job.recording_id)
        assert done.result["transcript"] == current.id
        said = [s.text for s in current.segments]
        assert_close_to_script(SPEECH_SCRIPT, said, SPEECH_MAX_WER)


def test_a_job_of_a_killed_worker_is_completed_by_another(lib, long_speech):
    recording, _ = app.import_media(lib, long_speech)
    job = worker.queue_transcription(lib, recording.id)
    doomed = start_worker(lib, "--name", "doomed")
    wait_for(lambda: running_with_progress(lib, job.id), "the first worker to be transcribing")
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate(timeout=30)
    orphaned = jobs.get_job(lib.db, job.id)
    assert (orphaned.state, orphaned.worker) == ("running", "doomed")
    assert transcripts.current_transcript(lib.db, recording.id) is None  # no half transcript
    rescuer = start_worker(lib, "--once", "--name", "rescuer", "--stale-after", "2")
    _out, err = rescuer.communicate(timeout=600)
    assert rescuer.returncode == 0, err
    assert "stopped answering; queued again" in err
    done = jobs.get_job(lib.db, job.id)
    assert (done.state, done.worker, done.attempts) == ("done", "rescuer", 2)
    assert transcript_count(lib, recording.id) == 1


def test_sigterm_puts_the_running_job_back_and_stores_nothing(lib, long_speech):
    recording, _ = app.import_media(lib, long_speech)
    job = worker.queue_transcription(lib, recording.id)
    proc = start_worker(lib, "--name", "stopping")
    wait_for(lambda: running_with_progress(lib, job.id), "the worker to be transcribing")
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "1 put back in the queue" in err
    back = jobs.get_job(lib.db, job.id)
    assert (back.state, back.worker, back.attempts) == ("queued", None, 0)
    assert transcript_count(lib, recording.id) == 0


def run_in_thread(lib, name="in-process"):
    stop = threading.Event()
    outcome = {}

    def run():
        outcome["summary"] = worker.run_worker(lib, name, stop, poll=0.1, once=True)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, stop, outcome


def test_cancelling_a_running_job_stops_the_worker_storing_nothing(lib, long_speech):
    recording, _ = app.import_media(lib, long_speech)
    job = worker.queue_transcription(lib, recording.id)
    thread, stop, outcome = run_in_thread(lib)
    try:
        wait_for(lambda: running_with_progress(lib, job.id), "the worker to be transcribing")
        jobs.cancel(lib.db, job.id, "tip")
        thread.join(timeout=300)
    finally:
        stop.set()
        thread.join()
    assert outcome["summary"].cancelled == 1 and outcome["summary"].done == 0
    assert jobs.get_job(lib.db, job.id).state == "cancelled"
    assert transcript_count(lib, recording.id) == 0


def test_an_export_job_writes_verifies_and_records_the_clip(lib, tmp_path):
    recording, _ = app.import_media(lib, SPEECH)
    out = tmp_path / "clips" / "queued.mp4"
    out.parent.mkdir()
    job = worker.queue_export(lib, recording.id, 1000, 4000, out, {"faces": "blur"})
    assert job.params["out"] == str(out.resolve())
    with pytest.raises(DomainError, match="already exports"):
        worker.queue_export(lib, recording.id, 1000, 4000, out)
    with pytest.raises(DomainError, match="cannot be queued"):
        worker.queue_export(lib, recording.id, 1000, 4000, tmp_path / "x.mp4", {"masks": 1})
    with pytest.raises(MediaError, match="after the recording ends"):
        worker.queue_export(lib, recording.id, 1000, 99_000, tmp_path / "y.mp4")
    thread, _stop, outcome = run_in_thread(lib)
    thread.join(timeout=600)
    assert outcome["summary"].done == 1
    done = jobs.get_job(lib.db, job.id)
    assert done.state == "done" and done.result["verified"] is True
    assert out.is_file() and Path(done.result["report"]).is_file()
    (clip,) = app.clip_workflow.clips.list_clips(lib.db)
    assert (clip.id, Path(clip.output_path)) == (done.result["clip"], out.resolve())


def test_a_job_that_cannot_run_fails_with_the_reason_and_the_worker_goes_on(
    lib, tmp_path, speech_copies
):
    moved = tmp_path / "moved.mp4"
    moved.write_bytes(speech_copies[0].read_bytes())  # not the same bytes as SPEECH
    gone, _ = app.import_media(lib, moved)
    present, _ = app.import_media(lib, SPEECH)
    moved.unlink()
    failing = worker.queue_transcription(lib, gone.id)
    fine = worker.queue_transcription(lib, present.id)
    thread, _stop, outcome = run_in_thread(lib)
    thread.join(timeout=600)
    assert (outcome["summary"].failed, outcome["summary"].done) == (1, 1)
    failed = jobs.get_job(lib.db, failing.id)
    assert failed.state == "failed" and "no longer there" in failed.message
    assert jobs.get_job(lib.db, fine.id).state == "done"


def test_the_queue_command_lists_and_cancels(lib, capsys):
    from bwvreview.cli import main

    url = lib.db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "queue", "list"]) == 0
    assert capsys.readouterr().out == (
        "No jobs. Queue some with: bwvreview queue transcribe TARGET\n"
    )
    assert main(["--db", url, "queue", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"jobs": []}
    assert main(["--db", url, "queue", "transcribe", str(SPEECH)]) == 0
    assert main(["--db", url, "queue", "list"]) == 0
    out = capsys.readouterr().out
    assert "transcribe\tqueued\tspeech_two_voices.mp4" in out
    job_id = int(out.split()[0])
    assert main(["--db", url, "queue", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["jobs"]
    assert (listed["id"], listed["kind"], listed["state"]) == (job_id, "transcribe", "queued")
    assert main(["--db", url, "queue", "cancel", str(job_id)]) == 0
    assert jobs.get_job(lib.db, job_id).state == "cancelled"
    assert main(["--db", url, "queue", "cancel", str(job_id)]) == 3  # nothing to cancel
    assert "already cancelled" in capsys.readouterr().err
    assert main(["--db", url, "queue", "export", str(job_id + 99), "--start", "1", "--end",
                 "2", "--out", os.devnull + ".mp4"]) == 3  # fmt: skip


def test_an_export_retried_after_a_crash_sets_aside_what_the_dead_attempt_left(lib, tmp_path):
    recording, _ = app.import_media(lib, SPEECH)
    out = tmp_path / "retried.mp4"
    job = worker.queue_export(lib, recording.id, 1000, 3000, out)
    jobs.claim_next(lib.db, "dead")
    out.write_bytes(b"half a clip")  # killed while verifying: the clip under its final name
    with lib.db.begin() as session:
        session.get(models.Job, job.id).heartbeat_at = models.utcnow() - dt.timedelta(hours=1)
    thread, _stop, outcome = run_in_thread(lib)
    thread.join(timeout=600)
    done = jobs.get_job(lib.db, job.id)
    assert (done.state, done.attempts, done.result["verified"]) == ("done", 2, True)
    assert out.read_bytes() != b"half a clip"
    aside = tmp_path / f"retried.unfinished-job{job.id}-1.mp4"
    assert aside.read_bytes() == b"half a clip"  # moved, never deleted


def test_an_export_recorded_by_a_worker_that_died_before_finishing_is_not_redone(lib, tmp_path):
    recording, _ = app.import_media(lib, SPEECH)
    out = tmp_path / "recorded.mp4"
    job = worker.queue_export(lib, recording.id, 1000, 3000, out)
    jobs.claim_next(lib.db, "dead")
    # exported, then the worker was killed before it could record the job done
    _outcome, clip = app.clip_workflow.export_clip(lib, recording.id, 1000, 3000, out)
    with lib.db.begin() as session:
        session.get(models.Job, job.id).heartbeat_at = models.utcnow() - dt.timedelta(hours=1)
    thread, _stop, outcome = run_in_thread(lib)
    thread.join(timeout=600)
    done = jobs.get_job(lib.db, job.id)
    assert (done.state, done.result["clip"]) == ("done", clip.id)
    assert len(app.clip_workflow.clips.list_clips(lib.db)) == 1
