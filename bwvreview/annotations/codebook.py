"""The trauma-informed codebook as data: load, validate, and record its version.

A broken file is refused with a message naming the file and the line, so an admin who
edited it can put it right. Each distinct file (version and content hash) is stored once in
the database; annotations point at that version's categories and keep their meaning when
the codebook later changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bwvreview.annotations.access import MANAGE_CODEBOOK, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import CodebookError
from bwvreview.annotations.formats.data_file import KEY, DataFile, content_sha256
from bwvreview.annotations.formats.yaml_lines import LINE
from bwvreview.annotations.store.db import Database
from bwvreview.annotations.store.models import CodebookCategory, CodebookVersion, utcnow

POLARITIES = ("concern", "good_practice", "observation")
_HOTKEY = re.compile(r"^((Ctrl|Shift|Alt)\+)*([A-Z0-9]|F([1-9]|1[0-2]))$")


@dataclass(frozen=True)
class Principle:
    key: str
    label: str
    asks: str


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    principles: tuple[str, ...]
    polarity: str
    definition: str
    hotkey: str | None
    # What an officer reads (their feedback, a debrief): plain and softened, never blaming.
    # The label when the codebook gives none.
    officer_title: str = ""

    def __post_init__(self) -> None:
        if not self.officer_title:
            object.__setattr__(self, "officer_title", self.label)


@dataclass(frozen=True)
class IncidentType:
    """A kind of incident a TIP attends or reviews (patrol attendance, stop and search…)."""

    key: str
    label: str


@dataclass(frozen=True)
class Codebook:
    version: str
    sha256: str
    principles: tuple[Principle, ...]
    categories: tuple[Category, ...]
    incident_types: tuple[IncidentType, ...] = ()  # the file's optional incident_types

    def incident_type_label(self, key: str | None) -> str:
        """The label of an incident type; an unknown key as it is, none as "not said"."""
        if key is None:
            return "not said"
        return next((t.label for t in self.incident_types if t.key == key), key)

    def category(self, key: str) -> Category:
        for category in self.categories:
            if category.key == key:
                return category
        raise CodebookError(f"no codebook category with key {key!r}")

    def officer_titles(self) -> dict[str, str]:
        """Each category's key and the title an officer reads for it."""
        return {c.key: c.officer_title for c in self.categories}


CODEBOOK_LOCK = 0x62777663  # "bwvc": serialises recording a codebook on PostgreSQL


def _file(path: Path) -> DataFile:
    return DataFile(path, "codebook", CodebookError, fold_spaces=False)


def _parse_principles(raw: Any, file: DataFile) -> tuple[Principle, ...]:
    if not isinstance(raw, list) or not raw:
        raise file.fail(None, "'principles' must be a non-empty list")
    principles = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise file.fail(None, "each principle must be a mapping with key, label, asks")
        principles.append(
            Principle(
                key=file.text(entry, "key"),
                label=file.text(entry, "label"),
                asks=file.text(entry, "asks", required=False),
            )
        )
    return tuple(principles)


def _parse_category(entry: Any, principle_keys: set[str], file: DataFile) -> Category:
    if not isinstance(entry, dict):
        raise file.fail(None, "each category must be a mapping")
    line = entry.get(LINE)
    key = file.text(entry, "key")
    if not KEY.match(key):
        raise file.fail(line, f"category key {key!r} must be lower_snake_case")
    polarity = file.text(entry, "polarity")
    if polarity not in POLARITIES:
        raise file.fail(line, f"{key}: polarity {polarity!r} is not one of {POLARITIES}")
    principles = entry.get("principles") or []
    if not isinstance(principles, list):
        raise file.fail(line, f"{key}: 'principles' must be a list")
    unknown = [p for p in principles if p not in principle_keys]
    if unknown:
        raise file.fail(line, f"{key}: unknown principle(s) {', '.join(map(str, unknown))}")
    hotkey = entry.get("hotkey")
    if hotkey is not None:
        hotkey = str(hotkey)
        if not _HOTKEY.match(hotkey):
            raise file.fail(line, f"{key}: hotkey {hotkey!r} is not a key like 'T' or 'Shift+E'")
    return Category(
        key=key,
        label=file.text(entry, "label"),
        principles=tuple(principles),
        polarity=polarity,
        definition=file.text(entry, "definition", required=False),
        hotkey=hotkey,
        officer_title=_officer_title(entry, file),
    )


MAX_OFFICER_TITLE = 120  # a heading read across a desk, not a paragraph


def _officer_title(entry: dict[str, Any], file: DataFile) -> str:
    """The softened title an officer reads, if the codebook gives one (one line, short)."""
    title = " ".join(file.text(entry, "officer_title", required=False).split())
    if len(title) > MAX_OFFICER_TITLE:
        raise file.fail(entry.get(LINE), f"{entry.get('key')}: officer_title is longer than"
                    f" {MAX_OFFICER_TITLE} characters")  # fmt: skip
    return title


def _parse_incident_types(raw: Any, file: DataFile) -> tuple[IncidentType, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise file.fail(None, "'incident_types' must be a list of key and label")
    found: dict[str, IncidentType] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            raise file.fail(None, "each incident type must be a mapping with key and label")
        key, line = file.text(entry, "key"), entry.get(LINE)
        if not KEY.match(key):
            raise file.fail(line, f"incident type key {key!r} must be lower_snake_case")
        if key in found:
            raise file.fail(line, f"incident type {key!r} is listed twice")
        found[key] = IncidentType(key, file.text(entry, "label"))
    return tuple(found.values())


def parse_codebook(text: str, path: Path) -> Codebook:
    """Parse and validate codebook YAML; ``path`` is used only in error messages."""
    file = _file(path)
    raw = file.parse(text, "expected a mapping with version, principles and categories")
    version = file.version(raw)
    principles = _parse_principles(raw.get("principles"), file)
    principle_keys = {p.key for p in principles}
    entries = raw.get("categories")
    if not isinstance(entries, list) or not entries:
        raise file.fail(raw.get(LINE), "'categories' must be a non-empty list")
    categories = [_parse_category(entry, principle_keys, file) for entry in entries]
    seen_keys: dict[str, int] = {}
    seen_hotkeys: dict[str, str] = {}
    for entry, category in zip(entries, categories, strict=True):
        line = entry.get(LINE)
        if category.key in seen_keys:
            raise file.fail(line, f"category key {category.key!r} is used twice")
        seen_keys[category.key] = line
        if category.hotkey and category.hotkey in seen_hotkeys:
            other = seen_hotkeys[category.hotkey]
            raise file.fail(line, f"hotkey {category.hotkey} is also used by {other}")
        if category.hotkey:
            seen_hotkeys[category.hotkey] = category.key
    sha = content_sha256(text)
    incident_types = _parse_incident_types(raw.get("incident_types"), file)
    return Codebook(version, sha, principles, tuple(categories), incident_types)


def load_codebook(path: Path) -> Codebook:
    """Read and validate the codebook file at ``path``."""
    return parse_codebook(_file(path).read(), path)


def store_codebook(session: Session, codebook: Codebook) -> int:
    """Record this codebook (once per version and content) and return its database id.

    On PostgreSQL two people opening a new team library at once would both find no row and
    both insert it: a transaction-scoped advisory lock makes the second wait and find it.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CODEBOOK_LOCK})
    existing = session.scalar(
        select(CodebookVersion).where(
            CodebookVersion.version == codebook.version,
            CodebookVersion.sha256 == codebook.sha256,
        )
    )
    if existing is not None:
        return existing.id
    row = CodebookVersion(
        version=codebook.version,
        sha256=codebook.sha256,
        principles=[{"key": p.key, "label": p.label, "asks": p.asks} for p in codebook.principles],
    )
    row.categories = [
        CodebookCategory(
            key=c.key,
            label=c.label,
            principles=list(c.principles),
            polarity=c.polarity,
            definition=c.definition,
            hotkey=c.hotkey,
        )
        for c in codebook.categories
    ]
    session.add(row)
    session.flush()
    return row.id


def install_codebook(db: Database, path: Path) -> Codebook:
    """Make the codebook file at ``path`` the one in force for everyone (admins only).

    It is validated first; the YAML is stored with its version so every machine on a shared
    library reads the same codebook. Annotations made under earlier versions keep their
    categories: each points at the version it was made with. Audited.
    """
    principal = require(db.principal, MANAGE_CODEBOOK)
    codebook = load_codebook(path)
    with db.begin() as session:
        codebook_id = store_codebook(session, codebook)
        row = session.get(CodebookVersion, codebook_id)
        row.installed_at = utcnow()
        row.source_yaml = path.read_text(encoding="utf-8")
        record_event(session, actor=principal.name, action="codebook-install",
                     object_type="codebook", object_id=codebook_id,
                     details={"version": codebook.version, "sha256": codebook.sha256})  # fmt: skip
    return codebook


def installed_codebook(db: Database) -> Codebook | None:
    """The codebook an admin last installed, or None (then the bundled one is in force)."""
    with db.begin() as session:
        row = session.scalar(
            select(CodebookVersion)
            .where(CodebookVersion.installed_at.is_not(None))
            .order_by(CodebookVersion.installed_at.desc(), CodebookVersion.id.desc())
            .limit(1)
        )
        if row is None or row.source_yaml is None:
            return None
        return parse_codebook(row.source_yaml, Path(f"installed codebook {row.version}"))


def category_labels(db: Database) -> dict[str, str]:
    """Every category key any stored codebook version has used, with its label in the newest
    version that has it: how a stored key (in the audit log, say) is named to a person."""
    with db.begin() as session:
        rows = session.execute(
            select(CodebookCategory.key, CodebookCategory.label).order_by(
                CodebookCategory.codebook_id, CodebookCategory.id
            )
        ).all()
    return {key: label for key, label in rows}
