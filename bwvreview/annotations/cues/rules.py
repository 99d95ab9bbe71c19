"""Context for phrase cues: exclusion zones, and rules that look at what was said nearby.

Exclusion zones cover speech that is recited or not addressed to the person (the police
caution, the stop-and-search script, radio traffic): hits from the same speaker inside a zone
are dropped. A zone may also stand in for a category when rules look nearby (a recited search
script gives the grounds, so a search directive beside it is not unexplained).

Rules turn trigger hits into suggestions: "a bare directive with no option offered within
six seconds" is a trigger (a hit tagged ``move_directive``) with an ``unless_nearby``
condition (an ``offered_choice`` hit from an officer within 6000 ms). The rules themselves
are data in cues.yaml; this module only knows how to evaluate them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bwvreview.annotations.cues.lexicon import Exclusion, Lexicon, Nearby, Rule
from bwvreview.annotations.cues.match import Hit, Prepared, speaker_fits


@dataclass(frozen=True)
class Zone:
    exclusion: Exclusion
    speaker: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class _Mark:
    speaker: str
    start_ms: int
    end_ms: int


def _marks(exclusion: Exclusion, prepared: Sequence[Prepared], patterns: str,
           titles: frozenset[str]) -> list[_Mark]:  # fmt: skip
    marks = []
    for prep in prepared:
        if not speaker_fits(exclusion.speaker, prep.speaker, titles):
            continue
        for pattern in getattr(exclusion, patterns):
            for first, end in prep.spans(pattern):
                if exclusion.whole_sentences:
                    first, _ = prep.sentence_bounds(first)
                    _, end = prep.sentence_bounds(end - 1)
                start_ms, end_ms = prep.ms(*prep.word_span(first, end))
                marks.append(_Mark(prep.speaker, start_ms, end_ms))
    return sorted(marks, key=lambda m: m.start_ms)


def _zones_of(exclusion: Exclusion, prepared: Sequence[Prepared],
              titles: frozenset[str]) -> list[Zone]:  # fmt: skip
    zones = []
    marks = _marks(exclusion, prepared, "markers", titles)
    follows = _marks(exclusion, prepared, "follow", titles) if exclusion.follow else []
    for speaker in sorted({m.speaker for m in marks}):
        groups: list[list[_Mark]] = []
        for mark in (m for m in marks if m.speaker == speaker):
            if groups and mark.start_ms - groups[-1][-1].end_ms <= exclusion.join_ms:
                groups[-1].append(mark)
            else:
                groups.append([mark])
        for group in groups:
            if len(group) < exclusion.min_markers:
                continue
            start = max(0, group[0].start_ms - exclusion.pad_before_ms)
            end = max(m.end_ms for m in group)
            for follow in (f for f in follows if f.speaker == speaker):
                if end <= follow.start_ms <= end + exclusion.follow_ms:
                    end = follow.end_ms  # "... given in evidence. Do you understand?"
            zones.append(Zone(exclusion, speaker, start, end))
    return zones


def find_zones(lexicon: Lexicon, prepared: Sequence[Prepared]) -> list[Zone]:
    """Where the lexicon's exclusions (caution, search script, radio) were spoken."""
    return [
        zone
        for exclusion in lexicon.exclusions
        for zone in _zones_of(exclusion, prepared, lexicon.officer_titles)
    ]


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start <= b_end and b_start <= a_end


def outside_zones(hits: Sequence[Hit], zones: Sequence[Zone]) -> list[Hit]:
    """The hits not spoken inside an exclusion zone by the zone's speaker."""
    return [
        hit
        for hit in hits
        if not any(
            zone.speaker == hit.speaker
            and _overlaps(hit.start_ms, hit.end_ms, zone.start_ms, zone.end_ms)
            for zone in zones
        )
    ]


def _selects(condition: Nearby, category: str, tags: frozenset[str]) -> bool:
    return category in condition.categories or bool(tags & condition.tags)


def _near(condition: Nearby, trigger: Hit, hits: Sequence[Hit], zones: Sequence[Zone],
          titles: frozenset[str]) -> bool:  # fmt: skip
    low = trigger.start_ms - condition.before_ms
    high = trigger.end_ms + condition.after_ms

    def speaker_ok(speaker: str) -> bool:
        if condition.speaker == "same":
            return speaker == trigger.speaker
        return speaker_fits(condition.speaker, speaker, titles)

    for hit in hits:
        if (
            hit is not trigger
            and _selects(condition, hit.category, hit.tags)
            and speaker_ok(hit.speaker)
            and _overlaps(hit.start_ms, hit.end_ms, low, high)
        ):
            return True
    return any(
        condition.categories & zone.exclusion.counts_as
        and speaker_ok(zone.speaker)
        and _overlaps(zone.start_ms, zone.end_ms, low, high)
        for zone in zones
    )


def _fires(rule: Rule, trigger: Hit, hits: Sequence[Hit], zones: Sequence[Zone],
           titles: frozenset[str]) -> bool:  # fmt: skip
    if not (trigger.category in rule.when_categories or trigger.tags & rule.when_tags):
        return False
    if any(_near(c, trigger, hits, zones, titles) for c in rule.unless):
        return False
    return all(_near(c, trigger, hits, zones, titles) for c in rule.needs)


def apply_rules(lexicon: Lexicon, hits: Sequence[Hit], zones: Sequence[Zone]) -> list[Hit]:
    """The suggestions the context rules make from the hits (each keeps its trigger's span
    and cue id, so acceptance counts show which phrases the rule does well on)."""
    titles = lexicon.officer_titles
    return [
        replace(trigger, category=rule.suggest, suggest=True, precision=rule.precision)
        for rule in lexicon.rules
        for trigger in hits
        if _fires(rule, trigger, hits, zones, titles)
    ]
