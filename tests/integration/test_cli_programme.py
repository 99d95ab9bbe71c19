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


def test_each_action_prints_its_lines_or_one_json_document(capsys, monkeypatch, db_url):
    def trainer(*argv):
        code, out, err = run(capsys, db_url, *argv, user="Tess Trainer", monkeypatch=monkeypatch)
        assert (code, err) == (0, ""), err
        return out

    sid = trainer("programme", "schedule", "2", "--date", "2026-03-10", "--team", "North")
    assert sid.strip().isdigit() and sid == sid.strip() + "\n"
    sid = sid.strip()
    title = "session 2: The impacts of trauma on the brain and body"
    line = f"{sid:>4}  2026-03-10  {title}  [South]  0 attended, 0 forms\n"
    assert trainer("programme", "change", sid, "--team", "South", "--length", "90") == line
    changed = json.loads(trainer("programme", "change", sid, "--notes", "Room 2", "--json"))
    assert (changed["id"], changed["team"], changed["length_minutes"]) == (int(sid), "South", 90)
    assert (changed["held_on"], changed["notes"]) == ("2026-03-10", "Room 2")
    assert trainer("programme", "sessions", "--team", "South") == line
    assert json.loads(trainer("programme", "sessions", "--team", "South", "--json")) == {
        "sessions": [changed]
    }
    shown = trainer("programme", "show", sid).splitlines()
    assert shown[:2] == [line.rstrip("\n"), "      trainer: Tess Trainer; 90 min; packs: -"]
    assert shown[2].startswith("  session\tquestionnaire\tmeasure\tphase\tresponses")
    assert json.loads(trainer("programme", "show", sid, "--json"))["session"] == changed

    first = trainer("programme", "attend", sid, "--name", "Pat Visitor")
    assert first.strip().isdigit()
    added = json.loads(trainer("programme", "attend", sid, "--collar", "4521", "--staff", "--json"))
    assert added == {"id": added["id"], "session_id": int(sid), "name": "Ann Smith",
                     "collar_number": "4521", "kind": "staff",
                     "user_id": added["user_id"]}  # fmt: skip
    assert trainer("programme", "register", sid) == (
        f"{first.strip():>5}  Pat Visitor  -  officer\n{added['id']:>5}  Ann Smith  4521  staff\n"
    )
    register = json.loads(trainer("programme", "register", sid, "--json"))["attendees"]
    assert [a["id"] for a in register] == [int(first), added["id"]]

    answer = ("programme", "answer", sid, "--questionnaire", "knowledge_confidence")
    assert trainer(*answer, "--phase", "before", "--set", "knowledge.1=3") == (
        "1 form(s) kept, anonymous\n"
    )
    stored = json.loads(trainer(*answer, "--phase", "after", "--set", "knowledge.1=4",
                                "--laptop", "--json"))["responses"]  # fmt: skip
    assert [(r["phase"], r["entry"], r["named"]) for r in stored] == [("after", "laptop", False)]
    responses = json.loads(trainer("programme", "responses", sid, "--json"))["responses"]
    assert trainer("programme", "responses", sid) == "".join(
        f"{r['id']:>5}  knowledge_confidence  {r['phase']}  {r['entry']}  anonymous  1 answers\n"
        for r in responses
    )
    assert [r["phase"] for r in responses] == ["before", "after"]
    code, out, err = run(capsys, db_url, "programme", "show", "999", user="Tess Trainer",
                         monkeypatch=monkeypatch)  # fmt: skip
    assert (code, out, err) == (3, "", "bwvreview: no training session with id 999\n")


def test_install_takes_its_own_kind_of_document(capsys, monkeypatch, db_url):
    from bwvreview.bundled import resource_path

    curriculum = str(resource_path("curriculum.yaml"))
    questionnaire = str(resource_path("questionnaires") / "feedback.yaml")

    def trainer(*argv):
        return run(capsys, db_url, "programme", *argv, user="Tess Trainer", monkeypatch=monkeypatch)

    code, out, err = trainer("curriculum", "--install", curriculum)
    assert (code, err) == (0, "") and out.startswith("Trauma-informed")
    code, out, err = trainer("questionnaires", "--install", questionnaire, "--json")
    assert (code, err) == (0, "") and "feedback" in [q["key"] for q in json.loads(out)[
        "questionnaires"]]  # fmt: skip
    code, out, err = trainer("curriculum", "--install", questionnaire)
    assert (code, out) == (3, "")
    assert err == f"bwvreview: {questionnaire} is a questionnaire; use programme questionnaires\n"
    code, out, err = trainer("questionnaires", "--install", curriculum, "--json")
    assert (code, out) == (3, "")
    assert err == f"bwvreview: {curriculum} is a curriculum; use programme curriculum\n"
    # Refused before anything is put in force: only the two right-kind installs are audited.
    assert _installs_audited(db_url) == 2


def _installs_audited(db_url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                sa.text("SELECT count(*) FROM audit_events WHERE action = :a"),
                {"a": "programme.document_installed"},
            )
    finally:
        engine.dispose()
