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
from bwvreview.annotations.review import transcripts
from bwvreview.bundled import resource_path
from bwvreview.cli import main
from tests.speech_checks import DEMO_MAX_WER, word_error_rate

pytestmark = pytest.mark.slow

FACTS = app.demo_facts()
PLANTED = ("concern", "good_practice")
SLACK_S = 1.0  # Whisper's times drift a little from the script's
MAX_MISSED_MOMENTS = 2  # of the 11 planted: none missed on AVX-512, one on AVX2


CODEBOOK = app.load_codebook(resource_path("codebook.yaml"))


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """Suggestions for the demo footage (imported, transcribed and stored by the command),
    and the transcript's segments they were found in."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BWVREVIEW_DATA", str(tmp_path_factory.mktemp("demo-data")))
        out = io.StringIO()
        footage = resource_path(*app.DEMO_FOOTAGE)
        with contextlib.redirect_stdout(out):
            code = main(["suggest", str(footage), "--json"])
        assert code == 0
        lib = app.open_library()
        try:
            recording, _ = app.import_media(lib, footage)
            transcript = transcripts.current_transcript(lib.db, recording.id)
        finally:
            lib.close()
    return json.loads(out.getvalue())["suggestions"], transcript.segments


@pytest.fixture(scope="module")
def found(demo_run):
    return demo_run[0]


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


def pieces_heard(segments, utterance):
    """The transcript segments that overlap a scripted utterance."""
    start_ms, end_ms = utterance["start"] * 1000, utterance["end"] * 1000
    return [s for s in segments if s.start_ms < end_ms and s.end_ms > start_ms]


@pytest.mark.parametrize(
    ("utterance", "category"), planted(), ids=[f"{c}@{u['start']}" for u, c in planted()]
)
def test_each_planted_moment_is_suggested_at_its_time(demo_run, utterance, category):
    found, segments = demo_run
    hits = [s for s in found if s["category"] == category and near(s, utterance)]
    assert all(s["speaker"] == utterance["speaker"] for s in hits)
    if hits:
        return
    # The lexicon matches a cue's phrase inside one segment (cue_match), with one speaker;
    # only the context rules look across neighbouring segments, and only at times. Where
    # Whisper splits a stretch of speech, and so whether a phrase ends up cut in two or
    # half of it given to the other voice, differs between CPUs (an AVX2 machine split
    # "I'm going to photograph your arm, because it's evidence" and lost explained_action).
    # So a moment may go missing only where its utterance was split or misattributed, its
    # words must still have been heard, and test_most_planted_moments_are_suggested below
    # keeps a lexicon that finds little from passing.
    pieces = pieces_heard(segments, utterance)
    said = [(round(p.start_ms / 1000, 2), p.speaker, p.text) for p in pieces]
    assert len(pieces) > 1 or any(p.speaker != utterance["speaker"] for p in pieces), (
        f"{category} not found near {utterance['start']} s although Whisper heard "
        f"{utterance['text']!r} whole, as {said}"
    )
    wer = word_error_rate(utterance["text"], " ".join(p.text for p in pieces))
    assert wer <= DEMO_MAX_WER, f"{utterance['text']!r} heard as {said}"


def test_most_planted_moments_are_suggested(found):
    """Recall over the whole script: every planted moment here (AVX-512), all but one on
    the AVX2 machine that split one; the bound fails a lexicon or a transcript gone wrong."""
    missed = [
        f"{code}@{u['start']}"
        for u, code in planted()
        if not any(s["category"] == code and near(s, u) for s in found)
    ]
    assert len(missed) <= MAX_MISSED_MOMENTS, missed


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
