"""``bwvreview suggest`` on the bundled demo incident, transcribed for real with tiny.en,
finds the concern and good-practice moments its script was written to show, at their times.

(tiny.en hears "Would you rather" as "Will you rather" and "Is there someone" as "Isn't
there someone"; the lexicon is written to tolerate such variants.)
"""

import contextlib
import io
import json

import pytest

from bwvreview import app
from bwvreview.bundled import resource_path
from bwvreview.cli import main

pytestmark = pytest.mark.slow

FACTS = app.demo_facts()
PLANTED = ("concern", "good_practice")
SLACK_S = 1.0  # Whisper's times drift a little from the script's


CODEBOOK = app.load_codebook(resource_path("codebook.yaml"))


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    """Suggestions for the demo footage (imported, transcribed and stored by the command)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BWVREVIEW_DATA", str(tmp_path_factory.mktemp("demo-data")))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["suggest", str(resource_path(*app.DEMO_FOOTAGE)), "--json"])
    assert code == 0
    return json.loads(out.getvalue())["suggestions"]


def polarity(key):
    return CODEBOOK.category(key).polarity


def near(suggestion, utterance):
    return (
        suggestion["start"] >= utterance["start"] - SLACK_S
        and suggestion["end"] <= utterance["end"] + SLACK_S
    )


def planted():
    return [
        (u, code) for u in FACTS["utterances"] for code in u["codes"] if polarity(code) in PLANTED
    ]


@pytest.mark.parametrize(
    ("utterance", "category"), planted(), ids=[f"{c}@{u['start']}" for u, c in planted()]
)
def test_each_planted_moment_is_suggested_at_its_time(found, utterance, category):
    hits = [s for s in found if s["category"] == category and near(s, utterance)]
    assert hits, f"{category} not found near {utterance['start']} s: {utterance['text']!r}"
    assert all(s["speaker"] == utterance["speaker"] for s in hits)


def test_nothing_is_suggested_that_the_script_was_not_written_to_show(found):
    extra = [
        s
        for s in found
        if s["polarity"] in PLANTED
        and not any(s["category"] in u["codes"] and near(s, u) for u in FACTS["utterances"])
    ]
    assert extra == []


def test_no_concern_is_suggested_on_the_member_of_the_publics_speech(found):
    assert [s for s in found if s["polarity"] == "concern" and s["speaker"] != "wearer"] == []
