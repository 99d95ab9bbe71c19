"""`bwvreview incident ...`: incidents as the unit of a TIP's work, with a type from the
codebook's list and their sources (recordings and observations)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from bwvreview.app.errors import DomainError
from bwvreview.cli.common import EXIT_OK, JSON_HELP, print_json, with_library
from bwvreview.timecode import clock

if TYPE_CHECKING:
    from bwvreview.app import Library, practice


def day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD date from the command line (bad input: exit 3, one line)."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise DomainError(f"{text!r} is not a date: use YYYY-MM-DD") from exc


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=JSON_HELP)


def _line(lib: Library, i: practice.IncidentSummary) -> str:
    from bwvreview.app import practice

    when = i.occurred_on.isoformat() if i.occurred_on else "-"
    sources = (
        f"{i.recordings} recording(s), {i.observations} observation(s), "
        f"{i.ppn1_reviews} PPN1 review(s), {i.sessions} session(s)"
    )
    return f"{i.reference}\t{when}\t{practice.type_label(lib, i.incident_type)}\t{sources}"


def _types(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    book = practice.templates()
    types = [
        {"key": t.key, "label": t.label, "template": book.for_incident_type(t.key).key}
        for t in practice.incident_types(lib)
    ]
    if args.json:
        print_json({"types": types})
    else:
        for t in types:
            print(f"{t['key']:<22} {t['label']:<26} template: {t['template']}")
    return EXIT_OK


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    found = practice.list_incidents(lib, args.type)
    if args.json:
        print_json({"incidents": [i.to_json() for i in found]})
    else:
        for incident in found:
            print(_line(lib, incident))
    return EXIT_OK


def _print(lib: Library, args: argparse.Namespace, incident: practice.IncidentSummary) -> None:
    if args.json:
        print_json(incident.to_json())
    else:
        print(_line(lib, incident))


def _add(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    made = practice.create_incident(
        lib, args.reference, args.type, occurred_on=day(args.date), officers=args.officer
    )
    _print(lib, args, made)
    return EXIT_OK


def _set_type(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    kind = None if args.type == "none" else args.type
    _print(lib, args, practice.set_incident_type(lib, args.reference, kind))
    return EXIT_OK


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    incident = practice.get_incident(lib, args.reference)
    moments = practice.incident_moments(lib, incident.id)
    if args.json:
        data = incident.to_json()
        data["moments"] = [
            {
                "id": m.annotation_id,
                "recording": m.recording_id,
                "start": m.start_ms / 1000,
                "category": m.category_key,
                "polarity": m.polarity,
                "status": m.status,
            }
            for m in moments
        ]
        print_json(data)
        return EXIT_OK
    print(_line(lib, incident))
    for m in moments:
        print(
            f"  moment {m.annotation_id}\trecording {m.recording_id}\t{clock(m.start_ms)}\t"
            f"{m.category_label}\t{m.status}"
        )
    return EXIT_OK


def add_incident(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("incident", help="incidents: their type and sources (TIPs)")
    isub = p.add_subparsers(dest="incident_command", metavar="ACTION", required=True)
    q = isub.add_parser("types", help="the incident types (codebook) and their templates")
    add_json(q)
    q.set_defaults(func=with_library(_types))
    q = isub.add_parser("list", help="incidents with their type and how many of each source")
    q.add_argument("--type", metavar="TYPE", help="only incidents of this type")
    add_json(q)
    q.set_defaults(func=with_library(_list))
    q = isub.add_parser("add", help="a new incident (for an observation or a PPN1)")
    q.add_argument("reference", metavar="REF")
    q.add_argument("--type", metavar="TYPE", required=True, help="see `incident types`")
    q.add_argument("--date", metavar="YYYY-MM-DD")
    q.add_argument(
        "--officer",
        action="append",
        default=[],
        metavar="COLLAR",
        help="an officer on the incident (repeatable)",
    )
    add_json(q)
    q.set_defaults(func=with_library(_add))
    q = isub.add_parser("set-type", help="say what kind of incident it was")
    q.add_argument("reference", metavar="REF")
    q.add_argument("type", metavar="TYPE", help="a key of `incident types`, or none")
    add_json(q)
    q.set_defaults(func=with_library(_set_type))
    q = isub.add_parser("show", help="an incident and its annotated recording moments")
    q.add_argument("reference", metavar="REF")
    add_json(q)
    q.set_defaults(func=with_library(_show))
