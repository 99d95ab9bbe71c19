"""The cue lexicon as data: the bundled file is valid, and a broken one names file and line."""

import re

import pytest

from bwvreview.annotations.codebook import load_codebook
from bwvreview.annotations.cues.lexicon import load_lexicon, parse_lexicon
from bwvreview.annotations.errors import CueLexiconError
from bwvreview.bundled import resource_path

CODEBOOK = load_codebook(resource_path("codebook.yaml"))
CUES = resource_path("cues.yaml")

MINIMAL = """\
version: "t1"
categories:
  triggering_language:
    prompt: Possible triggering language.
    cues:
      - id: calm_down_order
        patterns: ["calm down"]
"""


def test_the_bundled_lexicon_covers_the_codebook_with_learning_prompts():
    lexicon = load_lexicon(CUES, CODEBOOK)
    keys = {c.key for c in CODEBOOK.categories}
    assert {c.key for c in lexicon.categories} <= keys
    concerns = [c for c in lexicon.categories if c.polarity == "concern"]
    assert len(concerns) >= 12
    for category in concerns:  # a prompt to look, never a verdict
        assert category.prompt.startswith("Possible") or "?" in category.prompt, category.key
    assert lexicon.category("missed_choice").prompt.startswith("Possible missed choice")
    assert {r.suggest for r in lexicon.rules} == {
        "missed_choice", "no_explanation", "explained_action"
    }  # fmt: skip
    assert {e.id for e in lexicon.exclusions} == {
        "police_caution",
        "stop_and_search_script",
        "radio",
    }
    assert lexicon.category("priority_welfare").priority


def test_most_concern_cues_listen_only_to_officers():
    lexicon = load_lexicon(CUES, CODEBOOK)
    concern_cues = [c for cat in lexicon.categories if cat.polarity == "concern" for c in cat.cues]
    assert concern_cues and all(c.speaker in ("officer", "wearer") for c in concern_cues)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (('patterns: ["calm down"]', 'patterns: ["calm (down"]'), "calm (down", "not closed"),
        (("triggering_language:", "no_such_category:"), "no_such_category", "not a category"),
        (("      - id: calm_down_order", "      - id: calm_down_order\n        speakr: officer"),
         "- id: calm_down_order", "unknown field"),
        (("      - id: calm_down_order", "      - id: calm_down_order\n        precision: maybe"),
         "- id: calm_down_order", "precision 'maybe'"),
        (('patterns: ["calm down"]', 'patterns: ["calm down"'), "calm down", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_broken_lexicon_names_the_file_and_the_line(tmp_path, change, needle, message):
    text = MINIMAL.replace(*change)
    path = tmp_path / "cues.yaml"
    path.write_text(text)
    with pytest.raises(CueLexiconError, match=re.escape(message)) as err:
        load_lexicon(path, CODEBOOK)
    assert str(path) in str(err.value)
    line = int(re.search(r"line (\d+)", str(err.value)).group(1))
    assert abs(line - line_of(text, needle)) <= 1


def test_a_missing_lexicon_is_a_clear_error(tmp_path):
    with pytest.raises(CueLexiconError, match="file not found"):
        load_lexicon(tmp_path / "nowhere.yaml", CODEBOOK)


def test_duplicate_cue_ids_and_rules_for_unknown_categories_are_refused(tmp_path):
    twice = (
        MINIMAL + "  shaming_language:\n    prompt: p\n    cues:\n"
        "      - id: calm_down_order\n        patterns: [junkie]\n"
    )
    with pytest.raises(CueLexiconError, match="line 11: cue calm_down_order is used in"):
        parse_lexicon(twice, tmp_path / "c.yaml", CODEBOOK)
    rule = MINIMAL + "rules:\n  - id: r\n    suggest: missed_choice\n    when: {tags: [x]}\n"
    with pytest.raises(CueLexiconError, match="line 9.*has no entry in categories"):
        parse_lexicon(rule, tmp_path / "c.yaml", CODEBOOK)
