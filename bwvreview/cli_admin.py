"""The admin's commands: `bwvreview users ...` and `bwvreview codebook ...`.

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

from bwvreview.annotations import codebook, library, users
from bwvreview.annotations.access import ROLES
from bwvreview.app import Library


def _password(args: argparse.Namespace) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    return sys.stdin.readline().rstrip("\r\n") or None


def _list(lib: Library, args: argparse.Namespace) -> int:
    found = users.list_users(lib.db, include_inactive=True)
    if args.json:
        json.dump({"users": [asdict(u) for u in found]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for user in found:
            state = "" if user.active else "  (inactive)"
            print(f"{user.id:>4}  {user.label}{state}")
    return 0


def _add(lib: Library, args: argparse.Namespace) -> int:
    made = users.create_user(lib.db, args.name, args.role, collar_number=args.collar,
                             password=_password(args), team=args.team)  # fmt: skip
    print(made.id)
    return 0


def _link(lib: Library, args: argparse.Namespace) -> int:
    user = users.find_user(lib.db, args.user)
    incident = library.incident_id(lib.db, args.incident)
    users.link_officer(lib.db, incident, user.id, linked=not args.unlink)
    return 0


def _password_cmd(lib: Library, args: argparse.Namespace) -> int:
    users.set_password(lib.db, users.find_user(lib.db, args.user).id, _password(args))
    return 0


def _activate(active: bool) -> Callable[[Library, argparse.Namespace], int]:
    def run(lib: Library, args: argparse.Namespace) -> int:
        users.set_active(lib.db, users.find_user(lib.db, args.user).id, active)
        return 0

    return run


def _codebook_show(lib: Library, args: argparse.Namespace) -> int:
    book = lib.codebook
    if args.json:
        categories = [
            {"key": c.key, "label": c.label, "polarity": c.polarity, "principles": c.principles}
            for c in book.categories
        ]
        data = {"version": book.version, "sha256": book.sha256, "categories": categories}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(f"codebook {book.version} ({len(book.categories)} categories)")
        for c in book.categories:
            print(f"  {c.key:<28} {c.polarity:<14} {c.label}")
    return 0


def _codebook_install(lib: Library, args: argparse.Namespace) -> int:
    book = codebook.install_codebook(lib.db, Path(args.file))
    print(f"codebook {book.version} is now in force ({len(book.categories)} categories)")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("codebook", help="show the codebook in force, or install a new version")
    csub = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    q = csub.add_parser("show", help="the codebook in force")
    q.add_argument("--json", action="store_true")
    q.set_defaults(admin_run=_codebook_show)
    q = csub.add_parser("install", help="validate a codebook YAML and put it in force (admin)")
    q.add_argument("file")
    q.set_defaults(admin_run=_codebook_install)

    p = sub.add_parser("users", help="manage users and which incidents officers are linked to")
    usub = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    q = usub.add_parser("list", help="everyone who can sign in")
    q.add_argument("--json", action="store_true")
    q.set_defaults(admin_run=_list)
    q = usub.add_parser("add", help="add a user (admin)")
    q.add_argument("name")
    q.add_argument("--role", choices=ROLES, required=True)
    q.add_argument("--collar", help="collar number (officers)")
    q.add_argument("--team")
    q.add_argument("--password-stdin", action="store_true", help="read a password from stdin")
    q.set_defaults(admin_run=_add)
    q = usub.add_parser("link", help="link an officer to an incident (what they may read)")
    q.add_argument("incident", help="incident reference")
    q.add_argument("user", help="name or collar number")
    q.add_argument("--unlink", action="store_true")
    q.set_defaults(admin_run=_link)
    q = usub.add_parser("password", help="set (or with empty input, clear) a password")
    q.add_argument("user")
    q.add_argument("--password-stdin", action="store_true", required=True)
    q.set_defaults(admin_run=_password_cmd)
    for action, active in (("activate", True), ("deactivate", False)):
        q = usub.add_parser(action, help=f"{action} a user")
        q.add_argument("user")
        q.set_defaults(admin_run=_activate(active))


def run(lib: Library, args: argparse.Namespace) -> int:
    return args.admin_run(lib, args)
