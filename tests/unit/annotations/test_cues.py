"""Phrase cues found in what was said: times and word ids, who said it, what is excluded,
and the context rules (missed choice, no explanation, explained action)."""

import pytest

from bwvreview.annotations.codebook import load_codebook
from bwvreview.annotations.cues import SpokenWord, Utterance, find_cues, spread_words
from bwvreview.annotations.cues.lexicon import load_lexicon, parse_lexicon
from bwvreview.bundled import resource_path

CODEBOOK = load_codebook(resource_path("codebook.yaml"))
LEXICON = load_lexicon(resource_path("cues.yaml"), CODEBOOK)


def said(*lines):
    """Utterances from (speaker, start_s, end_s, text); word ids count up from 100."""
    utterances, next_id = [], 100
    for speaker, start_s, end_s, text in lines:
        spread = spread_words(text, round(start_s * 1000), round(end_s * 1000))
        words = tuple(
            SpokenWord(w.start_ms, w.end_ms, w.text, next_id + i) for i, w in enumerate(spread)
        )
        next_id += len(words)
        utterances.append(Utterance(speaker, words))
    return utterances


def categories(*lines, lexicon=LEXICON):
    return [(s.utterance, s.category) for s in find_cues(lexicon, said(*lines))]


def test_a_match_maps_to_its_words_times_and_ids():
    words = (
        SpokenWord(9640, 9900, " Okay.", 1),
        SpokenWord(10000, 10300, " Calm", 2),
        SpokenWord(10300, 10700, " down.", 3),
        SpokenWord(11000, 11300, " Sit", 4),
        SpokenWord(11300, 11720, " down.", 5),
    )
    found = {s.category: s for s in find_cues(LEXICON, [Utterance("wearer", words)])}
    calm = found["triggering_language"]
    assert (calm.start_ms, calm.end_ms) == (10000, 10700)
    assert (calm.first_word_id, calm.last_word_id, calm.text) == (2, 3, "Calm down.")
    assert calm.polarity == "concern" and calm.prompt.startswith("Possible")
    sit = found["missed_choice"]  # a bare directive, nothing offered afterwards
    assert (sit.start_ms, sit.end_ms, sit.first_word_id, sit.last_word_id) == (11000, 11720, 4, 5)
    assert sit.cue_id == "move_directive" and sit.precision == "low"


@pytest.mark.parametrize(
    "text",
    ["OKAY CALM DOWN", "okay calm down", "Okay... calm down!!", "Calm. Down.", "Um, calm down"],
)
def test_whisper_casing_punctuation_and_fillers_do_not_matter(text):
    assert (0, "triggering_language") in categories(("wearer", 0, 2, text))


@pytest.mark.parametrize(
    "text",
    [
        "He said he'd calm down if we gave him a minute.",  # reported speech
        "She told me to calm down, so I did.",
        "I'm not telling you to calm down.",  # negation
        "Did he call you a junkie?",  # quoting the other party
        "Has he calmed down?",  # another word, not the order
    ],
)
def test_reported_negated_and_quoted_words_are_not_the_officers_own(text):
    assert categories(("wearer", 0, 3, text)) == []


def test_concern_cues_listen_to_officers_only():
    shouted = "Calm down! Shut up! What's wrong with you?"
    assert categories(("other", 0, 3, shouted)) == []
    assert categories(("Sarah", 0, 3, shouted)) == []
    assert {c for _, c in categories(("Sgt Patel", 0, 3, shouted))} == {
        "triggering_language", "shaming_language"
    }  # fmt: skip


def test_observations_are_noted_whoever_speaks():
    assert categories(("other", 0, 3, "I can't breathe!")) == [(0, "priority_welfare")]
    found = find_cues(LEXICON, said(("other", 0, 3, "I can't breathe!")))
    assert found[0].priority


def test_the_police_caution_is_recited_not_the_officers_own_words():
    found = categories(
        ("wearer", 0, 3, "I'm arresting you on suspicion of burglary."),
        ("wearer", 3.5, 12, "You do not have to say anything, but it may harm your defence if "
                            "you do not mention when questioned something which you later rely on "
                            "in court."),
        ("wearer", 12.5, 15, "Anything you do say may be given in evidence."),
        ("wearer", 15.5, 16.5, "Do you understand?"),
        ("wearer", 40, 41, "Do you understand?"),
    )  # fmt: skip
    assert found == [(0, "explained_action"), (4, "checked_understanding")]


def test_the_stop_and_search_script_is_excluded_and_gives_the_grounds():
    found = categories(
        ("wearer", 0, 2, "I'm PC Lee from Portswood police station."),
        ("wearer", 2.5, 6, "I'm detaining you for a search under section 23 of the Misuse of "
                           "Drugs Act."),
        ("wearer", 6.5, 9, "The object of the search is controlled drugs."),
        ("wearer", 9.5, 13, "My grounds are I could smell cannabis."),
        ("wearer", 13.5, 15, "Empty your pockets for me."),
    )  # fmt: skip
    assert found == []


def test_radio_traffic_is_excluded():
    assert categories(("wearer", 0, 3, "Roger that, I'll hurry over.")) == []
    assert categories(("wearer", 0, 3, "Control from 4471, show me on scene.")) == []


@pytest.mark.parametrize(
    ("option_at_s", "expected"),
    [
        (None, [(0, "missed_choice")]),
        (3, [(1, "offered_choice")]),  # an option within a few seconds
        (12, [(0, "missed_choice"), (1, "offered_choice")]),  # too late to count
    ],
)
def test_missed_choice_is_a_bare_directive_with_no_option_soon_after(option_at_s, expected):
    lines = [("wearer", 0, 1, "Get in the car.")]
    if option_at_s is not None:
        lines.append(
            ("wearer", option_at_s, option_at_s + 2, "You can sit in the front or the back.")
        )
    assert categories(*lines) == expected


def test_an_option_offered_just_before_the_directive_counts_too():
    found = categories(
        ("wearer", 0, 3, "Do you want to wait in the car or out here?"),
        ("other", 3.5, 4, "The car."),
        ("wearer", 4.5, 5.5, "Okay, hop in the back."),
    )
    assert found == [(0, "offered_choice")]


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (None, {(0, "no_explanation")}),
        ((6, 9.5, "I'm arresting you because you were seen taking the bag."),
         {(1, "explained_action")}),  # the reason just before
        ((12, 15, "You're under arrest for theft."), {(1, "explained_action")}),  # just after
        ((25, 27, "You're under arrest for theft."),
         {(0, "no_explanation"), (1, "explained_action")}),  # too late to count
    ],
)  # fmt: skip
def test_no_explanation_is_a_physical_directive_with_no_reason_nearby(reason, expected):
    lines = [("wearer", 10, 11.5, "Hands behind your back.")]
    if reason is not None:
        lines.append(("wearer", *reason))
    assert set(categories(*lines)) == expected


def test_explained_action_is_an_action_said_with_its_reason():
    assert categories(
        ("wearer", 0, 4, "I'm going to photograph your arm, because it's evidence.")
    ) == [(0, "explained_action")]
    assert categories(("wearer", 0, 3, "I'm just going to have a look round the garden.")) == []


def test_commands_in_a_safety_critical_moment_are_context_not_failings():
    found = categories(
        ("other", 0, 1, "I'll stab you!"),
        ("wearer", 1.2, 2, "Drop the knife!"),
        ("wearer", 2.2, 3, "Get on the floor!"),
        ("wearer", 3.2, 4, "Hands behind your back!"),
    )
    assert {c for _, c in found} == {"safety_critical"}


def test_the_rules_are_data_a_wider_window_changes_the_outcome(tmp_path):
    text = resource_path("cues.yaml").read_text(encoding="utf-8")
    rule = "{categories: [offered_choice], speaker: officer, before_ms: 5000, after_ms: 6000}"
    assert rule in text
    wider = parse_lexicon(text.replace(rule, rule.replace("6000", "15000")), tmp_path, CODEBOOK)
    lines = [("wearer", 0, 1, "Get in the car."), ("wearer", 12, 14, "It's up to you.")]
    assert (0, "missed_choice") in categories(*lines)
    assert (0, "missed_choice") not in categories(*lines, lexicon=wider)


def test_nearby_hits_of_one_category_become_one_suggestion():
    found = find_cues(LEXICON, said(("wearer", 0, 2, "Step back. Step back from the door.")))
    assert [(s.category, s.text) for s in found] == [("missed_choice", "Step back. Step back")]


def test_words_without_times_are_spread_over_their_segment():
    words = spread_words("one two three four", 1000, 3000)
    assert [(w.start_ms, w.end_ms) for w in words] == [
        (1000, 1500), (1500, 2000), (2000, 2500), (2500, 3000)
    ]  # fmt: skip
    assert spread_words("   ", 0, 10) == ()
