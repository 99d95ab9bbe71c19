"""The training programme: `programme ...` (curriculum, questionnaires, sessions, the
register, answers, results; trainers manage it, TIPs read it, officers see their own).

Every action prints one line, or with `--json` one JSON document; bad input (an unknown
session, a bad date, a sign-in list with bad rows) is one line on stderr and exit 3.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwvreview.app.errors import DomainError
from bwvreview.cli.common import (
    EXIT_OK,
    action,
    actions,
    arg,
    later,
    print_json,
    print_record,
    print_records,
)

if TYPE_CHECKING:
    from bwvreview.app import Library
    from bwvreview.app import programme as prog

SESSION_ID = arg("session", type=int, metavar="SESSION_ID")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _json(record: Any) -> Any:
    return _jsonable(asdict(record))


def _table_json(table: prog.Table) -> dict[str, Any]:
    header, *rows = table.text_rows()
    return {
        "name": table.name,
        "keys": list(table.keys),
        "columns": list(table.columns),
        "rows": [dict(zip(header, row, strict=True)) for row in rows],
        "notes": list(table.notes),
    }


def _id(record: Any) -> str:
    return str(record.id)


def _session_line(s: prog.ScheduledSession) -> str:
    return (
        f"{s.id:>4}  {s.held_on:%Y-%m-%d}  session {s.module_number}: {s.title}  "
        f"[{s.team}]  {s.attendees} attended, {s.responses} forms"
    )


def _day(text: str | None, what: str) -> dt.date | None:
    from bwvreview.app import programme as prog

    return prog.parse_day(text, what) if text else None


def _install(lib: Library, path: str | None, kind: type, instead: str) -> None:
    """--install FILE: put a curriculum or questionnaire in force; the other kind is bad
    input, refused before anything is installed."""
    from bwvreview.app import programme as prog

    if not path:
        return
    try:
        prog.install_document(lib, Path(path), kind)
    except prog.WrongKindError:
        raise DomainError(f"{path} is a {instead}") from None


def _curriculum(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    _install(lib, args.install, prog.Curriculum, "questionnaire; use programme questionnaires")
    c = prog.curriculum(lib)
    if args.json:
        print_json(_json(c))
        return EXIT_OK
    print(f"{c.title}, version {c.version} ({len(c.modules)} sessions)")
    for m in c.modules:
        print(f"{m.number:>3}. {m.title} ({m.length_minutes} min)  [{m.key}]")
        for topic in m.topics:
            print(f"       - {topic}")
    return EXIT_OK


def _questionnaires(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    _install(lib, args.install, prog.Questionnaire, "curriculum; use programme curriculum")
    found = prog.questionnaires(lib)
    module = prog.curriculum(lib).module(args.session_of) if args.session_of else None
    if args.json:
        print_json(
            {
                "questionnaires": [
                    {
                        **_json(q),
                        "items": [_json(i) for i in q.items_for(module)] if module else None,
                    }
                    for q in found
                ]
            }
        )
        return EXIT_OK
    for q in found:
        print(
            f"{q.key}: {q.title} (version {q.version}; asked {' and '.join(q.phases)}; "
            f"scale {q.scale_min} {q.low} to {q.scale_max} {q.high})"
        )
        for item in q.items_for(module) if module else ():
            print(f"    {item.key:<16} {item.text}")
    return EXIT_OK


def _schedule(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    held = prog.schedule_session(
        lib,
        args.module,
        prog.parse_day(args.date, "--date"),
        args.team,
        trainer=args.trainer,
        pack_ids=args.pack or (),
        length_minutes=args.length,
        notes=args.notes or "",
    )
    return print_record(args, held, _id, _json)


def _sessions(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    found = prog.list_sessions(
        lib.db,
        date_from=_day(args.date_from, "--from"),
        date_to=_day(args.date_to, "--to"),
        team=args.team,
    )
    return print_records(args, "sessions", found, _session_line, _json)


def _show(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    held = prog.get_session(lib.db, args.session)
    results = prog.results_table(lib, [held.id])
    if args.json:
        print_json({"session": _json(held), "results": _table_json(results)})
        return EXIT_OK
    print(_session_line(held))
    print(
        f"      trainer: {held.trainer_name or '-'}; {held.length_minutes} min; packs: "
        f"{', '.join(map(str, held.pack_ids)) or '-'}"
    )
    for row in results.text_rows():
        print("  " + "\t".join(row))
    return EXIT_OK


def _change(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    changes: dict[str, Any] = {}
    if args.date:
        changes["held_on"] = prog.parse_day(args.date, "--date")
    for name in ("team", "notes"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.length:
        changes["length_minutes"] = args.length
    if args.pack or args.no_packs:
        changes["pack_ids"] = [] if args.no_packs else args.pack
    held = prog.change_session(lib, args.session, trainer=args.trainer, **changes)
    return print_record(args, held, _session_line, _json)


def _delete(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    prog.delete_session(lib.db, args.session)
    return EXIT_OK


def _attend(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    if args.csv:
        result = prog.import_sign_in(lib, args.session, Path(args.csv))
        if args.json:
            print_json(_json(result))
        else:
            print(
                f"{result.added} added ({result.linked} matched to users), {result.already} "
                "already on the register"
            )
        return EXIT_OK
    if not (args.name or args.collar):
        raise DomainError("give --csv FILE, or --name and/or --collar")
    kind = "staff" if args.staff else "officer"
    added = prog.add_attendee(lib.db, args.session, args.name or "", args.collar, kind)
    return print_record(args, added, _id, _json)


def _unattend(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    prog.remove_attendee(lib.db, args.session, args.attendee)
    return EXIT_OK


def _register(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    found = prog.list_attendance(lib.db, args.session)
    return print_records(args, "attendees", found, _attendee_line, _json)


def _attendee_line(a: prog.Attendee) -> str:
    return f"{a.id:>5}  {a.name}  {a.collar_number or '-'}  {a.kind}"


def _answers_given(values: list[str]) -> dict[str, str]:
    given = {}
    for value in values:
        key, sep, answer = value.partition("=")
        if not sep or not key.strip():
            raise DomainError(f"--set {value!r}: write it as QUESTION=ANSWER, e.g. knowledge.1=3")
        given[key.strip()] = answer
    return given


def _answer(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    if args.csv:
        forms = prog.read_answer_forms(Path(args.csv))
        stored = prog.record_paper_forms(lib, args.session, args.questionnaire, args.phase, forms)
    elif args.mine:
        given = _answers_given(args.set or [])
        stored = [prog.record_own_answers(lib, args.session, args.questionnaire, args.phase, given)]
    else:
        entry = "laptop" if args.laptop else "paper"
        stored = [
            prog.record_answers(
                lib,
                args.session,
                args.questionnaire,
                args.phase,
                _answers_given(args.set or []),
                entry=entry,
            )
        ]
    if args.json:
        print_json({"responses": [_json(r) for r in stored]})
    else:
        print(f"{len(stored)} form(s) kept" + ("" if args.mine else ", anonymous"))
    return EXIT_OK


def _responses(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    found = prog.list_responses(lib.db, args.session)
    return print_records(args, "responses", found, _response_line, _json)


def _response_line(r: prog.Response) -> str:
    who = "named" if r.named else "anonymous"
    answers = f"{len(r.answers)} answers"
    return f"{r.id:>5}  {r.questionnaire_key}  {r.phase}  {r.entry}  {who}  {answers}"


def _results(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    ids = args.session or [
        s.id
        for s in prog.list_sessions(
            lib.db, date_from=_day(args.date_from, "--from"), date_to=_day(args.date_to, "--to")
        )
    ]
    table = prog.results_table(lib, ids)
    if args.json:
        print_json(_table_json(table))
        return EXIT_OK
    for row in table.text_rows():
        print("\t".join(row))
    return EXIT_OK


def _mine(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import programme as prog

    mine = prog.my_training(lib)
    attended, answered = mine.attended, [sheet.response for sheet in mine.answers]
    if args.json:
        print_json(
            {"attended": [_json(a) for a in attended], "answers": [_json(r) for r in answered]}
        )
        return EXIT_OK
    for a in attended:
        print(f"{a.held_on:%Y-%m-%d}  {a.title}  [{a.team}]  {a.length_minutes} min")
    if not attended:
        print("You are not on the register of any session.")
    print(f"{len(answered)} questionnaire(s) answered with your name.")
    return EXIT_OK


# --- the commands' arguments ---------------------------------------------------------------


def add_programme(sub: argparse._SubParsersAction) -> None:
    help_ = "the training programme: sessions, registers, questionnaires and their results"
    psub = actions(sub, "programme", help_)
    # Each action's --json is listed first in its help, before the options added after it.
    q = action(psub, "curriculum", _curriculum,
               "the curriculum in force (or install a new version)")  # fmt: skip
    q.add_argument("--install", metavar="FILE.yaml", help="put this curriculum in force")
    q = action(psub, "questionnaires", _questionnaires, "the questionnaires (or install a version)")
    q.add_argument("--install", metavar="FILE.yaml", help="put this questionnaire in force")
    q.add_argument(
        "--session-of",
        metavar="MODULE",
        help="list the questions asked at this curriculum session (key or number)",
    )
    q = action(
        psub, "schedule", _schedule, "schedule a session of the curriculum (prints its id)",
        arg("module", metavar="MODULE", help="the curriculum session's key or number"),
    )  # fmt: skip
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--team", required=True)
    q.add_argument("--trainer", help="name of the trainer (default: you)")
    q.add_argument(
        "--pack",
        type=int,
        action="append",
        metavar="PACK_ID",
        help="a training pack used (repeat for more)",
    )
    q.add_argument("--length", type=int, metavar="MINUTES", help="default: the curriculum's")
    q.add_argument("--notes")
    q = action(psub, "sessions", _sessions, "sessions held or planned")
    _period(q)
    q.add_argument("--team")
    action(psub, "show", _show, "one session and its questionnaire results", SESSION_ID)
    q = action(psub, "change", _change,
               "change a session's date, team, trainer, length, packs, notes",
               SESSION_ID)  # fmt: skip
    q.add_argument("--date", metavar="YYYY-MM-DD")
    q.add_argument("--team")
    q.add_argument("--trainer")
    q.add_argument("--length", type=int, metavar="MINUTES")
    q.add_argument("--pack", type=int, action="append", metavar="PACK_ID")
    q.add_argument("--no-packs", action="store_true", help="the session used no packs")
    q.add_argument("--notes")
    action(psub, "delete", _delete, "remove a session entered by mistake, with its register",
           SESSION_ID)  # fmt: skip
    q = action(psub, "attend", _attend,
               "add to a session's register: a sign-in list or one person", SESSION_ID)  # fmt: skip
    q.add_argument("--csv", metavar="FILE.csv", help="a sign-in list (name, collar, role)")
    q.add_argument("--name")
    q.add_argument("--collar")
    q.add_argument("--staff", action="store_true", help="police staff rather than an officer")
    action(psub, "unattend", _unattend, "take someone off a session's register", SESSION_ID,
           arg("attendee", type=int, metavar="ATTENDEE_ID"))  # fmt: skip
    action(psub, "register", _register, "a session's register (trainers)", SESSION_ID)
    q = action(psub, "answer", _answer, "enter questionnaire answers (anonymous unless --mine)",
               SESSION_ID)  # fmt: skip
    later(q, _answer_arguments)  # the phases come from the database's models
    action(psub, "responses", _responses, "the forms entered for a session (never who)",
           SESSION_ID)  # fmt: skip
    q = action(psub, "results", _results, "questionnaire results per session and across them",
               arg("session", type=int, nargs="*", metavar="SESSION_ID"))  # fmt: skip
    _period(q)
    action(psub, "mine", _mine, "the sessions you attended and the answers you gave with your name")


def _answer_arguments(q: argparse.ArgumentParser) -> None:
    from bwvreview.app.programme import PHASES

    q.add_argument("--questionnaire", required=True, metavar="KEY")
    q.add_argument("--phase", required=True, choices=PHASES)
    q.add_argument(
        "--set",
        action="append",
        metavar="QUESTION=ANSWER",
        help="one answer, e.g. knowledge.1=3 (repeat for more)",
    )
    q.add_argument(
        "--csv",
        metavar="FILE.csv",
        help="paper forms: a heading per question, a row per form (all kept, or none)",
    )
    q.add_argument("--laptop", action="store_true", help="filled on a shared laptop")
    q.add_argument("--mine", action="store_true", help="your own answers, with your name")


def _period(q: argparse.ArgumentParser) -> None:
    q.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    q.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
