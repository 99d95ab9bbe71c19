"""The batch queue: `queue transcribe|export|list|cancel|retry` and `worker`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import threading
from pathlib import Path
from typing import Any

from bwvreview import app
from bwvreview.cli.clips import add_export_arguments, export_request
from bwvreview.cli.common import (
    DEVICE_HELP,
    EXIT_OK,
    TARGET_HELP,
    add_json,
    open_library,
    print_json,
    print_records,
)


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued jobs until stopped (SIGTERM: at once; Ctrl+C: after the running job)."""
    from bwvreview.app import batch_worker as worker

    lib = open_library(args)
    name = args.name or worker.default_worker_name()
    stop, drain = threading.Event(), threading.Event()

    def say(text: str) -> None:
        print(f"{name}: {text}", file=sys.stderr, flush=True)

    worker.handle_signals(stop, drain, say)
    say("taking jobs from the queue" + (" until it is empty" if args.once else ""))
    stale = dt.timedelta(seconds=args.stale_after)
    s = worker.run_worker(lib, name, stop, args.poll, args.once, drain_event=drain,
                          stale_after=stale, report=say)  # fmt: skip
    say(f"stopped: {s.done} done, {s.failed} failed, {s.cancelled} cancelled, "
        f"{s.put_back} put back in the queue")  # fmt: skip
    return EXIT_OK


def _job_line(job: Any) -> str:
    done = f"{job.progress:4.0%}" if job.state == "running" else job.state
    return (f"{job.id}\t{job.kind}\t{done}\t{job.recording_name or '-'}\t"
            f"{job.worker or '-'}\t{job.message}")  # fmt: skip


def cmd_queue(args: argparse.Namespace) -> int:
    """Queue transcriptions or exports for `bwvreview worker`; list, cancel or retry jobs."""
    from bwvreview.app import batch_worker as worker
    from bwvreview.app import clip_workflow as clips

    lib = open_library(args)
    if args.queue_command == "list":
        listed = worker.list_jobs(lib, everything=args.all)
        empty = "No jobs. Queue some with: bwvreview queue transcribe TARGET"
        return print_records(args, "jobs", listed, _job_line, empty=empty)
    if args.queue_command in ("cancel", "retry"):
        change = worker.cancel_job if args.queue_command == "cancel" else worker.retry_job
        queued = [change(lib, job_id) for job_id in args.jobs]
    elif args.queue_command == "transcribe":
        queued = [worker.queue_transcription(lib, app.resolve_target(lib, t).id, model=args.model,
                                             device=args.device, priority=args.priority)
                  for t in args.targets]  # fmt: skip
    else:
        options = clips.option_values(vars(args))  # refused before TARGET is imported
        recording = app.resolve_target(lib, args.target)
        start, end = export_request(lib, recording.id, args)
        queued = [worker.queue_export(lib, recording.id, start, end, Path(args.out), options,
                                      priority=args.priority)]  # fmt: skip
    if getattr(args, "json", False):
        print_json({"jobs": [j.to_json() for j in queued]})
    for job in queued:
        print(_job_line(job), file=sys.stderr if getattr(args, "json", False) else sys.stdout)
    return EXIT_OK


# --- the commands' arguments ---------------------------------------------------------------


def add_worker(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run queued transcriptions and exports (see `queue`)")
    p.add_argument("--name", metavar="N", help="this worker's name (default: host-pid; unique)")
    p.add_argument("--once", action="store_true", help="stop when nothing is queued or running")
    p.add_argument("--poll", type=float, default=2.0, metavar="S", help="seconds between looks")
    p.add_argument("--stale-after", type=float, default=60.0, metavar="S",
                   help="queue again a job whose worker has been silent this long")  # fmt: skip
    p.set_defaults(func=cmd_worker)


def add_queue(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", help="queue work for `bwvreview worker`; list or cancel jobs")
    qsub = p.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    q = qsub.add_parser("transcribe", help="queue transcriptions (paths are imported first)")
    q.add_argument("targets", nargs="+", metavar="TARGET", help=TARGET_HELP)
    q.add_argument("--model", metavar="NAME|DIR", help="faster-whisper model name or folder")
    q.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help=DEVICE_HELP)
    q = qsub.add_parser("export", help="queue an anonymised clip export")
    add_export_arguments(q, queue=True)
    for q in qsub.choices.values():
        q.add_argument("--priority", type=int, default=0, help="higher runs first")
        add_json(q)
    q = qsub.add_parser("list", help="queued, running and failed jobs")
    q.add_argument("--all", action="store_true", help="also done and cancelled jobs")
    add_json(q)
    for action in ("cancel", "retry"):
        q = qsub.add_parser(action, help=f"{action} jobs (retry: a failed or cancelled one)")
        q.add_argument("jobs", nargs="+", type=int, metavar="JOB")
    p.set_defaults(func=cmd_queue)
