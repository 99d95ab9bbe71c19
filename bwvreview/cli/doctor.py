"""`doctor`: what bwvreview runs and finds here, for whoever supports you."""

from __future__ import annotations

import argparse
from typing import Any

from bwvreview.cli.common import add_json, print_json


def _qt_section() -> Any:
    """Qt's part of the report (the only Qt doctor needs, so imported only here)."""
    from bwvreview.app.doctor import PROBLEM, Item, Section

    try:
        from bwvreview.ui.about import about_qt
    except ImportError as exc:  # a broken PySide6: the window cannot open
        return Section("Qt", [Item("Qt", f"cannot be loaded ({exc})", PROBLEM)])
    return about_qt()


def cmd_doctor(args: argparse.Namespace) -> int:
    """What bwvreview runs and finds, for whoever supports you; nothing is changed."""
    from bwvreview.app import doctor

    sections = [*doctor.gather(args.data_dir, args.db), _qt_section()]
    if args.json:
        print_json(doctor.to_json(sections))
    else:
        print(doctor.to_text(sections))
    return doctor.exit_code(sections)


def add_doctor(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor",
        help="what bwvreview runs and finds here, for whoever supports you",
        description="Report versions, the ffmpeg, models and devices each stage uses, the "
        "library's location and schema, and Qt's playback and sound devices. Nothing is "
        "changed. Lines beginning PROBLEM: stop bwvreview working (exit 3); WARNING: lines "
        "make something work less well.",
    )
    add_json(p)
    # Doctor changes nothing: it reports a bad data folder rather than preparing one.
    p.set_defaults(func=cmd_doctor, prepares_data_dir=False)
