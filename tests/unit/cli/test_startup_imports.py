"""The command line starts at once: building its parser imports none of the heavy libraries.

`bwvreview --help` took 0.5-1.6 s because ``import bwvreview.cli`` pulled in SQLAlchemy,
Alembic, faster-whisper and OpenCV through ``bwvreview.app``. Each check runs in a fresh
interpreter, since this test process has long imported all of them.
"""

from __future__ import annotations

import pytest

from bwvreview.cli import build_parser
from tests.fresh_imports import imported_after, top_level

HEAVY = ("sqlalchemy", "alembic", "faster_whisper", "ctranslate2", "cv2", "PySide6",
         "presidio_analyzer", "spacy", "numpy", "onnxruntime", "av")  # fmt: skip


def _heavy(modules: list[str]) -> list[str]:
    return sorted(top_level(modules) & set(HEAVY))


def test_building_the_parser_imports_no_heavy_library():
    modules = imported_after("import bwvreview.cli\nbwvreview.cli.build_parser().format_help()")
    assert _heavy(modules) == []


def test_help_imports_no_heavy_library():
    code = "import contextlib, bwvreview.cli\nwith contextlib.suppress(SystemExit):\n"
    code += "    bwvreview.cli.main(['--help'])"
    assert _heavy(imported_after(code)) == []


def test_importing_app_imports_nothing_below_it():
    modules = imported_after("import bwvreview.app, bwvreview.app.errors")
    assert _heavy(modules) == []
    assert "bwvreview.app.opening" not in modules


@pytest.mark.parametrize(
    ("argv", "dest", "value"),
    [
        (["transcribe", "a.mp4", "--format", "srt"], "format", "srt"),
        (["transcribe", "a.mp4", "--json"], "json", True),
        (["users", "add", "sam", "--role", "trainer"], "role", "trainer"),
        (["clips", "list", "--state", "approved"], "state", ["approved"]),
        (["search", "calm", "--kind", "annotation"], "kind", ["annotation"]),
        (["export-annotations", "1", "--format", "csv", "--out", "x.csv"], "format", "csv"),
        (["export-clip", "1", "--out", "c.mp4", "--faces", "box"], "faces", "box"),
        (["queue", "export", "1", "--out", "c.mp4", "--faces", "pixelate"], "faces", "pixelate"),
    ],
)
def test_arguments_added_when_a_command_is_used_are_parsed(argv, dest, value):
    assert getattr(build_parser().parse_args(argv), dest) == value


def test_a_late_argument_still_refuses_a_wrong_choice(capsys):
    with pytest.raises(SystemExit) as usage:
        build_parser().parse_args(["users", "add", "sam", "--role", "chief"])
    assert usage.value.code == 2
    assert "invalid choice: 'chief'" in capsys.readouterr().err


def test_a_commands_help_shows_its_late_arguments_in_place(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["transcribe", "--help"])
    text = capsys.readouterr().out
    assert "[--json | --format {srt,vtt,txt,json}]" in text
    assert text.index("--device") < text.index("--format")
