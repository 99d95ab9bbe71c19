"""Normalised transcript text: one spelling for the many ways a phrase is said or written."""

import pytest

from bwvreview.annotations.cues.text import normalise, normalise_phrase


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("Don't", "do not"),
        ("CAN'T", "can not"),
        ("I'm", "i am"),
        ("you’ll", "you will"),  # a typographic apostrophe
        ("What's", "what is"),
        ("gonna", "going to"),
        ("ok", "okay"),
        ("alright", "all right"),
        ("two", "2"),
        ("apologize", "apologise"),
        ("behavior", "behaviour"),
        ("um", ""),
        ("D.C.", "dc"),
        ("attention-seeking", "attention seeking"),
        ("neighbour's", "neighbour"),  # a possessive is dropped
        ("Calm,", "calm"),
    ],
)
def test_written_forms_become_canonical_tokens(written, tokens):
    assert " ".join(normalise_phrase(written)) == tokens


def test_every_token_remembers_its_word_and_clause_breaks_follow_punctuation():
    text = normalise(["Okay,", " calm", " down.", " um", " Sit", " down"], frozenset({"and"}))
    assert text.tokens == ("okay", "calm", "down", "sit", "down")
    assert text.word_of == (0, 1, 2, 4, 5)
    assert text.sentence_start == (True, False, False, True, False)
    assert text.break_before == (True, True, False, True, False)
    assert text.text == " okay calm down sit down "


def test_an_abbreviation_does_not_end_a_sentence():
    text = normalise(["My", "name", "is", "PC.", "Hughes."])
    assert text.sentence_start == (True, False, False, False, False)
