"""The command line: argument parsing and printing only; the work is in ``bwvreview.app``.

One module per group of commands (footage, clips, learning, admin, jobs, doctor), each
adding its commands' arguments; here the parser is assembled from them, and ``main`` maps
what can go wrong to the exit codes (``common.EXIT_CODES``, shown by ``bwvreview --help``).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence

from bwvreview import __version__, locations
from bwvreview.app.errors import BAD_INPUT
from bwvreview.cli import (
    admin,
    clips,
    doctor,
    footage,
    incident,
    jobs,
    learning,
    observe,
    ppn1,
    programme,
    report,
    session,
)
from bwvreview.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CODES,
    EXIT_FAULT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Command,
    Parser,
    warn,
)
from bwvreview.cli.startup import check_text, keep_private, setup_logging

__all__ = ["EXIT_CODES", "build_parser", "main"]

log = logging.getLogger("bwvreview")

# The commands in the order --help lists them.
_COMMANDS = (
    footage.add_gui, footage.add_demo, footage.add_import, footage.add_transcribe,
    footage.add_cue_stats, footage.add_list, footage.add_set_details, footage.add_suggest,
    clips.add_export_clip, clips.add_verify_clip,
    learning.add_export_pack, learning.add_case_study, learning.add_export_annotations,
    learning.add_import_annotations, learning.add_agreement,
    admin.add_audit, learning.add_search, admin.add_codebook, admin.add_users, clips.add_clips,
    jobs.add_worker, jobs.add_queue, doctor.add_doctor, programme.add_programme,
    report.add_report,
    incident.add_incident, observe.add_observe, ppn1.add_ppn1, session.add_session,
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="bwvreview",
        description="Trauma-informed review of body-worn video, entirely on this machine.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bwvreview {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: BWVREVIEW_DB or a SQLite file in the data folder)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: BWVREVIEW_DATA or the per-user data folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _COMMANDS:
        add(sub)
    _describe_every_command(parser)
    return parser


def _describe_every_command(parser: argparse.ArgumentParser) -> None:
    """A command's --help opens with its one-line summary unless it has a description."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help for choice in action._choices_actions}
            for name, command in action.choices.items():
                if command.description is None and summaries.get(name):
                    summary = summaries[name]
                    command.description = summary[0].upper() + summary[1:] + "."
                _describe_every_command(command)


def _interrupted() -> int:
    warn("interrupted; unfinished work was not stored")
    return EXIT_INTERRUPTED


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Ctrl+C that a library turned into an error of its own: pressed while onnxruntime was
    being imported, it surfaces as faster-whisper's RuntimeError about onnxruntime."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Command = getattr(args, "func", footage.cmd_gui)
    try:
        check_text(args)
        locations.check_given(args.data_dir)
        # Checked before any work; doctor changes nothing and reports a bad folder itself.
        prepare = getattr(args, "prepares_data_dir", True)
        data = locations.prepare_data_dir(args.data_dir) if prepare else None
    except BAD_INPUT as exc:
        warn(str(exc))
        return EXIT_BAD_INPUT
    log_path = setup_logging(args)
    try:
        keep_private(data)  # a library made before bwvreview kept it private
        return func(args)
    except BAD_INPUT as exc:
        warn(str(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person at a prompt
        if _caused_by_interrupt(exc):
            return _interrupted()
        log.exception("unexpected fault")
        where = f" (details in {log_path})" if log_path else ""
        print(f"bwvreview: unexpected fault: {exc.__class__.__name__}{where}", file=sys.stderr)
        return EXIT_FAULT
    finally:
        with contextlib.suppress(OSError):
            keep_private(data)  # what this command wrote there (a cache, a backup)
