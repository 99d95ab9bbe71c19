"""`bwvreview observe ...`: observations in the field (patrol, custody booking-in, stop and
search): start one from its template, write time-stamped notes, code them, answer the
template's points, share it with the officer observed."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bwvreview.cli.common import EXIT_OK, print_json, with_library
from bwvreview.cli.incident import add_json
from bwvreview.timecode import clock, parse_time_ms

if TYPE_CHECKING:
    from bwvreview.app import Library, observing

ANSWERS = {"met": "met", "partly": "partly", "not": "not", "n/a": "not_applicable", "clear": None}


def note_json(note: observing.Note) -> dict[str, object]:
    return {
        "id": note.id,
        "observation": note.observation_id,
        "at": note.at_ms / 1000,
        "category": note.category_key,
        "polarity": note.polarity,
        "note": note.note,
    }


def _show_text(lib: Library, o: observing.Observation) -> None:
    from bwvreview.app import practice

    who = o.officer_collar or o.officer_name or "no officer named"
    print(
        f"observation {o.id}\t{o.incident_reference}\t{practice.type_label(lib, o.incident_type)}"
        f"\tofficer {who}\t{o.status}\tstarted {o.started_at:%Y-%m-%d %H:%M}"
    )
    group = None
    for c in o.checks:
        if c.group_label != group:
            group = c.group_label
            print(f"  {group}")
        answer = practice.RATING_WORDS.get(c.answer, c.answer)
        print(
            f"    {practice.RATING_MARKS.get(c.answer, '·')} {c.point_key:<14} {c.label}"
            f" — {answer}{': ' + c.note if c.note else ''}"
        )
    for n in o.notes:
        print(f"  note {n.id}\t{clock(n.at_ms)}\t{n.category_label}\t{n.note}")


def _print(lib: Library, args: argparse.Namespace, o: observing.Observation) -> None:
    if args.json:
        print_json(o.to_json())
    else:
        _show_text(lib, o)


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
    _print(lib, args, made)
    return EXIT_OK


def _note(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    if args.at is not None:
        at_ms = parse_time_ms(args.at)
    else:  # now, on the observation's clock
        at_ms = observing.elapsed_ms(observing.get_observation(lib, args.observation).started_at)
    made = observing.add_note(lib, args.observation, at_ms, args.text, args.category)
    if args.json:
        print_json(note_json(made))
    else:
        print(f"note {made.id} at {clock(made.at_ms)} ({made.category_label})")
    return EXIT_OK


def _code(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    coded = observing.code_note(lib, args.note, args.category)
    if args.json:
        print_json(note_json(coded))
    else:
        print(f"note {coded.id}: {coded.category_label}")
    return EXIT_OK


def _check(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing, practice

    check = observing.answer_check(
        lib, args.observation, args.point, ANSWERS[args.answer], args.note
    )
    if args.json:
        print_json(
            {
                "observation": args.observation,
                "point": check.point_key,
                "answer": check.answer,
                "note": check.note,
            }
        )
    else:
        print(f"{check.label}: {practice.RATING_WORDS.get(check.answer, check.answer)}")
    return EXIT_OK


def _share(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    _print(lib, args, observing.share_observation(lib, args.observation, not args.undo))
    return EXIT_OK


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    _print(lib, args, observing.get_observation(lib, args.observation))
    return EXIT_OK


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import observing

    found = observing.list_observations(lib)
    if args.json:
        print_json({"observations": [o.to_json() for o in found]})
        return EXIT_OK
    for o in found:
        print(
            f"{o.id}\t{o.started_at:%Y-%m-%d %H:%M}\t{o.incident_reference}\t{o.template_key}"
            f"\t{o.status}\t{len(o.notes)} notes"
        )
    return EXIT_OK


def add_observe(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("observe", help="observations in the field: notes coded like moments")
    osub = p.add_subparsers(dest="observe_command", metavar="ACTION", required=True)
    q = osub.add_parser("templates", help="what each kind of observation prompts for")
    add_json(q)
    q.set_defaults(func=with_library(_templates))
    q = osub.add_parser("start", help="start an observation from its incident type's template")
    q.add_argument("incident", metavar="INCIDENT", help="incident reference (new: give --type)")
    q.add_argument("--officer", metavar="COLLAR", help="the officer observed")
    q.add_argument("--type", metavar="TYPE", help="the incident's type, to create it")
    q.add_argument("--template", metavar="KEY", help="another template (see `observe templates`)")
    q.add_argument("--context", metavar="TEXT", help="the setting, in a line (no names)")
    add_json(q)
    q.set_defaults(func=with_library(_start))
    q = osub.add_parser("note", help="add a time-stamped note")
    q.add_argument("observation", type=int, metavar="OBSERVATION")
    q.add_argument("text", metavar="TEXT")
    q.add_argument("--at", metavar="T", help="time since the start (default: now)")
    q.add_argument("--category", metavar="KEY", help="code it (a codebook category key)")
    add_json(q)
    q.set_defaults(func=with_library(_note))
    q = osub.add_parser("code", help="code a note with a codebook category")
    q.add_argument("note", type=int, metavar="NOTE")
    q.add_argument("category", metavar="KEY")
    add_json(q)
    q.set_defaults(func=with_library(_code))
    q = osub.add_parser("check", help="answer one of the template's points")
    q.add_argument("observation", type=int, metavar="OBSERVATION")
    q.add_argument("point", metavar="POINT")
    q.add_argument("answer", choices=tuple(ANSWERS))
    q.add_argument("--note", metavar="TEXT")
    add_json(q)
    q.set_defaults(func=with_library(_check))
    q = osub.add_parser("share", help="share it with the officer observed")
    q.add_argument("observation", type=int, metavar="OBSERVATION")
    q.add_argument("--undo", action="store_true", help="stop sharing it")
    add_json(q)
    q.set_defaults(func=with_library(_share))
    q = osub.add_parser("show", help="an observation: its points and notes")
    q.add_argument("observation", type=int, metavar="OBSERVATION")
    add_json(q)
    q.set_defaults(func=with_library(_show))
    q = osub.add_parser("list", help="observations you may read")
    add_json(q)
    q.set_defaults(func=with_library(_list))
