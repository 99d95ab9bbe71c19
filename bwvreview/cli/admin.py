"""The admin's commands: `users ...`, `codebook ...` and `audit`.

Passwords are read from standard input (``--password-stdin``), never from an argument, so
they stay out of shell history and process lists.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from bwvreview.cli.common import (
    EXIT_NOT_VERIFIED,
    EXIT_OK,
    action,
    actions,
    add_json,
    arg,
    day,
    later,
    open_library,
    print_json,
)

if TYPE_CHECKING:
    from bwvreview.app import Library


def _password(args: argparse.Namespace) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    return sys.stdin.readline().rstrip("\r\n") or None


def _list(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import admin

    found = admin.list_users(lib.db, include_inactive=True)
    if args.json:
        print_json({"users": [asdict(u) for u in found]})
    else:
        for user in found:
            state = "" if user.active else "  (inactive)"
            print(f"{user.id:>4}  {user.label}{state}")
    return EXIT_OK


def _add(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import admin

    made = admin.add_user(lib.db, args.name, args.role, collar_number=args.collar,
                          password=_password(args), team=args.team)  # fmt: skip
    print(made.id)
    return EXIT_OK


def _link(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import admin

    user = admin.find_user(lib.db, args.user)
    admin.link_officer(lib.db, args.incident, user.id, linked=not args.unlink)
    return EXIT_OK


def _set_password(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import admin

    password = _password(args)
    admin.set_password(lib.db, admin.find_user(lib.db, args.user).id, password)
    return EXIT_OK


def _activate(active: bool) -> Callable[[Library, argparse.Namespace], int]:
    def run(lib: Library, args: argparse.Namespace) -> int:
        from bwvreview.app import admin

        admin.set_active(lib.db, admin.find_user(lib.db, args.user).id, active)
        return EXIT_OK

    return run


def _codebook_show(lib: Library, args: argparse.Namespace) -> int:
    book = lib.codebook
    if args.json:
        categories = [
            {
                "key": c.key,
                "label": c.label,
                "polarity": c.polarity,
                "principles": c.principles,
                "officer_title": c.officer_title,
            }
            for c in book.categories
        ]
        print_json({"version": book.version, "sha256": book.sha256, "categories": categories})
    else:
        print(f"codebook {book.version} ({len(book.categories)} categories)")
        for c in book.categories:
            print(f"  {c.key:<28} {c.polarity:<14} {c.label}")
    return EXIT_OK


def _codebook_install(lib: Library, args: argparse.Namespace) -> int:
    from bwvreview.app import admin

    book = admin.install_codebook(lib.db, Path(args.file))
    print(f"codebook {book.version} is now in force ({len(book.categories)} categories)")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from bwvreview.app import admin
    from bwvreview.app.records import AuditFilter

    lib = open_library(args)
    if args.verify:
        report = admin.verify_audit(lib.db)
        if args.json:
            print_json(report.to_json())
        else:
            print(report.summary)
        return EXIT_OK if report.ok else EXIT_NOT_VERIFIED
    since, until = day(args.since), day(args.until)
    filters = AuditFilter(args.actor, args.action, since, until)
    page = admin.audit_events(lib.db, filters, limit=args.limit)
    if args.json:
        print_json({"total": page.total, "events": [e.to_json() for e in page.entries]})
        return EXIT_OK
    for e in page.entries:
        details = json.dumps(e.details, ensure_ascii=False, sort_keys=True)
        print(f"{e.id}\t{e.at:%Y-%m-%d %H:%M:%S}Z\t{e.actor}\t{e.action}\t{e.object}\t{details}")
    return EXIT_OK


# --- the commands' arguments ---------------------------------------------------------------


def add_audit(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit log (admins); --verify checks the hash chain")
    p.add_argument(
        "--verify", action="store_true", help="check the keyed chain and its signed checkpoint "
        "(exit 4 if not intact)"
    )  # fmt: skip
    p.add_argument("--actor", help="only this actor's events")
    p.add_argument("--action", help="only this action")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="from this UTC day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="up to and including this UTC day")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="newest N (default 50)")
    add_json(p)
    p.set_defaults(func=cmd_audit)


def add_codebook(sub: argparse._SubParsersAction) -> None:
    csub = actions(sub, "codebook", "show the codebook in force, or install a new version")
    q = action(csub, "show", _codebook_show, "the codebook in force", with_json=False)
    q.add_argument("--json", action="store_true")  # (no help line, as it always had)
    action(csub, "install", _codebook_install,
           "validate a codebook YAML and put it in force (admin)", arg("file"),
           with_json=False)  # fmt: skip


def add_users(sub: argparse._SubParsersAction) -> None:
    usub = actions(sub, "users", "manage users and which incidents officers are linked to")
    q = action(usub, "list", _list, "everyone who can sign in", with_json=False)
    q.add_argument("--json", action="store_true")
    q = action(usub, "add", _add, "add a user (admin)", arg("name"), with_json=False)
    later(q, _add_user_arguments)
    action(usub, "link", _link, "link an officer to an incident (what they may read)",
           arg("incident", help="incident reference"), arg("user", help="name or collar number"),
           arg("--unlink", action="store_true"), with_json=False)  # fmt: skip
    action(usub, "password", _set_password, "set (or with empty input, clear) a password",
           arg("user"), arg("--password-stdin", action="store_true", required=True),
           with_json=False)  # fmt: skip
    for name, active in (("activate", True), ("deactivate", False)):
        action(usub, name, _activate(active), f"{name} a user", arg("user"), with_json=False)


def _add_user_arguments(q: argparse.ArgumentParser) -> None:
    from bwvreview.app.records import ROLES

    q.add_argument("--role", choices=ROLES, required=True)
    q.add_argument("--collar", help="collar number (officers)")
    q.add_argument("--team")
    q.add_argument("--password-stdin", action="store_true", help="read a password from stdin")
