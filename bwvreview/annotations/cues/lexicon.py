"""The cue lexicon (``resources/cues.yaml``) as data: load, validate against the codebook.

A broken file is refused with a message naming the file and the line, like the codebook, so
an admin who edited it can put it right. See the comments at the top of cues.yaml for what
each part means and ``cue_patterns`` for the pattern language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwvreview.annotations.codebook import Codebook
from bwvreview.annotations.cues.patterns import Pattern, PatternError, compile_pattern
from bwvreview.annotations.errors import CueLexiconError
from bwvreview.annotations.formats.data_file import DataFile, content_sha256
from bwvreview.annotations.formats.yaml_lines import LINE

SPEAKERS = ("officer", "public", "wearer", "any")
PRECISIONS = ("high", "low")
_CUE_FIELDS = ("id", "patterns", "precision", "speaker", "suggest", "tags", "blocked_by",
               "not_after", "not_before")  # fmt: skip
_EXCLUSION_FIELDS = ("id", "description", "speaker", "markers", "min_markers", "join_ms",
                     "extend", "pad_before_ms", "follow", "follow_ms", "counts_as")  # fmt: skip


@dataclass(frozen=True)
class Cue:
    id: str
    category: str
    patterns: tuple[Pattern, ...]
    precision: str
    speaker: str
    suggest: bool  # False: only evidence for the context rules
    tags: frozenset[str]
    not_after: tuple[Pattern, ...]  # the category's blockers and the cue's own
    not_before: tuple[Pattern, ...]


@dataclass(frozen=True)
class CueCategory:
    key: str
    label: str
    polarity: str
    prompt: str
    priority: bool
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Exclusion:
    """Speech that is recited or not addressed to the person (caution, search script, radio)."""

    id: str
    speaker: str
    markers: tuple[Pattern, ...]
    min_markers: int
    join_ms: int
    whole_sentences: bool
    pad_before_ms: int
    follow: tuple[Pattern, ...]
    follow_ms: int
    counts_as: frozenset[str]  # categories the zone stands in for when rules look nearby


@dataclass(frozen=True)
class Nearby:
    categories: frozenset[str]
    tags: frozenset[str]
    speaker: str  # a SPEAKERS value, or "same" (as the trigger)
    before_ms: int
    after_ms: int


@dataclass(frozen=True)
class Rule:
    id: str
    suggest: str
    precision: str
    when_categories: frozenset[str]
    when_tags: frozenset[str]
    unless: tuple[Nearby, ...]
    needs: tuple[Nearby, ...]


@dataclass(frozen=True)
class Lexicon:
    version: str
    sha256: str
    path: str
    lead_ins: tuple[Pattern, ...]
    clause_words: frozenset[str]
    officer_titles: frozenset[str]
    merge_gap_ms: int
    categories: tuple[CueCategory, ...]
    exclusions: tuple[Exclusion, ...]
    rules: tuple[Rule, ...]

    def category(self, key: str) -> CueCategory:
        for category in self.categories:
            if category.key == key:
                return category
        raise CueLexiconError(f"the cue lexicon has no category {key!r}")

    @property
    def cues(self) -> Iterator[Cue]:
        for category in self.categories:
            yield from category.cues


class _Reader:
    """Validation helpers that know the file, so every error names it and a line."""

    def __init__(self, path: Path, vocabulary: dict[str, str] | None = None) -> None:
        self.file = DataFile(path, "cue lexicon", CueLexiconError)
        self.fail = self.file.fail
        self.vocabulary = vocabulary or {}
        self.cue_ids: dict[str, str] = {}  # cue id -> the category it was first used in

    def mapping(self, raw: Any, line: int | None, what: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(line, f"{what} must be a mapping")
        return raw

    def items(self, raw: Any, line: int | None, what: str) -> list[tuple[Any, int | None]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise self.fail(line, f"{what} must be a list")
        lines = getattr(raw, "lines", [line] * len(raw))
        return list(zip(raw, lines, strict=True))

    def words(self, raw: Any, line: int | None, what: str) -> frozenset[str]:
        values = [str(v).strip().lower() for v, _ in self.items(raw, line, what)]
        return frozenset(v for v in values if v)

    def patterns(self, raw: Any, line: int | None, what: str) -> tuple[Pattern, ...]:
        compiled = []
        for source, item_line in self.items(raw, line, what):
            try:
                compiled.append(compile_pattern(source, self.vocabulary))
            except PatternError as exc:
                raise self.fail(item_line, f"{what}: pattern {source!r}: {exc}") from exc
        return tuple(compiled)

    def choice(self, entry: dict[str, Any], field: str, options: tuple[str, ...], default: str,
               what: str) -> str:  # fmt: skip
        value = str(entry.get(field, default))
        if value not in options:
            raise self.fail(entry.get(LINE), f"{what}: {field} {value!r} is not one of {options}")
        return value

    def number(self, entry: dict[str, Any], field: str, default: int, what: str) -> int:
        value = entry.get(field, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(entry.get(LINE), f"{what}: {field} must be a whole number ≥ 0")
        return value

    def known(self, entry: dict[str, Any], fields: tuple[str, ...], what: str) -> None:
        """Refuse misspelt fields, which would otherwise be silently ignored."""
        unknown = sorted(str(k) for k in entry if k != LINE and k not in fields)
        if unknown:
            raise self.fail(entry.get(LINE), f"{what}: unknown field(s) {', '.join(unknown)}")

    def text(self, entry: dict[str, Any], field: str, what: str) -> str:
        value = entry.get(field)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry.get(LINE), f"{what}: '{field}' must be non-empty text")
        return " ".join(value.split())


def _blockers(reader: _Reader, raw: Any) -> dict[str, tuple[Pattern, ...]]:
    blockers = reader.mapping(raw or {}, None, "'blockers'")
    line = blockers.get(LINE)
    return {
        name: reader.patterns(value, line, f"blocker {name}")
        for name, value in blockers.items()
        if name != LINE
    }


Blockers = dict[str, tuple[Pattern, ...]]


def _blocked_by(reader: _Reader, entry: dict[str, Any], default: tuple[str, ...],
                blockers: Blockers, what: str) -> tuple[str, ...]:  # fmt: skip
    if "blocked_by" not in entry:
        return default
    names = [str(n) for n, _ in reader.items(entry["blocked_by"], entry.get(LINE), what)]
    unknown = [n for n in names if n not in blockers]
    if unknown:
        raise reader.fail(entry.get(LINE), f"{what}: unknown blocker(s) {', '.join(unknown)}")
    return tuple(names)


def _cue(reader: _Reader, entry: Any, line: int | None, category: str, defaults: dict[str, Any],
         blockers: dict[str, tuple[Pattern, ...]]) -> Cue:  # fmt: skip
    entry = reader.mapping(entry, line, f"{category}: each cue")
    cue_id = reader.text(entry, "id", f"{category}: a cue")
    what = f"cue {cue_id}"
    if cue_id in reader.cue_ids:  # acceptance counts are kept per cue id: it must be unique
        first = reader.cue_ids[cue_id]
        raise reader.fail(entry.get(LINE), f"{what} is used in {first} and {category}")
    reader.cue_ids[cue_id] = category
    reader.known(entry, _CUE_FIELDS, what)
    patterns = reader.patterns(entry.get("patterns"), entry.get(LINE), what)
    if not patterns:
        raise reader.fail(entry.get(LINE), f"{what}: needs at least one pattern")
    names = _blocked_by(reader, entry, defaults["blocked_by"], blockers, what)
    not_after = [p for name in names for p in blockers[name]]
    not_after += reader.patterns(entry.get("not_after"), entry.get(LINE), what)
    return Cue(
        id=cue_id,
        category=category,
        patterns=patterns,
        precision=reader.choice(entry, "precision", PRECISIONS, "high", what),
        speaker=reader.choice(entry, "speaker", SPEAKERS, defaults["speaker"], what),
        suggest=bool(entry.get("suggest", True)),
        tags=reader.words(entry.get("tags"), entry.get(LINE), f"{what}: tags"),
        not_after=tuple(not_after),
        not_before=reader.patterns(entry.get("not_before"), entry.get(LINE), what),
    )


def _category(reader: _Reader, key: str, entry: Any, codebook: Codebook,
              blockers: dict[str, tuple[Pattern, ...]]) -> CueCategory:  # fmt: skip
    entry = reader.mapping(entry, None, f"category {key}")
    line = entry.get(LINE)
    if key not in {c.key for c in codebook.categories}:
        raise reader.fail(line, f"{key!r} is not a category key in the codebook")
    book = codebook.category(key)
    what = f"category {key}"
    reader.known(entry, ("prompt", "speaker", "blocked_by", "priority", "cues"), what)
    defaults = {
        "speaker": reader.choice(entry, "speaker", SPEAKERS, "officer", what),
        "blocked_by": _blocked_by(reader, entry, (), blockers, what),
    }
    cues = tuple(
        _cue(reader, cue, cue_line, key, defaults, blockers)
        for cue, cue_line in reader.items(entry.get("cues"), line, f"{what}: 'cues'")
    )
    return CueCategory(
        key=key,
        label=book.label,
        polarity=book.polarity,
        prompt=reader.text(entry, "prompt", what),
        priority=bool(entry.get("priority", False)),
        cues=cues,
    )


def _exclusion(reader: _Reader, entry: Any, line: int | None) -> Exclusion:
    entry = reader.mapping(entry, line, "each exclusion")
    what = f"exclusion {reader.text(entry, 'id', 'an exclusion')}"
    line = entry.get(LINE)
    reader.known(entry, _EXCLUSION_FIELDS, what)
    markers = reader.patterns(entry.get("markers"), line, what)
    if not markers:
        raise reader.fail(line, f"{what}: needs at least one marker")
    return Exclusion(
        id=str(entry["id"]),
        speaker=reader.choice(entry, "speaker", SPEAKERS, "any", what),
        markers=markers,
        min_markers=max(1, reader.number(entry, "min_markers", 1, what)),
        join_ms=reader.number(entry, "join_ms", 8000, what),
        whole_sentences=reader.choice(entry, "extend", ("none", "sentence"), "none", what)
        == "sentence",
        pad_before_ms=reader.number(entry, "pad_before_ms", 0, what),
        follow=reader.patterns(entry.get("follow"), line, what),
        follow_ms=reader.number(entry, "follow_ms", 0, what),
        counts_as=reader.words(entry.get("counts_as"), line, f"{what}: counts_as"),
    )


def _nearby(reader: _Reader, entry: Any, line: int | None, what: str) -> Nearby:
    entry = reader.mapping(entry, line, f"{what}: each nearby condition")
    reader.known(entry, ("categories", "tags", "speaker", "before_ms", "after_ms"), what)
    return Nearby(
        categories=reader.words(entry.get("categories"), entry.get(LINE), what),
        tags=reader.words(entry.get("tags"), entry.get(LINE), what),
        speaker=reader.choice(entry, "speaker", (*SPEAKERS, "same"), "any", what),
        before_ms=reader.number(entry, "before_ms", 0, what),
        after_ms=reader.number(entry, "after_ms", 0, what),
    )


def _rule(reader: _Reader, entry: Any, line: int | None, keys: set[str]) -> Rule:
    entry = reader.mapping(entry, line, "each rule")
    what = f"rule {reader.text(entry, 'id', 'a rule')}"
    line = entry.get(LINE)
    reader.known(entry, ("id", "suggest", "precision", "when", "unless_nearby", "if_nearby"), what)
    suggest = reader.text(entry, "suggest", what)
    if suggest not in keys:
        raise reader.fail(line, f"{what}: suggests {suggest!r}, which has no entry in categories")
    when = reader.mapping(entry.get("when"), line, f"{what}: 'when'")

    def conditions(field: str) -> tuple[Nearby, ...]:
        return tuple(
            _nearby(reader, item, item_line, what)
            for item, item_line in reader.items(entry.get(field), line, f"{what}: {field}")
        )

    return Rule(
        id=str(entry["id"]),
        suggest=suggest,
        precision=reader.choice(entry, "precision", PRECISIONS, "low", what),
        when_categories=reader.words(when.get("categories"), line, what),
        when_tags=reader.words(when.get("tags"), line, what),
        unless=conditions("unless_nearby"),
        needs=conditions("if_nearby"),
    )


def parse_lexicon(text: str, path: Path, codebook: Codebook) -> Lexicon:
    """Parse and validate cue-lexicon YAML against ``codebook``; ``path`` is for messages."""
    reader = _Reader(path)
    raw = reader.file.parse(text, "the file must be a mapping")
    version = reader.text(raw, "version", "the file")
    vocabulary = reader.mapping(raw.get("vocabulary") or {}, raw.get(LINE), "'vocabulary'")
    reader.vocabulary = {k: str(v) for k, v in vocabulary.items() if k != LINE}
    settings = reader.mapping(raw.get("settings") or {}, raw.get(LINE), "'settings'")
    blockers = _blockers(reader, raw.get("blockers"))
    entries = reader.mapping(raw.get("categories"), raw.get(LINE), "'categories'")
    categories = tuple(
        _category(reader, key, value, codebook, blockers)
        for key, value in entries.items()
        if key != LINE
    )
    keys = {c.key for c in categories}
    return Lexicon(
        version=version,
        sha256=content_sha256(text),
        path=str(path),
        lead_ins=reader.patterns(settings.get("lead_ins"), settings.get(LINE), "lead_ins"),
        clause_words=reader.words(settings.get("clause_words"), settings.get(LINE), "clauses"),
        officer_titles=reader.words(settings.get("officer_titles"), settings.get(LINE), "titles"),
        merge_gap_ms=reader.number(settings, "merge_gap_ms", 1000, "settings"),
        categories=categories,
        exclusions=tuple(
            _exclusion(reader, item, line)
            for item, line in reader.items(raw.get("exclusions"), raw.get(LINE), "exclusions")
        ),
        rules=tuple(
            _rule(reader, item, line, keys)
            for item, line in reader.items(raw.get("rules"), raw.get(LINE), "'rules'")
        ),
    )


def load_lexicon(path: Path, codebook: Codebook) -> Lexicon:
    """Read and validate the cue lexicon at ``path`` against the codebook in force."""
    return parse_lexicon(_Reader(path).file.read(), path, codebook)
