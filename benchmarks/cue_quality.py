"""How well do the phrase cues find what a reviewer would mark? Precision and recall per
category on the labelled set, and concern cues that fired on the public's speech.

    .venv/bin/python benchmarks/cue_quality.py [--labels FILE] [--lexicon FILE] [--errors PART]

The labelled set (tests/data/cue_labels.yaml) was written before the lexicon. Its `dev`
part was looked at while the lexicon was developed; its `holdout` part was not used for
tuning, so its numbers are the honest ones. Each labelled utterance is suggested on its own
(its words spread evenly, WORD_MS each); each scene is suggested as a whole, with its times,
so the context rules see what was said around a line. A suggestion counts for the line it
starts in; a line's categories are compared as sets (micro-averaged over line × category).
`--errors dev` lists the misses and false alarms of a part, for developing the lexicon.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bwvreview.annotations.codebook import load_codebook
from bwvreview.annotations.cues import Utterance, find_cues, spread_words
from bwvreview.annotations.cues.lexicon import Lexicon, load_lexicon
from bwvreview.annotations.cues.match import officer_speaking
from bwvreview.bundled import resource_path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "cue_labels.yaml"
PARTS = ("dev", "holdout")
WORD_MS = 350


@dataclass(frozen=True)
class Line:
    part: str
    scene: str | None
    speaker: str
    text: str
    start_ms: int
    end_ms: int
    expect: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    line: Line
    predicted: frozenset[str]
    concern_on_public: frozenset[str]  # concern categories suggested on a public line


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Report:
    lexicon_version: str
    outcomes: list[Outcome] = field(default_factory=list)

    def tally(self, parts: Iterable[str] = PARTS, category: str | None = None) -> Tally:
        total = Tally()
        for outcome in self.outcomes:
            if outcome.line.part not in parts:
                continue
            expect, predicted = outcome.line.expect, outcome.predicted
            if category is not None:
                expect, predicted = expect & {category}, predicted & {category}
            total.add(
                Tally(len(expect & predicted), len(predicted - expect), len(expect - predicted))
            )
        return total

    def categories(self) -> list[str]:
        seen = {c for o in self.outcomes for c in o.line.expect | o.predicted}
        return sorted(seen)

    def public_concerns(self, parts: Iterable[str] = PARTS) -> list[Outcome]:
        return [o for o in self.outcomes if o.line.part in parts and o.concern_on_public]


def load_labels(path: Path = LABELS) -> dict[str, list[list[Line]]]:
    """The labelled set as groups of lines per part: one group per utterance or scene."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups: dict[str, list[list[Line]]] = {}
    for part in PARTS:
        section = raw.get(part) or {}
        part_groups = []
        for item in section.get("utterances") or []:
            length = max(1, len(str(item["text"]).split())) * WORD_MS
            part_groups.append([_line(part, None, item, 0, length)])
        for scene in section.get("scenes") or []:
            part_groups.append(
                [
                    _line(
                        part,
                        scene["id"],
                        item,
                        round(item["start"] * 1000),
                        round(item["end"] * 1000),
                    )
                    for item in scene["lines"]
                ]
            )
        groups[part] = part_groups
    return groups


def _line(part: str, scene: str | None, item: dict, start_ms: int, end_ms: int) -> Line:
    return Line(part, scene, str(item["speaker"]), str(item["text"]), start_ms, end_ms,
                frozenset(item.get("expect") or ()))  # fmt: skip


def predict(lexicon: Lexicon, group: Sequence[Line]) -> list[Outcome]:
    """Suggest on one utterance or scene and sort the suggestions to the lines they start in."""
    utterances = [
        Utterance(line.speaker, spread_words(line.text, line.start_ms, line.end_ms))
        for line in group
    ]
    found: list[set[str]] = [set() for _ in group]
    public: list[set[str]] = [set() for _ in group]
    for suggestion in find_cues(lexicon, utterances):
        found[suggestion.utterance].add(suggestion.category)
        officer = officer_speaking(suggestion.speaker, lexicon.officer_titles)
        if suggestion.polarity == "concern" and not officer:
            public[suggestion.utterance].add(suggestion.category)
    return [
        Outcome(line, frozenset(cats), frozenset(pub))
        for line, cats, pub in zip(group, found, public, strict=True)
    ]


def evaluate(lexicon: Lexicon, labels: dict[str, list[list[Line]]] | None = None) -> Report:
    """Run the lexicon over the labelled set (default: tests/data/cue_labels.yaml)."""
    report = Report(lexicon.version)
    for groups in (labels or load_labels()).values():
        for group in groups:
            report.outcomes.extend(predict(lexicon, group))
    return report


def _fmt(value: float | None) -> str:
    return "   —" if value is None else f"{value:4.2f}"


def format_table(report: Report) -> str:
    header = (
        f"{'category':<26} {'dev P':>6} {'dev R':>6} {'hold P':>7} {'hold R':>7} "
        f"{'all P':>6} {'all R':>6} {'labelled':>9}"
    )
    rows = [header, "-" * len(header)]

    def row(name: str, category: str | None) -> str:
        dev, hold = report.tally(("dev",), category), report.tally(("holdout",), category)
        every = report.tally(PARTS, category)
        return (
            f"{name:<26} {_fmt(dev.precision):>6} {_fmt(dev.recall):>6} "
            f"{_fmt(hold.precision):>7} {_fmt(hold.recall):>7} {_fmt(every.precision):>6} "
            f"{_fmt(every.recall):>6} {every.tp + every.fn:>9}"
        )

    rows.extend(row(category, category) for category in report.categories())
    rows.append("-" * len(header))
    rows.append(row("overall", None))
    public = {part: len(report.public_concerns((part,))) for part in PARTS}
    lines = {part: sum(1 for o in report.outcomes if o.line.part == part) for part in PARTS}
    rows.append("")
    rows.append(
        "concern cues on the public's speech: "
        + ", ".join(f"{part} {public[part]}" for part in PARTS)
        + f", overall {sum(public.values())}"
    )
    rows.append("lines: " + ", ".join(f"{part} {lines[part]}" for part in PARTS))
    return "\n".join(rows)


def format_errors(report: Report, part: str) -> str:
    out = []
    for outcome in report.outcomes:
        line = outcome.line
        if line.part != part or line.expect == outcome.predicted:
            continue
        missed = sorted(line.expect - outcome.predicted)
        extra = sorted(outcome.predicted - line.expect)
        where = f"[{line.scene}] " if line.scene else ""
        out.append(f"{where}{line.speaker}: {line.text}\n    missed {missed}  extra {extra}")
    return "\n".join(out) or f"no errors in {part}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--lexicon", type=Path, default=resource_path("cues.yaml"))
    parser.add_argument("--errors", choices=PARTS, help="list one part's errors")
    args = parser.parse_args(argv)
    codebook = load_codebook(resource_path("codebook.yaml"))
    lexicon = load_lexicon(args.lexicon, codebook)
    report = evaluate(lexicon, load_labels(args.labels))
    try:
        shown = args.labels.relative_to(ROOT)
    except ValueError:
        shown = args.labels
    print(f"Phrase-cue quality on {shown} (lexicon {report.lexicon_version})\n")
    print(format_table(report))
    if args.errors:
        print(f"\nErrors in {args.errors}:\n{format_errors(report, args.errors)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
