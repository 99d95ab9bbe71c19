"""Footage in the library: `gui`, `demo`, `import`, `list`, `set-details`, `transcribe`,
`suggest` and `cue-stats`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bwvreview import app
from bwvreview.app.errors import BAD_INPUT
from bwvreview.cli.common import (
    DEVICE_HELP,
    EXIT_BAD_INPUT,
    EXIT_OK,
    TARGET_HELP,
    StderrProgress,
    add_json,
    follow,
    later,
    open_library,
    print_json,
    print_records,
    warn,
)
from bwvreview.timecode import span


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


def cmd_demo(args: argparse.Namespace) -> int:
    lib = open_library(args, demo_tip=True)
    recording = app.import_demo(lib)
    if args.no_gui:
        if app.transcripts.current_transcript(lib.db, recording.id) is None:
            _transcribe(lib, recording, None, "auto")
        print(recording.id)
        return EXIT_OK
    return _launch(args, open_recording=recording.id, as_demo_tip=True)


def _import_one(lib: app.Library, path: Path, args: argparse.Namespace) -> dict[str, Any]:
    steps = app.iter_import(lib, path, incident=args.incident, officer=args.officer)
    recording, created = StderrProgress().follow(
        steps, lambda step: f"{path.name}: {step.stage} {step.fraction:4.0%}"
    )
    return {**recording.to_json(), "created": created}


def cmd_import(args: argparse.Namespace) -> int:
    lib = open_library(args)
    imported, failed = [], 0
    for raw in args.paths:
        try:
            data = _import_one(lib, Path(raw), args)
        except BAD_INPUT as exc:
            warn(str(exc))
            failed += 1
            continue
        imported.append(data)
        if not args.json:
            verb = "imported" if data["created"] else "already in the library"
            print(f"{data['id']}\t{verb}\t{data['sha256']}\t{Path(data['path']).name}")
    if args.json:
        print_json(imported[0] if len(args.paths) == 1 and imported else {"recordings": imported})
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    lib = open_library(args)
    recordings = app.library.list_recordings(lib.db)
    empty = "The library is empty. Import footage with: bwvreview import FILE"
    return print_records(args, "recordings", recordings, _recording_line, empty=empty)


def _recording_line(r: Any) -> str:
    minutes, seconds = divmod(r.duration_ms // 1000, 60)
    return (
        f"{r.id}\t{r.status}\t{minutes}:{seconds:02d}\t{r.incident_reference or '-'}\t"
        f"{Path(r.path).name}"
    )


def cmd_set_details(args: argparse.Namespace) -> int:
    """The incident and officers of a recording after import (what the window's "Recording
    details…" sets, through the same app function)."""
    from bwvreview.app import recordings

    lib = open_library(args)
    recording = app.resolve_target(lib, args.target)
    incident = recording.incident_reference if args.incident is None else args.incident
    officers = list(recording.officers) if args.officers is None else args.officers
    changed = recordings.set_details(lib.db, recording.id, incident, officers, lib.actor)
    if args.json:
        print_json(changed.to_json())
    else:
        print(f"{changed.id}\t{changed.incident_reference or '-'}\t"
              f"{','.join(changed.officers) or '-'}\t{Path(changed.path).name}")  # fmt: skip
    return EXIT_OK


def _describe_transcribing(name: str) -> Callable[[Any], str]:
    def describe(step: Any) -> str:
        where = f" on {step.device}" if getattr(step, "device", None) else ""
        eta = f", about {step.eta_s:.0f} s left" if step.eta_s else ""
        return f"{name}: transcribing {step.fraction:4.0%}{where}{eta}"

    return describe


def _transcribe(
    lib: app.Library, recording: Any, model: str | None, device: str, hashed_now: bool = False
) -> Any:
    steps = app.iter_transcribe_and_store(lib, recording.id, model=model, device=device,
                                          hashed_now=hashed_now)  # fmt: skip
    return follow(steps, _describe_transcribing(Path(recording.path).name))


def cmd_transcribe(args: argparse.Namespace) -> int:
    from bwvreview.app import interchange
    from bwvreview.app.importing import resolve_target_hashed
    from bwvreview.app.transcription import chosen_device, device_label

    chosen_device(args.device)  # a mistyped BWVREVIEW_DEVICE: one line, nothing imported
    lib = open_library(args)
    fmt = "json" if args.json else args.format
    done: list[tuple[Any, Any]] = []
    failed = 0
    for target in args.targets:  # a queue: one failure does not stop the rest
        try:
            recording, hashed_now = resolve_target_hashed(lib, target)
            transcript = _transcribe(lib, recording, args.model, args.device, hashed_now)
        except BAD_INPUT as exc:
            warn(str(exc))
            failed += 1
            continue
        done.append((transcript, recording))
        words = len(transcript.words)
        where = device_label(transcript.device, transcript.compute_type)
        print(
            f"{Path(recording.path).name}: {len(transcript.segments)} segments, {words} words "
            f"({transcript.low_confidence_share:.0%} low confidence), model {transcript.model} "
            f"on {where}",
            file=sys.stderr,
        )
    if fmt == "json" and len(args.targets) > 1:
        print_json({"transcripts": [interchange.transcript_json(t, r) for t, r in done]})
    else:
        for transcript, recording in done:
            print(interchange.render_transcript(transcript, recording, fmt or "txt"))
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _print_moment(m: app.SuggestedMoment) -> None:
    from bwvreview.app import interchange

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
    lib = open_library(args)
    steps = app.iter_suggest(lib, args.target)
    result = follow(steps, _describe_transcribing(Path(args.target).name))
    if args.json:
        print_json({"suggestions": [m.to_json() for m in result.moments]})
    else:
        _print_moments(result)
    return EXIT_OK


def cmd_cue_stats(args: argparse.Namespace) -> int:
    """Which cues are noisy: suggestions per cue and how people decided them."""
    from bwvreview.app import findings

    lib = open_library(args)
    stats = findings.cue_statistics(lib)
    if args.json:
        print_json({"cues": [{"cue": s.cue_id, "category": s.category_key,
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


# --- the commands' arguments ---------------------------------------------------------------


def add_gui(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the app (the default)")
    p.set_defaults(func=cmd_gui)


def add_demo(sub: argparse._SubParsersAction) -> None:
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


def add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import footage (never modified; identified by SHA-256)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--incident", metavar="REF", help="incident reference to file it under")
    p.add_argument("--officer", metavar="ID", help="collar number of the wearing officer")
    add_json(p)
    p.set_defaults(func=cmd_import)


def add_set_details(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "set-details",
        help="file a recording under an incident and name its officers, after import",
        description="Set the incident reference and the officers (collar numbers) of a "
        "recording. What is not given is kept; --officer replaces the incident's officers "
        "(give it once per officer, or --officer '' for none); --incident '' takes the "
        "recording out of its incident.",
    )
    p.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    p.add_argument("--incident", metavar="REF", help="incident reference to file it under")
    p.add_argument(
        "--officer", metavar="ID", dest="officers", action="append",
        help="collar number of an officer in the incident (repeat for more)",
    )  # fmt: skip
    add_json(p)
    p.set_defaults(func=cmd_set_details)


def add_transcribe(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("transcribe", help="transcribe locally with Whisper, word by word")
    p.add_argument("targets", nargs="+", metavar="TARGET", help=TARGET_HELP)
    p.add_argument(
        "--model",
        metavar="NAME|DIR",
        help="faster-whisper model name or folder "
        "(default: BWVREVIEW_MODEL or the bundled tiny.en)",
    )
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help=DEVICE_HELP)
    later(p, _add_transcript_format)
    p.set_defaults(func=cmd_transcribe)


def _add_transcript_format(p: argparse.ArgumentParser) -> None:
    from bwvreview.app.interchange import TRANSCRIPT_FORMATS

    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the transcript as JSON")
    out.add_argument("--format", choices=TRANSCRIPT_FORMATS, help="output format (default: txt)")


def add_cue_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cue-stats", help="how often each cue's suggestions were accepted")
    add_json(p)
    p.set_defaults(func=cmd_cue_stats)


def add_list(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list the recordings in the library")
    add_json(p)
    p.set_defaults(func=cmd_list)


def add_suggest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("suggest", help="suggest moments to look at, from phrases in the transcript")
    p.add_argument(
        "target",
        metavar="TARGET",
        help="recording id, media path (transcribed first if needed), or a transcript "
        "file from `transcribe --json` (suggested without storing)",
    )
    add_json(p)
    p.set_defaults(func=cmd_suggest)
