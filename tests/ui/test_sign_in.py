"""The sign-in screen on a real library: real users, argon2 passwords and real widgets."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.ui import sign_in as sign_in_module
from bwvreview.ui.sign_in import LAST_USER_KEY, SignInDialog, needs_sign_in, sign_in_library

PASSWORD = "correct horse"
SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech_two_voices.mp4"


@pytest.fixture
def lib(_isolated_data):
    QSettings().remove(LAST_USER_KEY)
    library = app.open_library()
    yield library
    library.close()


@pytest.fixture
def people(lib):
    return {
        "tip": users.create_user(lib.db, "Tess Walker", "tip", password=PASSWORD),
        "officer": users.create_user(lib.db, "Sam Hughes", "officer", collar_number="4471"),
    }


def dialog_for(qtbot, lib):
    dialog = SignInDialog(users.list_users(lib.db), lambda uid, pw: users.sign_in(lib.db, uid, pw))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_dialog_lists_names_and_roles_and_asks_a_password_only_of_who_has_one(
    qtbot, lib, people
):
    dialog = dialog_for(qtbot, lib)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert texts == ["Sam Hughes (4471)\nOfficer", "Tess Walker\nTrauma Informed Practitioner"]
    dialog.choose(people["officer"].id)
    assert not dialog.password.isVisible()
    dialog.choose(people["tip"].id)
    assert dialog.password.isVisible()


def test_a_wrong_password_says_so_calmly_and_enter_signs_in(qtbot, lib, people):
    dialog = dialog_for(qtbot, lib)
    dialog.choose(people["tip"].id)
    qtbot.keyClicks(dialog.password, "not it")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.principal is None
    assert dialog.message.isVisible()
    assert dialog.message.text() == "The password is not right; please try again."
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert (dialog.principal.user_id, dialog.principal.role) == (people["tip"].id, "tip")


def test_enter_on_the_list_signs_in_a_user_without_a_password(qtbot, lib, people):
    dialog = dialog_for(qtbot, lib)
    dialog.choose(people["officer"].id)
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert dialog.principal.name == "Sam Hughes" and dialog.principal.is_officer


def test_the_last_user_is_chosen_next_time(qtbot, lib, people):
    first = dialog_for(qtbot, lib)
    assert first.selected_user().id == people["officer"].id  # first in the list
    first.choose(people["tip"].id)
    qtbot.keyClicks(first.password, PASSWORD)
    first.try_sign_in()
    again = dialog_for(qtbot, lib)
    assert again.selected_user().id == people["tip"].id
    assert again.password.isVisible()


def test_a_library_without_users_opens_straight_away_as_the_machine_owner(lib):
    assert sign_in_library(lib) is lib
    assert lib.db.principal.role == "admin"


def test_officers_recorded_by_an_import_alone_do_not_ask_anyone_to_sign_in(lib):
    app.import_media(lib, SPEECH, officer="4471")  # records "Officer 4471", no password
    (officer,) = users.list_users(lib.db)
    assert officer.role == "officer" and not officer.has_password
    assert not needs_sign_in([officer])
    assert needs_sign_in([officer], "postgresql")  # team mode: everyone signs in
    assert sign_in_library(lib) is lib


def test_a_reviewer_or_a_password_means_people_sign_in(lib, people):
    everyone = users.list_users(lib.db)
    assert needs_sign_in(everyone)


@pytest.mark.parametrize("role", ["trainer", "officer-with-password"])
def test_once_people_sign_in_the_machine_owner_is_not_offered(lib, monkeypatch, role):
    """No back door: even with no admin or TIP in the library (a trainer alone, or an officer
    given a password), the dialog offers only the stored users, and cancelling opens nothing."""
    if role == "trainer":
        users.create_user(lib.db, "Tom Trainer", "trainer")
    else:
        users.create_user(lib.db, "PC Lee", "officer", collar_number="3001", password=PASSWORD)
    offered = []

    def ask(choices, _sign_in):
        offered.extend(choices)
        return None  # the person cancels

    monkeypatch.setattr(sign_in_module, "ask_sign_in", ask)
    assert sign_in_library(lib) is None
    assert [u.role for u in offered] == [role.split("-")[0]]
