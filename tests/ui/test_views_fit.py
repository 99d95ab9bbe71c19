"""The smaller windows and dialogs of the views fit a police laptop (1366×700 under a title
bar and taskbar) and the same screen at 125 % scaling, with the demo's people and incident:
sign-in, the content warning, the wellbeing settings, the break notice, the agreement view
and its chooser. (The feedback window, debrief, pack editor, dashboard, people and audit
windows have their own fit tests beside their other tests.)"""

from __future__ import annotations

import pytest

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.annotations.learning import agreement
from bwvreview.ui.agreement_view import AgreementView, ChooseAnnotatorsDialog
from bwvreview.ui.break_reminder import BreakNotice
from bwvreview.ui.sign_in import SignInDialog
from bwvreview.ui.wellbeing import ContentWarningDialog, WellbeingSettings, WellbeingSettingsDialog
from tests.ui.views_fit import LAPTOP, LAPTOP_125, misfits
from tests.unit.annotations.coded_library import annotate, open_coded

SIZES = pytest.mark.parametrize("size", [LAPTOP, LAPTOP_125], ids=["1366x700", "125%"])
WARNING = ("Domestic abuse: a woman describes being hurt, and a child is heard crying in "
           "another room. Distressing shouting from 0:40. ") * 3  # fmt: skip


@pytest.fixture
def demo(_isolated_data):
    lib = app.open_library()
    recording = app.import_demo(lib)
    yield lib, recording
    lib.close()


def natural_fit(widget, size) -> list[str]:  # noqa: ANN001
    """A dialog at the size it asks for, or the screen's when it asks for more."""
    widget.show()
    hint = widget.sizeHint().expandedTo(widget.minimumSize())
    return misfits(widget, min(hint.width(), size[0]), min(hint.height(), size[1]))


@SIZES
def test_the_sign_in_screen_fits(qtbot, demo, size):
    lib, _recording = demo
    for n in range(1, 30):  # a busy station: the list scrolls
        users.create_user(lib.db, f"Seed officer {n}", "officer", collar_number=f"S{n}")
    dialog = SignInDialog(users.list_users(lib.db), lambda _uid, _pw: None)
    qtbot.addWidget(dialog)
    assert natural_fit(dialog, size) == []


@SIZES
def test_the_wellbeing_dialogs_fit(qtbot, demo, size):
    _lib, recording = demo
    title = recording.incident_reference or "demo"
    for dialog in (
        ContentWarningDialog(WARNING, title),
        WellbeingSettingsDialog(WellbeingSettings(60, False)),
        BreakNotice(60),
    ):
        qtbot.addWidget(dialog)
        assert natural_fit(dialog, size) == [], type(dialog).__name__
        dialog.close()


@SIZES
def test_the_agreement_view_and_its_chooser_fit(qtbot, tmp_path, size):
    coded = open_coded(tmp_path)
    try:
        for start in range(0, 50_000, 5_000):
            annotate(coded, "missed_choice", start, start + 2_000, coded.tip_a)
            annotate(coded, "offered_choice", start, start + 2_000, coded.tip_b)
        people = agreement.annotators(coded.db, 1)
        report = agreement.compare(coded.db, 1, people[0], people[1], coded.codebook_id)
        view = AgreementView(report, "INC-1")
        qtbot.addWidget(view)
        view.show()
        assert misfits(view, *size) == []
        chooser = ChooseAnnotatorsDialog(people)
        qtbot.addWidget(chooser)
        assert natural_fit(chooser, size) == []
    finally:
        coded.db.close()
