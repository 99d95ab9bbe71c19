"""kill -9 in the middle of the work, then reopen: nothing committed is lost, nothing half
done is passed off as whole, the database is sound, and the same command then succeeds.

Each test starts a real ``python`` process, waits until it is demonstrably in the middle
of (a) annotating, (b) transcribing with the real tiny.en, (c) exporting a clip, (d) hashing
a 1 GiB import, and sends SIGKILL: no handler runs, no ``finally``, no atexit.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwvreview import app
from bwvreview.annotations.audit import verify_chain
from bwvreview.annotations.review import library, transcripts
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import check_integrity
from tests.mediafactory import make_clip, run_ffmpeg

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX; Windows has no kill -9"),
]

SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech_two_voices.mp4"
HANG_GUARD_S = 180  # a child that never reaches the point to kill it at is killed anyway

ANNOTATOR = """
import sys
from bwvreview import app
from bwvreview.annotations import review

lib = app.open_library()
recording, count = int(sys.argv[1]), int(sys.argv[2])
keys = [c.key for c in lib.codebook.categories]
n = 0
while count < 0 or n < count:
    start = (n * 10) % 1900
    made = review.create_annotation(
        lib.db, recording_id=recording, codebook_id=lib.codebook_id,
        category_key=keys[n % len(keys)], start_ms=start, end_ms=start + 50,
        actor=lib.actor, note=f"observation {n}",
    )
    print(made.id, flush=True)  # printed only once the block above has committed
    n += 1
"""


def cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "bwvreview", *argv]


def env_for(data: Path, db_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "BWVREVIEW_DATA": str(data)}
    if db_url:
        env["BWVREVIEW_DB"] = db_url
    return env


@contextlib.contextmanager
def started(
    cmd: list[str], data: Path, db_url: str | None = None, **kwargs
) -> Iterator[subprocess.Popen]:
    """A child in its own process group, killed (with anything it started) on the way out."""
    env = env_for(data, db_url)
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, text=True, **kwargs)
    guard = threading.Timer(HANG_GUARD_S, proc.kill)
    guard.start()
    try:
        yield proc
    finally:
        guard.cancel()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # e.g. the ffmpeg an export started
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def kill_9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL


def wait_for_line(stream, wanted: Callable[[str], bool]) -> str:
    for line in stream:
        if wanted(line):
            return line
    raise AssertionError("the process ended before reaching the point to kill it at")


def reopened(data: Path, monkeypatch: pytest.MonkeyPatch, db_url: str | None = None) -> app.Library:
    monkeypatch.setenv("BWVREVIEW_DATA", str(data))
    return app.open_library(db_url=db_url)


def assert_sound(lib: app.Library) -> None:
    assert check_integrity(lib.db) == []
    with lib.db.begin() as session:
        chain = verify_chain(session)
    assert chain.ok, chain


def import_clip(data: Path, path: Path, db_url: str | None = None) -> int:
    """Set-up, in this process: the crash is in the child, not here."""
    lib = app.open_library(db_url=db_url, data_dir=data)
    try:
        recording, _created = app.import_media(lib, path)
        return recording.id
    finally:
        lib.close()


def transcript_rows(data: Path) -> list[tuple[str, int]]:
    con = sqlite3.connect(data / "bwvreview.sqlite3")
    try:
        return con.execute("select state, is_current from transcripts order by id").fetchall()
    finally:
        con.close()


# (a) -------------------------------------------------------------------------------------


def test_a_kill_while_annotating_loses_no_committed_annotation(
    tmp_path, clip_path, monkeypatch, db_url
):
    """On SQLite (WAL) and on a PostgreSQL server, whose own recovery is what is tested."""
    data = tmp_path / "data"
    recording = import_clip(data, clip_path, db_url)
    cmd = [sys.executable, "-c", ANNOTATOR, str(recording), "-1"]
    printed: list[int] = []
    with started(cmd, data, db_url, stdout=subprocess.PIPE) as proc:
        for line in proc.stdout:
            printed.append(int(line))
            if len(printed) >= 60:
                break
        kill_9(proc)
    lib = reopened(data, monkeypatch, db_url)
    try:
        assert_sound(lib)
        with lib.db.begin() as session:
            stored = set(session.scalars(select(models.Annotation.id)))
            annotate_events = session.scalar(
                select(func.count()).where(models.AuditEvent.action == "annotate")
            )
        assert set(printed) <= stored
        assert annotate_events == len(stored)  # each annotation and its audit event, or neither
    finally:
        lib.close()
    again = subprocess.run([sys.executable, "-c", ANNOTATOR, str(recording), "3"],
                           env=env_for(data, db_url), capture_output=True, text=True,
                           timeout=120)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert len(again.stdout.split()) == 3


# (b) -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def speech_30s(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed speech twice over: long enough to be killed in the middle of."""
    out = tmp_path_factory.mktemp("speech") / "speech_30s.mp4"
    run_ffmpeg("-stream_loop", "1", "-i", str(SPEECH), "-c", "copy", str(out))
    return out


def test_b_a_kill_during_transcription_leaves_no_half_transcript(tmp_path, speech_30s, monkeypatch):
    data = tmp_path / "data"
    recording = import_clip(data, speech_30s)
    cmd = cli("transcribe", str(recording))
    with started(cmd, data, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        # Redirected, progress comes a line per ten per cent: past the first, words are out.
        wait_for_line(proc.stderr, lambda line: re.search(r"transcribing\s+[1-9]\d*%", line))
        kill_9(proc)
    assert all(state == "complete" for state, current in transcript_rows(data) if current)
    lib = reopened(data, monkeypatch)
    try:
        assert_sound(lib)
        assert transcripts.current_transcript(lib.db, recording) is None
        assert library.get_recording(lib.db, recording).status == "new"
    finally:
        lib.close()
    again = subprocess.run(cmd, env=env_for(data), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert [current for state, current in transcript_rows(data) if state == "complete"] == [1]


# (c) -------------------------------------------------------------------------------------


def test_c_a_kill_during_export_leaves_no_clip_under_its_name(tmp_path, monkeypatch):
    data = tmp_path / "data"
    recording = import_clip(data, SPEECH)
    out_dir = tmp_path / "clips"
    out_dir.mkdir()
    out = out_dir / "learning clip.mp4"
    cmd = cli("export-clip", str(recording), "--start", "0", "--end", "8", "--out", str(out))
    with started(cmd, data, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        wait_for_line(proc.stderr, lambda line: line.startswith("export: export"))
        kill_9(proc)
    leftovers = sorted(p.name for p in out_dir.iterdir())
    assert all(name.startswith(".") and ".partial" in name for name in leftovers), leftovers
    lib = reopened(data, monkeypatch)
    try:
        assert_sound(lib)
        with lib.db.begin() as session:
            assert session.scalar(select(func.count()).select_from(models.Clip)) == 0
    finally:
        lib.close()
    again = subprocess.run(cmd, env=env_for(data), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert out.is_file() and out.with_name("learning clip.report.json").is_file()
    lib = reopened(data, monkeypatch)
    try:
        with lib.db.begin() as session:
            assert session.scalar(select(func.count()).select_from(models.Clip)) == 1
    finally:
        lib.close()


# (d) -------------------------------------------------------------------------------------

BIG_BYTES = 1 << 30


def make_big_footage(path: Path) -> Path:
    """A valid clip followed by a 1 GiB MP4 'free' box, sparse on disk: hashing reads it all."""
    make_clip(path, extra=("-movflags", "+faststart"))
    padding = BIG_BYTES - path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(0, os.SEEK_END)
        handle.write(struct.pack(">I4s", padding, b"free"))
        handle.truncate(BIG_BYTES)
    return path


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal for progress")
def test_d_a_kill_while_hashing_an_import_stores_nothing(tmp_path, clip_path, monkeypatch):
    data = tmp_path / "data"
    import_clip(data, clip_path)  # the library already holds something to lose
    big = make_big_footage(tmp_path / "big.mp4")
    cmd = cli("import", str(big))
    master, terminal = os.openpty()  # progress is shown live only on a terminal
    seen = b""
    try:
        with started(cmd, data, stdout=subprocess.DEVNULL, stderr=terminal) as proc:
            os.close(terminal)
            while not re.search(rb"hashing\s+([1-9]\d)%", seen):
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # Linux: EIO once the terminal's other end is gone
                    chunk = b""
                assert chunk, "the import ended before hashing was under way"
                seen += chunk
            kill_9(proc)
    finally:
        os.close(master)
    lib = reopened(data, monkeypatch)
    try:
        assert_sound(lib)
        assert [r.path for r in library.list_recordings(lib.db)] == [str(clip_path.resolve())]
    finally:
        lib.close()
    again = subprocess.run([*cmd, "--json"], env=env_for(data), capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["size_bytes"] == BIG_BYTES
    shutil.rmtree(tmp_path / "data", ignore_errors=True)


# (e) -------------------------------------------------------------------------------------


def test_e_a_kill_during_verification_leaves_no_clip_and_the_next_export_cleans_up(
    tmp_path, monkeypatch
):
    """The clip is verified under its hidden name: killed then, nothing is under the name
    asked for (nor NAME.failed.mp4, nor a report), no row; the next export removes the
    hidden leftovers, which the journal in the data folder lists, and says so on stderr."""
    data = tmp_path / "data"
    recording = import_clip(data, SPEECH)
    out_dir = tmp_path / "clips"
    out_dir.mkdir()
    out = out_dir / "learning clip.mp4"
    cmd = cli("export-clip", str(recording), "--start", "0", "--end", "8", "--out", str(out))
    with started(cmd, data, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        wait_for_line(proc.stderr, lambda line: line.startswith("export: verify"))
        kill_9(proc)
    leftovers = sorted(p.name for p in out_dir.iterdir())
    assert leftovers and all(n.startswith(".learning clip.") and ".partial" in n for n in leftovers)
    assert list((data / "exports in progress").glob("*.json"))
    lib = reopened(data, monkeypatch)
    try:
        assert_sound(lib)
        with lib.db.begin() as session:
            assert session.scalar(select(func.count()).select_from(models.Clip)) == 0
    finally:
        lib.close()
    again = subprocess.run(cmd, env=env_for(data), capture_output=True, text=True, timeout=300)
    assert again.returncode in (0, 4), again.stderr
    said = [line for line in again.stderr.splitlines() if "interrupted export" in line]
    assert len(said) == 1 and all(name in said[0] for name in leftovers), again.stderr
    assert not any(".partial" in p.name for p in out_dir.iterdir())
    assert list((data / "exports in progress").iterdir()) == []
