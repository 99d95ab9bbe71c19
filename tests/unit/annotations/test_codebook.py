import re
from pathlib import Path

import pytest

from bwvreview.annotations.codebook import load_codebook, parse_codebook, store_codebook
from bwvreview.annotations.errors import CodebookError
from bwvreview.bundled import resource_path

CODEBOOK_MD = Path(__file__).resolve().parents[3].parent / "shared" / "CODEBOOK.md"

ALL_KEYS = {
    "triggering_language", "shaming_language", "missed_choice", "threat_or_ultimatum",
    "no_explanation", "rushing", "dismissing_disclosure", "victim_blaming",
    "trauma_response_misread", "privacy_breach", "cultural_insensitivity", "introduced_self",
    "explained_action", "offered_choice", "checked_understanding", "validated_feelings",
    "gave_time", "safety_check", "curious_what_happened", "collaborated", "empowering",
    "signposted_support", "cultural_respect", "calm_regulated", "repair", "closure_next_steps",
    "children_overlooked", "talking_over", "disclosure", "trauma_response_observed",
    "safety_critical", "priority_welfare", "safeguarding", "note",
}  # fmt: skip

MINIMAL = """\
version: "1"
principles:
  - {key: safety, label: Safety, asks: be safe}
categories:
  - key: calm
    label: Calm
    principles: [safety]
    polarity: good_practice
    hotkey: C
"""


def test_bundled_codebook_holds_every_category_and_principle():
    book = load_codebook(resource_path("codebook.yaml"))
    assert {c.key for c in book.categories} == ALL_KEYS
    assert [p.key for p in book.principles] == [
        "safety", "trust", "choice", "collaboration", "empowerment", "cultural"
    ]  # fmt: skip
    assert book.category("missed_choice").principles == ("choice",)
    assert book.category("offered_choice").polarity == "good_practice"
    assert book.category("disclosure").polarity == "observation"
    assert all(c.hotkey for c in book.categories)
    assert all(c.definition for c in book.categories)


def test_bundled_codebook_matches_codebook_md_table():
    if not CODEBOOK_MD.exists():
        pytest.skip("shared/CODEBOOK.md is not beside this checkout")
    rows = [line for line in CODEBOOK_MD.read_text().splitlines() if line.startswith("| `")]
    documented = {row.split("`")[1] for row in rows}
    book = load_codebook(resource_path("codebook.yaml"))
    assert {c.key for c in book.categories} | {p.key for p in book.principles} == documented


def test_yaml_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "codebook.yaml"
    bad.write_text(MINIMAL.replace("polarity: good_practice", "polarity: [unclosed"))
    with pytest.raises(CodebookError, match=r"codebook\.yaml, line \d+: not valid YAML"):
        load_codebook(bad)


def test_unknown_principle_names_the_category_line(tmp_path):
    with pytest.raises(CodebookError, match=r"line 5: calm: unknown principle\(s\) kindness"):
        parse_codebook(MINIMAL.replace("[safety]", "[kindness]"), tmp_path / "c.yaml")


def test_bad_polarity_and_duplicate_hotkey_are_refused(tmp_path):
    with pytest.raises(CodebookError, match="polarity 'praise'"):
        parse_codebook(MINIMAL.replace("good_practice", "praise"), tmp_path / "c.yaml")
    twice = MINIMAL + MINIMAL.split("categories:\n")[1].replace("key: calm", "key: calm2")
    with pytest.raises(CodebookError, match=r"line 10: hotkey C is also used by calm"):
        parse_codebook(twice, tmp_path / "c.yaml")


def test_missing_file_is_a_codebook_error(tmp_path):
    with pytest.raises(CodebookError, match="file not found"):
        load_codebook(tmp_path / "absent.yaml")


def test_each_version_is_stored_once_and_edits_make_a_new_version(db, tmp_path):
    first = parse_codebook(MINIMAL, tmp_path / "c.yaml")
    edited = parse_codebook(MINIMAL.replace("label: Calm", "label: Calm presence"), tmp_path / "c")
    with db.begin() as session:
        a = store_codebook(session, first)
        b = store_codebook(session, first)
        c = store_codebook(session, edited)
    assert a == b
    assert c != a


# Words an officer must never read as a category's title: blame, judgement, the jargon of
# conduct processes (CODEBOOK.md: feedback is framed for learning, not blame).
UNSOFTENED = re.compile(
    r"\b(fail\w*|wrong|poor|bad|breach\w*|misread|insensitiv\w*|dismiss\w*|overlooked|"
    r"ultimatum|shaming|victim)\b",
    re.I,
)


def test_every_bundled_category_has_a_softened_title_for_officers():
    book = load_codebook(resource_path("codebook.yaml"))
    for category in book.categories:
        title = category.officer_title
        assert title and title != category.label, category.key
        assert len(title) <= 60 and "\n" not in title, category.key
    concerns = [c.officer_title for c in book.categories if c.polarity == "concern"]
    assert not [t for t in concerns if UNSOFTENED.search(t)]
    # concerns are worded as what it may have been like, never as a verdict
    assert book.category("threat_or_ultimatum").officer_title == (
        "Words that may have felt like a threat"
    )
    assert book.officer_titles()["offered_choice"] == "Offering a real choice"


def test_a_codebook_without_officer_titles_shows_officers_the_label(tmp_path):
    book = parse_codebook(MINIMAL, tmp_path / "c.yaml")
    assert book.category("calm").officer_title == "Calm"
    titled = MINIMAL.replace("label: Calm\n", "label: Calm\n    officer_title: Staying calm\n")
    assert parse_codebook(titled, tmp_path / "c.yaml").category("calm").officer_title == (
        "Staying calm"
    )
    too_long = titled.replace("Staying calm", "x" * 121)
    with pytest.raises(CodebookError, match="calm: officer_title is longer than 120"):
        parse_codebook(too_long, tmp_path / "c.yaml")
