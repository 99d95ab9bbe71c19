"""`bwvreview ppn1 ...`: reviews of the PPN1 an officer completed for an incident, point by
point. The PPN1 itself is personal data: read from standard input, never printed in JSON,
shown only with `show --text` (audited)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bwvreview.cli.common import EXIT_OK, print_json, with_library
from bwvreview.cli.incident import add_json
from bwvreview.timecode import clock

if TYPE_CHECKING:
    from bwvreview.app import Library, ppn1_review

RATINGS = {"met": "met", "partly": "partly", "not": "not", "clear": None}


def _print(lib: Library, args: argparse.Namespace, r: ppn1_review.Ppn1Review) -> None:
    from bwvreview.app import practice

    if args.json:
        print_json(r.to_json())
        return
    pasted = "" if r.has_text else "\t(no PPN1 pasted)"
    print(
        f"PPN1 review {r.id}\t{r.incident_reference}\tofficer "
        f"{r.officer_collar or r.officer_name}\t{r.status}{pasted}"
    )
    if r.strengths:
        print(f"  done well: {r.strengths}")
    for p in r.points:
        mark = practice.RATING_MARKS.get(p.rating, "·")
        print(f"  {mark} {p.point_key:<13} {p.label} — {practice.RATING_WORDS[p.rating]}")
        for text in (p.note, p.suggested_wording and f"suggested: {p.suggested_wording}"):
            if text:
                print(f"      {text}")
        for m in p.moments:
            print(f"      moment {m.annotation_id} at {clock(m.start_ms)} ({m.category_label})")


def _points(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    points = practice.templates().ppn1_points
    if args.json:
        print_json(
            {
                "points": [
                    {
                        "key": p.key,
                        "label": p.label,
                        "prompt": p.prompt,
                        "categories": list(p.categories),
                    }
                    for p in points
                ]
            }
        )
    else:
        for p in points:
            print(f"{p.key:<13} {p.label}")
    return EXIT_OK


def _stdin_text(args: argparse.Namespace) -> str:
    return sys.stdin.read() if args.text_stdin else ""


def _review(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    made = ppn1_review.start_review(lib, args.incident, args.officer, _stdin_text(args))
    _print(lib, args, made)
    return EXIT_OK


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
    if args.json:
        print_json(
            {
                "review": args.review,
                "point": point.point_key,
                "rating": point.rating,
                "note": point.note,
                "suggested_wording": point.suggested_wording,
                "moments": [m.annotation_id for m in point.moments],
            }
        )
    else:
        print(f"{point.label}: {practice.RATING_WORDS[point.rating]}")
    return EXIT_OK


def _strengths(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    _print(lib, args, ppn1_review.set_strengths(lib, args.review, args.text))
    return EXIT_OK


def _paste(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    _print(lib, args, ppn1_review.set_ppn1_text(lib, args.review, sys.stdin.read()))
    return EXIT_OK


def _share(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    _print(lib, args, ppn1_review.share_review(lib, args.review, not args.undo))
    return EXIT_OK


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    _print(lib, args, ppn1_review.get_review(lib, args.review))
    if args.text:
        print(ppn1_review.read_ppn1_text(lib, args.review), file=sys.stderr if args.json else None)
    return EXIT_OK


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import ppn1_review

    found = ppn1_review.list_reviews(lib)
    if args.json:
        print_json({"reviews": [r.to_json() for r in found]})
        return EXIT_OK
    for r in found:
        rated = sum(p.rating is not None for p in r.points)
        print(
            f"{r.id}\t{r.created_at:%Y-%m-%d}\t{r.incident_reference}\t"
            f"{r.officer_collar or r.officer_name}\t{r.status}\t{rated}/{len(r.points)} rated"
        )
    return EXIT_OK


def add_ppn1(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ppn1", help="review an officer's PPN1 point by point")
    psub = p.add_subparsers(dest="ppn1_command", metavar="ACTION", required=True)
    q = psub.add_parser("points", help="the quality points a PPN1 is reviewed on")
    add_json(q)
    q.set_defaults(func=with_library(_points))
    q = psub.add_parser("review", help="start a review of the PPN1 an officer completed")
    q.add_argument("incident", metavar="INCIDENT", help="incident reference")
    q.add_argument("--officer", metavar="COLLAR", required=True, help="who completed the PPN1")
    q.add_argument(
        "--text-stdin",
        action="store_true",
        help="read the PPN1 itself from standard input (personal data: kept here, never exported)",
    )
    add_json(q)
    q.set_defaults(func=with_library(_review))
    q = psub.add_parser("rate", help="rate one quality point: met, partly or not")
    q.add_argument("review", type=int, metavar="REVIEW")
    q.add_argument("point", metavar="POINT", help="see `ppn1 points`")
    q.add_argument("rating", choices=tuple(RATINGS))
    q.add_argument("--note", metavar="TEXT")
    q.add_argument("--wording", metavar="TEXT", help="suggested wording")
    q.add_argument(
        "--moment",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="link a moment of the incident's recordings (repeatable)",
    )
    add_json(q)
    q.set_defaults(func=with_library(_rate))
    q = psub.add_parser("strengths", help="what was done well, overall")
    q.add_argument("review", type=int, metavar="REVIEW")
    q.add_argument("text", metavar="TEXT")
    add_json(q)
    q.set_defaults(func=with_library(_strengths))
    q = psub.add_parser("paste", help="paste the PPN1 itself from standard input")
    q.add_argument("review", type=int, metavar="REVIEW")
    add_json(q)
    q.set_defaults(func=with_library(_paste))
    q = psub.add_parser("share", help="share the review with the officer")
    q.add_argument("review", type=int, metavar="REVIEW")
    q.add_argument("--undo", action="store_true", help="stop sharing it")
    add_json(q)
    q.set_defaults(func=with_library(_share))
    q = psub.add_parser("show", help="a review, point by point")
    q.add_argument("review", type=int, metavar="REVIEW")
    q.add_argument(
        "--text",
        action="store_true",
        help="also print the PPN1 itself (audited; to stderr with --json)",
    )
    add_json(q)
    q.set_defaults(func=with_library(_show))
    q = psub.add_parser("list", help="PPN1 reviews you may read")
    add_json(q)
    q.set_defaults(func=with_library(_list))
