"""The name finder's libraries (presidio, spaCy: ~0.8 s to import) load only when there are
words to read: importing the export, the verifier and the personal-data modules, or reading
no words at all, leaves them out. Each check runs in a fresh interpreter, since this test
process has long imported both."""

from __future__ import annotations

from tests.fresh_imports import imported_after, top_level

NAME_FINDER = {"spacy", "presidio_analyzer"}
SPEECH_MODULES = (
    "bwvreview.app.clip_workflow",
    "bwvreview.app.clip_plan",
    "bwvreview.app.clip_speech",
    "bwvreview.media.clip_verify",
    "bwvreview.personal_data.conversation",
    "bwvreview.personal_data.finder",
    "bwvreview.personal_data.words",
    "bwvreview.personal_data.listed",
    "bwvreview.personal_data.uk_recognisers.spoken",
)
# The names these modules export stay importable without the libraries.
NAMES = """
from bwvreview.personal_data.finder import KINDS, LIST_ITEM, PersonalDataHit, TimedWord
from bwvreview.personal_data.uk_recognisers import UK_RECOGNISER_NAMES
from bwvreview.personal_data.uk_recognisers.spoken import PHONE, POSTCODE, read_number, tokens_of
"""
SAID = "from bwvreview.personal_data.finder import TimedWord\n"
SAID += "WORDS = [TimedWord(' ' + w, 300 * i, 300 * i + 250)"
SAID += " for i, w in enumerate('Sarah Whitfield ring me on 07700 900123'.split())]\n"


NO_WORDS = """
from bwvreview.personal_data.conversation import SpeechContext, find_in_conversation
from bwvreview.personal_data.finder import find_personal_data
from bwvreview.personal_data.listed import heard_items
context = SpeechContext(tuple(WORDS), ("Sarah Whitfield",), (("07700 900123", "phone"),))
assert find_in_conversation([], context) == []
assert find_personal_data([], ["Sarah Whitfield", "07700 900123"]) == []
assert heard_items([], ["Sarah Whitfield"]) == []
"""
FIRST_USE = """
from bwvreview.personal_data.finder import find_personal_data
hits = find_personal_data(WORDS, ["Sarah Whitfield"])
assert [(h.kind, h.text) for h in hits] == [
    ("list_item", "Sarah Whitfield"), ("phone", "07700 900123")], hits
"""


def test_importing_the_export_and_verifier_loads_no_name_finder():
    code = "".join(f"import {module}\n" for module in SPEECH_MODULES) + NAMES
    assert top_level(imported_after(code)) & NAME_FINDER == set()


def test_no_words_load_no_name_finder():
    assert top_level(imported_after(SAID + NO_WORDS)) & NAME_FINDER == set()


def test_words_to_read_load_the_name_finder_on_first_use():
    assert top_level(imported_after(SAID + FIRST_USE)) >= NAME_FINDER


def test_the_recognisers_package_gives_every_name_it_lists():
    from bwvreview.personal_data import uk_recognisers

    given = {name: getattr(uk_recognisers, name) for name in uk_recognisers.__all__}
    assert given["SpokenPhoneRecognizer"].__module__.endswith(".numbers")
    assert {r.name for r in uk_recognisers.uk_recognisers()} == uk_recognisers.UK_RECOGNISER_NAMES
