"""Two batch workers against one on the same queue: does a second worker pay?

    .venv/bin/python benchmarks/workers.py [--jobs N] [--pg URL]

The queue holds N transcription jobs, each a copy (different bytes, so a different
recording) of the committed 15 s two-voice speech clip. Each run starts from a fresh
database with the same N jobs queued, starts real ``bwvreview worker --once`` processes and
times from their start until the last one exits (model loading included: that is what a
worker run costs), then checks every job is done exactly once. Setups alternate over
``--rounds`` rounds; the best and the median round of each are shown (the machine may be
shared, and a busy neighbour makes any one round meaningless); CPU seconds per job (all
worker processes, user + system, median) show the cost whatever the load.

Baseline: one worker with every core (CTranslate2 uses one thread per usable core, so 2 on
this machine). Compared: two workers each pinned to its own core (so 1 thread each: the
cores are shared out, not oversubscribed), and two unpinned workers with 2 threads each
(4 threads on 2 cores). SQLite always; PostgreSQL too with ``--pg URL`` or BWVREVIEW_TEST_PG
(a server URL: a scratch database is created on it and dropped afterwards).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bwvreview import app
from bwvreview.annotations import jobs
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import normalise_url, sqlite_url
from bwvreview.app import batch_worker as worker
from bwvreview.media.ffmpeg import ffmpeg_exe

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT / "tests" / "data" / "speech_two_voices.mp4"


@dataclass(frozen=True)
class Setup:
    label: str
    cores: tuple[frozenset[int] | None, ...]  # one entry per worker: its CPU set (None: all)


def setups() -> list[Setup]:
    usable = sorted(os.sched_getaffinity(0))
    each = [frozenset({core}) for core in usable[:2]]
    return [
        Setup(f"1 worker, {len(usable)} threads", (None,)),
        Setup("2 workers, 1 core & thread each", tuple(each)),
        Setup(f"2 workers, {len(usable)} threads each", (None, None)),
    ]


def make_copies(folder: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = folder / f"speech_{n:03d}.mp4"
        subprocess.run(
            [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-y", "-i", str(SPEECH),
             "-c", "copy", "-metadata", f"comment=copy {n}", str(path)],
            check=True,
        )  # fmt: skip
        paths.append(path)
    return paths


def pinned(cores: frozenset[int] | None) -> Callable[[], None] | None:
    if cores is None:
        return None
    return lambda: os.sched_setaffinity(0, cores)


def children_cpu_s() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_setup(url: str, data: Path, media: list[Path], setup: Setup) -> tuple[float, float, int]:
    """Queue a transcription of every file, run the workers; return (wall s, CPU s, done)."""
    lib = app.open_library(db_url=url, data_dir=data)
    for path in media:
        recording, _ = app.import_media(lib, path)
        worker.queue_transcription(lib, recording.id, device="cpu")
    cpu_before, started = children_cpu_s(), time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bwvreview", "--db", url, "--data-dir", str(data), "worker",
             "--once", "--poll", "0.2", "--name", f"w{n}"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            preexec_fn=pinned(cores),
        )
        for n, cores in enumerate(setup.cores, 1)
    ]  # fmt: skip
    for proc in procs:
        _out, err = proc.communicate()
        if proc.returncode != 0:
            sys.exit(f"worker failed: {err}")
    wall, cpu = time.monotonic() - started, children_cpu_s() - cpu_before
    with lib.db.begin() as session:
        done = session.scalar(select(func.count()).where(models.Job.state == "done"))
        transcripts = session.scalar(select(func.count()).select_from(models.Transcript))
        twice = session.scalar(select(func.count()).where(models.Job.attempts != 1))
    if not done == transcripts == len(media) or twice:
        sys.exit(f"{setup.label}: {done} done, {transcripts} transcripts, {twice} retried")
    jobs.list_jobs(lib.db)  # the panel's read works on the result
    lib.close()
    return wall, cpu, done


class Scratch:
    """Fresh databases for each run: SQLite files, or databases on a PostgreSQL server."""

    def __init__(self, engine: str, folder: Path, server: str | None) -> None:
        self.engine, self.folder, self.server = engine, folder, server
        self.made: list[str] = []

    def url(self, n: int) -> str:
        if self.engine == "sqlite":
            return sqlite_url(self.folder / f"bench{n}.sqlite3")
        name = f"bwv_bench_{os.getpid()}_{n}"
        with self._admin() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return make_url(normalise_url(self.server)).set(database=name).render_as_string(False)

    def _admin(self):  # noqa: ANN202
        return create_engine(normalise_url(self.server), isolation_level="AUTOCOMMIT").connect()

    def drop(self) -> None:
        for name in self.made:
            with self._admin() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8, help="transcriptions in the queue")
    parser.add_argument("--rounds", type=int, default=4, help="runs of each setup")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("BWVREVIEW_TEST_PG"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bwv-workers-"))
    try:
        media = make_copies(folder, args.jobs)
        print(f"{args.jobs} transcription jobs, each {SPEECH.name} (15.3 s of speech), "
              f"tiny.en int8 on the CPU; {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at the start\n")  # fmt: skip
        print(f"{'engine':<11}{'setup':<34}{'jobs':>5}{'wall s best/median':>20}"
              f"{'jobs/min':>9}{'vs 1 worker best/median':>25}{'CPU s/job':>10}")  # fmt: skip
        for engine in ["sqlite"] + (["postgresql"] if args.pg else []):
            scratch = Scratch(engine, folder, args.pg)
            runs: dict[str, list[tuple[float, float, int]]] = {}
            try:
                for round_ in range(args.rounds):  # alternate, so drifting load hits all alike
                    for n, setup in enumerate(setups()):
                        data = folder / f"data-{engine}-{round_}-{n}"
                        url = scratch.url(round_ * 10 + n)
                        runs.setdefault(setup.label, []).append(run_setup(url, data, media, setup))
            finally:
                if engine == "postgresql":
                    scratch.drop()
            base: tuple[float, float] | None = None
            for label, results in runs.items():
                best = min(r[0] for r in results)  # the least disturbed round
                median = statistics.median(r[0] for r in results)
                cpu = statistics.median(r[1] / r[2] for r in results)
                base = base or (best, median)
                print(f"{engine:<11}{label:<34}{args.jobs:>5}{best:>11.1f}{median:>9.1f}"
                      f"{args.jobs / best * 60:>9.1f}{base[0] / best:>15.2f}x"
                      f"{base[1] / median:>9.2f}x{cpu:>10.2f}", flush=True)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
