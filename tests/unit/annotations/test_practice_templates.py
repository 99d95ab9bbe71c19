"""The observation templates and PPN1 quality points (data beside the codebook), and the
codebook's incident types: the bundled files agree with each other, and a broken file is
refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwvreview.annotations.codebook import load_codebook, parse_codebook
from bwvreview.annotations.errors import CodebookError
from bwvreview.annotations.practice.templates import load_templates, parse_templates
from bwvreview.bundled import resource_path

CODEBOOK = load_codebook(resource_path("codebook.yaml"))
TEMPLATES = load_templates(resource_path("observation_templates.yaml"))


def test_the_incident_types_are_the_issues_list_and_each_has_a_template():
    assert [t.key for t in CODEBOOK.incident_types] == [
        "patrol_attendance", "domestic", "welfare_check", "custody_booking_in",
        "stop_and_search", "mental_health", "other"]  # fmt: skip
    assert CODEBOOK.incident_type_label("mental_health") == "Mental-health related"
    chosen = {t.key: TEMPLATES.for_incident_type(t.key).key for t in CODEBOOK.incident_types}
    assert chosen["stop_and_search"] == "stop_and_search"
    assert chosen["custody_booking_in"] == "custody_booking_in"
    assert chosen["other"] == chosen["patrol_attendance"] == "general"
    assert TEMPLATES.for_incident_type(None).key == "general"


def test_every_category_a_template_or_ppn1_point_names_is_in_the_codebook():
    keys = {c.key for c in CODEBOOK.categories}
    named = {p.category for t in TEMPLATES.templates for p in t.points if p.category}
    named |= {c for p in TEMPLATES.ppn1_points for c in p.categories}
    assert named and named <= keys, named - keys
    kinds = {t.key for t in CODEBOOK.incident_types}
    assert {k for t in TEMPLATES.templates for k in t.incident_types} <= kinds


def test_stop_and_search_asks_for_gowisely_then_trauma_informed_points():
    template = TEMPLATES.template("stop_and_search")
    assert template.groups == ("What the person must be told (GOWISELY)",
                               "Trauma-informed practice")  # fmt: skip
    custody = [p.label for p in TEMPLATES.template("custody_booking_in").points]
    assert {"Explained the process", "Asked about needs and vulnerabilities",
            "Privacy of disclosures", "Tone"} <= set(custody)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\ntemplates: []\nppn1: {points: [{key: a, label: A}]}\n",
         "'templates' must be a non-empty list"),
        ("version: 1\ntemplates:\n  - key: a\n    label: A\n    groups:\n      - label: G\n"
         "        points:\n          - {key: x, label: X}\n          - {key: x, label: Y}\n"
         "ppn1: {points: [{key: a, label: A}]}\n", "line 9: a point key 'x' is used twice"),
        ("version: 1\ntemplates: [\n", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_broken_templates_file_is_refused_with_its_line(text, message):
    with pytest.raises(CodebookError, match=message):
        parse_templates(text, Path("t.yaml"))


def test_a_codebook_with_a_bad_incident_type_is_refused_and_none_is_allowed():
    base = resource_path("codebook.yaml").read_text(encoding="utf-8").split("incident_types:")[0]
    assert parse_codebook(base, Path("c.yaml")).incident_types == ()
    twice = base + "incident_types:\n  - {key: other, label: A}\n  - {key: other, label: B}\n"
    with pytest.raises(CodebookError, match="incident type 'other' is listed twice"):
        parse_codebook(twice, Path("c.yaml"))
    with pytest.raises(CodebookError, match="must be lower_snake_case"):
        parse_codebook(base + "incident_types:\n  - {key: Bad Key, label: A}\n", Path("c.yaml"))
