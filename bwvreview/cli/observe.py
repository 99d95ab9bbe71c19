"""`bwvreview observe ...`: observations in the field (patrol, custody booking-in, stop and
search): start one from its template, write time-stamped notes, code them, answer the
template's points, share it with the officer observed."""

from __future__ import annotations

import argparse
from functools import partial
from typing import TYPE_CHECKING

from bwvreview.cli.common import (
    EXIT_OK,
    action,
    actions,
    arg,
    print_json,
    print_record,
    print_records,
)
from bwvreview.timecode import clock, parse_time_ms

if TYPE_CHECKING:
    from bwvreview.app import Library, observing

ANSWERS = {"met": "met", "partly": "partly", "not": "not", "n/a": "not_applicable", "clear": None}
OBSERVATION = arg("observation", type=int, metavar="OBSERVATION")


def note_json(note: observing.Note) -> dict[str, object]:
    return {
        "id": note.id,
        "observation": note.observation_id,
        "at": note.at_ms / 1000,
        "category": note.category_key,
        "polarity": note.polarity,
        "note": note.note,
    }


def _text(lib: Library, o: observing.Observation) -> str:
    from bwvreview.app import practice

    who = o.officer_collar or o.officer_name or "no officer named"
    lines = [
        f"observation {o.id}\t{o.incident_reference}\t{practice.type_label(lib, o.incident_type)}"
        f"\tofficer {who}\t{o.status}\tstarted {o.started_at:%Y-%m-%d %H:%M}"
    ]
    group = None
    for c in o.checks:
        if c.group_label != group:
            group = c.group_label
            lines.append(f"  {group}")
        answer = practice.RATING_WORDS.get(c.answer, c.answer)
        lines.append(
            f"    {practice.RATING_MARKS.get(c.answer, '·')} {c.point_key:<14} {c.label}"
            f" — {answer}{': ' + c.note if c.note else ''}"
        )
    lines += [f"  note {n.id}\t{clock(n.at_ms)}\t{n.category_label}\t{n.note}" for n in o.notes]
    return "\n".join(lines)


def _templates(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice

    book = practice.templates()
    if args.json:
        print_json(
            {
                "version": book.version,
                "templates": [
                    {
                        "key": t.key,
                        "label": t.label,
                        "for": list(t.incident_types),
                        "points": [
                            {
                                "key": p.key,
                                "label": p.label,
                                "group": p.group,
                                "category": p.category,
                            }
                            for p in t.points
                        ],
                    }
                    for t in book.templates
                ],
            }
        )
        return EXIT_OK
    print(f"observation templates {book.version}")
    for t in book.templates:
        print(
            f"  {t.key} ({t.label}; for {', '.join(t.incident_types) or 'any'}): "
            f"{len(t.points)} points"
        )
    return EXIT_OK


def _start(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    made = observing.start_observation(
        lib,
        args.incident,
        officer=args.officer,
        incident_type=args.type,
        template=args.template,
        context=args.context or "",
    )
    return print_record(args, made, partial(_text, lib))


def _note(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    if args.at is not None:
        at_ms = parse_time_ms(args.at)
    else:  # now, on the observation's clock
        at_ms = observing.elapsed_ms(observing.get_observation(lib, args.observation).started_at)
    made = observing.add_note(lib, args.observation, at_ms, args.text, args.category)
    return print_record(
        args, made, lambda n: f"note {n.id} at {clock(n.at_ms)} ({n.category_label})", note_json
    )


def _code(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    coded = observing.code_note(lib, args.note, args.category)
    return print_record(args, coded, lambda n: f"note {n.id}: {n.category_label}", note_json)


def _check(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing, practice

    check = observing.answer_check(
        lib, args.observation, args.point, ANSWERS[args.answer], args.note
    )
    return print_record(
        args, check,
        lambda c: f"{c.label}: {practice.RATING_WORDS.get(c.answer, c.answer)}",
        lambda c: {"observation": args.observation, "point": c.point_key, "answer": c.answer,
                   "note": c.note},
    )  # fmt: skip


def _share(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    shared = observing.share_observation(lib, args.observation, not args.undo)
    return print_record(args, shared, partial(_text, lib))


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    return print_record(args, observing.get_observation(lib, args.observation), partial(_text, lib))


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    return print_records(args, "observations", observing.list_observations(lib), _list_line)


def _list_line(o: observing.Observation) -> str:
    return (
        f"{o.id}\t{o.started_at:%Y-%m-%d %H:%M}\t{o.incident_reference}\t{o.template_key}"
        f"\t{o.status}\t{len(o.notes)} notes"
    )


def add_observe(sub: argparse._SubParsersAction) -> None:
    osub = actions(sub, "observe", "observations in the field: notes coded like moments")
    action(osub, "templates", _templates, "what each kind of observation prompts for")
    action(
        osub, "start", _start, "start an observation from its incident type's template",
        arg("incident", metavar="INCIDENT", help="incident reference (new: give --type)"),
        arg("--officer", metavar="COLLAR", help="the officer observed"),
        arg("--type", metavar="TYPE", help="the incident's type, to create it"),
        arg("--template", metavar="KEY", help="another template (see `observe templates`)"),
        arg("--context", metavar="TEXT", help="the setting, in a line (no names)"),
    )  # fmt: skip
    action(
        osub, "note", _note, "add a time-stamped note", OBSERVATION, arg("text", metavar="TEXT"),
        arg("--at", metavar="T", help="time since the start (default: now)"),
        arg("--category", metavar="KEY", help="code it (a codebook category key)"),
    )  # fmt: skip
    action(osub, "code", _code, "code a note with a codebook category",
           arg("note", type=int, metavar="NOTE"), arg("category", metavar="KEY"))  # fmt: skip
    action(osub, "check", _check, "answer one of the template's points", OBSERVATION,
           arg("point", metavar="POINT"), arg("answer", choices=tuple(ANSWERS)),
           arg("--note", metavar="TEXT"))  # fmt: skip
    action(osub, "share", _share, "share it with the officer observed", OBSERVATION,
           arg("--undo", action="store_true", help="stop sharing it"))  # fmt: skip
    action(osub, "show", _show, "an observation: its points and notes", OBSERVATION)
    action(osub, "list", _list, "observations you may read")
