"""`bwvreview ppn1 ...`: reviews of the PPN1 an officer completed for an incident, point by
point. The PPN1 itself is personal data: read from standard input, never printed in JSON,
shown only with `show --text` (audited)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bwvreview.cli.common import EXIT_OK, action, actions, arg, print_record, print_records
from bwvreview.timecode import clock

if TYPE_CHECKING:
    from bwvreview.app import Library, ppn1_review

RATINGS = {"met": "met", "partly": "partly", "not": "not", "clear": None}
REVIEW = arg("review", type=int, metavar="REVIEW")


def _text(r: ppn1_review.Ppn1Review) -> str:
    from bwvreview.app import practice

    pasted = "" if r.has_text else "\t(no PPN1 pasted)"
    lines = [
        f"PPN1 review {r.id}\t{r.incident_reference}\tofficer "
        f"{r.officer_collar or r.officer_name}\t{r.status}{pasted}"
    ]
    if r.strengths:
        lines.append(f"  done well: {r.strengths}")
    for p in r.points:
        mark = practice.RATING_MARKS.get(p.rating, "·")
        lines.append(f"  {mark} {p.point_key:<13} {p.label} — {practice.RATING_WORDS[p.rating]}")
        for text in (p.note, p.suggested_wording and f"suggested: {p.suggested_wording}"):
            if text:
                lines.append(f"      {text}")
        lines += [f"      moment {m.annotation_id} at {clock(m.start_ms)} ({m.category_label})"
                  for m in p.moments]  # fmt: skip
    return "\n".join(lines)


def _points(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    return print_records(
        args, "points", practice.templates().ppn1_points, lambda p: f"{p.key:<13} {p.label}",
        lambda p: {"key": p.key, "label": p.label, "prompt": p.prompt,
                   "categories": list(p.categories)},
    )  # fmt: skip


def _stdin_text(args: argparse.Namespace) -> str:
    return sys.stdin.read() if args.text_stdin else ""


def _review(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    made = ppn1_review.start_review(lib, args.incident, args.officer, _stdin_text(args))
    return print_record(args, made, _text)


def _rate(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review, practice

    point = ppn1_review.rate_point(
        lib,
        args.review,
        args.point,
        RATINGS[args.rating],
        note=args.note,
        suggested_wording=args.wording,
    )
    for moment in args.moment:
        point = ppn1_review.link_moment(lib, args.review, args.point, moment)
    return print_record(
        args, point, lambda p: f"{p.label}: {practice.RATING_WORDS[p.rating]}",
        lambda p: {"review": args.review, "point": p.point_key, "rating": p.rating,
                   "note": p.note, "suggested_wording": p.suggested_wording,
                   "moments": [m.annotation_id for m in p.moments]},
    )  # fmt: skip


def _strengths(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    return print_record(args, ppn1_review.set_strengths(lib, args.review, args.text), _text)


def _paste(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    return print_record(args, ppn1_review.set_ppn1_text(lib, args.review, sys.stdin.read()), _text)


def _share(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    return print_record(args, ppn1_review.share_review(lib, args.review, not args.undo), _text)


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    print_record(args, ppn1_review.get_review(lib, args.review), _text)
    if args.text:
        print(ppn1_review.read_ppn1_text(lib, args.review), file=sys.stderr if args.json else None)
    return EXIT_OK


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    return print_records(args, "reviews", ppn1_review.list_reviews(lib), _list_line)


def _list_line(r: ppn1_review.Ppn1Review) -> str:
    rated = sum(p.rating is not None for p in r.points)
    return (
        f"{r.id}\t{r.created_at:%Y-%m-%d}\t{r.incident_reference}\t"
        f"{r.officer_collar or r.officer_name}\t{r.status}\t{rated}/{len(r.points)} rated"
    )


def add_ppn1(sub: argparse._SubParsersAction) -> None:
    psub = actions(sub, "ppn1", "review an officer's PPN1 point by point")
    action(psub, "points", _points, "the quality points a PPN1 is reviewed on")
    action(
        psub, "review", _review, "start a review of the PPN1 an officer completed",
        arg("incident", metavar="INCIDENT", help="incident reference"),
        arg("--officer", metavar="COLLAR", required=True, help="who completed the PPN1"),
        arg("--text-stdin", action="store_true",
            help="read the PPN1 itself from standard input (personal data: kept here, never "
            "exported)"),
    )  # fmt: skip
    action(
        psub, "rate", _rate, "rate one quality point: met, partly or not", REVIEW,
        arg("point", metavar="POINT", help="see `ppn1 points`"),
        arg("rating", choices=tuple(RATINGS)),
        arg("--note", metavar="TEXT"),
        arg("--wording", metavar="TEXT", help="suggested wording"),
        arg("--moment", type=int, action="append", default=[], metavar="ID",
            help="link a moment of the incident's recordings (repeatable)"),
    )  # fmt: skip
    action(psub, "strengths", _strengths, "what was done well, overall", REVIEW,
           arg("text", metavar="TEXT"))  # fmt: skip
    action(psub, "paste", _paste, "paste the PPN1 itself from standard input", REVIEW)
    action(psub, "share", _share, "share the review with the officer", REVIEW,
           arg("--undo", action="store_true", help="stop sharing it"))  # fmt: skip
    action(psub, "show", _show, "a review, point by point", REVIEW,
           arg("--text", action="store_true",
               help="also print the PPN1 itself (audited; to stderr with --json)"))  # fmt: skip
    action(psub, "list", _list, "PPN1 reviews you may read")
