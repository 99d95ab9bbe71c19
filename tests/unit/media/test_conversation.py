"""Personal data read with the conversation around it (personal_data.conversation): every
mention in every form, dates of birth however they are given, numbers split over segments,
and the context before a span. Real presidio + spaCy on transcripts written as Whisper
writes them (tests/data/personal_speech_words.json is the bundled tiny.en's own transcript
of tests/data/speech_personal_data.mp4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bwvreview.personal_data.conversation import (
    PAUSE_AFTER_MS,
    PAUSE_BEFORE_MS,
    SpeechContext,
    bleep_spans,
    find_in_conversation,
    found_items,
    into_pauses,
    words_before,
)
from bwvreview.personal_data.finder import PersonalDataHit, TimedWord, find_personal_data

DATA = Path(__file__).parents[2] / "data"
NO_CONTEXT = SpeechContext()
FACTS = json.loads((DATA / "speech_personal_data.json").read_text("utf-8"))


def said(*segments: str, step_ms: int = 300, gap_ms: int = 900) -> list[TimedWord]:
    """Words as Whisper gives them (a leading space each), segment after segment."""
    words, at = [], 0
    for segment in segments:
        for word in segment.split():
            words.append(TimedWord(" " + word, at, at + step_ms))
            at += step_ms
        at += gap_ms
    return words


def recorded() -> list[TimedWord]:
    data = json.loads((DATA / "personal_speech_words.json").read_text("utf-8"))
    return [TimedWord(**w) for w in data["words"]]


def texts(hits: list[PersonalDataHit], words: list[TimedWord]) -> list[str]:
    return ["".join(w.text for w in words[h.first_word : h.last_word + 1]).strip() for h in hits]


def hidden_words(words: list[TimedWord], context: SpeechContext = NO_CONTEXT) -> str:
    """The words the detector would bleep, joined."""
    hits = find_in_conversation(words, context)
    keep = {i for h in hits for i in range(h.first_word, h.last_word + 1)}
    return " ".join(words[i].text.strip() for i in sorted(keep))


def audible_words(words: list[TimedWord], context: SpeechContext = NO_CONTEXT) -> str:
    hits = find_in_conversation(words, context)
    keep = {i for h in hits for i in range(h.first_word, h.last_word + 1)}
    return " ".join(w.text.strip() for i, w in enumerate(words) if i not in keep)


# -- dates of birth, however they are given --------------------------------------------------

QUESTION = "Thanks, Sarah. Date of birth?"


@pytest.mark.parametrize(
    ("question", "answer", "date"),
    [
        # the third of June nineteen ninety one, as Whisper writes it
        (QUESTION, "It is the third of June, 1991.", "the third of June, 1991."),
        (QUESTION, "It is the 3rd of June 1991.", "the 3rd of June 1991."),
        (
            QUESTION,
            "It is the third of June, nineteen ninety one.",
            "the third of June, nineteen ninety one.",
        ),  # noqa: E501
        # third June ninety one
        (QUESTION, "Third June, ninety one.", "Third June, ninety one."),
        (QUESTION, "3rd June 91.", "3rd June 91."),
        (QUESTION, "12 March 65.", "12 March 65."),
        # 03/06/1991 in digits, said one by one
        (QUESTION, "Zero three, zero six, ninety one.", "Zero three, zero six, ninety one."),
        (QUESTION, "0-3, 0-6, 9-1.", "0-3, 0-6, 9-1."),
        (QUESTION, "03, 06, 91.", "03, 06, 91."),
        (QUESTION, "03/06/1991", "03/06/1991"),
        # June the third, 1991
        (QUESTION, "June the 3rd, 1991.", "June the 3rd, 1991."),
        (QUESTION, "June the third, nineteen ninety one.", "June the third, nineteen ninety one."),
        # an answer to "how old are you?" that gives a year
        ("How old are you?", "Nineteen ninety one.", "Nineteen ninety one."),
        ("How old is your father?", "1962, he is 63.", "1962, he is 63."),
        ("What age are you?", "I'm 34. Born in 91.", "34. Born in 91."),
        ("When were you born?", "June the 3rd, 1991.", "June the 3rd, 1991."),
        ("DOB?", "3rd June 91.", "3rd June 91."),
        ("What's his D.O.B.?", "The 3rd of June 1991.", "The 3rd of June 1991."),
        ("Your birthday?", "Third of June.", "Third of June."),
    ],
)
def test_a_date_of_birth_answering_the_question_is_hidden(question, answer, date):
    words = said(question, answer)
    answer_words = words[len(question.split()) :]
    assert hidden_words(answer_words, SpeechContext(before=tuple(words[: -len(answer_words)])))
    heard = audible_words(words)
    for part in date.split():
        if any(c.isdigit() for c in part) or part.strip(",.").lower() in _DATE_WORDS:
            assert part not in heard.split(), (part, heard)


_DATE_WORDS = {"third", "june", "ninety", "one", "zero", "three", "six", "march", "nineteen",
               "twelve", "3rd"}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "I was born on the third of June, nineteen ninety one.",
        "I was born on the 9th of October 1988.",
        "My date of birth is 03/06/1991.",
        "Born June the 3rd 1991, in Leeds.",
    ],
)
def test_a_date_of_birth_with_its_own_cue_is_hidden(text):
    words = said(text)
    hidden = hidden_words(words)
    assert any(c.isdigit() for c in hidden) or "nineteen" in hidden


def test_the_question_before_the_span_counts():
    """The export of a span that starts after "Date of birth?" still hides the answer."""
    words = said(QUESTION, "Third June, ninety one.")
    start = words[5].start_ms
    span = [w for w in words if w.start_ms >= start]
    assert find_in_conversation(span) == []  # on its own, "Third June, ninety one" is a date
    context = SpeechContext(before=words_before(words, start))
    assert texts(find_in_conversation(span, context), span) == ["Third June, ninety one."]


def test_dates_that_answer_nothing_stay_audible():
    words = said("I'll see you on the third of June.", "The hearing is on 03/06/2026.", "Okay.")
    assert find_in_conversation(words) == []


# -- names, in every form, said by anyone ----------------------------------------------------


def test_a_first_name_repeated_by_the_officer_is_hidden_everywhere():
    words = said("Can I take your full name, please?", "Sarah Ashworth.",
                 "Thanks, Sarah. Date of birth?")  # fmt: skip
    heard = audible_words(words)
    assert "Sarah" not in heard and "Ashworth" not in heard
    items = tuple(text for text, _ in found_items(find_personal_data(words)))
    later = said("I'll call Sarah tomorrow.", "Ashworth's car was outside.", "The Ashworths.")
    hidden = hidden_words(later, SpeechContext(items=items))
    assert {"Sarah", "Ashworth's", "Ashworths."} <= set(hidden.split())


@pytest.mark.parametrize(
    ("heard", "item"),
    [
        ("Thanks, sarah.", "Sarah Ashworth"),  # case
        ("Thanks, Sarah's here.", "Sarah Ashworth"),  # possessive
        ("The Ashworths left.", "Sarah Ashworth"),  # plural
        ("Thanks, Kathryn.", "Catherine Lowe"),  # a spelling of the same sound
        ("Thanks, Meghan.", "Megan Price"),
        ("Ask Witfield.", "Sarah Whitfield"),  # a letter misheard
        ("Tom said so.", "Tom Ryder"),  # three letters, heard exactly
        ("Ring oh seven seven double oh, nine double oh one two three.", "07700 900123"),
        ("It was 900123, yes.", "07700 900123"),
    ],
)
def test_an_item_is_heard_in_any_form(heard, item):
    words = said(heard)
    assert hidden_words(words, SpeechContext(items=(item,)))


@pytest.mark.parametrize(
    ("heard", "item"),
    [
        ("Will you come?", "Will Ashworth"),  # an everyday word is not a part on its own
        ("I want more.", "Jack More"),
        ("The tin was here.", "Tom Ryder"),  # three letters need an exact match
        ("Call 999 now.", "07700 900123"),
        ("Okay, sit down.", "Sir Ashworth"),
    ],
)
def test_an_item_is_not_heard_in_other_words(heard, item):
    assert find_in_conversation(said(heard), SpeechContext(items=(item,))) == []


def test_a_name_given_in_answer_is_found_even_in_lower_case():
    words = said("Your name, sir?", "Remaker ashworth. I live here.")
    assert "ashworth." in hidden_words(words).split()


def test_what_is_found_is_listed_once_without_possessives_and_phone_as_digits():
    words = said("Your name?", "Sarah Ashworth.", "Sarah's phone number?",
                 "077, 000.", "Yes.", "9 down below, 456.")  # fmt: skip
    found = found_items(find_in_conversation(words))
    assert ("Sarah Ashworth", "name") in found
    assert [t for t, _ in found].count("Sarah") <= 1
    assert ("077000 9 456", "phone") in found


# -- numbers across segments and across a question and its answer ---------------------------


def test_a_phone_number_split_over_two_segments_is_hidden_whole():
    words = said("My number is 07700.", "900123.")
    assert texts(find_in_conversation(words), words) == ["07700. 900123."]


def test_a_phone_number_answering_the_question_is_hidden_through_an_interruption():
    words = said("And a phone number?", "077, 000.", "Yes.", "9 down below, 456.")
    heard = audible_words(words)
    assert not any(c.isdigit() for c in heard), heard
    assert "down" not in heard.split()  # a misheard "double oh" inside the number


def test_an_address_answering_where_do_you_live_is_hidden():
    words = said("Where do you live?", "Flat 2, Orchard Mews, Eastleigh.")
    heard = audible_words(words)
    assert "Orchard" not in heard and "Eastleigh." not in heard and "2," not in heard


# -- the recorded conversation, as tiny.en heard it -----------------------------------------


@pytest.mark.parametrize("start_s", [0, 8.3, 14.2, 20.5, 25, 36.5, 44.5, 50.5, 55.5])
def test_every_planted_detail_in_the_recording_is_hidden_wherever_the_span_starts(start_s):
    """Every planted detail after the span's start is covered by a bleep (within 150 ms of
    its ground-truth times), though the span may start after the question."""
    words = recorded()
    start = round(start_s * 1000)
    span = [w for w in words if w.end_ms > start]
    items = tuple(text for text, _ in found_items(find_personal_data(words)))
    context = SpeechContext(words_before(words, start), items)
    spans = bleep_spans(find_in_conversation(span, context), span)
    for planted in FACTS["planted"]:
        begin, end = planted["start"] * 1000, planted["end"] * 1000
        if begin < start:
            continue
        covered = sum(max(0, min(end, b) - max(begin, a)) for a, b in spans)
        assert covered / (end - begin) >= 0.85, (planted["kind"], planted["text"])


def test_the_recorded_conversation_gives_nothing_else_away():
    """The officer's questions themselves stay audible."""
    words = recorded()
    heard = audible_words(words).lower()
    for question in ("take your full name", "date of birth", "phone number", "how old is your"):
        assert question in heard, question


# -- bleeps run on into the pauses beside a detail -----------------------------------------


def test_a_hit_runs_on_into_the_silence_beside_it_but_not_into_other_words():
    words = [TimedWord(" father?", 0, 1000), TimedWord(" 1962,", 4000, 4000),
             TimedWord(" he", 4100, 4200)]  # fmt: skip
    hit = PersonalDataHit("date_of_birth", "1962,", 1, 1, 4000, 4000, 0.85, "x")
    (widened,) = into_pauses([hit], words)
    assert widened.start_ms == 4000 - PAUSE_BEFORE_MS and widened.end_ms == 4100
    alone = [TimedWord(" 1962", 5000, 5400)]
    (only,) = into_pauses([PersonalDataHit("d", "1962", 0, 0, 5000, 5400, 1, "x")], alone)
    assert (only.start_ms, only.end_ms) == (5000 - PAUSE_BEFORE_MS, 5400 + PAUSE_AFTER_MS)
