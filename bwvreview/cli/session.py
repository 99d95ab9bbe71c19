"""`bwvreview session ...`: reflective practice sessions (debriefs): who was there, what
went well, the learning points agreed, notes added afterwards, and follow-ups listed until
they are done."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from bwvreview.cli.common import EXIT_OK, print_json, with_library
from bwvreview.cli.incident import add_json, day
from bwvreview.timecode import clock

if TYPE_CHECKING:
    from bwvreview.app import Library, practice_sessions


def _print(args: argparse.Namespace, s: practice_sessions.PracticeSession) -> None:
    from bwvreview.app import practice_sessions

    if args.json:
        print_json(s.to_json())
        return
    people = ", ".join(a.collar_number or a.name for a in s.attendees) or "-"
    team = f" ({s.team})" if s.team else ""
    print(
        f"session {s.id}\t{s.held_on}\t{practice_sessions.KIND_WORDS[s.kind]}{team}\t"
        f"with {people}\tTIP {s.tip_name}"
    )
    if s.went_well:
        print(f"  went well: {s.went_well}")
    for t in s.topics:
        where = t.incident_reference or "an incident"
        what = f"{t.category_label} at {clock(t.start_ms or 0)}, " if t.annotation_id else ""
        print(f"  discussed: {what}{where}")
    for e in s.learning_points:
        print(f"  learning point: {e.text}")
    for e in s.notes:
        print(f"  note by {e.author_name}: {e.text}")
    for f in s.follow_ups:
        _follow_up_line(f, indent="  ")


def _follow_up_line(f: practice_sessions.FollowUp, indent: str = "") -> None:
    due = f" by {f.due_on}" if f.due_on else ""
    state = "open" if f.is_open else f"done by {f.done_by}"
    print(f"{indent}follow-up {f.id}\t{f.owner_name}{due}\t{state}\t{f.text}")


def _record(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    made = practice_sessions.record_session(
        lib,
        held_on=day(args.date) or dt.date.today(),
        attendees=args.attendee,
        team=args.team,
        started_from="debrief" if args.from_debrief else "scratch",
        went_well=args.went_well or "",
        incidents_discussed=args.incident,
        moments=args.moment,
        learning_points=args.learning,
    )
    _print(args, made)
    return EXIT_OK


def _learning(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    practice_sessions.add_learning_point(lib, args.session, args.text)
    _print(args, practice_sessions.get_session(lib, args.session))
    return EXIT_OK


def _note(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    practice_sessions.add_note(lib, args.session, args.text)
    _print(args, practice_sessions.get_session(lib, args.session))
    return EXIT_OK


def _follow_up(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    made = practice_sessions.add_follow_up(lib, args.session, args.text, args.owner, day(args.due))
    if args.json:
        print_json(made.to_json())
    else:
        _follow_up_line(made)
    return EXIT_OK


def _done(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    changed = practice_sessions.complete_follow_up(lib, args.follow_up, not args.undo)
    if args.json:
        print_json(changed.to_json())
    else:
        _follow_up_line(changed)
    return EXIT_OK


def _follow_ups(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    found = practice_sessions.list_follow_ups(lib, open_only=not args.all)
    if args.json:
        print_json({"follow_ups": [f.to_json() for f in found]})
    else:
        for f in found:
            _follow_up_line(f)
    return EXIT_OK


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    _print(args, practice_sessions.get_session(lib, args.session))
    return EXIT_OK


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    found = practice_sessions.list_sessions(lib)
    if args.json:
        print_json({"sessions": [s.to_json() for s in found]})
        return EXIT_OK
    for s in found:
        open_ones = sum(f.is_open for f in s.follow_ups)
        print(
            f"{s.id}\t{s.held_on}\t{practice_sessions.KIND_WORDS[s.kind]}\t"
            f"{len(s.learning_points)} learning points\t{open_ones} open follow-ups"
        )
    return EXIT_OK


def add_session(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("session", help="reflective practice sessions (debriefs) and follow-ups")
    ssub = p.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    q = ssub.add_parser("record", help="record a session: who, what went well, what was agreed")
    q.add_argument(
        "--attendee",
        action="append",
        default=[],
        metavar="WHO",
        help="an officer who attended: collar number or name (repeatable)",
    )
    q.add_argument("--team", metavar="TEAM", help="a team session (de-personalised material)")
    q.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    q.add_argument(
        "--incident",
        action="append",
        default=[],
        metavar="REF",
        help="an incident discussed (repeatable)",
    )
    q.add_argument(
        "--moment",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="a recording moment discussed (repeatable)",
    )
    q.add_argument("--went-well", metavar="TEXT")
    q.add_argument(
        "--learning",
        action="append",
        default=[],
        metavar="TEXT",
        help="a learning point agreed (repeatable)",
    )
    q.add_argument("--from-debrief", action="store_true", help="it was held in debrief mode")
    add_json(q)
    q.set_defaults(func=with_library(_record))
    q = ssub.add_parser("learning", help="add a learning point agreed")
    q.add_argument("session", type=int, metavar="SESSION")
    q.add_argument("text", metavar="TEXT")
    add_json(q)
    q.set_defaults(func=with_library(_learning))
    q = ssub.add_parser("note", help="add a note to the record (officers: sessions you attended)")
    q.add_argument("session", type=int, metavar="SESSION")
    q.add_argument("text", metavar="TEXT")
    add_json(q)
    q.set_defaults(func=with_library(_note))
    q = ssub.add_parser("follow-up", help="add a follow-up with an owner and a date")
    q.add_argument("session", type=int, metavar="SESSION")
    q.add_argument("text", metavar="TEXT")
    q.add_argument(
        "--owner",
        metavar="WHO",
        required=True,
        help="collar number or name (someone outside the library: any name)",
    )
    q.add_argument("--due", metavar="YYYY-MM-DD")
    add_json(q)
    q.set_defaults(func=with_library(_follow_up))
    q = ssub.add_parser("done", help="mark a follow-up done (the TIP, or its owner)")
    q.add_argument("follow_up", type=int, metavar="FOLLOW_UP")
    q.add_argument("--undo", action="store_true", help="open it again")
    add_json(q)
    q.set_defaults(func=with_library(_done))
    q = ssub.add_parser("follow-ups", help="follow-ups still open (--all: done ones too)")
    q.add_argument("--all", action="store_true")
    add_json(q)
    q.set_defaults(func=with_library(_follow_ups))
    q = ssub.add_parser("show", help="a session's record")
    q.add_argument("session", type=int, metavar="SESSION")
    add_json(q)
    q.set_defaults(func=with_library(_show))
    q = ssub.add_parser("list", help="sessions you may read")
    add_json(q)
    q.set_defaults(func=with_library(_list))
