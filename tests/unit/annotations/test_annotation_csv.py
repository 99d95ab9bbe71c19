import csv

import pytest

from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.formats import annotation_csv
from tests.unit.annotations.coded_library import annotate, open_coded


@pytest.fixture
def coded(tmp_path, db_url):
    coded = open_coded(tmp_path, db_url)  # on SQLite and on PostgreSQL
    annotate(
        coded,
        "triggering_language",
        61_250,
        62_000,
        coded.tip_a,
        severity=2,
        note='=HYPERLINK("http://x")',
        quote="calm down",
        suggested_wording="-take a breath",
    )
    annotate(coded, "offered_choice", 1_500, 2_000, note="Élan, “quoted”, comma")
    yield coded
    coded.db.close()


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_columns_times_and_text_survive(coded, tmp_path):
    out = tmp_path / "a.csv"
    assert annotation_csv.export_csv(coded.db, 1, out, coded.codebook_id) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel looks for
    rows = read(out)
    assert list(rows[0]) == list(annotation_csv.COLUMNS)
    first, second = rows  # time order
    assert (first["start"], first["end"], first["start_ms"]) == (
        "00:00:01.500",
        "00:00:02.000",
        "1500",
    )
    assert first["note"] == "Élan, “quoted”, comma"
    assert (first["author"], first["severity"], first["status"]) == ("", "", "draft")
    assert second["start"] == "00:01:01.250"
    assert (second["category"], second["label"]) == ("triggering_language", "Triggering language")
    assert second["principles"] == "safety;trust"
    assert (second["polarity"], second["severity"], second["author"]) == (
        "concern",
        "2",
        "Asha TIP",
    )
    assert second["recording_sha256"] == "a" * 64


def test_formula_like_cells_are_kept_as_text(coded, tmp_path):
    out = tmp_path / "a.csv"
    annotation_csv.export_csv(coded.db, 1, out, coded.codebook_id)
    second = read(out)[1]
    assert second["note"] == '\'=HYPERLINK("http://x")'
    assert second["suggested_wording"] == "'-take a breath"
    assert second["quote"] == "calm down"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_quotes_formula_starts(text):
    assert annotation_csv.safe_cell(text) == "'" + text


def test_safe_cell_leaves_ordinary_values(tmp_path):
    assert annotation_csv.safe_cell("calm 1+1") == "calm 1+1"
    assert annotation_csv.safe_cell(-5) == -5


def test_officers_and_trainers_cannot_export(coded, tmp_path):
    for who in (coded.officer, coded.trainer):
        with pytest.raises(PermissionDenied):
            annotation_csv.export_csv(
                coded.db.as_user(who), 1, tmp_path / "x.csv", coded.codebook_id
            )
    assert not (tmp_path / "x.csv").exists()
