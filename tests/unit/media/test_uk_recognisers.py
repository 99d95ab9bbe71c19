"""The UK recognisers on their own: spoken and typed forms found, ordinary speech left alone."""

from __future__ import annotations

import pytest

from bwvreview.personal_data.uk_recognisers import (
    AddressRecognizer,
    CollarNumberRecognizer,
    DateOfBirthRecognizer,
    OfflineEmailRecognizer,
    SpokenEmailRecognizer,
    SpokenPhoneRecognizer,
    SpokenPostcodeRecognizer,
    SpokenVehicleRegistrationRecognizer,
    TitledNameRecognizer,
    birth_cue_near,
    read_number,
    tokens_of,
    uk_recognisers,
)


def _found(recogniser, text: str) -> list[str]:
    return [text[start:end] for start, end, _ in recogniser.find(text)]


def _score(recogniser, text: str) -> float:
    (_, _, score), *_ = recogniser.find(text)
    return score


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("07700", "07700"),
        ("oh", "0"),
        ("double oh", "00"),
        ("triple seven", "777"),
        ("nine hundred", "900"),
        ("fourteen", "14"),
        ("twenty three", "23"),
        ("forty", "40"),
    ],
)
def test_read_number_reads_digits_and_number_words(spoken, digits):
    tokens = tokens_of(spoken)
    assert read_number(tokens, 0, spoken) == (digits, len(tokens))


def test_read_number_refuses_ordinary_words():
    assert read_number(tokens_of("road"), 0, "road") is None


def test_contractions_are_one_token_so_im_is_not_the_letter_i():
    assert [t.text for t in tokens_of("I'm at SO14")] == ["I'm", "at", "SO14"]


PHONE = SpokenPhoneRecognizer("phone")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("You can ring me on 07700 900123.", "07700 900123"),
        ("ring me on 0-7-7-0-0-9-0-0-1-2-3.", "0-7-7-0-0-9-0-0-1-2-3"),
        ("it's 0 7 7 0 0 9 0 0 1 2 3", "0 7 7 0 0 9 0 0 1 2 3"),
        (
            "it's oh seven seven double oh nine hundred one two three",
            "oh seven seven double oh nine hundred one two three",
        ),
        ("landline 023 8012 3456 thanks", "023 8012 3456"),
        ("call +44 7700 900123 now", "+44 7700 900123"),
        ("plus four four seven seven double oh, nine hundred, one two three", None),
        ("I'm 34, 07700 900123", "07700 900123"),
    ],
)
def test_phone_numbers_as_spoken_are_found(text, number):
    found = _found(PHONE, text)
    assert found == [number] if number else len(found) == 1 and found[0].startswith("plus")


@pytest.mark.parametrize(
    "text",
    [
        "I've got 2 kids, 4 and 6, and it was 10 past 9.",
        "Call 999 or 101.",
        "one two three four five",
        "reference 12345678901",  # 11 digits, but not a UK number (no leading 0)
        "07700 9001",  # too short
    ],
)
def test_other_numbers_are_not_phone_numbers(text):
    assert _found(PHONE, text) == []


def test_a_mobile_scores_over_the_default_threshold_without_context():
    assert _score(PHONE, "07700 900123") >= 0.6


POSTCODE = SpokenPostcodeRecognizer("postcode")


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("postcode SO14 7DU", "SO14 7DU"),
        ("it's S O 14 7 D U", "S O 14 7 D U"),
        ("S.O. 14, 7DU please", "S.O. 14, 7DU"),
        ("it's so one four seven d u", None),  # lower-case "so" is a word, not letters
        ("Sierra Oscar one four seven Delta Uniform", "Sierra Oscar one four seven Delta Uniform"),
        ("London EC1A 1BB", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
    ],
)
def test_postcodes_typed_or_spelled_out_are_found(text, postcode):
    assert _found(POSTCODE, text) == ([postcode] if postcode else [])


@pytest.mark.parametrize(
    "text",
    ["I'll be there at 4 5am", "We went to 14 7 Days", "I saw a 1 2 go by", "OK 2 me"],
)
def test_ordinary_speech_is_not_a_postcode(text):
    assert _found(POSTCODE, text) == []


REG = SpokenVehicleRegistrationRecognizer("vehicle_registration")


@pytest.mark.parametrize(
    ("text", "plate", "score"),
    [
        ("the reg is AB12 CDE", "AB12 CDE", 0.5),
        ("the car was A B one two C D E", "A B one two C D E", 0.5),
        (
            "index Alpha Bravo one two Charlie Delta Echo",
            "Alpha Bravo one two Charlie Delta Echo",
            0.5,
        ),
        ("an old A123 BCD", "A123 BCD", 0.3),
        ("a classic ABC 123D", "ABC 123D", 0.3),
    ],
)
def test_vehicle_registrations_in_all_three_formats_are_found(text, plate, score):
    assert _found(REG, text) == [plate]
    assert _score(REG, text) == score


@pytest.mark.parametrize("text", ["AB00 CDE", "the car was blue", "I saw 12 cars"])
def test_impossible_or_ordinary_plates_are_not_found(text):
    assert _found(REG, text) == []  # 00 is not an age identifier


ADDRESS = AddressRecognizer("address")


@pytest.mark.parametrize(
    ("text", "address", "score"),
    [
        ("I live at 14 Maple Road in Southampton", "14 Maple Road", 0.6),
        ("It's flat 3, 22 Harbour Court.", "flat 3, 22 Harbour Court", 0.6),
        ("She's at number 7 Church Street", "number 7 Church Street", 0.6),
        ("I live at fourteen maple road", "fourteen maple road", 0.3),
        ("I live on Maple Road", "Maple Road", 0.4),
        ("flat 3 Nelson House", "flat 3 Nelson House", 0.6),
        ("14a Old Mill Lane", "14a Old Mill Lane", 0.6),
    ],
)
def test_street_addresses_are_found(text, address, score):
    assert _found(ADDRESS, text) == [address]
    assert _score(ADDRESS, text) == score


@pytest.mark.parametrize(
    "text",
    [
        "I waited 5 minutes down the road",
        "it's just up the road",
        "the main road was closed",
        "there were 3 of them in the park",
    ],
)
def test_ordinary_speech_about_roads_is_not_an_address(text):
    assert _found(ADDRESS, text) == []


DOB = DateOfBirthRecognizer("date_of_birth")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("I was born on the 3rd of May 1987.", "the 3rd of May 1987"),
        ("date of birth 03/05/1987", "03/05/1987"),
        ("DOB 3.5.87", "3.5.87"),
        (
            "D.O.B. is the third of May nineteen eighty seven",
            "the third of May nineteen eighty seven",
        ),
        ("my birthday's May the twenty-first, two thousand and five", None),
        ("born in 1987, in Leeds", "1987"),
        ("born May 1987", "May 1987"),
    ],
)
def test_dates_of_birth_are_found(text, date):
    found = _found(DOB, text)
    assert found == [date] if date else len(found) == 1 and found[0].startswith("May the")


@pytest.mark.parametrize(
    "text",
    [
        "I'll call you tomorrow.",
        "It happened on the 3rd of May 1987.",
        "Court is on 03/05/2026.",
        "May I come in? 5 minutes.",
    ],
)
def test_dates_without_a_birth_cue_are_not_dates_of_birth(text):
    assert _found(DOB, text) == []


def test_birth_cue_looks_a_few_words_either_side():
    text = "Her date of birth, she said, is the 3rd of May."
    start = text.index("the 3rd")
    assert birth_cue_near(text, start, len(text) - 1)
    assert not birth_cue_near("Tomorrow is fine.", 0, 8)


TITLED = TitledNameRecognizer("titled_name")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is PC Hughes. I'm a police officer.", "PC Hughes"),
        ("My name is D.C. Hughes.", "D.C. Hughes"),
        ("This is Sergeant Patel speaking", "Sergeant Patel"),
        ("Mrs Sarah Whitfield lives here", "Mrs Sarah Whitfield"),
        ("Ask Dr O'Brien", "Dr O'Brien"),
        ("PC McDonald and Mrs Smith-Jones", "PC McDonald"),
    ],
)
def test_names_after_a_title_are_found(text, name):
    assert _found(TITLED, text)[0] == name


@pytest.mark.parametrize(
    "text", ["I miss Sarah", "I'm a police officer. I'm here", "Officer The", "the pc was broken"]
)
def test_titles_without_a_capitalised_name_are_not_names(text):
    assert _found(TITLED, text) == []


COLLAR = CollarNumberRecognizer("collar_number")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("This is PC 4471 from Southampton", "PC 4471"),
        ("my collar number is 4 4 7 1", "collar number is 4 4 7 1"),
        ("Sergeant 212 attending", "Sergeant 212"),
    ],
)
def test_collar_numbers_are_found(text, number):
    assert _found(COLLAR, text) == [number]


def test_a_spoken_email_address_is_found():
    text = "it's sarah dot whitfield at gmail dot com, or at work"
    assert _found(SpokenEmailRecognizer("spoken_email"), text) == [
        "sarah dot whitfield at gmail dot com"
    ]
    assert _found(SpokenEmailRecognizer("spoken_email"), "look at that dot") == []


def test_the_offline_email_recogniser_still_validates_domains():
    recogniser = OfflineEmailRecognizer()
    text = "mail sarah.whitfield@example.co.uk or foo@bar"
    found = recogniser.analyze(text, ["EMAIL_ADDRESS"])
    assert [text[r.start : r.end] for r in found] == ["sarah.whitfield@example.co.uk"]


def test_each_recogniser_reports_one_entity_under_a_unique_name():
    recognisers = uk_recognisers()
    assert len({r.name for r in recognisers}) == len(recognisers)
    assert all(len(r.supported_entities) == 1 for r in recognisers)


def test_a_recogniser_asked_for_other_entities_finds_nothing():
    assert PHONE.analyze("07700 900123", ["PERSON"]) == []
