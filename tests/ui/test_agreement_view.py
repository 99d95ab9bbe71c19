"""The side-by-side agreement view on a real library coded by two TIPs."""

import pytest
from PySide6.QtCore import Qt

from bwvreview.annotations.learning import agreement
from bwvreview.ui.agreement_view import DIFFERS, AgreementView, ChooseAnnotatorsDialog
from tests.unit.annotations.coded_library import annotate, open_coded


@pytest.fixture
def report(tmp_path):
    coded = open_coded(tmp_path)
    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_a)
    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_b)
    annotate(coded, "triggering_language", 20_000, 22_000, coded.tip_a)
    annotate(coded, "no_explanation", 30_000, 31_000, coded.tip_a)
    annotate(coded, "explained_action", 30_000, 31_000, coded.tip_b)
    people = agreement.annotators(coded.db, 1)
    yield agreement.compare(coded.db, 1, people[0], people[1], coded.codebook_id)
    coded.db.close()


@pytest.fixture
def view(qtbot, report):
    widget = AgreementView(report, "INC-1")
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cell(model, row, column, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def test_kappa_table_reads_each_principle(view):
    model = view.kappa_model
    labels = [cell(model, r, 0) for r in range(model.rowCount())]
    assert labels == [
        "Safety",
        "Trust",
        "Choice",
        "Collaboration",
        "Empowerment",
        "Cultural considerations",
        "All categories",
    ]
    assert cell(model, 2, 1) == "1.00"
    assert cell(model, 2, 4).startswith("Almost perfect agreement on Choice")
    assert cell(model, 5, 1) == "not computable"
    assert cell(model, 5, 4).startswith("Not computable: neither TIP coded anything")


def test_two_columns_with_differences_highlighted(view):
    model = view.sides_model
    assert [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(4)
    ] == ["Time", "Asha TIP", "Ben TIP", "Differs on"]
    rows = [[cell(model, r, c) for c in range(4)] for r in range(model.rowCount())]
    assert rows == [
        ["0:10.0–0:12.0", "Missed choice", "Missed choice", "—"],
        ["0:20.0–0:22.0", "Triggering language", "(nothing coded)", "Safety, Trust"],
        ["0:30.0–0:31.0", "No explanation", "Explained what and why", "Trust"],
    ]
    assert cell(model, 0, 1, Qt.ItemDataRole.BackgroundRole) is None
    assert cell(model, 1, 1, Qt.ItemDataRole.BackgroundRole).color() == DIFFERS
    view.only_differences.setChecked(True)
    assert model.rowCount() == 2


def test_clicking_a_row_asks_to_play_that_moment(qtbot, view):
    table = view.sides_table
    rect = table.visualRect(view.sides_model.index(2, 1))
    with qtbot.waitSignal(view.moment_requested) as signal:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [1, 30_000]


def test_the_chooser_offers_everyone_who_coded(qtbot, report):
    dialog = ChooseAnnotatorsDialog([report.a, report.b])
    qtbot.addWidget(dialog)
    assert [p.name for p in dialog.chosen()] == ["Asha TIP", "Ben TIP"]


@pytest.fixture
def coded(tmp_path):
    coded = open_coded(tmp_path)
    yield coded
    coded.db.close()


def test_open_asks_for_two_people_then_shows_the_view(qtbot, coded):
    from PySide6.QtWidgets import QWidget

    from bwvreview.ui.agreement_view import open_agreement

    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_a)
    told = []
    assert (
        open_agreement(
            coded.db,
            1,
            coded.codebook_id,
            inform=lambda _p, t: told.append(t),
            ask=lambda people, _p: pytest.fail("asked with one person"),
        )
        is None
    )
    assert told[0].startswith("Agreement needs annotations from two people")
    annotate(coded, "missed_choice", 10_000, 12_000, coded.tip_b)
    parent = QWidget()
    qtbot.addWidget(parent)
    offered = []

    def ask(people, _parent):
        offered.extend(p.name for p in people)
        return people[1], people[0]

    view = open_agreement(coded.db, 1, coded.codebook_id, "INC-1", parent, ask=ask)
    assert offered == ["Asha TIP", "Ben TIP"]
    assert (view.report.a.name, view.report.b.name) == ("Ben TIP", "Asha TIP")
    assert view.parent() is parent and view.isWindow() and view.isVisible()
    assert open_agreement(coded.db, 1, coded.codebook_id, ask=lambda *_: None) is None


def test_open_tells_an_officer_why_not(coded):
    from bwvreview.ui.agreement_view import open_agreement

    told = []
    assert (
        open_agreement(
            coded.db.as_user(coded.officer),
            1,
            coded.codebook_id,
            inform=lambda _p, t: told.append(t),
        )
        is None
    )
    assert told == ["PC Officer (officer) may not read footage"]


def test_the_workspace_annotate_menu_offers_the_comparison(workspace):
    window, _controller = workspace
    menus = [a.menu() for a in window.menuBar().actions() if a.menu()]
    annotate_menu = next(m for m in menus if m.title() == "&Annotate")
    assert window.agreement_action in annotate_menu.actions()
