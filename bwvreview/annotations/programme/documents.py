"""The curriculum and the questionnaires: data files, validated, and kept in the database
by version.

A broken file is refused naming the file and the line (like the codebook). Each distinct
file is stored once (``programme_documents``) with its YAML, so every machine on a team
library reads the same one, and a session scheduled under an old curriculum, or an answer
given to an old questionnaire, keeps its meaning. The file in force for a key is the one a
trainer installed last; until one is installed it is the file bundled with bwvreview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from bwvreview.annotations.access import MANAGE_PROGRAMME, require
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.formats.data_file import DataFile, content_sha256
from bwvreview.annotations.formats.yaml_lines import LINE
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

DOCUMENT_LOCK = 0x62777670  # "bwvp": two people storing the same file at once on PostgreSQL
BUNDLED = "bundled"  # ``installed_by`` of a file stored because it shipped with bwvreview
MAX_LENGTH_MINUTES = 24 * 60


class ProgrammeFileError(DomainError):
    """A curriculum or questionnaire file that cannot be used, with where and why."""


@dataclass(frozen=True)
class Module:
    """One session of the curriculum (a "module", to tell it from a session held)."""

    key: str
    number: int  # 1-based, in the curriculum's order
    title: str
    length_minutes: int
    topics: tuple[str, ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class Curriculum:
    id: int  # the stored version's id
    version: str
    sha256: str
    title: str
    modules: tuple[Module, ...]

    def module(self, key: str) -> Module:
        for module in self.modules:
            if module.key == key or str(module.number) == str(key):
                return module
        raise NotFoundError(f"the curriculum has no session {key!r}")


@dataclass(frozen=True)
class Item:
    """One question as asked at one session. ``measure`` groups answers in results: the
    per-topic question's key (``knowledge``) or the item's own key."""

    key: str  # what an answer is stored under: "knowledge.2" or "relevant"
    text: str
    kind: str  # "scale" | "text"
    measure: str
    topic: int | None = None


@dataclass(frozen=True)
class Questionnaire:
    id: int
    key: str
    version: str
    sha256: str
    title: str
    intro: str
    phases: tuple[str, ...]
    scale_min: int
    scale_max: int
    low: str
    high: str
    per_topic: tuple[tuple[str, str], ...]  # (key, text with {topic})
    fixed: tuple[Item, ...]

    def items_for(self, module: Module) -> tuple[Item, ...]:
        """The questions asked at a session of ``module``: per topic, then the fixed ones."""
        asked = [
            Item(f"{key}.{number}", text.replace("{topic}", topic), "scale", key, number)
            for key, text in self.per_topic
            for number, topic in enumerate(module.topics, start=1)
        ]
        return (*asked, *self.fixed)

    @property
    def measures(self) -> tuple[str, ...]:
        """What results are given for: each per-topic question, then each rated item."""
        return (*(k for k, _ in self.per_topic), *(i.key for i in self.fixed if i.kind == "scale"))


# --- reading the files ---------------------------------------------------------------------


def _file(path: Path | str) -> DataFile:
    return DataFile(path, "", ProgrammeFileError)


def _texts(entry: dict[str, Any], field: str, file: DataFile) -> tuple[str, ...]:
    raw = entry.get(field)
    if not isinstance(raw, list) or not raw:
        raise file.fail(entry.get(LINE), f"'{field}' must be a non-empty list")
    if not all(isinstance(t, str) and t.strip() for t in raw):
        raise file.fail(entry.get(LINE), f"every entry of '{field}' must be text")
    return tuple(" ".join(t.split()) for t in raw)


def _module(entry: Any, number: int, file: DataFile, seen: set[str]) -> Module:
    if not isinstance(entry, dict):
        raise file.fail(None, f"session {number} must be a mapping")
    length = entry.get("length_minutes", 180)
    whole = isinstance(length, int) and not isinstance(length, bool)
    if not whole or not 0 < length <= MAX_LENGTH_MINUTES:
        raise file.fail(entry.get(LINE), "'length_minutes' must be a whole number of minutes")
    return Module(
        key=file.key(entry, seen),
        number=number,
        title=file.text(entry, "title"),
        length_minutes=length,
        topics=_texts(entry, "topics", file),
        outcomes=_texts(entry, "outcomes", file),
    )


def parse_curriculum(text: str, path: Path | str, document_id: int = 0) -> Curriculum:
    """Parse and validate curriculum YAML; ``path`` is used only in messages."""
    file = _file(path)
    raw = file.parse(text, "expected a mapping: version, title and sessions")
    entries = raw.get("sessions")
    if not isinstance(entries, list) or not entries:
        raise file.fail(raw.get(LINE), "'sessions' must be a non-empty list")
    seen: set[str] = set()
    modules = tuple(_module(e, n, file, seen) for n, e in enumerate(entries, start=1))
    sha = content_sha256(text)
    title = file.text(raw, "title", required=False) or "Curriculum"
    return Curriculum(document_id, file.version(raw), sha, title, modules)


def _scale(raw: dict[str, Any], file: DataFile) -> tuple[int, int, str, str]:
    scale = raw.get("scale")
    if not isinstance(scale, dict):
        raise file.fail(raw.get(LINE), "'scale' must be a mapping with min, max, low, high")
    low, high = scale.get("min"), scale.get("max")
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
        raise file.fail(scale.get(LINE), "the scale needs whole numbers 0 <= min < max <= 10")
    return low, high, file.text(scale, "low"), file.text(scale, "high")


def _fixed(raw: dict[str, Any], file: DataFile, seen: set[str]) -> tuple[Item, ...]:
    entries = raw.get("items") or []
    if not isinstance(entries, list):
        raise file.fail(raw.get(LINE), "'items' must be a list")
    items = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise file.fail(raw.get(LINE), "each item must be a mapping with key and text")
        kind = str(entry.get("type", "scale"))
        if kind not in ("scale", "text"):
            raise file.fail(entry.get(LINE), f"item type {kind!r} is not scale or text")
        key = file.key(entry, seen)
        items.append(Item(key, file.text(entry, "text"), kind, key))
    return tuple(items)


def parse_questionnaire(text: str, path: Path | str, document_id: int = 0) -> Questionnaire:
    """Parse and validate questionnaire YAML; ``path`` is used only in messages."""
    file = _file(path)
    raw = file.parse(text, "expected a mapping: key, version, title, phases, scale and items")
    key = file.key(raw, set())
    phases = raw.get("phases")
    if not isinstance(phases, list) or not phases or not set(phases) <= set(models.PHASES):
        raise file.fail(raw.get(LINE), "'phases' must list 'before', 'after' or both")
    seen: set[str] = set()
    per_topic = []
    for entry in raw.get("per_topic") or []:
        if not isinstance(entry, dict):
            raise file.fail(raw.get(LINE), "each per_topic question needs key and text")
        text_ = file.text(entry, "text")
        if "{topic}" not in text_:
            raise file.fail(entry.get(LINE), "a per_topic question must say where {topic} goes")
        per_topic.append((file.key(entry, seen), text_))
    fixed = _fixed(raw, file, seen)
    if not per_topic and not fixed:
        raise file.fail(raw.get(LINE), "a questionnaire needs per_topic questions or items")
    low, high, low_label, high_label = _scale(raw, file)
    sha = content_sha256(text)
    return Questionnaire(
        document_id,
        key,
        file.version(raw),
        sha,
        file.text(raw, "title"),
        file.text(raw, "intro", required=False),
        tuple(p for p in models.PHASES if p in phases),
        low,
        high,
        low_label,
        high_label,
        tuple(per_topic),
        fixed,
    )


# --- storing and reading back --------------------------------------------------------------


def _parse(row: models.ProgrammeDocument) -> Curriculum | Questionnaire:
    where = f"{row.kind} {row.key} {row.version} (stored)"
    if row.kind == "curriculum":
        return parse_curriculum(row.source_yaml, where, row.id)
    return parse_questionnaire(row.source_yaml, where, row.id)


def _store(
    session: Session, kind: str, key: str, version: str, sha: str, text: str, installed_by: str
) -> models.ProgrammeDocument:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": DOCUMENT_LOCK})
    row = session.scalar(
        select(models.ProgrammeDocument).where(
            models.ProgrammeDocument.kind == kind,
            models.ProgrammeDocument.key == key,
            models.ProgrammeDocument.sha256 == sha,
        )
    )
    if row is None:
        row = models.ProgrammeDocument(
            kind=kind,
            key=key,
            version=version,
            sha256=sha,
            source_yaml=text,
            installed_by=installed_by,
        )
        session.add(row)
        session.flush()
    elif installed_by != BUNDLED and row.installed_by == BUNDLED:
        row.installed_by, row.installed_at = installed_by, models.utcnow()  # now chosen
    return row


def _installed(session: Session, kind: str, key: str) -> models.ProgrammeDocument | None:
    D = models.ProgrammeDocument  # noqa: N806
    return session.scalar(
        select(D)
        .where(D.kind == kind, D.key == key, D.installed_by != BUNDLED)
        .order_by(D.installed_at.desc(), D.id.desc())
        .limit(1)
    )


def document(session: Session, document_id: int) -> Curriculum | Questionnaire:
    """A stored version by id (for a session's curriculum, an answer's questionnaire)."""
    row = session.get(models.ProgrammeDocument, document_id)
    if row is None:
        raise NotFoundError(f"no programme document with id {document_id}")
    return _parse(row)


def _in_force(session: Session, kind: str, key: str, bundled_text: str | None):  # noqa: ANN202
    row = _installed(session, kind, key)
    if row is None and bundled_text is not None:
        parsed = (parse_curriculum if kind == "curriculum" else parse_questionnaire)(
            bundled_text, f"bundled {kind}"
        )
        row = _store(session, kind, key, parsed.version, parsed.sha256, bundled_text, BUNDLED)
    return None if row is None else _parse(row)


def curriculum(db: Database, bundled: Path) -> Curriculum:
    """The curriculum in force: the one a trainer installed last, else ``bundled``.

    Everyone may read it (it is titles and topics); the bundled file is stored the first
    time it is read, so sessions scheduled from it can point at it."""
    text = _file(bundled).read()
    with db.begin() as session:
        found = _in_force(session, "curriculum", "curriculum", text)
    assert isinstance(found, Curriculum)
    return found


def questionnaires(db: Database, bundled: Sequence[Path]) -> list[Questionnaire]:
    """Every questionnaire in force: each bundled one (or the version a trainer installed
    over it), then any other a trainer installed. Everyone may read the questions."""
    texts = {}
    for path in bundled:
        text = _file(path).read()
        texts[parse_questionnaire(text, path).key] = text
    with db.begin() as session:
        keys = list(texts) + sorted(
            set(
                session.scalars(
                    select(models.ProgrammeDocument.key).where(
                        models.ProgrammeDocument.kind == "questionnaire"
                    )
                )
            )
            - set(texts)
        )
        found = [_in_force(session, "questionnaire", k, texts.get(k)) for k in keys]
    return [q for q in found if isinstance(q, Questionnaire)]


class WrongKindError(DomainError):
    """A curriculum given where a questionnaire was asked for, or the other way round."""


def install(
    db: Database, path: Path, expected: type[Curriculum] | type[Questionnaire] | None = None
) -> Curriculum | Questionnaire:
    """Put a curriculum or questionnaire file in force for everyone (trainers, admins);
    which of the two it is comes from its content (a questionnaire has a ``key``). Audited.
    Given ``expected``, a file of the other kind is refused before anything is kept."""
    principal = require(db.principal, MANAGE_PROGRAMME)
    file = _file(path)
    text = file.read()
    raw = file.parse(text, "expected a mapping: a curriculum or a questionnaire")
    parsed = parse_questionnaire(text, path) if "key" in raw else parse_curriculum(text, path)
    kind = "questionnaire" if isinstance(parsed, Questionnaire) else "curriculum"
    if expected is not None and not isinstance(parsed, expected):
        raise WrongKindError(f"{path} is a {kind}")
    key = parsed.key if isinstance(parsed, Questionnaire) else "curriculum"
    with db.begin() as session:
        row = _store(session, kind, key, parsed.version, parsed.sha256, text, principal.name)
        row.installed_at = models.utcnow()
        details = {"key": key, "version": parsed.version, "sha256": parsed.sha256}
        record_event(
            session,
            actor=principal.name,
            action="programme.document_installed",
            object_type=kind,
            object_id=row.id,
            details=details,
        )
        return _parse(row)
