"""The admin's commands: `bwvreview users ...`, `bwvreview codebook ...` and the second-person
release of clips, `bwvreview clips list|approve|reject`.

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

from bwvreview.annotations import codebook
from bwvreview.annotations.access import ROLES, users
from bwvreview.annotations.learning import clip_library
from bwvreview.annotations.learning.clips import STATE_WORDS
from bwvreview.annotations.review import library
from bwvreview.app import Library, clip_release


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
    password = _password(args)
    users.check_first_to_sign_in(lib.db, args.role, password)
    made = users.create_user(lib.db, args.name, args.role, collar_number=args.collar,
                             password=password, team=args.team)  # fmt: skip
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


def _clip_json(clip: clip_library.LibraryClip) -> dict[str, object]:
    return {
        "id": clip.clip_id,
        "state": clip.release_state,
        "state_words": clip.state_words,
        "category": clip.category_key,
        "category_label": clip.category_label,
        "span_ms": [clip.start_ms, clip.end_ms],
        "path": clip.clip_path,
        "sha256": clip.sha256,
        "verified": clip.verified,
        "overridden": clip.overridden,
        "override_reason": clip.override_reason,
        "exported_by": clip.exported_by,
        "decided_by": clip.decided_by,
        "decided_at": clip.decided_at.isoformat(timespec="seconds") if clip.decided_at else None,
        "decision_reason": clip.decision_reason,
    }


def _clips_list(lib: Library, args: argparse.Namespace) -> int:
    found = clip_library.list_release_clips(lib.db, args.state or ())
    if args.json:
        json.dump({"clips": [_clip_json(c) for c in found]}, sys.stdout, indent=2,
                  ensure_ascii=False)  # fmt: skip
        sys.stdout.write("\n")
        return 0
    if not found:
        print("No clips to show.")
    for clip in found:
        line = f"{clip.clip_id:>4}  {clip.state_words:<26}  {clip.category_label}"
        line += f"  ({Path(clip.clip_path).name})"
        if clip.exported_by:
            line += f"  exported by {clip.exported_by}"
        if clip.decided_by and clip.release_state in ("approved", "not_approved"):
            line += f"; {'approved' if clip.release_state == 'approved' else 'decided'} by"
            line += f" {clip.decided_by}"
        if clip.decision_reason and clip.release_state == "not_approved":
            line += f": {clip.decision_reason}"
        if clip.overridden:
            line += f"  [verification overridden: {clip.override_reason}]"
        print(line)
    return 0


def _clips_approve(lib: Library, args: argparse.Namespace) -> int:
    record = clip_release.approve(lib, args.clip_id)
    print(f"clip {record.id} approved for trainers by {record.decided_by}")
    return 0


def _clips_reject(lib: Library, args: argparse.Namespace) -> int:
    record = clip_release.reject(lib, args.clip_id, args.reason)
    print(f"clip {record.id} not approved by {record.decided_by}: {record.decision_reason}")
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

    p = sub.add_parser(
        "clips",
        help="release clips to trainers: a second person (TIP or admin) approves each one",
        description="A clip joins the trainers' library only when another TIP or an admin, "
        "not whoever exported it, has watched it and approved it. Refusals exit 3 with one "
        "line and change nothing.",
    )
    csub = p.add_subparsers(dest="clips_command", metavar="ACTION", required=True)
    q = csub.add_parser("list", help="clips you may see and their release state")
    q.add_argument("--state", action="append", choices=tuple(STATE_WORDS),
                   help="only clips in this state (repeat for more)")  # fmt: skip
    q.add_argument("--json", action="store_true", help="print JSON on stdout")
    q.set_defaults(admin_run=_clips_list)
    q = csub.add_parser("approve", help="approve a clip you have watched (not your own export)")
    q.add_argument("clip_id", type=int, metavar="ID")
    q.set_defaults(admin_run=_clips_approve)
    q = csub.add_parser("reject", help="do not approve a clip (or withdraw one), saying why")
    q.add_argument("clip_id", type=int, metavar="ID")
    q.add_argument("--reason", required=True, metavar="TEXT", help="why (recorded)")
    q.set_defaults(admin_run=_clips_reject)


def run(lib: Library, args: argparse.Namespace) -> int:
    return args.admin_run(lib, args)
