"""Agreement between two TIPs who coded the same recording: Cohen's kappa per principle.

Units: the recording is cut into 1-second bins, and each TIP's label for a bin is read from
the annotations that overlap it. Bins rather than transcript segments, because many moments
a TIP codes are not speech (a safety check seen, handcuffs put on in silence), a recording
may have no transcript, and segments vary from half a second to half a minute, so one long
segment would weigh as much as a short one. A second is about the precision with which
people mark a moment, so two TIPs marking the same moment a few hundred milliseconds apart
still agree on most of its bins. One caveat, shown in the reading: long stretches that
neither TIP coded count as agreement ("nothing here"), which raises observed agreement;
kappa corrects for that through the chance term, which is why kappa is the headline.

Labels: for each principle, a bin's label is the polarity of the categories under that
principle that cover it: "none", "concern", "good_practice", "observation" or a
combination such as "concern+good_practice" — categorical, not just present/absent, so a
concern and a good practice on the same moment are a disagreement. The "All categories"
row compares the exact set of categories per bin.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import func, select

from bwvreview.annotations.access import READ_FOOTAGE, require
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.review import Annotation, list_annotations
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

BIN_MS = 1000
ALL_CATEGORIES = "All categories"
# Landis & Koch (1977): upper bounds of each band, from poor (below zero) up.
BANDS = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa for two raters over the same units; ``kappa`` is None when it cannot
    be computed (no units, or both raters gave every unit one and the same label)."""

    kappa: float | None
    observed: float
    expected: float
    units: int

    @property
    def band(self) -> str:
        return landis_koch(self.kappa) if self.kappa is not None else "not computable"


def cohen_kappa(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]) -> Kappa:
    """Cohen's kappa = (po − pe) / (1 − pe) for two equally long label sequences.

    po is the share of units with the same label; pe the agreement expected by chance from
    each rater's own label frequencies. When pe is 1 there is no variation to agree on and
    kappa is undefined: reported as None, never NaN.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError("both raters must label the same units")
    n = len(labels_a)
    if n == 0:
        return Kappa(None, 0.0, 0.0, 0)
    observed = sum(a == b for a, b in zip(labels_a, labels_b, strict=True)) / n
    count_a, count_b = Counter(labels_a), Counter(labels_b)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected >= 1.0:
        return Kappa(None, observed, expected, n)
    return Kappa((observed - expected) / (1.0 - expected), observed, expected, n)


def landis_koch(kappa: float) -> str:
    """The Landis & Koch band: poor (< 0), slight (0–0.20), fair (0.21–0.40), moderate
    (0.41–0.60), substantial (0.61–0.80), almost perfect (0.81–1)."""
    value = round(kappa, 6)  # 0.3999999999 is 0.4, fair
    if value < 0:
        return "poor"
    for upper, name in BANDS[1:]:
        if value <= upper:
            return name
    return "almost perfect"


@dataclass(frozen=True)
class PrincipleAgreement:
    key: str  # principle key, or "" for all categories
    label: str
    result: Kappa
    seconds_a: int  # bins the first TIP coded under this principle
    seconds_b: int

    @property
    def reading(self) -> str:
        subject = self.label if self.key else "the categories overall"
        return reading(subject, self.result, self.seconds_a, self.seconds_b)


def reading(label: str, result: Kappa, marked_a: int, marked_b: int) -> str:
    """A plain-English sentence on one kappa, for a TIP rather than a statistician."""
    if result.kappa is None:
        if marked_a == marked_b == 0:
            return f"Not computable: neither TIP coded anything under {label}."
        return (
            f"Not computable: both TIPs gave every second the same {label} label, "
            "so there is no variation to agree on."
        )
    same = f"{result.observed:.0%} of seconds labelled alike"
    chance = f"chance alone would give {result.expected:.0%}"
    if result.kappa <= 0:  # poor below zero, slight at zero: either way, chance level
        return (f"{landis_koch(result.kappa).capitalize()}: {label} coding agrees no better "
                f"than chance would ({same}; {chance}). Worth talking through the "
                "definitions together.")  # fmt: skip
    return f"{landis_koch(result.kappa).capitalize()} agreement on {label}: {same}, {chance}."


@dataclass(frozen=True)
class Span:
    """A stretch where the two TIPs' coding is constant: what each coded there."""

    start_ms: int
    end_ms: int
    a: tuple[str, ...]  # category keys the first TIP coded here
    b: tuple[str, ...]
    principles: tuple[str, ...]  # principles whose label differs here

    @property
    def differs(self) -> bool:
        return self.a != self.b


@dataclass(frozen=True)
class Comparison:
    bin_ms: int
    units: int
    principles: tuple[PrincipleAgreement, ...]
    spans: tuple[Span, ...]  # every stretch either TIP coded, in time order

    @property
    def differences(self) -> tuple[Span, ...]:
        return tuple(s for s in self.spans if s.differs)


def _bins(annotation: Annotation, bin_ms: int, units: int) -> range:
    first = annotation.start_ms // bin_ms
    last = max(first + 1, -(-annotation.end_ms // bin_ms))  # a point still covers its bin
    return range(min(first, units), min(last, units))


def _coverage(annotations: Sequence[Annotation], bin_ms: int, units: int) -> list[set[str]]:
    covered: list[set[str]] = [set() for _ in range(units)]
    for annotation in annotations:
        for unit in _bins(annotation, bin_ms, units):
            covered[unit].add(annotation.category_key)
    return covered


def _label(
    keys: set[str], principle: str, polarity: dict[str, str], principles: dict[str, tuple[str, ...]]
) -> str:
    found = sorted({polarity[k] for k in keys if principle in principles[k]})
    return "+".join(found) or "none"


def compare_annotations(
    a: Sequence[Annotation],
    b: Sequence[Annotation],
    duration_ms: int,
    principles: Sequence[tuple[str, str]],
    bin_ms: int = BIN_MS,
) -> Comparison:
    """Compare two TIPs' annotations of one recording (see the module notes)."""
    last_end = max((x.end_ms for x in (*a, *b)), default=0)
    units = -(-max(duration_ms, last_end) // bin_ms)
    polarity = {x.category_key: x.polarity for x in (*a, *b)}
    under = {x.category_key: x.principles for x in (*a, *b)}
    cover_a, cover_b = _coverage(a, bin_ms, units), _coverage(b, bin_ms, units)
    results = []
    for key, label in principles:
        labels_a = [_label(keys, key, polarity, under) for keys in cover_a]
        labels_b = [_label(keys, key, polarity, under) for keys in cover_b]
        results.append(
            PrincipleAgreement(
                key,
                label,
                cohen_kappa(labels_a, labels_b),
                sum(x != "none" for x in labels_a),
                sum(x != "none" for x in labels_b),
            )
        )
    sets_a = [frozenset(keys) for keys in cover_a]
    sets_b = [frozenset(keys) for keys in cover_b]
    results.append(
        PrincipleAgreement(
            "",
            ALL_CATEGORIES,
            cohen_kappa(sets_a, sets_b),
            sum(bool(s) for s in sets_a),
            sum(bool(s) for s in sets_b),
        )
    )
    label = functools.partial(_label, polarity=polarity, principles=under)
    spans = []
    for (keys_a, keys_b), run in groupby(range(units), key=lambda u: (cover_a[u], cover_b[u])):
        units_run = list(run)
        if not (keys_a or keys_b):
            continue
        differing = tuple(key for key, _name in principles
                          if label(keys_a, key) != label(keys_b, key))  # fmt: skip
        end_ms = min((units_run[-1] + 1) * bin_ms, max(duration_ms, last_end))
        spans.append(Span(units_run[0] * bin_ms, end_ms, tuple(sorted(keys_a)),
                          tuple(sorted(keys_b)), differing))  # fmt: skip
    return Comparison(bin_ms, units, tuple(results), tuple(spans))


# --- the service -------------------------------------------------------------------------


@dataclass(frozen=True)
class Annotator:
    user_id: int
    name: str
    annotations: int


@dataclass(frozen=True)
class AgreementReport:
    recording_id: int
    a: Annotator
    b: Annotator
    comparison: Comparison
    category_labels: dict[str, str]  # key -> label, for showing what each TIP coded

    def said(self, keys: Sequence[str]) -> str:
        """What one TIP coded on a span, in words."""
        return ", ".join(self.category_labels.get(k, k) for k in keys) or "(nothing coded)"

    def to_json(self) -> dict[str, Any]:
        """The document ``bwvreview agreement --json`` prints (times in seconds)."""
        c = self.comparison
        return {
            "recording": self.recording_id,
            "a": {"user_id": self.a.user_id, "name": self.a.name},
            "b": {"user_id": self.b.user_id, "name": self.b.name},
            "unit_seconds": c.bin_ms / 1000,
            "units": c.units,
            "principles": [
                {"principle": p.key or None, "label": p.label,
                 "kappa": None if p.result.kappa is None else round(p.result.kappa, 4),
                 "observed_agreement": round(p.result.observed, 4),
                 "chance_agreement": round(p.result.expected, 4), "band": p.result.band,
                 "reading": p.reading, "seconds_a": p.seconds_a, "seconds_b": p.seconds_b}
                for p in c.principles
            ],
            "differences": [
                {"start": d.start_ms / 1000, "end": d.end_ms / 1000, "a": list(d.a),
                 "b": list(d.b), "principles": list(d.principles)}
                for d in c.differences
            ],
        }  # fmt: skip


def annotators(db: Database, recording_id: int) -> list[Annotator]:
    """The people who coded this recording, with how many annotations each (READ_FOOTAGE)."""
    require(db.principal, READ_FOOTAGE)
    with db.begin() as session:
        rows = session.execute(
            select(models.User.id, models.User.name, func.count(models.Annotation.id))
            .join(models.Annotation, models.Annotation.author_id == models.User.id)
            .where(models.Annotation.recording_id == recording_id)
            .group_by(models.User.id, models.User.name)
            .order_by(models.User.name)
        )
        return [Annotator(user_id, name, count) for user_id, name, count in rows]


def find_annotator(db: Database, recording_id: int, who: str) -> Annotator:
    """The annotator named ``who`` (any case) or with that user id, on this recording."""
    people = annotators(db, recording_id)
    wanted = who.strip().lower()
    for person in people:
        if person.name.lower() == wanted or str(person.user_id) == wanted:
            return person
    names = ", ".join(p.name for p in people) or "nobody yet"
    raise DomainError(f"{who!r} has no annotations on recording {recording_id} (coded by: {names})")


def compare(
    db: Database,
    recording_id: int,
    a: Annotator,
    b: Annotator,
    codebook_id: int,
    bin_ms: int = BIN_MS,
) -> AgreementReport:
    """Cohen's kappa per principle and where the two differ (READ_FOOTAGE)."""
    require(db.principal, READ_FOOTAGE)
    if a.user_id == b.user_id:
        raise DomainError("choose two different people to compare")
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        duration = recording.duration_ms
        book = session.get(models.CodebookVersion, codebook_id)
        principles = [(p["key"], p["label"]) for p in (book.principles if book else [])]
        labels = dict(
            session.execute(
                select(models.CodebookCategory.key, models.CodebookCategory.label).where(
                    models.CodebookCategory.codebook_id == codebook_id
                )
            ).all()
        )
    every = list_annotations(db, recording_id)
    coded_a = [x for x in every if x.author_id == a.user_id]
    coded_b = [x for x in every if x.author_id == b.user_id]
    labels.update({x.category_key: x.category_label for x in every})
    comparison = compare_annotations(coded_a, coded_b, duration, principles, bin_ms)
    return AgreementReport(recording_id, a, b, comparison, labels)
