import datetime as dt

import pytest

from bwvreview.annotations import review
from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning import agreement
from bwvreview.annotations.learning.agreement import cohen_kappa, landis_koch
from tests.unit.annotations.coded_library import annotate, open_coded


def pairs(table):
    """Rater labels from a contingency table {(a, b): count}."""
    a, b = [], []
    for (label_a, label_b), count in table.items():
        a += [label_a] * count
        b += [label_b] * count
    return a, b


def test_textbook_two_by_two_gives_kappa_0_4():
    # 50 grant proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15
    # po = 35/50 = 0.7; pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4
    result = cohen_kappa(*pairs({("y", "y"): 20, ("y", "n"): 5, ("n", "y"): 10, ("n", "n"): 15}))
    assert result.kappa == pytest.approx(0.4)
    assert (result.observed, result.expected, result.units) == (
        pytest.approx(0.7),
        pytest.approx(0.5),
        50,
    )
    assert result.band == "fair"


@pytest.mark.parametrize(
    ("table", "kappa"),
    [
        # same 60% agreement, different marginals (hand computed):
        # pe = .6*.7 + .4*.3 = .54 -> (.6 - .54) / .46 = 0.130435
        ({("y", "y"): 45, ("y", "n"): 15, ("n", "y"): 25, ("n", "n"): 15}, 0.130435),
        # pe = .6*.3 + .4*.7 = .46 -> (.6 - .46) / .54 = 0.259259
        ({("y", "y"): 25, ("y", "n"): 35, ("n", "y"): 5, ("n", "n"): 35}, 0.259259),
        # three categories, n = 30: po = 23/30; pe = (12*11 + 12*11 + 6*8) / 900 = 312/900
        # kappa = (690 - 312) / (900 - 312) = 378 / 588
        (
            {
                ("a", "a"): 10,
                ("a", "b"): 2,
                ("b", "a"): 1,
                ("b", "b"): 8,
                ("b", "c"): 3,
                ("c", "b"): 1,
                ("c", "c"): 5,
            },
            378 / 588,
        ),
        # perfect agreement with variation
        ({("y", "y"): 3, ("n", "n"): 7}, 1.0),
        # systematic disagreement: po = 0, pe = .5 -> -1
        ({("y", "n"): 5, ("n", "y"): 5}, -1.0),
    ],
)
def test_kappa_matches_hand_computed_values(table, kappa):
    assert cohen_kappa(*pairs(table)).kappa == pytest.approx(kappa, abs=1e-6)


def test_no_variation_is_not_computable_rather_than_nan():
    result = cohen_kappa(["none"] * 10, ["none"] * 10)
    assert (result.kappa, result.observed, result.band) == (None, 1.0, "not computable")
    assert cohen_kappa([], []).kappa is None


def test_one_rater_without_variation_is_chance_level():
    result = cohen_kappa(["n"] * 10, ["n"] * 8 + ["y"] * 2)
    assert result.kappa == pytest.approx(0.0)
    assert result.band == "slight"


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.05, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.41, "moderate"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_landis_and_koch_bands(kappa, band):
    assert landis_koch(kappa) == band


@pytest.fixture
def coded(tmp_path, db_url):
    coded = open_coded(tmp_path, db_url)  # on SQLite and on PostgreSQL
    yield coded
    coded.db.close()


def report(coded, a="Asha TIP", b="Ben TIP"):
    first = agreement.find_annotator(coded.db, 1, a)
    second = agreement.find_annotator(coded.db, 1, b)
    return agreement.compare(coded.db, 1, first, second, coded.codebook_id)


def row(result, key):
    return next(p for p in result.comparison.principles if p.key == key)


def test_two_tips_on_a_recording(coded):
    # both: a missed choice 10-12 s (B starts 400 ms later; the bins still match)
    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_a)
    annotate(coded, "missed_choice", 10_400, 12_000, coded.tip_b)
    # only A: triggering language 20-22 s (safety + trust)
    annotate(coded, "triggering_language", 20_000, 22_000, coded.tip_a, note="order")
    # A heard a concern where B saw good practice (both under trust): 30-31 s
    annotate(coded, "no_explanation", 30_000, 31_000, coded.tip_a)
    annotate(coded, "explained_action", 30_000, 31_000, coded.tip_b)
    result = report(coded)
    comparison = result.comparison
    assert comparison.units == 60 and comparison.bin_ms == 1000
    choice = row(result, "choice")
    assert choice.result.kappa == pytest.approx(1.0) and choice.result.band == "almost perfect"
    # trust: 60 bins; A concern on 20, 21, 30; B good practice on 30
    # po = 57/60; pe = (57*59 + 0*... ) / 3600: A none 57 / B none 59 -> 57*59/3600
    trust = row(result, "trust")
    expected_pe = 57 * 59 / 3600
    assert trust.result.expected == pytest.approx(expected_pe)
    assert trust.result.kappa == pytest.approx((57 / 60 - expected_pe) / (1 - expected_pe))
    assert (trust.seconds_a, trust.seconds_b) == (3, 1)
    cultural = row(result, "cultural")
    assert cultural.result.kappa is None
    assert (
        cultural.reading == "Not computable: neither TIP coded anything under Cultural "
        "considerations."
    )
    assert "chance alone would give" in choice.reading
    assert choice.reading.startswith("Almost perfect agreement on Choice: 100% of seconds")
    differences = [(d.start_ms, d.end_ms, d.a, d.b, d.principles) for d in comparison.differences]
    assert differences == [
        (20_000, 22_000, ("triggering_language",), (), ("safety", "trust")),
        (30_000, 31_000, ("no_explanation",), ("explained_action",), ("trust",)),
    ]
    assert [s.start_ms for s in comparison.spans] == [10_000, 20_000, 30_000]
    assert result.category_labels["no_explanation"] == "No explanation"


def test_unknown_or_same_annotator_is_refused(coded):
    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_a)
    with pytest.raises(DomainError, match="'Nobody' has no annotations on recording 1"):
        agreement.find_annotator(coded.db, 1, "Nobody")
    with pytest.raises(DomainError, match="two different people"):
        report(coded, "Asha TIP", str(coded.tip_a))


def test_officers_and_trainers_cannot_compare(coded):
    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_a)
    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_b)
    a, b = (agreement.find_annotator(coded.db, 1, n) for n in ("Asha TIP", "Ben TIP"))
    for who in (coded.officer, coded.trainer):
        db = coded.db.as_user(who)
        with pytest.raises(PermissionDenied):
            agreement.annotators(db, 1)
        with pytest.raises(PermissionDenied):
            agreement.compare(db, 1, a, b, coded.codebook_id)


def point(ms, key="offered_choice"):
    now = dt.datetime(2026, 1, 1)
    return review.Annotation(
        1,
        1,
        ms,
        ms,
        key,
        key,
        "good_practice",
        ("choice",),
        "1",
        "",
        None,
        "",
        None,
        None,
        "",
        "draft",
        "human",
        None,
        1,
        now,
        now,
    )


def test_point_annotations_cover_their_second():
    comparison = agreement.compare_annotations(
        [point(2500)], [point(2999)], 5000, [("choice", "Choice")]
    )
    assert row_kappa(comparison, "choice") == pytest.approx(1.0)


def row_kappa(comparison, key):
    return next(p for p in comparison.principles if p.key == key).result.kappa


def test_readings_at_and_below_chance_say_so():
    at_chance = cohen_kappa(["n"] * 10, ["n"] * 8 + ["y"] * 2)
    assert agreement.reading("Trust", at_chance, 0, 2).startswith(
        "Slight: Trust coding agrees no better than chance would (80% of seconds labelled alike;"
    )
    below = cohen_kappa(["y", "n"] * 5, ["n", "y"] * 5)
    assert agreement.reading("Trust", below, 5, 5).startswith("Poor: Trust coding agrees no")
