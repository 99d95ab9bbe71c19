"""`bwvreview users` and signing in from the command line, on SQLite and PostgreSQL."""

import io
import json

import pytest

from bwvreview.cli import main


def run(capsys, db_url, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def admin(capsys, monkeypatch, db_url):
    """The first user, made before anyone signs in, is the admin everyone else acts as."""
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    code, _, _ = run(capsys, db_url, "users", "add", "Root Admin", "--role", "admin",
                     "--password-stdin", stdin="admin pw 123\n",
                     monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0
    monkeypatch.setenv("BWVREVIEW_USER", "Root Admin")
    monkeypatch.setenv("BWVREVIEW_PASSWORD", "admin pw 123")


def test_an_admin_adds_users_and_links_an_officer(capsys, monkeypatch, db_url):
    code, _, _ = run(capsys, db_url, "users", "add", "Ana TIP", "--role", "tip",
                     "--password-stdin", stdin="long enough pw\n",
                     monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, db_url, "users", "add", "PC Lee", "--role", "officer",
                       "--collar", "3001", "--password-stdin", stdin="officer pw 1\n",
                       monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0 and out.strip().isdigit()
    code, out, _ = run(capsys, db_url, "users", "list", "--json")
    listed = {u["name"]: u for u in json.loads(out)["users"]}
    assert listed["PC Lee"]["role"] == "officer" and listed["PC Lee"]["has_password"]
    assert "password_hash" not in listed["PC Lee"]
    code, out, _ = run(capsys, db_url, "users", "list")
    ids = {name: u["id"] for name, u in listed.items()}
    assert list(listed) == ["Ana TIP", "PC Lee", "Root Admin"]  # by name, text and JSON
    assert (code, out.splitlines()) == (0, [
        f"{ids['Ana TIP']:>4}  Ana TIP · Trauma Informed Practitioner",
        f"{ids['PC Lee']:>4}  PC Lee (3001) · Officer",
        f"{ids['Root Admin']:>4}  Root Admin · Administrator",
    ])  # fmt: skip


def test_a_wrong_password_or_a_missing_right_is_bad_input(capsys, monkeypatch, db_url):
    run(capsys, db_url, "users", "add", "PC Kay", "--role", "officer", "--collar", "3002",
        "--password-stdin", stdin="officer pw 2\n", monkeypatch=monkeypatch)  # fmt: skip
    monkeypatch.setenv("BWVREVIEW_USER", "3002")
    monkeypatch.setenv("BWVREVIEW_PASSWORD", "wrong one")
    code, _, err = run(capsys, db_url, "list")
    assert code == 3 and err.strip() == "bwvreview: the password is not right; please try again"
    monkeypatch.setenv("BWVREVIEW_PASSWORD", "officer pw 2")
    code, out, _ = run(capsys, db_url, "list", "--json")
    assert code == 0 and json.loads(out) == {"recordings": []}
    code, _, err = run(capsys, db_url, "users", "add", "Mallory", "--role", "admin")
    assert code == 3 and "may not manage users" in err and len(err.strip().splitlines()) == 1


def test_team_mode_needs_a_signed_in_user_once_it_has_users(capsys, monkeypatch, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("a single-user SQLite library needs no sign-in")
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    code, _, err = run(capsys, db_url, "list")
    assert code == 3 and "this library has users: set BWVREVIEW_USER" in err
    monkeypatch.setenv("BWVREVIEW_USER", "Root Admin")
    code, _, err = run(capsys, db_url, "users", "add", "No Pass", "--role", "tip")
    assert code == 3 and "every user needs a password" in err


def test_linking_needs_a_known_incident(capsys, monkeypatch, db_url):
    run(capsys, db_url, "users", "add", "PC May", "--role", "officer", "--collar", "3003",
        "--password-stdin", stdin="officer pw 3\n", monkeypatch=monkeypatch)  # fmt: skip
    code, _, err = run(capsys, db_url, "users", "link", "NO-SUCH", "3003")
    assert code == 3 and "no incident with reference 'NO-SUCH'" in err


def test_names_are_listed_in_json_as_written(capsys, monkeypatch, db_url):
    run(capsys, db_url, "users", "add", "Siân Ó Briain", "--role", "tip",
        "--password-stdin", stdin="long enough pw\n", monkeypatch=monkeypatch)  # fmt: skip
    code, out, _ = run(capsys, db_url, "users", "list", "--json")
    assert code == 0 and '"name": "Siân Ó Briain"' in out  # not \u-escaped, as every --json
    assert "Siân Ó Briain" in {u["name"] for u in json.loads(out)["users"]}
