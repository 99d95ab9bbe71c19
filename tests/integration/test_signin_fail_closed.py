"""Sign-in fails closed: what an attacker at the keyboard tried (issue 15), on both engines.

Once a library has people who sign in, a command with no user, a misspelt one, an injected
string or a wrong password does nothing and exits 3 with one line saying how to sign in.
"""

import io
import json

import pytest

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.app import demo, signin
from bwvreview.app.demo import DEMO_TIP
from bwvreview.cli import main

ADMIN_PW, TIP_PW, OFFICER_PW, TRAINER_PW = (
    "admin pw 123",
    "tip pw 1234",
    "officer pw 1",
    "trainer pw",
)
HOW = "bwvreview: this library has users: set BWVREVIEW_USER to your name or collar number"


def run(capsys, monkeypatch, db_url, *argv, stdin=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def as_user(monkeypatch, name, password):
    monkeypatch.setenv("BWVREVIEW_USER", name)
    monkeypatch.setenv("BWVREVIEW_PASSWORD", password)


@pytest.fixture
def people(capsys, monkeypatch, db_url):
    """An admin (made on the empty library, as its owner), a TIP, a trainer and an officer."""
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    monkeypatch.delenv("BWVREVIEW_PASSWORD", raising=False)
    made = [("Ada Admin", "admin", None, ADMIN_PW)]
    code, _, err = run(capsys, monkeypatch, db_url, "users", "add", "Ada Admin", "--role", "admin",
                       "--password-stdin", stdin=ADMIN_PW + "\n")  # fmt: skip
    assert code == 0, err
    as_user(monkeypatch, "Ada Admin", ADMIN_PW)
    for name, role, collar, pw in (("Tia Tip", "tip", None, TIP_PW),
                                   ("Tom Trainer", "trainer", None, TRAINER_PW),
                                   ("Officer 4471", "officer", "4471", OFFICER_PW)):  # fmt: skip
        extra = ["--collar", collar] if collar else []
        code, _, err = run(capsys, monkeypatch, db_url, "users", "add", name, "--role", role,
                           *extra, "--password-stdin", stdin=pw + "\n")  # fmt: skip
        assert code == 0, err
        made.append((name, role, collar, pw))
    monkeypatch.delenv("BWVREVIEW_USER")
    monkeypatch.delenv("BWVREVIEW_PASSWORD")
    return made


def names_in(db_url):
    lib = app.open_library(db_url=db_url)
    try:
        return {u.name for u in users.list_users(lib.db, include_inactive=True)}
    finally:
        lib.close()


def audit_count(db_url):
    lib = app.open_library(db_url=db_url)
    try:
        return audit_log.list_events(lib.db).total
    finally:
        lib.close()


@pytest.mark.parametrize(
    "who",
    [None, "Officer 4472", "' OR '1'='1", "Ada Admin'--", "%", "*"],
    ids=["nobody", "misspelt", "sql-injection", "sql-comment", "like-wildcard", "glob"],
)
def test_without_a_real_user_nothing_runs(capsys, monkeypatch, db_url, people, who):
    if who is not None:
        monkeypatch.setenv("BWVREVIEW_USER", who)
    before = audit_count(db_url)
    code, out, err = run(capsys, monkeypatch, db_url, "users", "add", "Mallory", "--role", "admin")
    assert code == 3 and out == ""
    assert len(err.strip().splitlines()) == 1 and HOW.removeprefix("bwvreview: ") in err
    code, out, err = run(capsys, monkeypatch, db_url, "audit", "--json")
    assert code == 3 and out == "" and HOW.removeprefix("bwvreview: ") in err
    assert "Mallory" not in names_in(db_url)
    assert audit_count(db_url) == before  # not even a sign-in was recorded


def test_no_user_at_all_gets_the_how_to_line(capsys, monkeypatch, db_url, people):
    code, out, err = run(capsys, monkeypatch, db_url, "list")
    assert (code, out) == (3, "")
    assert err.startswith(HOW) and len(err.strip().splitlines()) == 1


def test_a_wrong_or_missing_password_does_nothing(capsys, monkeypatch, db_url, people):
    for password in ("wrong one", ""):
        as_user(monkeypatch, "Ada Admin", password)
        code, out, err = run(capsys, monkeypatch, db_url, "users", "add", "Mallory",
                             "--role", "admin")  # fmt: skip
        assert code == 3 and out == "" and "password is not right" in err
    assert "Mallory" not in names_in(db_url)


def test_signing_in_by_name_ignores_case_and_spacing_and_by_collar(capsys, monkeypatch, db_url,
                                                                   people):  # fmt: skip
    as_user(monkeypatch, "  tia   TIP ", TIP_PW)
    assert run(capsys, monkeypatch, db_url, "list", "--json")[0] == 0
    as_user(monkeypatch, "4471", OFFICER_PW)
    assert run(capsys, monkeypatch, db_url, "list", "--json")[0] == 0


def test_a_deactivated_user_cannot_sign_in(capsys, monkeypatch, db_url, people):
    as_user(monkeypatch, "Ada Admin", ADMIN_PW)
    assert run(capsys, monkeypatch, db_url, "users", "deactivate", "Tia Tip")[0] == 0
    as_user(monkeypatch, "Tia Tip", TIP_PW)
    code, _, err = run(capsys, monkeypatch, db_url, "list")
    assert code == 3 and "cannot sign in" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Tia Tip", "--role", "tip"], "already a user called 'Tia Tip'"),
        (["tia  TIP", "--role", "admin"], "already a user called 'tia TIP'"),
        (["\tTIA tip\u00a0", "--role", "trainer"], "already a user called 'TIA tip'"),
        (["5002", "--role", "admin"], "may not be only digits"),
        (["4471", "--role", "admin"], "may not be only digits"),
        (["PC No Collar", "--role", "officer"], "an officer needs a collar number"),
        (["x" * 10_000, "--role", "tip"], "at most 80 characters"),
        (["PC Dup", "--role", "officer", "--collar", "4471"], "collar number 4471 is already"),
        (["PC Bad", "--role", "officer", "--collar", "44 71"], "letters and digits"),
        (["PC Long", "--role", "officer", "--collar", "1" * 13], "letters and digits"),
        (["PC Words", "--role", "officer", "--collar", "tiatip"], "at least one digit"),
        (["   ", "--role", "tip"], "a user needs a name"),
    ],
    ids=[
        "same",
        "case-and-spacing",
        "tab-and-nbsp",
        "digits",
        "a-collar",
        "no-collar",
        "10000-chars",
        "collar-taken",
        "collar-space",
        "collar-long",
        "collar-no-digit",
        "blank",
    ],  # fmt: skip
)
def test_names_and_collars_that_would_confuse_sign_in_are_refused(
    capsys, monkeypatch, db_url, people, argv, message
):
    as_user(monkeypatch, "Ada Admin", ADMIN_PW)
    before = names_in(db_url)
    code, out, err = run(capsys, monkeypatch, db_url, "users", "add", *argv, "--password-stdin",
                         stdin="long enough pw\n")  # fmt: skip
    assert code == 3 and out == "" and len(err.strip().splitlines()) == 1
    assert message in err and len(err) < 300
    assert names_in(db_url) == before


def test_a_name_may_not_be_a_collar_number_nor_a_collar_a_name(capsys, monkeypatch, db_url,
                                                                people):  # fmt: skip
    as_user(monkeypatch, "Ada Admin", ADMIN_PW)
    add = ["users", "add", "--password-stdin"]
    run(capsys, monkeypatch, db_url, *add, "PC Kay", "--role", "officer", "--collar", "AB12",
        stdin="officer pw 2\n")  # fmt: skip
    code, _, err = run(capsys, monkeypatch, db_url, *add, "ab12", "--role", "tip",
                       stdin="long enough pw\n")  # fmt: skip
    assert code == 3 and "someone's collar number" in err
    run(capsys, monkeypatch, db_url, *add, "K9", "--role", "trainer", stdin="long enough pw\n")
    code, _, err = run(capsys, monkeypatch, db_url, *add, "PC Dog", "--role", "officer",
                       "--collar", "k9", stdin="officer pw 3\n")  # fmt: skip
    assert code == 3 and "is someone's name" in err


@pytest.mark.parametrize("who", ["officer", "trainer", "tip"])
def test_only_an_admin_lists_everyone(capsys, monkeypatch, db_url, people, who):
    name, _, _, password = next(p for p in people if p[1] == who)
    as_user(monkeypatch, name, password)
    code, out, _ = run(capsys, monkeypatch, db_url, "users", "list", "--json")
    assert code == 0
    assert [u["name"] for u in json.loads(out)["users"]] == [name]
    code, out, _ = run(capsys, monkeypatch, db_url, "users", "list")
    assert code == 0 and len(out.strip().splitlines()) == 1 and name in out
    as_user(monkeypatch, "Ada Admin", ADMIN_PW)
    code, out, _ = run(capsys, monkeypatch, db_url, "users", "list", "--json")
    assert {u["name"] for u in json.loads(out)["users"]} == {p[0] for p in people}


def test_the_last_admin_cannot_be_deactivated(capsys, monkeypatch, db_url, people):
    as_user(monkeypatch, "Ada Admin", ADMIN_PW)
    code, _, err = run(capsys, monkeypatch, db_url, "users", "deactivate", "Ada Admin")
    assert code == 3 and "last active admin" in err


# --- the machine's owner: only while nobody signs in -------------------------------------------
def test_an_empty_library_needs_nobody_to_sign_in(capsys, monkeypatch, db_url):
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    code, out, _ = run(capsys, monkeypatch, db_url, "list", "--json")
    assert code == 0 and json.loads(out) == {"recordings": []}


def test_an_unknown_user_is_refused_even_on_an_empty_library(capsys, monkeypatch, db_url):
    monkeypatch.setenv("BWVREVIEW_USER", "Nobody Here")
    code, out, err = run(capsys, monkeypatch, db_url, "users", "add", "Eve", "--role", "admin")
    assert code == 3 and "no user called 'Nobody Here'" in err
    monkeypatch.delenv("BWVREVIEW_USER")
    assert names_in(db_url) == set()


def test_the_demo_signs_in_as_its_tip_only_while_its_people_are_the_only_ones(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    lib = app.open_library(data_dir=tmp_path)
    try:
        app.import_demo(lib)  # the first run, as the machine's owner: the demo's people appear
        with pytest.raises(signin.SignInRequired, match="set BWVREVIEW_USER"):
            signin.sign_in_from_environment(lib)  # an ordinary command now needs a name
        again = signin.sign_in_from_environment(lib, demo_tip=True)
        assert (again.actor, again.db.principal.role) == (DEMO_TIP, "tip")
        users.create_user(lib.db, "Ada Admin", "admin", password=ADMIN_PW)
        with pytest.raises(signin.SignInRequired):
            signin.sign_in_from_environment(lib, demo_tip=True)  # not a back door
        tip = users.find_user(lib.db, DEMO_TIP)
        admin = signin.signed_in(lib, users.sign_in(lib.db, users.find_user(lib.db, "ada admin").id,
                                                    ADMIN_PW))  # fmt: skip
        users.set_password(admin.db, tip.id, "a password now")
        with pytest.raises(users.SignInError):
            demo.demo_tip(lib)  # the demo's TIP with a password signs in like anyone else
    finally:
        lib.close()


def test_the_first_person_who_signs_in_must_be_an_admin(capsys, monkeypatch, db_url):
    """Otherwise the owner, who stops acting once anyone signs in, would leave a library
    nobody can add people to."""
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    code, _, err = run(capsys, monkeypatch, db_url, "users", "add", "Tia Tip", "--role", "tip")
    assert code == 3 and "the first person who signs in must be an admin" in err
    code, out, _ = run(capsys, monkeypatch, db_url, "users", "list", "--json")
    assert code == 0 and json.loads(out)["users"] == []  # nothing was added
    # on one computer an officer recorded without a password signs nobody in (the owner
    # still acts); in team mode everyone signs in, so an officer first is refused too
    code = run(capsys, monkeypatch, db_url, "users", "add", "PC Fox", "--role", "officer",
               "--collar", "4100")[0]  # fmt: skip
    assert code == (0 if db_url.startswith("sqlite") else 3)
    assert run(capsys, monkeypatch, db_url, "users", "add", "Ada Admin", "--role", "admin",
               "--password-stdin", stdin=ADMIN_PW)[0] == 0  # fmt: skip
    as_user(monkeypatch, "Ada Admin", ADMIN_PW)
    assert run(capsys, monkeypatch, db_url, "users", "add", "Tia Tip", "--role", "tip",
               "--password-stdin", stdin=TIP_PW)[0] == 0  # fmt: skip
