"""What every command shares: the parser, the exit codes, opening the library (signed in),
progress on stderr, and a record or a list printed as text or, with --json, as JSON.

Importing the command line is kept cheap (`bwvreview --help` answers at once): modules that
reach the database, Whisper or OpenCV are imported by the command that uses them, and
``bwvreview.app`` imports its names when first used. tests/unit/test_cli_startup.py checks it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from bwvreview import app
from bwvreview.app.errors import DomainError

T = TypeVar("T")

EXIT_OK, EXIT_FAULT, EXIT_USAGE, EXIT_BAD_INPUT = 0, 1, 2, 3
EXIT_NOT_VERIFIED = 4  # export-clip / verify-clip: the clip exists but failed a check
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT
EXIT_CODES = """exit codes:
  0    success
  1    an unexpected fault (one line here; the details go to the log file)
  2    usage error (an unknown command or option, a missing argument)
  3    bad input: unreadable media, an unknown id, a bad file or database;
       doctor: a problem that stops bwvreview doing its job
  4    a check failed: the clip failed verification (export-clip, verify-clip), the
       audit chain is broken (audit --verify), or a pack's clip changed (export-pack)
  130  interrupted (Ctrl+C); unfinished work was not stored"""

JSON_HELP = "print JSON on stdout"
TARGET_HELP = "recording id or media path"
TIME_HELP = "seconds (12.5) or HH:MM:SS(.mmm)"
DEVICE_HELP = (
    "where Whisper runs: auto uses an NVIDIA GPU (CUDA) when CTranslate2 finds one, else the "
    "CPU, and follows BWVREVIEW_DEVICE=auto|cpu|cuda when it is set; a GPU that cannot be used "
    "falls back to the CPU with a warning (default: auto)"
)

Command = Callable[[argparse.Namespace], int]
AddArguments = Callable[[argparse.ArgumentParser], None]
Run = Callable[["app.Library", argparse.Namespace], int]  # a command on the open library
Argument = tuple[tuple[str, ...], dict[str, Any]]  # add_argument's names and options

if TYPE_CHECKING:
    Actions = argparse._SubParsersAction[argparse.ArgumentParser]


class Parser(argparse.ArgumentParser):
    """argparse, with two additions.

    A command may take words that begin with '-'. For `search`, `-shouting` is the query
    syntax's "leave this word out", not an option: any argument with one leading '-' that is
    not one of the command's own options is a word of the query (so `search -calm`,
    `search -- -calm` and `search "-calm"` agree). An unknown `--option` is still a usage
    error, so a mistyped `--lmit` is not searched for.

    Arguments whose choices live in modules that are slow to import (the export options,
    the roles, the transcript formats) are added ``later`` (below): when the command is run
    or its help shown, not when the parser is built for every command.
    """

    words_may_start_with_dash = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._later: list[AddArguments] = []

    def add_later(self, add: AddArguments) -> None:
        """Call ``add(self)`` before this parser first parses or shows its help or usage."""
        self._later.append(add)

    def _complete(self) -> None:
        while self._later:
            self._later.pop(0)(self)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._complete()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._complete()
        return super().format_usage()

    def format_help(self) -> str:
        self._complete()
        return super().format_help()

    def _parse_optional(self, arg_string: str) -> Any:
        if (
            self.words_may_start_with_dash
            and arg_string.startswith("-")
            and not arg_string.startswith("--")
            and arg_string not in self._option_string_actions
        ):
            return None
        return super()._parse_optional(arg_string)


def later(parser: argparse.ArgumentParser, add: AddArguments) -> None:
    """``add(parser)`` when the command is used (``Parser.add_later``); at once on a plain
    ``ArgumentParser``, so the commands' arguments can be added to any parser."""
    if isinstance(parser, Parser):
        parser.add_later(add)
    else:
        add(parser)


class StderrProgress:
    """Progress on stderr: a rewritten line on a terminal, nothing when redirected."""

    def __init__(self, *, coarse_when_redirected: bool = False) -> None:
        self.live = sys.stderr.isatty()
        self.coarse = coarse_when_redirected and not self.live
        self._last = ""

    def show(self, text: str) -> None:
        if self.live and text != self._last:
            sys.stderr.write(f"\r{text:<70}")
            sys.stderr.flush()
            self._last = text
        elif self.coarse and text.split("%")[0][:-1] != self._last.split("%")[0][:-1]:
            # Redirected: one line per ten per cent, so a log shows progress without flooding.
            print(text, file=sys.stderr, flush=True)
            self._last = text

    def follow(self, steps: Generator[Any, None, T], describe: Callable[[Any], str]) -> T:
        """Run a progress generator, showing each step, and return its result."""
        try:
            while True:
                try:
                    self.show(describe(next(steps)))
                except StopIteration as finished:
                    return finished.value
        finally:
            self.done()

    def done(self) -> None:
        if self.live and self._last:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()
            self._last = ""


def follow(steps: Generator[Any, None, T], describe: Callable[[Any], str]) -> T:
    """Run long work, with one progress line per ten per cent when stderr is redirected."""
    return StderrProgress(coarse_when_redirected=True).follow(steps, describe)


def fraction(step: Any) -> float:
    return float(getattr(step, "fraction", step) or 0.0)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def warn(text: str) -> None:
    """One line for the person at the prompt, on stderr."""
    print(f"bwvreview: {text}", file=sys.stderr)


def open_library(args: argparse.Namespace, *, demo_tip: bool = False) -> app.Library:
    """Open the library and sign in whoever BWVREVIEW_USER names (see ``app.signin``)."""
    from bwvreview.app.signin import sign_in_from_environment

    lib = app.open_library(db_url=args.db, data_dir=args.data_dir)
    try:
        return sign_in_from_environment(lib, demo_tip=demo_tip)
    except DomainError:
        lib.close()  # refused before anything was done
        raise


def with_library(run: Run) -> Command:
    """A command that works on the library, signed in."""

    def command(args: argparse.Namespace) -> int:
        return run(open_library(args), args)

    return command


# --- declaring commands --------------------------------------------------------------------


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=JSON_HELP)


def arg(*names: str, **options: Any) -> Argument:
    """An argument for ``action``: what ``add_argument`` would be given."""
    return names, options


def actions(sub: Actions, name: str, help: str, **options: Any) -> Actions:
    """A command made of actions (`session show`, `users list`): their sub-parsers."""
    p = sub.add_parser(name, help=help, **options)
    return p.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


def action(
    group: Actions, name: str, run: Run, help: str, *arguments: Argument, with_json: bool = True
) -> argparse.ArgumentParser:
    """One action of a group: its ``arguments`` in order, then --json (unless ``with_json``
    is false); it runs on the library, signed in."""
    q = group.add_parser(name, help=help)
    for names, options in arguments:
        q.add_argument(*names, **options)
    if with_json:
        add_json(q)
    q.set_defaults(func=with_library(run))
    return q


def day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD date from the command line (bad input: exit 3, one line)."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise DomainError(f"{text!r} is not a date: use YYYY-MM-DD") from exc


# --- printing what a command found ---------------------------------------------------------


def _to_json(record: Any) -> Any:
    return record.to_json()


def print_record(
    args: argparse.Namespace,
    record: T,
    text: Callable[[T], str],
    to_json: Callable[[T], Any] = _to_json,
) -> int:
    """One record: with --json its ``to_json`` document, else its ``text`` (lines)."""
    if args.json:
        print_json(to_json(record))
    else:
        print(text(record))
    return EXIT_OK


def print_records(
    args: argparse.Namespace,
    key: str,
    records: Sequence[T],
    line: Callable[[T], str],
    to_json: Callable[[T], Any] = _to_json,
    *,
    empty: str | None = None,
) -> int:
    """A list: with --json ``{key: [each record's document]}``, else a ``line`` per record,
    or ``empty`` (when given) if there are none."""
    if args.json:
        print_json({key: [to_json(r) for r in records]})
        return EXIT_OK
    if not records and empty:
        print(empty)
    for r in records:
        print(line(r))
    return EXIT_OK
