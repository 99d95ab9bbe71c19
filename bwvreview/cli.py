"""The command line: argument parsing and printing only; the work is in ``bwvreview.app``.

Exit codes: see ``EXIT_CODES`` (shown by ``bwvreview --help``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import math
import os
import sys
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from bwvreview import __version__, app, cli_admin, locations
from bwvreview.annotations import review
from bwvreview.annotations.cues import suggestions
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.formats import interchange
from bwvreview.annotations.store import private_files
from bwvreview.annotations.store.db import busy_log
from bwvreview.app import clip_workflow as clips
from bwvreview.app.signin import sign_in_from_environment
from bwvreview.media.errors import MediaError
from bwvreview.timecode import clock, parse_time_ms, span

log = logging.getLogger("bwvreview")
T = TypeVar("T")

EXIT_OK, EXIT_FAULT, EXIT_USAGE, EXIT_BAD_INPUT = 0, 1, 2, 3
EXIT_NOT_VERIFIED = 4  # export-clip / verify-clip: the clip exists but failed a check
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT
EXIT_CODES = """exit codes:
  0    success
  1    an unexpected fault (one line here; the details go to the log file)
  2    usage error (an unknown command or option, a missing argument)
  3    bad input: unreadable media, an unknown id, a bad file or database;
       doctor: a problem that stops bwvreview doing its job
  4    a check failed: the clip failed verification (export-clip, verify-clip), the
       audit chain is broken (audit --verify), or a pack's clip changed (export-pack)
  130  interrupted (Ctrl+C); unfinished work was not stored"""
BAD_INPUT = (MediaError, DomainError)


class StderrProgress:
    """Progress on stderr: a rewritten line on a terminal, nothing when redirected."""

    def __init__(self, *, coarse_when_redirected: bool = False) -> None:
        self.live = sys.stderr.isatty()
        self.coarse = coarse_when_redirected and not self.live
        self._last = ""

    def show(self, text: str) -> None:
        if self.live and text != self._last:
            sys.stderr.write(f"\r{text:<70}")
            sys.stderr.flush()
            self._last = text
        elif self.coarse and text.split("%")[0][:-1] != self._last.split("%")[0][:-1]:
            # Redirected: one line per ten per cent, so a log shows progress without flooding.
            print(text, file=sys.stderr, flush=True)
            self._last = text

    def follow(self, steps: Generator[Any, None, T], describe: Callable[[Any], str]) -> T:
        """Run a progress generator, showing each step, and return its result."""
        try:
            while True:
                try:
                    self.show(describe(next(steps)))
                except StopIteration as finished:
                    return finished.value
        finally:
            self.done()

    def done(self) -> None:
        if self.live and self._last:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()
            self._last = ""


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _open(args: argparse.Namespace, *, demo_tip: bool = False) -> app.Library:
    """Open the library and sign in whoever BWVREVIEW_USER names (see ``app.signin``)."""
    lib = app.open_library(db_url=args.db, data_dir=args.data_dir)
    try:
        return sign_in_from_environment(lib, demo_tip=demo_tip)
    except DomainError:
        lib.close()  # refused before anything was done
        raise


def _import_one(lib: app.Library, path: Path, args: argparse.Namespace) -> dict[str, Any]:
    steps = app.iter_import(lib, path, incident=args.incident, officer=args.officer)
    recording, created = StderrProgress().follow(
        steps, lambda step: f"{path.name}: {step.stage} {step.fraction:4.0%}"
    )
    return {**recording.to_json(), "created": created}


def cmd_import(args: argparse.Namespace) -> int:
    lib = _open(args)
    imported, failed = [], 0
    for raw in args.paths:
        try:
            data = _import_one(lib, Path(raw), args)
        except BAD_INPUT as exc:
            print(f"bwvreview: {exc}", file=sys.stderr)
            failed += 1
            continue
        imported.append(data)
        if not args.json:
            verb = "imported" if data["created"] else "already in the library"
            print(f"{data['id']}\t{verb}\t{data['sha256']}\t{Path(data['path']).name}")
    if args.json:
        _print_json(imported[0] if len(args.paths) == 1 and imported else {"recordings": imported})
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    lib = _open(args)
    recordings = app.library.list_recordings(lib.db)
    if args.json:
        _print_json({"recordings": [r.to_json() for r in recordings]})
        return EXIT_OK
    if not recordings:
        print("The library is empty. Import footage with: bwvreview import FILE")
    for r in recordings:
        minutes, seconds = divmod(r.duration_ms // 1000, 60)
        print(
            f"{r.id}\t{r.status}\t{minutes}:{seconds:02d}\t{r.incident_reference or '-'}\t"
            f"{Path(r.path).name}"
        )
    return EXIT_OK


def _describe_transcribing(name: str) -> Callable[[Any], str]:
    def describe(step: Any) -> str:
        eta = f", about {step.eta_s:.0f} s left" if step.eta_s else ""
        return f"{name}: transcribing {step.fraction:4.0%}{eta}"

    return describe


def _transcribe(lib: app.Library, recording: Any, model: str | None, device: str) -> Any:
    steps = app.iter_transcribe_and_store(lib, recording.id, model=model, device=device)
    progress = StderrProgress(coarse_when_redirected=True)
    return progress.follow(steps, _describe_transcribing(Path(recording.path).name))


def _render(transcript: Any, recording: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            interchange.to_json(transcript, recording.duration_ms), indent=2, ensure_ascii=False
        )
    render = {"srt": interchange.to_srt, "vtt": interchange.to_vtt, "txt": interchange.to_txt}
    return render[fmt](transcript).rstrip("\n")


def cmd_transcribe(args: argparse.Namespace) -> int:
    lib = _open(args)
    fmt = "json" if args.json else args.format
    done: list[tuple[Any, Any]] = []
    failed = 0
    for target in args.targets:  # a queue: one failure does not stop the rest
        try:
            recording = app.resolve_target(lib, target)
            transcript = _transcribe(lib, recording, args.model, args.device)
        except BAD_INPUT as exc:
            print(f"bwvreview: {exc}", file=sys.stderr)
            failed += 1
            continue
        done.append((transcript, recording))
        words = len(transcript.words)
        print(
            f"{Path(recording.path).name}: {len(transcript.segments)} segments, {words} words "
            f"({transcript.low_confidence_share:.0%} low confidence), model {transcript.model} "
            f"on {transcript.device}/{transcript.compute_type}",
            file=sys.stderr,
        )
    if fmt == "json" and len(args.targets) > 1:
        _print_json({"transcripts": [interchange.to_json(t, r.duration_ms) for t, r in done]})
    else:
        for transcript, recording in done:
            print(_render(transcript, recording, fmt or "txt"))
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _print_moment(m: app.SuggestedMoment) -> None:
    state = "" if m.state in ("pending", "unsaved") else f" · {m.state}"
    print(f"\n{span(m.start_ms, m.end_ms)}  {m.label} · "
          f"{m.polarity.replace('_', ' ')} · {m.precision} precision{state}")  # fmt: skip
    print(f"    {interchange.speaker_label(m.speaker)}: “{m.text}”")
    print(f"    {m.prompt}")


def _print_moments(result: app.SuggestResult) -> None:
    moments = result.moments
    if not moments:
        print(f"{result.source}: no phrase cues found. That says nothing either way about the "
              "encounter; the footage still needs a person to review it.")  # fmt: skip
        return
    print(f"{result.source}: {len(moments)} moments to look at. These are prompts for a "
          "person to decide on, never verdicts.")  # fmt: skip
    first = [m for m in moments if m.priority]
    if first:
        print(f"\nLOOK AT THESE FIRST ({len(first)} priority welfare):")
        for m in first:
            _print_moment(m)
        print("\nIn time order:")
    for m in moments:
        if not m.priority:
            _print_moment(m)


def cmd_suggest(args: argparse.Namespace) -> int:
    lib = _open(args)
    steps = app.iter_suggest(lib, args.target)
    progress = StderrProgress(coarse_when_redirected=True)
    result = progress.follow(steps, _describe_transcribing(Path(args.target).name))
    if args.json:
        _print_json({"suggestions": [m.to_json() for m in result.moments]})
    else:
        _print_moments(result)
    return EXIT_OK


def cmd_cue_stats(args: argparse.Namespace) -> int:
    """Which cues are noisy: suggestions per cue and how people decided them."""
    lib = _open(args)
    stats = suggestions.cue_statistics(lib.db)
    if args.json:
        _print_json({"cues": [{"cue": s.cue_id, "category": s.category_key,
                               "suggested": s.suggested, "accepted": s.accepted,
                               "rejected": s.rejected, "pending": s.pending,
                               "acceptance": s.acceptance} for s in stats]})  # fmt: skip
        return EXIT_OK
    if not stats:
        print("No suggestions yet. Run: bwvreview suggest TARGET")
    for s in sorted(stats, key=lambda s: (s.acceptance is None, s.acceptance or 0)):
        share = f"{s.acceptance:.0%}" if s.acceptance is not None else "-"
        print(
            f"{s.cue_id:<32} {s.category_key:<26} suggested {s.suggested:>4}  accepted "
            f"{s.accepted:>4}  rejected {s.rejected:>4}  pending {s.pending:>4}  kept {share}"
        )
    return EXIT_OK


def _describe_export(step: Any) -> str:
    eta = f", about {step.eta_s:.0f} s left" if step.eta_s else ""
    return f"export: {step.stage} {step.fraction:4.0%}{eta}"


def _span_from_args(lib: app.Library, args: argparse.Namespace) -> tuple[int, int]:
    if args.annotation is not None:
        annotation = review.get_annotation(lib.db, args.annotation)
        start, end = annotation.start_ms, annotation.end_ms
    else:
        start, end = None, None
    if args.start is not None:
        start = parse_time_ms(args.start)
    if args.end is not None:
        end = parse_time_ms(args.end)
    if start is None or end is None:
        raise DomainError("give --start and --end (or --annotation ID for its span)")
    return start, end


def _padding_ms(seconds: float) -> int:
    """--padding as milliseconds; nan, inf, negative or absurd is bad input (one line)."""
    if not math.isfinite(seconds) or not 0 <= seconds * 1000 <= clips.MAX_PADDING_MS:
        raise MediaError(
            f"--padding {seconds:g} is not allowed: give 0 to {clips.MAX_PADDING_MS // 1000}"
            " seconds"
        )
    return round(seconds * 1000)


def cmd_export_clip(args: argparse.Namespace) -> int:
    padding_ms = _padding_ms(args.padding)
    lib = _open(args)
    report = Path(args.report) if args.report else None
    # Every name is checked before a footage path is imported: a refusal stores nothing.
    clips.check_outputs(lib, args.target, Path(args.out), report)
    recording = app.resolve_target(lib, args.target)
    start, end = _span_from_args(lib, args)
    options = clips.ExportOptions(
        faces=args.faces,
        keep_overlay=args.keep_overlay,
        bleep=args.bleep,
        audio_mode="mute" if args.mute else "bleep",
        voice_disguise=args.voice_disguise,
        keep_metadata=args.keep_metadata,
        captions=args.captions,
        opening_card=args.card,
        padding_ms=padding_ms,
        annotation_id=args.annotation,
        report_path=report,
    )
    steps = clips.iter_export(lib, recording.id, start, end, Path(args.out), options)
    outcome = StderrProgress(coarse_when_redirected=True).follow(steps, _describe_export)
    record = clips.store_export(lib, outcome)
    text_report = clips.text_report_for(outcome.report_path)
    print(f"wrote {outcome.path}, its report {outcome.report_path} and a readable copy "
          f"{text_report}")  # fmt: skip
    if outcome.verification is not None:
        print("\n".join(clips.summary_lines(outcome.verification)))
        if not outcome.verification.passed:
            print(
                f"bwvreview: the clip failed verification; it was saved as {outcome.path.name},"
                " is marked so, and trainers will not see it",
                file=sys.stderr,
            )
            return EXIT_NOT_VERIFIED
        print(f"clip {record.id} waits for another TIP or an admin to watch and approve it"
              f" (bwvreview clips approve {record.id}) before trainers see it")  # fmt: skip
    return EXIT_OK


def cmd_verify_clip(args: argparse.Namespace) -> int:
    lib = _open(args)
    steps = clips.iter_verify_file(lib, Path(args.clip))
    progress = StderrProgress(coarse_when_redirected=True)
    verification = progress.follow(
        steps, lambda s: f"verify: {getattr(s, 'stage', 'hashing')} {_fraction(s):4.0%}"
    )
    if args.json:
        _print_json(verification.to_json())
    else:
        print("\n".join(clips.summary_lines(verification)))
    return EXIT_OK if verification.passed else EXIT_NOT_VERIFIED


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued jobs until stopped (SIGTERM: at once; Ctrl+C: after the running job)."""
    import datetime as dt
    import threading

    from bwvreview.app import batch_worker as worker

    lib = _open(args)
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
    from bwvreview.annotations import jobs
    from bwvreview.app import batch_worker as worker

    lib = _open(args)
    if args.queue_command == "list":
        listed = jobs.list_jobs(lib.db, None if args.all else ("queued", "running", "failed"))
        if args.json:
            _print_json({"jobs": [j.to_json() for j in listed]})
        elif not listed:
            print("No jobs. Queue some with: bwvreview queue transcribe TARGET")
        for job in [] if args.json else listed:
            print(_job_line(job))
        return EXIT_OK
    if args.queue_command in ("cancel", "retry"):
        change = jobs.cancel if args.queue_command == "cancel" else jobs.retry
        queued = [change(lib.db, job_id, lib.actor) for job_id in args.jobs]
    elif args.queue_command == "transcribe":
        queued = [worker.queue_transcription(lib, app.resolve_target(lib, t).id, model=args.model,
                                             device=args.device, priority=args.priority)
                  for t in args.targets]  # fmt: skip
    else:
        recording = app.resolve_target(lib, args.target)
        start, end = _span_from_args(lib, args)
        options = {"faces": args.faces, "keep_overlay": args.keep_overlay, "bleep": args.bleep,
                   "audio_mode": "mute" if args.mute else "bleep", "captions": args.captions,
                   "keep_metadata": args.keep_metadata, "voice_disguise": args.voice_disguise,
                   "opening_card": args.card, "padding_ms": round(args.padding * 1000),
                   "annotation_id": args.annotation}  # fmt: skip
        queued = [worker.queue_export(lib, recording.id, start, end, Path(args.out), options,
                                      priority=args.priority)]  # fmt: skip
    if getattr(args, "json", False):
        _print_json({"jobs": [j.to_json() for j in queued]})
    for job in queued:
        print(_job_line(job), file=sys.stderr if getattr(args, "json", False) else sys.stdout)
    return EXIT_OK


def _interchange_format(args: argparse.Namespace) -> str:
    fmt = args.format or Path(args.out).suffix.lower().lstrip(".")
    if fmt not in ("eaf", "csv"):
        raise DomainError(f"{args.out}: say --format eaf or --format csv")
    return fmt


def cmd_export_annotations(args: argparse.Namespace) -> int:
    from bwvreview.annotations.formats import annotation_csv, elan

    lib = _open(args)
    fmt = _interchange_format(args)
    recording = app.resolve_target(lib, args.target)
    export = elan.export_eaf if fmt == "eaf" else annotation_csv.export_csv
    count = export(lib.db, recording.id, Path(args.out), lib.codebook_id, args.author)
    print(f"wrote {args.out}: {count} annotations ({fmt})")
    return EXIT_OK


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from bwvreview.annotations.formats import elan, elan_import

    lib = _open(args)
    elan.read_eaf(Path(args.file))  # a bad file is refused before TARGET is imported
    recording = app.resolve_target(lib, args.target)
    result = elan_import.import_eaf(lib.db, recording.id, Path(args.file),
                                    codebook_id=lib.codebook_id, actor=lib.actor,
                                    author=args.author)  # fmt: skip
    if args.json:
        _print_json({"recording": result.recording_id, "author": result.author or None,
                     "author_id": result.author_id, "created": result.created,
                     "skipped": result.skipped})  # fmt: skip
    else:
        print(f"recording {result.recording_id}: {result.created} annotations imported"
              f"{' for ' + result.author if result.author else ''}, {result.skipped} already "
              "there")  # fmt: skip
    return EXIT_OK


def cmd_agreement(args: argparse.Namespace) -> int:
    from bwvreview.annotations.learning import agreement

    lib = _open(args)
    recording = app.resolve_target(lib, args.target)
    a = agreement.find_annotator(lib.db, recording.id, args.between)
    b = agreement.find_annotator(lib.db, recording.id, args.other)
    report = agreement.compare(lib.db, recording.id, a, b, lib.codebook_id)
    if args.json:
        _print_json(report.to_json())
        return EXIT_OK
    c = report.comparison
    print(f"{a.name} ({a.annotations} annotations) and {b.name} ({b.annotations}) on recording "
          f"{recording.id}, compared second by second ({c.units} s):\n")  # fmt: skip
    for p in c.principles:
        kappa = "  n/a" if p.result.kappa is None else f"{p.result.kappa:5.2f}"
        print(f"  {p.label:<24} kappa {kappa}  {p.reading}")
    print(f"\n{len(c.differences)} places where they differ:")
    for d in c.differences:
        print(f"  {span(d.start_ms, d.end_ms)}  {a.name}: {report.said(d.a)}  |  "
              f"{b.name}: {report.said(d.b)}")  # fmt: skip
    return EXIT_OK


def _audit_day(text: str | None) -> Any:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise DomainError(f"{text!r} is not a date: use YYYY-MM-DD") from exc


def cmd_audit(args: argparse.Namespace) -> int:
    from bwvreview.annotations.audit import entries as audit_log

    lib = _open(args)
    if args.verify:
        report = audit_log.verify(lib.db)
        if args.json:
            _print_json(report.to_json())
        else:
            print(report.summary)
        return EXIT_OK if report.ok else EXIT_NOT_VERIFIED
    since, until = _audit_day(args.since), _audit_day(args.until)
    filters = audit_log.AuditFilter(args.actor, args.action, since, until)
    page = audit_log.list_events(lib.db, filters, limit=args.limit)
    if args.json:
        _print_json({"total": page.total, "events": [e.to_json() for e in page.entries]})
        return EXIT_OK
    for e in page.entries:
        details = json.dumps(e.details, ensure_ascii=False, sort_keys=True)
        print(f"{e.id}\t{e.at:%Y-%m-%d %H:%M:%S}Z\t{e.actor}\t{e.action}\t{e.object}\t{details}")
    return EXIT_OK


def _day(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_search(args: argparse.Namespace) -> int:
    from bwvreview.annotations import search

    query = " ".join(args.query)  # `search calm -shouting` is one query, as typed in the window
    lib = _open(args)
    hits = search.search(
        lib.db, query, categories=args.category, principles=args.principle,
        polarity=args.polarity, officer=args.officer, date_from=args.date_from,
        date_to=args.date_to, statuses=args.status, kinds=args.kind or search.KINDS,
        limit=args.limit,
    )  # fmt: skip
    if args.json:
        _print_json({"query": query, "hits": [h.to_json() for h in hits]})
        return EXIT_OK
    if not hits:
        print("Nothing found.", file=sys.stderr)
    for h in hits:
        what = h.category_key if h.kind == "annotation" else h.speaker
        print(f"{h.recording_id}\t{clock(h.start_ms, tenths=True)}\t{h.kind}\t{what}\t"
              f"{h.incident_reference or '-'}\t{h.snippet}")  # fmt: skip
    return EXIT_OK


def _fraction(step: Any) -> float:
    return float(getattr(step, "fraction", step) or 0.0)


def cmd_export_pack(args: argparse.Namespace) -> int:
    """A training pack as an offline folder: clips, captions, index.html, pack.json (+ PDF)."""
    from bwvreview.app import training_pack

    lib = _open(args)
    steps = training_pack.iter_export_pack(lib, args.pack_id, Path(args.out), pdf=args.pdf)
    try:
        result = StderrProgress(coarse_when_redirected=True).follow(
            steps, lambda f: f"export-pack: {f:4.0%}"
        )
    except training_pack.ClipChanged as exc:
        print(f"bwvreview: {exc}", file=sys.stderr)
        return EXIT_NOT_VERIFIED
    for notice in result.notices:
        print(f"bwvreview: note: {notice}", file=sys.stderr)
    if args.json:
        pdf = str(result.pdf) if result.pdf else None
        seconds = round(result.seconds, 2)
        _print_json({"folder": str(result.folder), "clips": result.clips, "pdf": pdf,
                     "notices": list(result.notices), "seconds": seconds})  # fmt: skip
    else:
        extra = ", handout.pdf" if result.pdf else ""
        print(f"wrote {result.folder} ({result.clips} clips{extra});"
              f" open {result.folder / 'index.html'} in a browser")  # fmt: skip
    return EXIT_OK


def cmd_case_study(args: argparse.Namespace) -> int:
    """A de-personalised case study of an incident or recording, as Markdown (and PDF)."""
    from bwvreview.app import case_study

    lib = _open(args)
    pdf = Path(args.pdf) if args.pdf else None
    study = case_study.write_case_study(lib, args.target, Path(args.out), pdf)
    written = f"{args.out} and {pdf}" if pdf else args.out
    print(f"wrote {written}: {len(study.moments)} moments, {len(study.reflections)} shared"
          " reflections")  # fmt: skip
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    lib = _open(args, demo_tip=True)
    recording = app.import_demo(lib)
    if args.no_gui:
        if app.transcripts.current_transcript(lib.db, recording.id) is None:
            _transcribe(lib, recording, None, "auto")
        print(recording.id)
        return EXIT_OK
    return _launch(args, open_recording=recording.id, as_demo_tip=True)


def _qt_section() -> Any:
    """Qt's part of the report (the only Qt doctor needs, so imported only here)."""
    from bwvreview.app.doctor import PROBLEM, Item, Section

    try:
        from bwvreview.ui.about import about_qt
    except ImportError as exc:  # a broken PySide6: the window cannot open
        return Section("Qt", [Item("Qt", f"cannot be loaded ({exc})", PROBLEM)])
    return about_qt()


def cmd_doctor(args: argparse.Namespace) -> int:
    """What bwvreview runs and finds, for whoever supports you; nothing is changed."""
    from bwvreview.app import doctor

    sections = [*doctor.gather(args.data_dir, args.db), _qt_section()]
    if args.json:
        _print_json(doctor.to_json(sections))
    else:
        print(doctor.to_text(sections))
    return doctor.exit_code(sections)


def cmd_admin(args: argparse.Namespace) -> int:
    return cli_admin.run(_open(args), args)


def cmd_gui(args: argparse.Namespace) -> int:
    return _launch(args)


def _launch(
    args: argparse.Namespace, open_recording: int | None = None, as_demo_tip: bool = False
) -> int:
    # Qt is imported only when a window is wanted, and its chatter goes to the log file from
    # before Qt Multimedia loads (it speaks while loading).
    from bwvreview.ui.native_output import quiet_terminal

    with quiet_terminal():
        from bwvreview.ui.launch import launch

        return launch(db_url=args.db, data_dir=args.data_dir, open_recording=open_recording,
                      as_demo_tip=as_demo_tip)  # fmt: skip


DEVICE_HELP = ("where Whisper runs: auto uses an NVIDIA GPU (CUDA) when CTranslate2 finds one, "
               "else the CPU (default: auto)")  # fmt: skip
FACES_HELP = ("how faces are hidden: blur (default), pixelate, box (a solid box) or none "
              "(left visible: only for footage in which no one could be recognised)")  # fmt: skip


class _Parser(argparse.ArgumentParser):
    """argparse, except that a command may take words that begin with '-'.

    For `search`, `-shouting` is the query syntax's "leave this word out", not an option:
    any argument with one leading '-' that is not one of the command's own options is a
    word of the query (so `search -calm`, `search -- -calm` and `search "-calm"` agree). An
    unknown `--option` is still a usage error, so a mistyped `--lmit` is not searched for.
    """

    words_may_start_with_dash = False

    def _parse_optional(self, arg_string: str) -> Any:
        if (
            self.words_may_start_with_dash
            and arg_string.startswith("-")
            and not arg_string.startswith("--")
            and arg_string not in self._option_string_actions
        ):
            return None
        return super()._parse_optional(arg_string)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bwvreview",
        description="Trauma-informed review of body-worn video, entirely on this machine.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bwvreview {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: BWVREVIEW_DB or a SQLite file in the data folder)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: BWVREVIEW_DATA or the per-user data folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the app (the default)")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser(
        "demo",
        help="import the bundled demo incident and open it",
        description="Import the bundled demo footage (once), add the demo people and an example "
        "review by a demo TIP, and open it in the review workspace as that TIP.",
    )
    p.add_argument(
        "--no-gui",
        action="store_true",
        help="no window: import and seed the demo, transcribe it if it has no transcript yet "
        "(a few seconds with the bundled model), then print its recording id",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="import footage (never modified; identified by SHA-256)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--incident", metavar="REF", help="incident reference to file it under")
    p.add_argument("--officer", metavar="ID", help="collar number of the wearing officer")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("transcribe", help="transcribe locally with Whisper, word by word")
    p.add_argument("targets", nargs="+", metavar="TARGET", help="recording id or media path")
    p.add_argument(
        "--model",
        metavar="NAME|DIR",
        help="faster-whisper model name or folder "
        "(default: BWVREVIEW_MODEL or the bundled tiny.en)",
    )
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help=DEVICE_HELP)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the transcript as JSON")
    out.add_argument(
        "--format", choices=("srt", "vtt", "txt", "json"), help="output format (default: txt)"
    )
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("cue-stats", help="how often each cue's suggestions were accepted")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_cue_stats)

    p = sub.add_parser("list", help="list the recordings in the library")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("suggest", help="suggest moments to look at, from phrases in the transcript")
    p.add_argument(
        "target",
        metavar="TARGET",
        help="recording id, media path (transcribed first if needed), or a transcript "
        "file from `transcribe --json` (suggested without storing)",
    )
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser(
        "export-clip",
        help="cut an anonymised learning clip (faces, banner, personal data, metadata removed)",
    )
    p.add_argument("target", metavar="TARGET", help="recording id or media path")
    p.add_argument("--start", metavar="T", help="seconds (12.5) or HH:MM:SS(.mmm)")
    p.add_argument("--end", metavar="T", help="seconds (12.5) or HH:MM:SS(.mmm)")
    p.add_argument("--out", metavar="FILE.mp4", required=True, help="the clip to write (new)")
    p.add_argument("--faces", choices=("blur", "pixelate", "box", "none"), default="blur",
                   help=FACES_HELP)  # fmt: skip
    p.add_argument("--keep-overlay", action="store_true", help="keep the burned-in banner")
    p.add_argument(
        "--bleep",
        choices=("auto", "none"),
        default="auto",
        help="auto: bleep every personal-data hit in the span (default)",
    )
    p.add_argument("--keep-metadata", action="store_true", help="keep the source's tags")
    p.add_argument("--captions", action="store_true", help="burn in redacted captions")
    p.add_argument(
        "--report",
        metavar="FILE.json",
        help="where to write the anonymisation report (default: beside the clip); a readable "
        "copy FILE.txt is written beside it",
    )
    p.add_argument(
        "--annotation",
        type=int,
        metavar="ID",
        help="take the span (and the opening card) from this annotation",
    )
    p.add_argument(
        "--padding",
        type=float,
        default=0.0,
        metavar="S",
        help="seconds added before and after the span",
    )
    p.add_argument(
        "--card",
        action="store_true",
        help="open with a card: the annotation's category, principle, note",
    )
    p.add_argument("--mute", action="store_true", help="silence personal data instead of a bleep")
    p.add_argument("--voice-disguise", action="store_true", help="shift the pitch of all voices")
    p.set_defaults(func=cmd_export_clip)

    p = sub.add_parser(
        "verify-clip",
        help="check any clip for faces, names, tags and sync",
        description="Check a clip from the file alone, as a sceptical reviewer would: every "
        "frame through the face detector again, the sound transcribed again and searched for "
        "the redacted items and any personal data, the file's tags listed, picture and sound "
        "checked for length and sync, sampled frames checked for a readable banner. A clip "
        "exported here (found by its SHA-256) is checked with the options it was made with. "
        "Exit 0 if it passes, 4 if it fails a check.",
    )
    p.add_argument("clip", metavar="FILE.mp4")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_verify_clip)

    p = sub.add_parser("export-pack", help="export a training pack as an offline folder")
    p.add_argument("pack_id", type=int, metavar="PACK_ID")
    p.add_argument("--out", metavar="DIR", required=True, help="the folder to create (new)")
    p.add_argument("--pdf", action="store_true", help="also write the printable handout.pdf")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_export_pack)

    p = sub.add_parser("case-study", help="write a de-personalised case study (Markdown, PDF)")
    p.add_argument("target", metavar="INCIDENT_OR_RECORDING", help="incident reference or id")
    p.add_argument("--out", metavar="FILE.md", required=True)
    p.add_argument("--pdf", metavar="FILE.pdf", help="also write the case study as a PDF")
    p.set_defaults(func=cmd_case_study)

    p = sub.add_parser("export-annotations", help="write a recording's annotations as ELAN or CSV")
    p.add_argument("target", metavar="TARGET", help="recording id or media path")
    p.add_argument("--format", choices=("eaf", "csv"), help="default: from the --out suffix")
    p.add_argument("--out", metavar="FILE", required=True, help="the .eaf or .csv to write")
    p.add_argument("--author", metavar="NAME", help="only this person's annotations")
    p.set_defaults(func=cmd_export_annotations)

    p = sub.add_parser("import-annotations", help="add the coded moments of an ELAN .eaf file")
    p.add_argument("target", metavar="TARGET", help="recording id or media path")
    p.add_argument("file", metavar="FILE.eaf")
    p.add_argument("--author", metavar="NAME", help="the TIP who coded them (made if new)")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_import_annotations)

    p = sub.add_parser("agreement", help="Cohen's kappa per principle between two TIPs")
    p.add_argument("target", metavar="TARGET", help="recording id or media path")
    p.add_argument("--between", metavar="A", required=True, help="first TIP (name or user id)")
    p.add_argument("--and", dest="other", metavar="B", required=True, help="second TIP")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_agreement)

    p = sub.add_parser("audit", help="the audit log (admins); --verify checks the hash chain")
    p.add_argument(
        "--verify", action="store_true", help="check the keyed chain and its signed checkpoint "
        "(exit 4 if not intact)"
    )  # fmt: skip
    p.add_argument("--actor", help="only this actor's events")
    p.add_argument("--action", help="only this action")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="from this UTC day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="up to and including this UTC day")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="newest N (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("search", help="full-text search of transcripts and annotations")
    p.words_may_start_with_dash = True
    p.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words (all must match), "a phrase", prefix*, OR, -word to leave out (may come '
        "first: search -shouting calm)",
    )
    p.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="KEY",
        help="annotations of this codebook category (repeatable)",
    )
    p.add_argument(
        "--principle",
        action="append",
        default=[],
        metavar="KEY",
        help="annotations under this principle (repeatable)",
    )
    p.add_argument("--polarity", choices=("concern", "good_practice", "observation"))
    p.add_argument("--officer", metavar="COLLAR", help="incidents of this officer")
    p.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD")
    p.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        help="recording review status (repeatable)",
    )
    p.add_argument(
        "--kind",
        action="append",
        choices=("transcript", "annotation"),
        help="only transcript lines or only annotations",
    )
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N hits")
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_search)

    cli_admin.add_parsers(sub)
    for name in ("users", "codebook", "clips"):
        sub.choices[name].set_defaults(func=cmd_admin)

    p = sub.add_parser("worker", help="run queued transcriptions and exports (see `queue`)")
    p.add_argument("--name", metavar="N", help="this worker's name (default: host-pid; unique)")
    p.add_argument("--once", action="store_true", help="stop when nothing is queued or running")
    p.add_argument("--poll", type=float, default=2.0, metavar="S", help="seconds between looks")
    p.add_argument("--stale-after", type=float, default=60.0, metavar="S",
                   help="queue again a job whose worker has been silent this long")  # fmt: skip
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("queue", help="queue work for `bwvreview worker`; list or cancel jobs")
    qsub = p.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    q = qsub.add_parser("transcribe", help="queue transcriptions (paths are imported first)")
    q.add_argument("targets", nargs="+", metavar="TARGET", help="recording id or media path")
    q.add_argument("--model", metavar="NAME|DIR", help="faster-whisper model name or folder")
    q.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help=DEVICE_HELP)
    q = qsub.add_parser("export", help="queue an anonymised clip export")
    q.add_argument("target", metavar="TARGET", help="recording id or media path")
    q.add_argument("--start", metavar="T", help="seconds (12.5) or HH:MM:SS(.mmm)")
    q.add_argument("--end", metavar="T", help="seconds (12.5) or HH:MM:SS(.mmm)")
    q.add_argument("--out", metavar="FILE.mp4", required=True, help="the clip to write (new)")
    q.add_argument("--faces", choices=("blur", "pixelate", "box", "none"), default="blur",
                   help=FACES_HELP)  # fmt: skip
    q.add_argument("--bleep", choices=("auto", "none"), default="auto", help="as for export-clip")
    q.add_argument("--annotation", type=int, metavar="ID", help="the span of this annotation")
    q.add_argument("--padding", type=float, default=0.0, metavar="S")
    for flag in ("--keep-overlay", "--keep-metadata", "--captions", "--card", "--mute",
                 "--voice-disguise"):  # fmt: skip
        q.add_argument(flag, action="store_true", help="as for export-clip")
    for q in qsub.choices.values():
        q.add_argument("--priority", type=int, default=0, help="higher runs first")
        q.add_argument("--json", action="store_true", help="print JSON on stdout")
    q = qsub.add_parser("list", help="queued, running and failed jobs")
    q.add_argument("--all", action="store_true", help="also done and cancelled jobs")
    q.add_argument("--json", action="store_true", help="print JSON on stdout")
    for action in ("cancel", "retry"):
        q = qsub.add_parser(action, help=f"{action} jobs (retry: a failed or cancelled one)")
        q.add_argument("jobs", nargs="+", type=int, metavar="JOB")
    p.set_defaults(func=cmd_queue)

    p = sub.add_parser(
        "doctor",
        help="what bwvreview runs and finds here, for whoever supports you",
        description="Report versions, the ffmpeg, models and devices each stage uses, the "
        "library's location and schema, and Qt's playback and sound devices. Nothing is "
        "changed. Lines beginning PROBLEM: stop bwvreview working (exit 3); WARNING: lines "
        "make something work less well.",
    )
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(func=cmd_doctor)
    _describe_every_command(parser)
    return parser


def _describe_every_command(parser: argparse.ArgumentParser) -> None:
    """A command's --help opens with its one-line summary unless it has a description."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help for choice in action._choices_actions}
            for name, command in action.choices.items():
                if command.description is None and summaries.get(name):
                    summary = summaries[name]
                    command.description = summary[0].upper() + summary[1:] + "."
                _describe_every_command(command)


_installed_handlers: list[logging.Handler] = []


def _setup_logging(args: argparse.Namespace) -> Path | None:
    """Warnings (details with -v) to stderr, one line each; tracebacks only to the log file."""
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if args.verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(lambda record: not record.exc_info)
    console.addFilter(lambda record: record.name != busy_log.name)
    # "the library is busy…" as a plain line: a person is waiting and should know why.
    busy = logging.StreamHandler(sys.stderr)
    busy.setFormatter(logging.Formatter("bwvreview: %(message)s"))
    busy.addFilter(lambda record: record.name == busy_log.name)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for old in _installed_handlers:  # main() may run more than once in one process
        root.removeHandler(old)
        old.close()
    _installed_handlers[:] = [console, busy]
    root.addHandler(console)
    root.addHandler(busy)
    try:
        logs = locations.data_dir(args.data_dir) / "logs"
        private_files.make_private_dir(logs)
        private_files.create_private_file(logs / "bwvreview.log")  # 0600, whatever the umask
        handler = logging.FileHandler(logs / "bwvreview.log", encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _installed_handlers.append(handler)
    return logs / "bwvreview.log"


def _interrupted() -> int:
    print("bwvreview: interrupted; unfinished work was not stored", file=sys.stderr)
    return EXIT_INTERRUPTED


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Ctrl+C that a library turned into an error of its own: pressed while onnxruntime was
    being imported, it surfaces as faster-whisper's RuntimeError about onnxruntime."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


# Queues of paths: the workflow refuses each bad name alone and goes on with the rest.
_CHECKED_PER_ITEM = {"paths", "targets"}
_PATH_ARGS = {"data_dir", "db", "target", "clip", "file", "out", "report", "pdf", "model"}


def _not_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes the terminal or file system gave in another encoding
        return True
    return False


def _check_text(args: argparse.Namespace) -> None:
    """Refuse arguments and BWVREVIEW_* variables that are not UTF-8 before any work: they
    cannot be stored, logged or printed (today they ended in a fault or a logging traceback)."""
    for name in sorted(os.environ):
        if name.startswith("BWVREVIEW_") and _not_utf8(os.environ[name]):
            raise DomainError(f"the environment variable {name} is not valid UTF-8 text")
    for dest, value in vars(args).items():
        if dest in _CHECKED_PER_ITEM:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and _not_utf8(text):
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                what, fix = (("the file or folder name", "rename it") if dest in _PATH_ARGS
                             else ("this text", "type it again"))  # fmt: skip
                raise DomainError(f"{shown[:200]}: {what} is not valid UTF-8 text; {fix}")


def _keep_private(data: Path | None) -> None:
    """Make what bwvreview keeps in the data folder readable by this user only (POSIX)."""
    if data is None:
        return
    changed = locations.tighten_data_dir(data)
    if changed:
        shown = ", ".join(str(p.relative_to(data)) for p in changed[:20])
        log.info("made %d file(s) or folder(s) in %s readable by this user only: %s",
                 len(changed), data, shown)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_gui)
    try:
        _check_text(args)
        # Checked before any work; doctor changes nothing and reports a bad folder itself.
        data = None if func is cmd_doctor else locations.prepare_data_dir(args.data_dir)
    except BAD_INPUT as exc:
        print(f"bwvreview: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    log_path = _setup_logging(args)
    try:
        _keep_private(data)  # a library made before bwvreview kept it private
        return func(args)
    except BAD_INPUT as exc:
        print(f"bwvreview: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person at a prompt
        if _caused_by_interrupt(exc):
            return _interrupted()
        log.exception("unexpected fault")
        where = f" (details in {log_path})" if log_path else ""
        print(f"bwvreview: unexpected fault: {exc.__class__.__name__}{where}", file=sys.stderr)
        return EXIT_FAULT
    finally:
        with contextlib.suppress(OSError):
            _keep_private(data)  # what this command wrote there (a cache, a backup)
