"""Clips: `export-clip`, `verify-clip`, and their release to trainers, `clips list|approve|
reject`. The export flags are made from ``ExportOptions`` (``app.export_options``), as
`queue export`'s are."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwvreview import app
from bwvreview.cli.common import (
    EXIT_NOT_VERIFIED,
    EXIT_OK,
    TARGET_HELP,
    TIME_HELP,
    action,
    actions,
    add_json,
    arg,
    follow,
    fraction,
    later,
    open_library,
    print_json,
    print_records,
)
from bwvreview.timecode import parse_time_ms

if TYPE_CHECKING:
    from bwvreview.app import Library, findings


def add_export_arguments(p: argparse.ArgumentParser, *, queue: bool = False) -> None:
    """TARGET, the span, --out and a flag for each option a person may set (``Flag``)."""
    p.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    p.add_argument("--start", metavar="T", help=TIME_HELP)
    p.add_argument("--end", metavar="T", help=TIME_HELP)
    p.add_argument("--out", metavar="FILE.mp4", required=True, help="the clip to write (new)")
    later(p, lambda p: _add_export_flags(p, queue=queue))


def _add_export_flags(p: argparse.ArgumentParser, *, queue: bool) -> None:
    from bwvreview.app.clip_workflow import export_flags

    for flag, default in export_flags():
        if queue and not flag.on_queue:
            continue
        if flag.switch:
            p.add_argument(flag.name, action="store_true", help=flag.help)
        else:
            p.add_argument(flag.name, type=flag.value_type, choices=flag.choices,
                           default=default, metavar=flag.metavar, help=flag.help)  # fmt: skip


def export_request(lib: Library, recording_id: int, args: argparse.Namespace) -> tuple[int, int]:
    """The span asked for: --start and --end, or the --annotation's span (padding apart)."""
    from bwvreview.app.clip_workflow import export_span

    return export_span(
        lib, recording_id, annotation_id=args.annotation,
        start_ms=None if args.start is None else parse_time_ms(args.start),
        end_ms=None if args.end is None else parse_time_ms(args.end),
    )  # fmt: skip


def _describe_export(step: Any) -> str:
    eta = f", about {step.eta_s:.0f} s left" if step.eta_s else ""
    return f"export: {step.stage} {step.fraction:4.0%}{_faces_on(step)}{eta}"


def _faces_on(step: Any) -> str:
    device = getattr(step, "device", "")
    return f" (faces on {device})" if device else ""


def cmd_export_clip(args: argparse.Namespace) -> int:
    from bwvreview.app import clip_workflow as clips

    options = clips.export_options(vars(args))  # a bad --padding is refused before any work
    lib = open_library(args)
    # Every name is checked before a footage path is imported: a refusal stores nothing.
    clips.check_outputs(lib, args.target, Path(args.out), options.report_path)
    recording = app.resolve_target(lib, args.target)
    start, end = export_request(lib, recording.id, args)
    steps = clips.iter_export(lib, recording.id, start, end, Path(args.out), options)
    outcome = follow(steps, _describe_export)
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
    from bwvreview.app import clip_workflow as clips

    lib = open_library(args)
    steps = clips.iter_verify_file(lib, Path(args.clip))
    verification = follow(
        steps,
        lambda s: f"verify: {getattr(s, 'stage', 'hashing')} {fraction(s):4.0%}{_faces_on(s)}",
    )
    if args.json:
        print_json(verification.to_json())
    else:
        print("\n".join(clips.summary_lines(verification)))
    return EXIT_OK if verification.passed else EXIT_NOT_VERIFIED


def _clip_json(clip: findings.LibraryClip) -> dict[str, object]:
    return {
        "id": clip.clip_id,
        "state": clip.release_state,
        "state_words": clip.state_words,
        "category": clip.category_key,
        "category_label": clip.category_label,
        "span_ms": [clip.start_ms, clip.end_ms],
        "path": clip.clip_path,
        "sha256": clip.sha256,
        "verified": clip.verified,
        "overridden": clip.overridden,
        "override_reason": clip.override_reason,
        "exported_by": clip.exported_by,
        "decided_by": clip.decided_by,
        "decided_at": clip.decided_at.isoformat(timespec="seconds") if clip.decided_at else None,
        "decision_reason": clip.decision_reason,
    }


def _clip_line(clip: findings.LibraryClip) -> str:
    line = f"{clip.clip_id:>4}  {clip.state_words:<26}  {clip.category_label}"
    line += f"  ({Path(clip.clip_path).name})"
    if clip.exported_by:
        line += f"  exported by {clip.exported_by}"
    if clip.decided_by and clip.release_state in ("approved", "not_approved"):
        line += f"; {'approved' if clip.release_state == 'approved' else 'decided'} by"
        line += f" {clip.decided_by}"
    if clip.decision_reason and clip.release_state == "not_approved":
        line += f": {clip.decision_reason}"
    if clip.overridden:
        line += f"  [verification overridden: {clip.override_reason}]"
    return line


def _clips_list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import findings

    found = findings.release_clips(lib, args.state or ())
    return print_records(args, "clips", found, _clip_line, _clip_json, empty="No clips to show.")


def _clips_approve(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import clip_release

    record = clip_release.approve(lib, args.clip_id)
    print(f"clip {record.id} approved for trainers by {record.decided_by}")
    return EXIT_OK


def _clips_reject(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import clip_release

    record = clip_release.reject(lib, args.clip_id, args.reason)
    print(f"clip {record.id} not approved by {record.decided_by}: {record.decision_reason}")
    return EXIT_OK


# --- the commands' arguments ---------------------------------------------------------------


def add_export_clip(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-clip",
        help="cut an anonymised learning clip (faces, banner, personal data, metadata removed)",
    )
    add_export_arguments(p)
    p.set_defaults(func=cmd_export_clip)


def add_verify_clip(sub: argparse._SubParsersAction) -> None:
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
    add_json(p)
    p.set_defaults(func=cmd_verify_clip)


def add_clips(sub: argparse._SubParsersAction) -> None:
    csub = actions(
        sub, "clips",
        "release clips to trainers: a second person (TIP or admin) approves each one",
        description="A clip joins the trainers' library only when another TIP or an admin, "
        "not whoever exported it, has watched it and approved it. Refusals exit 3 with one "
        "line and change nothing.",
    )  # fmt: skip
    q = action(csub, "list", _clips_list, "clips you may see and their release state",
               with_json=False)  # fmt: skip
    later(q, _add_clip_states)  # --state, then --json
    clip_id = arg("clip_id", type=int, metavar="ID")
    action(csub, "approve", _clips_approve,
           "approve a clip you have watched (not your own export)", clip_id,
           with_json=False)  # fmt: skip
    action(csub, "reject", _clips_reject, "do not approve a clip (or withdraw one), saying why",
           clip_id, arg("--reason", required=True, metavar="TEXT", help="why (recorded)"),
           with_json=False)  # fmt: skip


def _add_clip_states(q: argparse.ArgumentParser) -> None:
    from bwvreview.app.findings import STATE_WORDS

    q.add_argument("--state", action="append", choices=tuple(STATE_WORDS),
                   help="only clips in this state (repeat for more)")  # fmt: skip
    add_json(q)
