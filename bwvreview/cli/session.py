"""`bwvreview session ...`: reflective practice sessions (debriefs): who was there, what
went well, the learning points agreed, notes added afterwards, and follow-ups listed until
they are done."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from bwvreview.cli.common import (
    action,
    actions,
    arg,
    day,
    print_record,
    print_records,
)
from bwvreview.timecode import clock

if TYPE_CHECKING:
    from bwvreview.app import Library, practice_sessions

SESSION = arg("session", type=int, metavar="SESSION")
TEXT = arg("text", metavar="TEXT")


def _text(s: practice_sessions.PracticeSession) -> str:
    from bwvreview.app import practice_sessions

    people = ", ".join(a.collar_number or a.name for a in s.attendees) or "-"
    team = f" ({s.team})" if s.team else ""
    lines = [
        f"session {s.id}\t{s.held_on}\t{practice_sessions.KIND_WORDS[s.kind]}{team}\t"
        f"with {people}\tTIP {s.tip_name}"
    ]
    if s.went_well:
        lines.append(f"  went well: {s.went_well}")
    for t in s.topics:
        where = t.incident_reference or "an incident"
        what = f"{t.category_label} at {clock(t.start_ms or 0)}, " if t.annotation_id else ""
        lines.append(f"  discussed: {what}{where}")
    lines += [f"  learning point: {e.text}" for e in s.learning_points]
    lines += [f"  note by {e.author_name}: {e.text}" for e in s.notes]
    lines += ["  " + _follow_up_line(f) for f in s.follow_ups]
    return "\n".join(lines)


def _follow_up_line(f: practice_sessions.FollowUp) -> str:
    due = f" by {f.due_on}" if f.due_on else ""
    state = "open" if f.is_open else f"done by {f.done_by}"
    return f"follow-up {f.id}\t{f.owner_name}{due}\t{state}\t{f.text}"


def _list_line(s: practice_sessions.PracticeSession) -> str:
    from bwvreview.app import practice_sessions

    open_ones = sum(f.is_open for f in s.follow_ups)
    return (
        f"{s.id}\t{s.held_on}\t{practice_sessions.KIND_WORDS[s.kind]}\t"
        f"{len(s.learning_points)} learning points\t{open_ones} open follow-ups"
    )


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
    return print_record(args, made, _text)


def _learning(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    practice_sessions.add_learning_point(lib, args.session, args.text)
    return print_record(args, practice_sessions.get_session(lib, args.session), _text)


def _note(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    practice_sessions.add_note(lib, args.session, args.text)
    return print_record(args, practice_sessions.get_session(lib, args.session), _text)


def _follow_up(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    made = practice_sessions.add_follow_up(lib, args.session, args.text, args.owner, day(args.due))
    return print_record(args, made, _follow_up_line)


def _done(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    changed = practice_sessions.complete_follow_up(lib, args.follow_up, not args.undo)
    return print_record(args, changed, _follow_up_line)


def _follow_ups(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    found = practice_sessions.list_follow_ups(lib, open_only=not args.all)
    return print_records(args, "follow_ups", found, _follow_up_line)


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    return print_record(args, practice_sessions.get_session(lib, args.session), _text)


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import practice_sessions

    return print_records(args, "sessions", practice_sessions.list_sessions(lib), _list_line)


def add_session(sub: argparse._SubParsersAction) -> None:
    ssub = actions(sub, "session", "reflective practice sessions (debriefs) and follow-ups")
    action(
        ssub, "record", _record, "record a session: who, what went well, what was agreed",
        arg("--attendee", action="append", default=[], metavar="WHO",
            help="an officer who attended: collar number or name (repeatable)"),
        arg("--team", metavar="TEAM", help="a team session (de-personalised material)"),
        arg("--date", metavar="YYYY-MM-DD", help="default: today"),
        arg("--incident", action="append", default=[], metavar="REF",
            help="an incident discussed (repeatable)"),
        arg("--moment", type=int, action="append", default=[], metavar="ID",
            help="a recording moment discussed (repeatable)"),
        arg("--went-well", metavar="TEXT"),
        arg("--learning", action="append", default=[], metavar="TEXT",
            help="a learning point agreed (repeatable)"),
        arg("--from-debrief", action="store_true", help="it was held in debrief mode"),
    )  # fmt: skip
    action(ssub, "learning", _learning, "add a learning point agreed", SESSION, TEXT)
    action(ssub, "note", _note, "add a note to the record (officers: sessions you attended)",
           SESSION, TEXT)  # fmt: skip
    action(
        ssub, "follow-up", _follow_up, "add a follow-up with an owner and a date", SESSION, TEXT,
        arg("--owner", metavar="WHO", required=True,
            help="collar number or name (someone outside the library: any name)"),
        arg("--due", metavar="YYYY-MM-DD"),
    )  # fmt: skip
    action(ssub, "done", _done, "mark a follow-up done (the TIP, or its owner)",
           arg("follow_up", type=int, metavar="FOLLOW_UP"),
           arg("--undo", action="store_true", help="open it again"))  # fmt: skip
    action(ssub, "follow-ups", _follow_ups, "follow-ups still open (--all: done ones too)",
           arg("--all", action="store_true"))  # fmt: skip
    action(ssub, "show", _show, "a session's record", SESSION)
    action(ssub, "list", _list, "sessions you may read")
