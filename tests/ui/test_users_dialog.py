"""The admin's people window, on a real library: add, password, deactivate, link."""

import pytest

from bwvreview import app
from bwvreview.annotations.access import Principal, users
from bwvreview.cli import main
from bwvreview.ui.users_dialog import NewUserDialog, UsersDialog, natural_key
from tests.ui.views_fit import LAPTOP, LAPTOP_125, misfits


@pytest.fixture
def lib(_isolated_data):
    library = app.open_library()
    app.import_demo(library)  # the demo's TIP, trainer and officer 4471 on incident DEMO-0001
    yield library
    library.close()


def row_of(dialog, name):
    return next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == name)


def test_an_admin_adds_a_user_and_sees_them_listed(qtbot, lib):
    dialog = UsersDialog(lib.db)
    qtbot.addWidget(dialog)
    form = NewUserDialog(dialog)
    form.name.setText("PC Rowan")
    form.role.setCurrentIndex(form.role.findData("officer"))
    form.collar.setText("5150")
    form.password.setText("rowan pass 1")
    assert dialog.create_from(form)
    r = row_of(dialog, "PC Rowan")
    assert [dialog.table.item(r, c).text() for c in range(6)] == [
        "PC Rowan", "Officer", "5150", "", "set", "yes"]  # fmt: skip
    assert dialog.message.text() == "Added PC Rowan."


def test_the_window_and_the_command_line_refuse_a_first_person_who_is_not_an_admin_alike(
    qtbot, capsys, monkeypatch, _isolated_data
):
    """Both add people through ``app.admin.add_user``: the same refusal, in the same words."""
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    empty = app.open_library()  # nobody yet: the machine's owner acts
    try:
        dialog = UsersDialog(empty.db)
        qtbot.addWidget(dialog)
        form = NewUserDialog(dialog)
        form.name.setText("Tia Tip")
        form.role.setCurrentIndex(form.role.findData("tip"))
        assert not dialog.create_from(form)
        refusal = dialog.message.text().removeprefix("Not changed: ")
        assert refusal.startswith("the first person who signs in must be an admin")
        assert dialog.table.rowCount() == 0
    finally:
        empty.close()
    assert main(["users", "add", "Tia Tip", "--role", "tip"]) == 3
    assert capsys.readouterr().err.strip() == f"bwvreview: {refusal}"


def test_a_short_password_is_refused_in_words_and_nothing_changes(qtbot, lib):
    dialog = UsersDialog(lib.db)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(row_of(dialog, "Demo TIP"))
    dialog.set_password("short")
    assert dialog.message.text() == "Not changed: a password needs at least 8 characters"
    assert not users.find_user(lib.db, "Demo TIP").has_password


def test_deactivating_and_linking_an_officer(qtbot, lib):
    dialog = UsersDialog(lib.db)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(row_of(dialog, "Officer 4471"))
    assert dialog.link_button.isEnabled()
    dialog.link_to_incident("NO-SUCH-REF")
    assert "no incident with reference 'NO-SUCH-REF'" in dialog.message.text()
    dialog.link_to_incident("DEMO-0001")
    assert "can now read the shared feedback on DEMO-0001" in dialog.message.text()
    dialog.toggle_active()
    assert not users.find_user(lib.db, "4471").active
    assert dialog.active_button.text() == "Activate"


def test_a_tip_cannot_manage_people_even_with_the_window_open(qtbot, lib):
    tip = users.find_user(lib.db, "Demo TIP")
    dialog = UsersDialog(lib.db.as_user(Principal(tip.id, tip.name, tip.role)))
    qtbot.addWidget(dialog)
    # a TIP sees only their own account (admins see everyone) and cannot change even that
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["Demo TIP"]
    dialog.table.selectRow(row_of(dialog, "Demo TIP"))
    dialog.toggle_active()
    assert dialog.message.text() == (
        "Not changed: Demo TIP (trauma informed practitioner) may not manage users"
    )
    assert users.find_user(lib.db, "Demo TIP").active


def test_roles_are_shown_in_full_and_names_in_natural_order(qtbot, lib):
    for n in (10, 2, 1):
        users.create_user(lib.db, f"Seed officer {n}", "officer", collar_number=f"S{n}")
    dialog = UsersDialog(lib.db)
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    seeds = [n for n in names if n.startswith("Seed officer")]
    assert seeds == ["Seed officer 1", "Seed officer 2", "Seed officer 10"]
    assert natural_key("officer 9") < natural_key("Officer 10") < natural_key("officer 11")
    tip = dialog.table.item(row_of(dialog, "Demo TIP"), 1)
    assert tip.text() == "Trauma Informed Practitioner"
    rect = dialog.table.visualItemRect(tip)
    assert dialog.table.fontMetrics().horizontalAdvance(tip.text()) <= rect.width()


@pytest.mark.parametrize("size", [LAPTOP, LAPTOP_125], ids=["1366x700", "125%"])
def test_the_people_window_fits_a_laptop(qtbot, lib, size):
    dialog = UsersDialog(lib.db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert misfits(dialog, *size) == []
