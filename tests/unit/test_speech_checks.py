"""The word error rate the Whisper tests rely on passes what other CPUs hear and fails
what is clearly wrong."""

import pytest

from tests.speech_checks import (
    DEMO_MAX_WER,
    DEMO_SCRIPT,
    SPEECH_MAX_WER,
    SPEECH_SCRIPT,
    SPEECH_STABLE_WORDS,
    assert_close_to_script,
    heard_words,
    normalise,
    word_error_rate,
)

# What tiny.en heard on an AVX-512 EPYC (the demo, as stored in tests/data/demo_words.json
# by an earlier run, differs again: "D.C.", "He's wrong", "Will you rather").
SPEECH_HEARD = (
    "Hello, my name is Officer Smith. Can you tell me what happened?",
    "A man taught my man and ran towards the station.",
    "Thank you. Are you hurt?",
    "No, I am okay.",
)
DEMO_HEARD = (
    "My name is D.C. Hughes. I'm a police officer. I'm here because someone phoned us. He's"
    " wrong. I'm scared he'll come back. Okay. Calm down. Sit down. I don't want to. If you"
    " don't sit down, you'll be arrested. Are you hurt? My arm. He grabbed me. Take your time."
    " Will you rather talk in here or outside? It's up to you. In here. Can I take your"
    " details? Yes. I'm Sarah Whitfield. I live at 14 Maple Road in Southampton. You can ring"
    " me on 0-7-7-0-0-9-0-0-0-1-2-3. I'm going to photograph your arm because it's evidence"
    " does that make sense? Yes. Isn't there someone I can call for you? My sister. Someone"
    " will call you tomorrow to explain what happens next."
)


def test_normalising_ignores_case_punctuation_and_how_numbers_are_written():
    assert normalise("Yes. I'm D.C. Hughes, on 07700-9!") == [
        "yes", "i'm", "dc", "hughes", "on", "0", "7", "7", "0", "0", "9",
    ]  # fmt: skip
    assert normalise("0-7-7-0-0 9") == normalise("07700 9")


def test_word_error_rate_counts_substitutions_deletions_and_insertions():
    assert word_error_rate("a b c d", "a b c d") == 0.0
    assert word_error_rate("a b c d", "a x c d") == 0.25
    assert word_error_rate("a b c d", "a c d") == 0.25
    assert word_error_rate("a b c d", "a b b c d") == 0.25
    assert word_error_rate("a b c d", "") == 1.0


def test_what_the_cpus_heard_is_within_the_bounds():
    assert word_error_rate(SPEECH_SCRIPT, " ".join(SPEECH_HEARD)) <= SPEECH_MAX_WER / 2
    assert word_error_rate(DEMO_SCRIPT, DEMO_HEARD) <= DEMO_MAX_WER / 4
    without_hurt = " ".join(SPEECH_HEARD).replace("hurt", "")  # the AVX2 machine
    assert_close_to_script(SPEECH_SCRIPT, [without_hurt], SPEECH_MAX_WER)
    assert heard_words(SPEECH_HEARD) >= SPEECH_STABLE_WORDS


@pytest.mark.parametrize(
    "wrong",
    [
        "",  # nothing heard
        "Hello, my name is Officer Smith. Can you tell me what happened?",  # one turn only
        "Thank you. Thank you. Thank you. Thank you. Thank you.",  # a hallucinated loop
        "hello my name is officer smith can you tell me what happened a man took my bag",
    ],
)
def test_a_clearly_wrong_transcript_fails(wrong):
    with pytest.raises(AssertionError, match="word error rate"):
        assert_close_to_script(SPEECH_SCRIPT, [wrong], SPEECH_MAX_WER)


def test_the_demo_with_a_third_of_it_missing_fails():
    words = DEMO_HEARD.split()
    with pytest.raises(AssertionError, match="word error rate"):
        assert_close_to_script(DEMO_SCRIPT, [" ".join(words[: len(words) * 2 // 3])], DEMO_MAX_WER)
