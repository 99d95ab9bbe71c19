"""Observation templates and PPN1 quality points, as data (``observation_templates.yaml``).

Versioned like the codebook: an observation or a review copies the words of its points and
keeps the file's version, so an edited file never changes what an old record said. A broken
file is refused with its line, as the codebook is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwvreview.annotations.errors import CodebookError
from bwvreview.annotations.formats.data_file import DataFile, content_sha256
from bwvreview.annotations.formats.yaml_lines import LINE

GENERAL = "general"  # the template for a type without one of its own


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


def _file(path: Path) -> DataFile:
    return DataFile(path, "observation templates", CodebookError)


def _list(raw: Any, file: DataFile, line: int | None, what: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw or not all(isinstance(e, dict) for e in raw):
        raise file.fail(line, f"'{what}' must be a non-empty list of mappings")
    return raw


def _template(entry: dict[str, Any], file: DataFile, seen: set[str]) -> Template:
    key = file.key(entry, seen, "template")
    kinds = entry.get("for") or []
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise file.fail(entry.get(LINE), f"{key}: 'for' must be a list of incident types")
    points: list[TemplatePoint] = []
    point_keys: set[str] = set()
    for group in _list(entry.get("groups"), file, entry.get(LINE), "groups"):
        label = file.text(group, "label")
        for point in _list(group.get("points"), file, group.get(LINE), "points"):
            category = file.text(point, "category", required=False) or None
            points.append(
                TemplatePoint(
                    file.key(point, point_keys, f"{key} point"),
                    file.text(point, "label"),
                    file.text(point, "prompt", required=False),
                    label,
                    category,
                )
            )
    return Template(key, file.text(entry, "label"), tuple(kinds), tuple(points))


def _quality_points(raw: Any, file: DataFile) -> tuple[QualityPoint, ...]:
    if not isinstance(raw, dict):
        raise file.fail(None, "'ppn1' must be a mapping with 'points'")
    seen: set[str] = set()
    points = []
    for entry in _list(raw.get("points"), file, raw.get(LINE), "ppn1 points"):
        categories = entry.get("categories") or []
        if not isinstance(categories, list):
            raise file.fail(entry.get(LINE), "'categories' must be a list of category keys")
        points.append(
            QualityPoint(
                file.key(entry, seen, "PPN1 point"),
                file.text(entry, "label"),
                file.text(entry, "prompt", required=False),
                tuple(str(c) for c in categories),
            )
        )
    return tuple(points)


def parse_templates(text: str, path: Path) -> Templates:
    """Parse and check the templates YAML; ``path`` is used only in messages."""
    file = _file(path)
    raw = file.parse(text, "expected a mapping with version, templates and ppn1")
    seen: set[str] = set()
    templates = tuple(
        _template(e, file, seen)
        for e in _list(raw.get("templates"), file, raw.get(LINE), "templates")
    )
    version = file.version(raw)
    return Templates(
        version, content_sha256(text), templates, _quality_points(raw.get("ppn1"), file)
    )


def load_templates(path: Path) -> Templates:
    """Read and check the observation templates file at ``path``."""
    return parse_templates(_file(path).read(), path)
