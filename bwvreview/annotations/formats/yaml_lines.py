"""YAML that remembers where things are, so a broken data file is reported by line.

Shared by the codebook and the cue lexicon: every mapping gets its 1-based start line under
``LINE``, every sequence is a ``LineList`` carrying each item's line, and a syntax error is
turned into the caller's own error with the line it is on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import yaml

LINE = "__line__"


class LineList(list):  # type: ignore[type-arg]
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the (1-based) line of each mapping and list item."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def not_utf8(exc: UnicodeDecodeError) -> str:
    """What to tell a person whose file was saved in another encoding than UTF-8."""
    line = exc.object[: exc.start].count(b"\n") + 1
    byte = exc.object[exc.start]
    return f"line {line} is not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"


def load_yaml(text: str, fail: Callable[[int | None, str], Exception]) -> Any:
    """Parse ``text`` safely; a syntax error raises ``fail(line, "not valid YAML (…)")``."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise fail(line, f"not valid YAML ({exc.problem})") from exc
    except yaml.YAMLError as exc:
        raise fail(None, f"not valid YAML ({exc})") from exc
