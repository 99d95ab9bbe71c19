"""Learning from the library: `search`, `agreement`, `case-study`, `export-pack`, and
annotations in and out of ELAN or a spreadsheet (`export-annotations`,
`import-annotations`)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bwvreview import app
from bwvreview.cli.common import (
    EXIT_NOT_VERIFIED,
    EXIT_OK,
    TARGET_HELP,
    add_json,
    follow,
    later,
    open_library,
    print_json,
    warn,
)
from bwvreview.timecode import clock, span


def cmd_search(args: argparse.Namespace) -> int:
    from bwvreview.app import findings

    query = " ".join(args.query)  # `search calm -shouting` is one query, as typed in the window
    lib = open_library(args)
    hits = findings.search(
        lib, query, categories=args.category, principles=args.principle,
        polarity=args.polarity, officer=args.officer, date_from=args.date_from,
        date_to=args.date_to, statuses=args.status, kinds=args.kind or findings.SEARCH_KINDS,
        limit=args.limit,
    )  # fmt: skip
    if args.json:
        print_json({"query": query, "hits": [h.to_json() for h in hits]})
        return EXIT_OK
    if not hits:
        print("Nothing found.", file=sys.stderr)
    for h in hits:
        what = {"annotation": h.category_key, "practice": h.record}.get(h.kind, h.speaker)
        where = h.recording_id if h.recording_id is not None else h.record_id
        print(f"{where}\t{clock(h.start_ms, tenths=True)}\t{h.kind}\t{what}\t"
              f"{h.incident_reference or '-'}\t{h.snippet}")  # fmt: skip
    return EXIT_OK


def cmd_agreement(args: argparse.Namespace) -> int:
    from bwvreview.app import findings

    lib = open_library(args)
    recording = app.resolve_target(lib, args.target)
    report = findings.agreement(lib, recording.id, args.between, args.other)
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    a, b, c = report.a, report.b, report.comparison
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


def cmd_export_pack(args: argparse.Namespace) -> int:
    """A training pack as an offline folder: clips, captions, index.html, pack.json (+ PDF)."""
    from bwvreview.app import training_pack  # the HTML and PDF writers, only when asked

    lib = open_library(args)
    steps = training_pack.iter_export_pack(lib, args.pack_id, Path(args.out), pdf=args.pdf)
    try:
        result = follow(steps, lambda f: f"export-pack: {f:4.0%}")
    except training_pack.ClipChanged as exc:
        warn(str(exc))
        return EXIT_NOT_VERIFIED
    for notice in result.notices:
        warn(f"note: {notice}")
    if args.json:
        pdf = str(result.pdf) if result.pdf else None
        seconds = round(result.seconds, 2)
        print_json({"folder": str(result.folder), "clips": result.clips, "pdf": pdf,
                    "notices": list(result.notices), "seconds": seconds})  # fmt: skip
    else:
        extra = ", handout.pdf" if result.pdf else ""
        print(f"wrote {result.folder} ({result.clips} clips{extra});"
              f" open {result.folder / 'index.html'} in a browser")  # fmt: skip
    return EXIT_OK


def cmd_case_study(args: argparse.Namespace) -> int:
    """A de-personalised case study of an incident or recording, as Markdown (and PDF)."""
    from bwvreview.app import case_study

    lib = open_library(args)
    pdf = Path(args.pdf) if args.pdf else None
    study = case_study.write_case_study(lib, args.target, Path(args.out), pdf)
    written = f"{args.out} and {pdf}" if pdf else args.out
    print(f"wrote {written}: {len(study.moments)} moments, {len(study.reflections)} shared"
          " reflections")  # fmt: skip
    return EXIT_OK


def cmd_export_annotations(args: argparse.Namespace) -> int:
    from bwvreview.app import interchange

    lib = open_library(args)
    fmt = interchange.annotation_format(args.out, args.format)
    recording = app.resolve_target(lib, args.target)
    count = interchange.export_annotations(lib, recording.id, Path(args.out), fmt, args.author)
    print(f"wrote {args.out}: {count} annotations ({fmt})")
    return EXIT_OK


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from bwvreview.app import interchange

    lib = open_library(args)
    interchange.check_eaf(Path(args.file))  # a bad file is refused before TARGET is imported
    recording = app.resolve_target(lib, args.target)
    result = interchange.import_annotations(lib, recording.id, Path(args.file), args.author)
    if args.json:
        print_json({"recording": result.recording_id, "author": result.author or None,
                    "author_id": result.author_id, "created": result.created,
                    "skipped": result.skipped})  # fmt: skip
    else:
        print(f"recording {result.recording_id}: {result.created} annotations imported"
              f"{' for ' + result.author if result.author else ''}, {result.skipped} already "
              "there")  # fmt: skip
    return EXIT_OK


# --- the commands' arguments ---------------------------------------------------------------


def add_export_pack(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-pack", help="export a training pack as an offline folder")
    p.add_argument("pack_id", type=int, metavar="PACK_ID")
    p.add_argument("--out", metavar="DIR", required=True, help="the folder to create (new)")
    p.add_argument("--pdf", action="store_true", help="also write the printable handout.pdf")
    add_json(p)
    p.set_defaults(func=cmd_export_pack)


def add_case_study(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("case-study", help="write a de-personalised case study (Markdown, PDF)")
    p.add_argument("target", metavar="INCIDENT_OR_RECORDING", help="incident reference or id")
    p.add_argument("--out", metavar="FILE.md", required=True)
    p.add_argument("--pdf", metavar="FILE.pdf", help="also write the case study as a PDF")
    p.set_defaults(func=cmd_case_study)


def add_export_annotations(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-annotations", help="write a recording's annotations as ELAN or CSV")
    p.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    later(p, _add_annotation_format)
    p.set_defaults(func=cmd_export_annotations)


def _add_annotation_format(p: argparse.ArgumentParser) -> None:
    from bwvreview.app.interchange import ANNOTATION_FORMATS

    p.add_argument("--format", choices=ANNOTATION_FORMATS,
                   help="default: from the --out suffix")  # fmt: skip
    p.add_argument("--out", metavar="FILE", required=True, help="the .eaf or .csv to write")
    p.add_argument("--author", metavar="NAME", help="only this person's annotations")


def add_import_annotations(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-annotations", help="add the coded moments of an ELAN .eaf file")
    p.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    p.add_argument("file", metavar="FILE.eaf")
    p.add_argument("--author", metavar="NAME", help="the TIP who coded them (made if new)")
    add_json(p)
    p.set_defaults(func=cmd_import_annotations)


def add_agreement(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreement", help="Cohen's kappa per principle between two TIPs")
    p.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    p.add_argument("--between", metavar="A", required=True, help="first TIP (name or user id)")
    p.add_argument("--and", dest="other", metavar="B", required=True, help="second TIP")
    add_json(p)
    p.set_defaults(func=cmd_agreement)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_search(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="full-text search of transcripts and annotations")
    p.words_may_start_with_dash = True
    p.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words (all must match), "a phrase", prefix*, OR, -word to leave out (may come '
        "first: search -shouting calm)",
    )
    p.add_argument("--category", action="append", default=[], metavar="KEY",
                   help="annotations of this codebook category (repeatable)")  # fmt: skip
    p.add_argument("--principle", action="append", default=[], metavar="KEY",
                   help="annotations under this principle (repeatable)")  # fmt: skip
    p.add_argument("--polarity", choices=("concern", "good_practice", "observation"))
    p.add_argument("--officer", metavar="COLLAR", help="incidents of this officer")
    p.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD")
    p.add_argument("--status", action="append", default=[], metavar="STATUS",
                   help="recording review status (repeatable)")  # fmt: skip
    later(p, _add_search_kinds)
    p.set_defaults(func=cmd_search)


def _add_search_kinds(p: argparse.ArgumentParser) -> None:
    from bwvreview.app.findings import ALL_SEARCH_KINDS

    p.add_argument("--kind", action="append", choices=ALL_SEARCH_KINDS,
                   help="only transcript lines or only annotations; practice: observations, "
                   "PPN1 reviews and sessions (only when asked for)")  # fmt: skip
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N hits")
    add_json(p)
