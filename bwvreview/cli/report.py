"""`report`: the outcomes report for a period, a PDF with charts and a CSV pack,
de-identified (TIPs and admins)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bwvreview.app.errors import DomainError
from bwvreview.cli.common import EXIT_OK, add_json, print_json, with_library

if TYPE_CHECKING:
    from bwvreview.app import Library


def _report(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app.outcomes_report import write_report  # charts and PDF: only when asked
    from bwvreview.app.programme import parse_day

    first, last = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    if last < first:
        raise DomainError(f"--from {first} is after --to {last}")
    written = write_report(lib, first, last, args.out)
    if args.json:
        print_json(
            {
                "folder": str(written.folder),
                "pdf": str(written.pdf),
                "csv": [str(p) for p in written.csvs],
                "readme": str(written.readme),
                "from": first.isoformat(),
                "to": last.isoformat(),
            }
        )
    else:
        print(f"wrote {written.pdf} and {len(written.csvs)} CSV files in {written.folder}")
    return EXIT_OK


def add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="the outcomes report for a period: a PDF with charts and "
        "a CSV pack, de-identified (TIPs, admins)",
    )
    p.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--out",
        required=True,
        metavar="FOLDER",
        help="where to write (made if missing; nothing in it is replaced)",
    )
    add_json(p)
    p.set_defaults(func=with_library(_report))
