"""export-annotations, import-annotations, agreement and audit as scripts use them."""

import csv
import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest

from bwvreview.cli import main

EAF = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-01-01T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
  <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
  <TIME_ORDER>{slots}</TIME_ORDER>
  <TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="coding">{annotations}</TIER>
  <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>
"""


def eaf(path, *moments):
    """Write an EAF with (value, start_ms, end_ms) moments, as ELAN would."""
    slots, annotations = [], []
    for n, (value, start, end) in enumerate(moments, start=1):
        slots.append(
            f'<TIME_SLOT TIME_SLOT_ID="s{n}a" TIME_VALUE="{start}"/>'
            f'<TIME_SLOT TIME_SLOT_ID="s{n}b" TIME_VALUE="{end}"/>'
        )
        annotations.append(
            f'<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a{n}" TIME_SLOT_REF1="s{n}a" '
            f'TIME_SLOT_REF2="s{n}b"><ANNOTATION_VALUE>{value}</ANNOTATION_VALUE>'
            "</ALIGNABLE_ANNOTATION></ANNOTATION>"
        )
    path.write_text(EAF.format(slots="".join(slots), annotations="".join(annotations)))
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def counts(data_dir):
    con = sqlite3.connect(data_dir / "bwvreview.sqlite3")
    names = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    found = {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}
    con.close()
    return found


@pytest.fixture
def coded(capsys, clip_path, tmp_path, monkeypatch):
    """The 2 s clip, coded by two TIPs from their own ELAN files, imported by an admin (the
    authors become TIPs who sign in, and the first such person must be an admin)."""
    assert run(capsys, "users", "add", "Ada Admin", "--role", "admin")[0] == 0
    monkeypatch.setenv("BWVREVIEW_USER", "Ada Admin")
    code, out, err = run(capsys, "import", clip_path, "--json")
    assert code == 0, err
    recording = json.loads(out)["id"]
    asha = eaf(
        tmp_path / "asha.eaf",
        ("missed_choice: could offer a seat", 0, 1000),
        ("safety_check", 1000, 2000),
    )
    ben = eaf(
        tmp_path / "ben.eaf", ("missed_choice: seat", 0, 1000), ("calm_regulated", 1000, 2000)
    )
    for path, name in ((asha, "Asha"), (ben, "Ben")):
        code, out, err = run(
            capsys, "import-annotations", recording, path, "--author", name, "--json"
        )
        assert code == 0, err
        assert json.loads(out)["created"] == 2
    return recording


def test_import_reports_and_is_idempotent(capsys, coded, tmp_path):
    code, out, _ = run(
        capsys, "import-annotations", coded, tmp_path / "asha.eaf", "--author", "Asha", "--json"
    )
    data = json.loads(out)
    assert (code, data["created"], data["skipped"], data["author"]) == (0, 0, 2, "Asha")


def test_agreement_json_and_text(capsys, coded):
    code, out, err = run(capsys, "agreement", coded, "--between", "Asha", "--and", "ben", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["a"]["name"], data["b"]["name"], data["units"]) == ("Asha", "Ben", 2)
    by_key = {p["principle"]: p for p in data["principles"]}
    # choice: both coded second 0 as a concern, neither second 1 -> perfect agreement
    assert by_key["choice"]["kappa"] == 1.0
    assert by_key["choice"]["band"] == "almost perfect"
    # safety: A concern? no: A safety_check (good practice) on 1 s, B calm_regulated (good
    # practice) on 1 s; both "none" on 0 s -> agree on both seconds
    assert by_key["safety"]["kappa"] == 1.0
    assert by_key["cultural"]["kappa"] is None
    assert by_key["cultural"]["reading"].startswith("Not computable")
    assert data["differences"] == [
        {"start": 1.0, "end": 2.0, "a": ["safety_check"], "b": ["calm_regulated"], "principles": []}
    ]
    code, out, _ = run(capsys, "agreement", coded, "--between", "Asha", "--and", "Ben")
    assert code == 0
    assert "Almost perfect agreement on Choice" in out
    assert "Asha: Checked safety and wellbeing  |  Ben: Calm, regulated presence" in out


def test_agreement_with_someone_who_coded_nothing_is_bad_input(capsys, coded):
    code, out, err = run(capsys, "agreement", coded, "--between", "Asha", "--and", "Zed")
    assert (code, out) == (3, "")
    assert err.count("\n") == 1 and "'Zed' has no annotations" in err


def test_export_eaf_round_trips_through_import(capsys, coded, tmp_path):
    out_file = tmp_path / "export" / "coded.eaf"
    out_file.parent.mkdir()
    code, out, err = run(capsys, "export-annotations", coded, "--format", "eaf", "--out", out_file)
    assert (code, out.strip()) == (0, f"wrote {out_file}: 4 annotations (eaf)"), err
    root = ET.parse(out_file).getroot()
    assert root.find("HEADER/MEDIA_DESCRIPTOR").get("RELATIVE_MEDIA_URL").endswith("clip.mp4")
    code, out, err = run(
        capsys, "import-annotations", coded, out_file, "--author", "Copy", "--json"
    )
    assert json.loads(out)["created"] == 4, err  # Asha's two and Ben's two, under "Copy"


def test_export_csv_infers_the_format(capsys, coded, tmp_path):
    out_file = tmp_path / "coded.csv"
    code, _, err = run(capsys, "export-annotations", coded, "--out", out_file)
    assert code == 0, err
    with out_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["author"], r["category"]) for r in rows) == [
        ("Asha", "missed_choice"),
        ("Asha", "safety_check"),
        ("Ben", "calm_regulated"),
        ("Ben", "missed_choice"),
    ]
    code, _, err = run(capsys, "export-annotations", coded, "--out", tmp_path / "coded.txt")
    assert code == 3 and "say --format eaf or --format csv" in err


@pytest.mark.parametrize("target_is_path", [False, True])
def test_bad_xml_is_refused_and_the_database_is_unchanged(
    capsys, coded, tmp_path, _isolated_data, target_is_path, media_dir
):
    from tests.mediafactory import make_clip

    bad = tmp_path / "bad.eaf"
    bad.write_text("<ANNOTATION_DOCUMENT><TIER>")
    target = make_clip(media_dir / "unseen.mp4", seconds=1) if target_is_path else coded
    before = counts(_isolated_data)
    code, out, err = run(capsys, "import-annotations", target, bad)
    assert (code, out) == (3, "")
    assert err.count("\n") == 1 and "not well-formed XML" in err and "Traceback" not in err
    after = counts(_isolated_data)
    assert after.pop("audit_events") == before.pop("audit_events") + 1  # only the sign-in
    assert after == before
    con = sqlite3.connect(_isolated_data / "bwvreview.sqlite3")
    last = con.execute("select action from audit_events order by seq desc limit 1").fetchone()
    con.close()
    assert last == ("sign-in",)


def test_audit_lists_and_verifies_then_reports_tampering(capsys, coded, _isolated_data):
    code, out, _ = run(capsys, "audit", "--json", "--action", "import-annotations")
    data = json.loads(out)
    assert code == 0 and data["total"] == 2
    assert {e["details"]["created"] for e in data["events"]} == {2}
    code, out, _ = run(capsys, "audit", "--verify")
    assert code == 0 and out.startswith("Chain intact")
    con = sqlite3.connect(_isolated_data / "bwvreview.sqlite3")
    with con:
        con.execute("UPDATE audit_events SET details = '{\"created\": 0}' WHERE id = 2")
    con.close()
    code, out, _ = run(capsys, "audit", "--verify", "--json")
    report = json.loads(out)
    assert (code, report["ok"], report["broken_event"]["id"]) == (4, False, 2)
    assert "changed after it was written" in report["reason"]


def test_a_tip_sends_their_own_coding_and_it_comes_back_as_theirs(capsys, coded, tmp_path):
    out_file = tmp_path / "asha-only.eaf"
    code, out, err = run(capsys, "export-annotations", coded, "--out", out_file, "--author", "asha")
    assert (code, out.strip()) == (0, f"wrote {out_file}: 2 annotations (eaf)"), err
    root = ET.parse(out_file).getroot()
    assert root.get("AUTHOR") == "Asha"
    assert {t.get("ANNOTATOR") for t in root.iter("TIER") if t.get("TIER_ID") == "Choice"} == {
        "Asha"
    }
    # no --author: the file's AUTHOR says whose they are, and Asha has them already
    code, out, _ = run(capsys, "import-annotations", coded, out_file, "--json")
    assert (json.loads(out)["author"], json.loads(out)["skipped"]) == ("Asha", 2)
    code, _, err = run(capsys, "export-annotations", coded, "--out", out_file, "--author", "Zed")
    assert code == 3 and "'Zed' has no annotations on recording" in err


def test_audit_filters_by_day(capsys, coded):
    code, out, _ = run(capsys, "audit", "--json", "--since", "2999-01-01")
    assert (code, json.loads(out)["total"]) == (0, 0)
    code, out, _ = run(capsys, "audit", "--json", "--until", "2999-01-01", "--limit", "1")
    data = json.loads(out)
    assert data["total"] > 1 and len(data["events"]) == 1
    code, _, err = run(capsys, "audit", "--since", "last week")
    assert code == 3 and "'last week' is not a date" in err
