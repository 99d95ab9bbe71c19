"""`bwvreview incident ...`: incidents as the unit of a TIP's work, with a type from the
codebook's list and their sources (recordings and observations)."""

from __future__ import annotations

import argparse
from functools import partial
from typing import TYPE_CHECKING, Any

from bwvreview.cli.common import action, actions, arg, day, print_record, print_records
from bwvreview.timecode import clock

if TYPE_CHECKING:
    from bwvreview.app import Library, practice

REFERENCE = arg("reference", metavar="REF")


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
    return print_records(
        args, "types", types,
        lambda t: f"{t['key']:<22} {t['label']:<26} template: {t['template']}", lambda t: t,
    )  # fmt: skip


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    found = practice.list_incidents(lib, args.type)
    return print_records(args, "incidents", found, partial(_line, lib))


def _add(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    made = practice.create_incident(
        lib, args.reference, args.type, occurred_on=day(args.date), officers=args.officer
    )
    return print_record(args, made, partial(_line, lib))


def _set_type(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    kind = None if args.type == "none" else args.type
    return print_record(args, practice.set_incident_type(lib, args.reference, kind),
                        partial(_line, lib))  # fmt: skip


def _moment_json(m: practice.Moment) -> dict[str, Any]:
    return {
        "id": m.annotation_id,
        "recording": m.recording_id,
        "start": m.start_ms / 1000,
        "category": m.category_key,
        "polarity": m.polarity,
        "status": m.status,
    }


def _moment_line(m: practice.Moment) -> str:
    return (
        f"  moment {m.annotation_id}\trecording {m.recording_id}\t{clock(m.start_ms)}\t"
        f"{m.category_label}\t{m.status}"
    )


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    incident = practice.get_incident(lib, args.reference)
    moments = practice.incident_moments(lib, incident.id)
    return print_record(
        args, incident,
        lambda i: "\n".join([_line(lib, i), *map(_moment_line, moments)]),
        lambda i: {**i.to_json(), "moments": [_moment_json(m) for m in moments]},
    )  # fmt: skip


def add_incident(sub: argparse._SubParsersAction) -> None:
    isub = actions(sub, "incident", "incidents: their type and sources (TIPs)")
    action(isub, "types", _types, "the incident types (codebook) and their templates")
    action(isub, "list", _list, "incidents with their type and how many of each source",
           arg("--type", metavar="TYPE", help="only incidents of this type"))  # fmt: skip
    action(
        isub, "add", _add, "a new incident (for an observation or a PPN1)", REFERENCE,
        arg("--type", metavar="TYPE", required=True, help="see `incident types`"),
        arg("--date", metavar="YYYY-MM-DD"),
        arg("--officer", action="append", default=[], metavar="COLLAR",
            help="an officer on the incident (repeatable)"),
    )  # fmt: skip
    action(isub, "set-type", _set_type, "say what kind of incident it was", REFERENCE,
           arg("type", metavar="TYPE", help="a key of `incident types`, or none"))  # fmt: skip
    action(isub, "show", _show, "an incident and its annotated recording moments", REFERENCE)
