"""Which suggested moments a reviewer has already coded ("covered").

A phrase cue suggests a category at the words that matched. When the reviewer has already
made an annotation of that category over the same moment (their span overlaps the
suggestion's, give or take a second), the suggestion has nothing left to ask: the window
marks it covered rather than asking again.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from itertools import accumulate

from bwvreview.annotations.review import Annotation
from bwvreview.app.suggesting import SuggestedMoment

COVER_SLACK_MS = 1000  # an annotation this close to a suggestion still covers it


def covering_annotations(
    moments: Iterable[SuggestedMoment], annotations: Iterable[Annotation],
    slack_ms: int = COVER_SLACK_MS,
) -> dict[int, Annotation]:  # fmt: skip
    """For each pending suggestion that is covered, the annotation that covers it, by
    suggestion id."""
    by_category: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        by_category[annotation.category_key].append(annotation)
    # Per category, sorted by start beside a running maximum of the ends, so the candidates
    # for a moment are one slice found by two binary searches.
    index: dict[str, tuple[list[Annotation], list[int], list[int]]] = {}
    for key, found in by_category.items():
        found.sort(key=lambda a: a.start_ms)
        index[key] = ([a.start_ms for a in found], list(accumulate((a.end_ms for a in found),
                                                                    max)), found)  # fmt: skip
    covered: dict[int, Annotation] = {}
    for moment in moments:
        if moment.state != "pending" or moment.suggestion_id is None:
            continue
        if moment.category not in index:
            continue
        starts, reach, found = index[moment.category]
        first = bisect.bisect_left(reach, moment.start_ms - slack_ms)
        last = bisect.bisect_right(starts, moment.end_ms + slack_ms)
        for annotation in found[first:last]:
            if annotation.end_ms >= moment.start_ms - slack_ms:
                covered[moment.suggestion_id] = annotation
                break
    return covered
