"""Team mode from the command line: several machines (each its own data folder) share one
PostgreSQL database, named with ``--db postgresql://...`` or ``BWVREVIEW_DB``."""

import json

from bwvreview.cli import main


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def plain(url):
    """The URL as a person would write it (SQLAlchemy's driver name left out)."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_what_one_machine_imports_another_lists(capsys, clip_path, pg_url, tmp_path, monkeypatch):
    code, out, err = run_cli(capsys, "--db", plain(pg_url), "--data-dir", str(tmp_path / "a"),
                             "import", str(clip_path), "--json")  # fmt: skip
    assert code == 0, err
    imported = json.loads(out)
    monkeypatch.setenv("BWVREVIEW_DB", plain(pg_url))
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "b"), "list", "--json")
    assert code == 0, err
    listed = json.loads(out)["recordings"]
    assert [(r["id"], r["sha256"]) for r in listed] == [(imported["id"], imported["sha256"])]
    assert not (tmp_path / "b" / "bwvreview.sqlite3").exists()  # nothing kept locally


def test_an_unreachable_team_server_is_one_line_without_the_password(capsys, tmp_path):
    code, out, err = run_cli(capsys, "--db", "postgresql://tip:secret@127.0.0.1:1/team",
                             "--data-dir", str(tmp_path), "list")  # fmt: skip
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "Connection refused" in err and "secret" not in err
