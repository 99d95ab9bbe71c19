"""Observation templates and PPN1 quality points, as data (``observation_templates.yaml``).

Versioned like the codebook: an observation or a review copies the words of its points and
keeps the file's version, so an edited file never changes what an old record said. A broken
file is refused with its line, as the codebook is.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwvreview.annotations.errors import CodebookError
from bwvreview.annotations.formats.yaml_lines import LINE, load_yaml, not_utf8

GENERAL = "general"  # the template for a type without one of its own
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class TemplatePoint:
    key: str
    label: str
    prompt: str
    group: str
    category: str | None  # the codebook category a met point counts as


@dataclass(frozen=True)
class Template:
    key: str
    label: str
    incident_types: tuple[str, ...]
    points: tuple[TemplatePoint, ...]

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.group for p in self.points))


@dataclass(frozen=True)
class QualityPoint:
    """A PPN1 quality point and the recording moments it is usually linked to."""

    key: str
    label: str
    prompt: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Templates:
    version: str
    sha256: str
    templates: tuple[Template, ...]
    ppn1_points: tuple[QualityPoint, ...]

    def template(self, key: str) -> Template:
        for template in self.templates:
            if template.key == key:
                return template
        known = ", ".join(t.key for t in self.templates)
        raise CodebookError(f"no observation template {key!r} (there are: {known})")

    def for_incident_type(self, incident_type: str | None) -> Template:
        """The template for an incident type: its own, else ``general``, else the first."""
        for template in self.templates:
            if incident_type in template.incident_types:
                return template
        general = [t for t in self.templates if t.key == GENERAL]
        return (general or list(self.templates))[0]


def _fail(path: Path, line: int | None, message: str) -> CodebookError:
    where = f"{path}, line {line}" if line else str(path)
    return CodebookError(f"observation templates {where}: {message}")


def _text(entry: dict[str, Any], field: str, path: Path, *, required: bool = True) -> str:
    value = entry.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str | int | float) or not str(value).strip():
        raise _fail(path, entry.get(LINE), f"'{field}' must be non-empty text")
    return " ".join(str(value).split())


def _key(entry: dict[str, Any], path: Path, seen: set[str], what: str) -> str:
    key = _text(entry, "key", path)
    if not _KEY.match(key):
        raise _fail(path, entry.get(LINE), f"{what} key {key!r} must be lower_snake_case")
    if key in seen:
        raise _fail(path, entry.get(LINE), f"{what} key {key!r} is used twice")
    seen.add(key)
    return key


def _list(raw: Any, path: Path, line: int | None, what: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw or not all(isinstance(e, dict) for e in raw):
        raise _fail(path, line, f"'{what}' must be a non-empty list of mappings")
    return raw


def _template(entry: dict[str, Any], path: Path, seen: set[str]) -> Template:
    key = _key(entry, path, seen, "template")
    kinds = entry.get("for") or []
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise _fail(path, entry.get(LINE), f"{key}: 'for' must be a list of incident types")
    points: list[TemplatePoint] = []
    point_keys: set[str] = set()
    for group in _list(entry.get("groups"), path, entry.get(LINE), "groups"):
        label = _text(group, "label", path)
        for point in _list(group.get("points"), path, group.get(LINE), "points"):
            category = _text(point, "category", path, required=False) or None
            points.append(
                TemplatePoint(
                    _key(point, path, point_keys, f"{key} point"),
                    _text(point, "label", path),
                    _text(point, "prompt", path, required=False),
                    label,
                    category,
                )
            )
    return Template(key, _text(entry, "label", path), tuple(kinds), tuple(points))


def _quality_points(raw: Any, path: Path) -> tuple[QualityPoint, ...]:
    if not isinstance(raw, dict):
        raise _fail(path, None, "'ppn1' must be a mapping with 'points'")
    seen: set[str] = set()
    points = []
    for entry in _list(raw.get("points"), path, raw.get(LINE), "ppn1 points"):
        categories = entry.get("categories") or []
        if not isinstance(categories, list):
            raise _fail(path, entry.get(LINE), "'categories' must be a list of category keys")
        points.append(
            QualityPoint(
                _key(entry, path, seen, "PPN1 point"),
                _text(entry, "label", path),
                _text(entry, "prompt", path, required=False),
                tuple(str(c) for c in categories),
            )
        )
    return tuple(points)


def parse_templates(text: str, path: Path) -> Templates:
    """Parse and check the templates YAML; ``path`` is used only in messages."""
    raw = load_yaml(text, lambda line, message: _fail(path, line, message))
    if not isinstance(raw, dict):
        raise _fail(path, 1, "expected a mapping with version, templates and ppn1")
    seen: set[str] = set()
    templates = tuple(
        _template(e, path, seen)
        for e in _list(raw.get("templates"), path, raw.get(LINE), "templates")
    )
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Templates(
        _text(raw, "version", path), sha, templates, _quality_points(raw.get("ppn1"), path)
    )


def load_templates(path: Path) -> Templates:
    """Read and check the observation templates file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, None, not_utf8(exc)) from exc
    except OSError as exc:
        raise _fail(path, None, f"cannot be read ({exc.__class__.__name__})") from exc
    return parse_templates(text, path)
