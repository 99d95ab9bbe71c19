import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from bwvreview.annotations import review
from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.formats import elan, elan_import
from bwvreview.annotations.store import models
from tests.unit.annotations.coded_library import annotate, open_coded


@pytest.fixture
def coded(tmp_path, db_url):
    coded = open_coded(tmp_path, db_url)  # on SQLite and on PostgreSQL
    annotate(coded, "triggering_language", 500, 2000, coded.tip_a, note="“Calm down”: an order")
    annotate(coded, "offered_choice", 21_900, 25_000, coded.tip_a, note="A real choice.")
    annotate(coded, "disclosure", 5_000, 6_500, coded.tip_a)
    annotate(coded, "gave_time", 30_000, 30_000, coded.tip_a, note="a moment")
    yield coded
    coded.db.close()


def export(coded, tmp_path, name="out/review.eaf"):
    out = tmp_path / name
    out.parent.mkdir(exist_ok=True)
    assert elan.export_eaf(coded.db, 1, out, coded.codebook_id) == 4
    return out


def tiers(root):
    return {t.get("TIER_ID"): t for t in root.iter("TIER")}


def values(tier):
    return [v.text or "" for v in tier.iter("ANNOTATION_VALUE")]


def test_export_is_eaf_3_in_the_schemas_order(coded, tmp_path):
    root = ET.parse(export(coded, tmp_path)).getroot()
    assert (root.tag, root.get("FORMAT"), root.get("VERSION")) == (
        "ANNOTATION_DOCUMENT",
        "3.0",
        "3.0",
    )
    assert root.get("AUTHOR") == "Asha TIP" and root.get("DATE")
    order = [child.tag for child in root]
    assert order[:2] == ["HEADER", "TIME_ORDER"]
    assert order[2:] == sorted(order[2:], key=["TIER", "LINGUISTIC_TYPE", "CONSTRAINT"].index)
    media = root.find("HEADER/MEDIA_DESCRIPTOR")
    assert media.get("MIME_TYPE") == "video/mp4"
    assert media.get("MEDIA_URL") == "file:///footage/incident%20one.mp4"
    assert media.get("RELATIVE_MEDIA_URL").endswith("/footage/incident one.mp4")
    assert root.find("HEADER").get("TIME_UNITS") == "milliseconds"


def test_every_reference_in_the_export_resolves(coded, tmp_path):
    root = ET.parse(export(coded, tmp_path)).getroot()
    slots = [(s.get("TIME_SLOT_ID"), int(s.get("TIME_VALUE"))) for s in root.iter("TIME_SLOT")]
    assert [ms for _id, ms in slots] == sorted({ms for _id, ms in slots})
    slot_ids = {slot for slot, _ms in slots}
    ids = [a.get("ANNOTATION_ID") for a in root.iter() if a.get("ANNOTATION_ID")]
    assert len(ids) == len(set(ids))
    for aligned in root.iter("ALIGNABLE_ANNOTATION"):
        assert {aligned.get("TIME_SLOT_REF1"), aligned.get("TIME_SLOT_REF2")} <= slot_ids
    for ref in root.iter("REF_ANNOTATION"):
        assert ref.get("ANNOTATION_REF") in ids
    types = {t.get("LINGUISTIC_TYPE_ID") for t in root.iter("LINGUISTIC_TYPE")}
    assert {t.get("LINGUISTIC_TYPE_REF") for t in root.iter("TIER")} <= types
    stereotypes = {c.get("STEREOTYPE") for c in root.iter("CONSTRAINT")}
    assert {t.get("CONSTRAINTS") for t in root.iter("LINGUISTIC_TYPE")} - {None} <= stereotypes


def test_one_tier_per_principle_plus_transcript_and_speaker(coded, tmp_path):
    found = tiers(ET.parse(export(coded, tmp_path)).getroot())
    assert list(found) == [
        "Safety",
        "Trust",
        "Choice",
        "Collaboration",
        "Empowerment",
        "Cultural considerations",
        elan.NO_PRINCIPLE_TIER,
        "Transcript",
        "Speaker",
    ]
    # triggering_language is under safety and trust: it sits on both tiers
    assert values(found["Safety"]) == [
        "triggering_language: “Calm down”: an order",
        "gave_time: a moment",
    ]
    assert values(found["Trust"]) == ["triggering_language: “Calm down”: an order"]
    assert values(found["Choice"]) == ["offered_choice: A real choice.", "gave_time: a moment"]
    assert values(found[elan.NO_PRINCIPLE_TIER]) == ["disclosure"]
    assert values(found["Transcript"]) == ["Sit down now.", "I am scared."]
    assert values(found["Speaker"]) == ["Officer (camera)", "Other speaker"]
    assert found["Speaker"].get("PARENT_REF") == "Transcript"


def test_annotation_ids_are_stable_between_exports(coded, tmp_path):
    def ids(path):
        return [
            a.get("ANNOTATION_ID")
            for a in ET.parse(path).getroot().iter()
            if a.get("ANNOTATION_ID")
        ]

    assert ids(export(coded, tmp_path, "one.eaf")) == ids(export(coded, tmp_path, "two.eaf"))


def test_round_trip_into_another_library_gives_the_same_annotations(coded, tmp_path):
    path = export(coded, tmp_path)
    other = open_coded(tmp_path / "other")
    try:
        result = elan_import.import_eaf(other.db, 1, path, codebook_id=other.codebook_id, actor="t")
        assert (result.created, result.skipped, result.author) == (4, 0, "Asha TIP")
        stored = review.list_annotations(other.db, 1)
        original = review.list_annotations(coded.db, 1)
        assert elan.moments(stored) == elan.moments(original)
        assert {a.author_id for a in stored} == {other.tip_a}  # the AUTHOR named in the file
    finally:
        other.db.close()


def test_importing_again_adds_nothing_and_author_can_be_named(coded, tmp_path):
    path = export(coded, tmp_path)
    first = elan_import.import_eaf(
        coded.db, 1, path, codebook_id=coded.codebook_id, actor="t", author="Carla New"
    )
    again = elan_import.import_eaf(
        coded.db, 1, path, codebook_id=coded.codebook_id, actor="t", author="carla new"
    )
    assert (first.created, again.created, again.skipped) == (4, 0, 4)
    assert first.author_id == again.author_id
    with coded.db.begin() as session:
        carla = session.get(models.User, first.author_id)
        assert (carla.name, carla.role) == ("Carla New", "tip")


def test_an_officer_cannot_be_named_as_the_author(coded, tmp_path):
    path = export(coded, tmp_path)
    with pytest.raises(DomainError, match="PC Officer is registered as officer, not as a TIP"):
        elan_import.import_eaf(
            coded.db, 1, path, codebook_id=coded.codebook_id, actor="t", author="PC Officer"
        )


def test_a_file_made_in_elan_reads_with_its_own_tier_names(tmp_path):
    path = tmp_path / "elan.eaf"
    path.write_text(EAF.format(slots=SLOTS, value="missed_choice: could offer a seat"))
    document = elan.read_eaf(path, known_categories={"missed_choice"})
    assert document.annotations == (
        elan.EafAnnotation("missed_choice", 1200, 3400, "could offer a seat"),
    )


EAF = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-01-01T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
  <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
  <TIME_ORDER>{slots}</TIME_ORDER>
  <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="My coding">
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
      <ANNOTATION_VALUE>{value}</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  </TIER>
  <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>
"""
SLOTS = (
    '<TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1200"/><TIME_SLOT TIME_SLOT_ID="ts2" '
    'TIME_VALUE="3400"/><TIME_SLOT TIME_SLOT_ID="ts3"/>'
)
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ANNOTATION_DOCUMENT>&lol2;</ANNOTATION_DOCUMENT>
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<ANNOTATION_DOCUMENT><TIER>", "not well-formed XML"),
        ("", "not well-formed XML"),
        (BOMB, "refused, it declares a DOCTYPE"),
        ("<html/>", "not an ELAN file"),
        (
            EAF.format(slots=SLOTS.replace("ts2", "tsX"), value="missed_choice"),
            "time slot ts2 is missing",
        ),
        (
            EAF.format(slots=SLOTS.replace('ts2" TIME_VALUE="3400"', 'ts2"'), value="note"),
            "time slot ts2 is missing or has no time",
        ),
        (EAF.format(slots=SLOTS, value="made_up: x"), "unknown category 'made_up'"),
        (EAF.format(slots=SLOTS, value=""), "no category"),
        (EAF.format(slots=SLOTS.replace("1200", "-1200"), value="note"), "negative time"),
        (EAF.format(slots=SLOTS.replace("3400", "1000"), value="note"), "ends before it starts"),
        (
            EAF.format(slots=SLOTS.replace("3400", "99000"), value="note"),
            "after the recording ends",
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(coded, tmp_path, text, message):
    path = tmp_path / "bad.eaf"
    path.write_text(text, encoding="utf-8")
    before = counts(coded.db)
    with pytest.raises(DomainError, match=message):
        elan_import.import_eaf(
            coded.db, 1, path, codebook_id=coded.codebook_id, actor="t", author="New"
        )
    assert counts(coded.db) == before


def test_a_missing_file_is_a_clear_error(coded, tmp_path):
    with pytest.raises(DomainError, match="cannot be read"):
        elan.read_eaf(tmp_path / "nowhere.eaf")


def counts(db):
    with db.begin() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (models.Annotation, models.AuditEvent, models.User)
        )


def test_officers_and_trainers_cannot_export_or_import(coded, tmp_path):
    path = export(coded, tmp_path)
    for who in (coded.officer, coded.trainer):
        with pytest.raises(PermissionDenied):
            elan.export_eaf(coded.db.as_user(who), 1, tmp_path / "x.eaf", coded.codebook_id)
        with pytest.raises(PermissionDenied):
            elan_import.import_eaf(
                coded.db.as_user(who), 1, path, codebook_id=coded.codebook_id, actor=who.name
            )
    assert not (tmp_path / "x.eaf").exists()


def test_a_tip_imports_as_themself_when_no_author_is_named(coded, tmp_path):
    path = tmp_path / "elan.eaf"
    path.write_text(EAF.format(slots=SLOTS, value="missed_choice: seat"))
    result = elan_import.import_eaf(
        coded.db.as_user(coded.tip), 1, path, codebook_id=coded.codebook_id, actor="Asha TIP"
    )
    assert (result.created, result.author_id) == (1, coded.tip_a)
