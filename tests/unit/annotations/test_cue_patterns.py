"""The phrase-pattern language of cues.yaml, compiled to regular expressions."""

import pytest

from bwvreview.annotations.cues.patterns import PatternError, compile_pattern
from bwvreview.annotations.cues.text import normalise


def spans(pattern, said, vocabulary=None):
    text = normalise(said.split(), frozenset({"and", "or"}))
    starts = {i for i, brk in enumerate(text.break_before) if brk}
    ends = {i for i in starts if i > 0} | {len(text.tokens)}
    return compile_pattern(pattern, vocabulary).spans(text, starts, ends)


@pytest.mark.parametrize(
    ("pattern", "said", "found"),
    [
        ("calm down", "Just calm down, mate", [(1, 3)]),
        ("calm down", "He calmed down.", []),  # whole words only
        ("arrest*", "you'll be arrested", [(3, 4)]),
        ("would you (rather|prefer)", "Would you prefer tea?", [(0, 3)]),
        ("shut [your] (mouth|face)", "shut your face and shut mouth", [(0, 3), (4, 6)]),
        ("if you *3 arrested", "if you do not stop you'll be arrested", []),  # too far apart
        ("if you *8 arrested", "if you do not stop you'll be arrested", [(0, 9)]),
        ("ring #", "ring one oh one", [(0, 2)]),
        ("!(i|we) told", "she told me", [(0, 2)]),
        ("!(i|we) told", "I told you", []),
        ("don't", "Do not", [(0, 2)]),  # pattern words are normalised too
        ("{greeting} there", "hiya there", [(0, 2)]),
    ],
)
def test_patterns_match_on_word_boundaries(pattern, said, found):
    assert spans(pattern, said, {"greeting": "(hi|hiya|hello)"}) == found


def test_anchors_need_a_clause_start_and_end():
    assert spans("^ sit down", "Right, sit down.") == [(1, 3)]
    assert spans("^ sit down", "He sat and then he will sit down") == []
    assert spans("^ sit down $", "sit down there") == []
    assert spans("^ sit down $", "Sit down, please") == [(0, 2)]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "non-empty"),
        ("(calm|down", "not closed"),
        ("calm | ", "alternative is empty"),
        ("[maybe]", "match nothing"),
        ("{nowhere} down", "not in the vocabulary"),
        ("calm ^ down", "cannot go here"),
        ("calm down $ now", "unexpected"),
        ("!*", "! takes a word"),
    ],
)
def test_a_bad_pattern_says_what_is_wrong(pattern, message):
    with pytest.raises(PatternError, match=message):
        compile_pattern(pattern, {})


def test_vocabulary_pieces_that_refer_to_each_other_in_a_loop_are_refused():
    with pytest.raises(PatternError, match="loop"):
        compile_pattern("{a}", {"a": "x {b}", "b": "y {a}"})
