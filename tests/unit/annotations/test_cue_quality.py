"""Quality (not timing) of the phrase cues on the labelled set, tests/data/cue_labels.yaml.

The numbers come from benchmarks/cue_quality.py, which prints the full table.
"""

import pytest

from benchmarks.cue_quality import evaluate, format_errors
from bwvreview.annotations.codebook import load_codebook
from bwvreview.annotations.cues.lexicon import load_lexicon
from bwvreview.bundled import resource_path


@pytest.fixture(scope="module")
def report():
    codebook = load_codebook(resource_path("codebook.yaml"))
    return evaluate(load_lexicon(resource_path("cues.yaml"), codebook))


@pytest.mark.parametrize("parts", [("dev", "holdout"), ("holdout",)], ids=["overall", "holdout"])
def test_precision_and_recall_meet_the_targets(report, parts):
    tally = report.tally(parts)
    assert tally.precision >= 0.85, format_errors(report, parts[-1])
    assert tally.recall >= 0.75, format_errors(report, parts[-1])


def test_no_concern_cue_fires_on_the_publics_speech(report):
    fired = [(o.line.text, sorted(o.concern_on_public)) for o in report.public_concerns()]
    assert fired == []


def test_the_labelled_set_covers_concerns_good_practice_and_public_speech(report):
    lines = [o.line for o in report.outcomes]
    assert len(lines) > 300
    assert sum(1 for line in lines if line.speaker != "wearer") > 40
    assert {"missed_choice", "no_explanation", "explained_action", "offered_choice"} <= {
        c for line in lines for c in line.expect
    }
