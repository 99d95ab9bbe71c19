"""`bwvreview programme ...` on SQLite and PostgreSQL: a trainer schedules a session,
imports a sign-in list, enters paper forms; an officer reads their own attendance; bad
input is one line and exit 3 with nothing kept."""

from __future__ import annotations

import io
import json

import pytest

from bwvreview.cli import main

PEOPLE = [
    ("Root Admin", "admin", None),
    ("Tess Trainer", "trainer", None),
    ("Tia TIP", "tip", None),
    ("Ann Smith", "officer", "4521"),
    ("Dan Green", "officer", "3030"),
]
PASSWORD = "a long password"


def run(capsys, db_url, *argv, user: str | None = None, monkeypatch=None):
    if user is not None:
        monkeypatch.setenv("BWVREVIEW_USER", user)
    code = main(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def people(capsys, monkeypatch, db_url):
    monkeypatch.delenv("BWVREVIEW_USER", raising=False)
    monkeypatch.setenv("BWVREVIEW_PASSWORD", PASSWORD)
    for n, (name, role, collar) in enumerate(PEOPLE):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        extra = ["--collar", collar, "--team", "North"] if collar else []
        code = main(
            ["--db", db_url, "users", "add", name, "--role", role, *extra, "--password-stdin"]
        )
        assert code == 0, capsys.readouterr().err
        if n == 0:
            monkeypatch.setenv("BWVREVIEW_USER", "Root Admin")
    capsys.readouterr()


def test_a_trainer_runs_a_session_from_the_command_line(capsys, monkeypatch, db_url, tmp_path):
    def trainer(*argv):
        return run(capsys, db_url, *argv, user="Tess Trainer", monkeypatch=monkeypatch)

    code, out, _ = trainer(
        "programme", "schedule", "2", "--date", "2026-03-10", "--team", "North", "--json"
    )
    held = json.loads(out)
    assert code == 0 and held["module_key"] == "trauma_and_the_brain"
    assert held["trainer_name"] == "Tess Trainer" and held["held_on"] == "2026-03-10"
    sid = str(held["id"])
    sign_in = tmp_path / "sign-in.csv"
    sign_in.write_text("Name,Collar\nAnn Smith,4521\nPat Visitor,\n", encoding="utf-8")
    code, out, _ = trainer("programme", "attend", sid, "--csv", str(sign_in), "--json")
    assert code == 0 and json.loads(out) == {"added": 2, "already": 0, "linked": 1}
    forms = tmp_path / "forms.csv"
    forms.write_text("knowledge.1,knowledge.2,confidence.1\n2,3,2\n3,,2\n\n", encoding="utf-8")
    code, out, _ = trainer(
        "programme",
        "answer",
        sid,
        "--questionnaire",
        "knowledge_confidence",
        "--phase",
        "before",
        "--csv",
        str(forms),
        "--json",
    )
    stored = json.loads(out)["responses"]
    assert code == 0 and len(stored) == 2 and not any(r["named"] for r in stored)
    code, out, _ = trainer("programme", "results", sid, "--json")
    rows = json.loads(out)["rows"]
    assert code == 0 and {r["responses"] for r in rows} == {"<5"}  # two forms: not shown
    code, out, _ = run(
        capsys, db_url, "programme", "mine", "--json", user="4521", monkeypatch=monkeypatch
    )
    mine = json.loads(out)
    assert code == 0 and [a["session_id"] for a in mine["attended"]] == [held["id"]]
    assert mine["answers"] == []  # the paper forms are anonymous
    code, out, _ = run(
        capsys, db_url, "programme", "mine", "--json", user="3030", monkeypatch=monkeypatch
    )
    assert json.loads(out) == {"attended": [], "answers": []}
    code, out, _ = run(
        capsys, db_url, "programme", "sessions", "--json", user="Tia TIP", monkeypatch=monkeypatch
    )
    assert code == 0 and [s["id"] for s in json.loads(out)["sessions"]] == [held["id"]]


def test_bad_input_is_one_line_and_keeps_nothing(capsys, monkeypatch, db_url, tmp_path):
    def trainer(*argv):
        return run(capsys, db_url, *argv, user="Tess Trainer", monkeypatch=monkeypatch)

    _, out, _ = trainer("programme", "schedule", "1", "--date", "2026-03-10", "--team", "North")
    sid = out.strip()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,collar\nAnn Smith,4521\nBob,no!\n,\nAnn,4521\n", encoding="utf-8")
    forms = tmp_path / "forms.csv"
    forms.write_text("knowledge.1\n3\n9\n", encoding="utf-8")
    cases = [
        (
            ("programme", "attend", sid, "--csv", str(bad)),
            "row 3: 'no!' is not a collar number (letters and digits, up to 12); row 5: the same "
            "person as row 2",
        ),
        (("programme", "attend", sid, "--csv", str(tmp_path / "missing.csv")), "file not found"),
        (("programme", "attend", "999", "--name", "X"), "no training session with id 999"),
        (
            ("programme", "schedule", "12", "--date", "2026-03-10", "--team", "N"),
            "the curriculum has no session '12'",
        ),
        (
            ("programme", "schedule", "1", "--date", "10/03/2026", "--team", "N"),
            "--date '10/03/2026' is not a date: use YYYY-MM-DD",
        ),
        (
            (
                "programme",
                "answer",
                sid,
                "--questionnaire",
                "knowledge_confidence",
                "--phase",
                "before",
                "--csv",
                str(forms),
            ),
            "form 2: knowledge.1: answer 1 to 5, not '9'",
        ),
        (
            (
                "programme",
                "answer",
                sid,
                "--questionnaire",
                "nope",
                "--phase",
                "after",
                "--set",
                "a=1",
            ),
            "no questionnaire 'nope'",
        ),
    ]
    for argv, message in cases:
        code, _, err = trainer(*argv)
        assert code == 3 and message in err and len(err.strip().splitlines()) == 1, err
    _, out, _ = trainer("programme", "register", sid, "--json")
    assert json.loads(out) == {"attendees": []}
    _, out, _ = trainer("programme", "responses", sid, "--json")
    assert json.loads(out) == {"responses": []}
    for who in ("4521", "Tia TIP"):
        code, _, err = run(
            capsys,
            db_url,
            "programme",
            "schedule",
            "1",
            "--date",
            "2026-03-10",
            "--team",
            "N",
            user=who,
            monkeypatch=monkeypatch,
        )
        assert code == 3 and "may not manage the training programme" in err
    code, _, err = run(
        capsys, db_url, "programme", "sessions", user="4521", monkeypatch=monkeypatch
    )
    assert code == 3 and "may not read the training programme" in err
