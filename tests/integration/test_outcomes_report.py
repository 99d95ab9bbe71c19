"""`bwvreview report`: the demo's outcomes report read back (the PDF with pdftotext, the CSV
pack with the csv module): its figures are the database's, nothing names a person, a
collar number or an incident, counts under 5 are suppressed; and bad input is one line,
exit 3, with nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwvreview import app
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.store import models
from bwvreview.app.demo import demo_tip
from bwvreview.app.signin import signed_in
from bwvreview.cli import main

FROM, TO = "2026-01-01", f"{dt.date.today().year + 1}-12-31"  # takes in today's reviews
COUNT_COLUMNS = {
    "count",
    "moments",
    "good_practice",
    "to_learn_from",
    "sessions_held",
    "attendances",
    "responses",
    "reflections",
}
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo library (its review, two sessions, registers and answers), and its report
    written by the demo TIP from the command line."""
    data = tmp_path_factory.mktemp("demo")
    lib = app.open_library(data_dir=data)
    app.import_demo(lib)
    out = data / "report"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BWVREVIEW_USER", "Demo TIP")
        code = report(data, out, FROM, TO, "--json")
    assert code == 0
    yield lib, data, out
    lib.close()


def report(data: Path, out: Path, first: str = FROM, last: str = TO, *more: str) -> int:
    """`bwvreview report` in this process; its exit code."""
    argv = ["--data-dir", str(data), "report", "--from", first, "--to", last, "--out", str(out)]
    return main([*argv, *more])


def read_csvs(out: Path) -> dict[str, list[dict[str, str]]]:
    tables = {}
    for path in sorted(out.glob("*.csv")):
        name = re.sub(r"^outcomes_\d{4}-\d\d-\d\d_to_\d{4}-\d\d-\d\d_", "", path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables


def pdf_text(out: Path) -> str:
    [pdf] = out.glob("*.pdf")
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def shown(n: int) -> str:
    return str(n) if n >= 5 else "<5"


def test_the_report_is_a_pdf_and_a_csv_pack(demo):
    _lib, _data, out = demo
    names = sorted(p.name for p in out.iterdir())
    stem = f"outcomes_{FROM}_to_{TO}"
    assert names == sorted(
        [f"{stem}.pdf", f"{stem}_readme.txt"]
        + [
            f"{stem}_{t}.csv"
            for t in (
                "activity",
                "practice_by_month",
                "practice_by_principle",
                "practice_by_category",
                "training_sessions",
                "training_measures",
                "reflections",
            )
        ]
    )
    text = pdf_text(out)
    assert "Trauma-informed policing: outcomes report" in text
    assert "What was done in the period" in text and "The training" in text


def test_the_figures_are_the_databases(demo):
    lib, _data, out = demo
    tables = read_csvs(out)
    activity = {r["activity"]: r["count"] for r in tables["activity"]}
    A, S = models.Annotation, models.TrainingSession  # noqa: N806
    with lib.db.begin() as s:
        coded = s.scalar(select(func.count(A.id)).where(A.status.in_(("final", "shared"))))
        held = s.scalar(select(func.count(S.id)))
        attended = s.scalar(select(func.count(models.TrainingAttendance.id)))
        people = s.scalar(select(func.count(func.distinct(models.TrainingAttendance.person_key))))
        forms = s.scalar(select(func.count(models.QuestionnaireResponse.id)))
        before = [
            r.answers
            for r in s.scalars(
                select(models.QuestionnaireResponse)
                .join(S, S.id == models.QuestionnaireResponse.session_id)
                .where(
                    S.module_key == "trauma_and_aces",
                    models.QuestionnaireResponse.phase == "before",
                )
            )
            if any(k.startswith("knowledge.") for k in r.answers)
        ]
    # the demo, as seeded: 11 moments of its review and 4 notes of its observation
    assert (coded, held, attended, people, forms) == (15, 2, 14, 8, 42)
    assert activity["Moments coded (final or shared)"] == shown(coded)
    assert activity["Training sessions held"] == shown(held) == "<5"
    assert activity["Attendances at training"] == shown(attended)
    assert activity["People trained (each counted once)"] == shown(people)
    assert activity["Questionnaires returned"] == shown(forms)
    assert activity["Observations"] == activity["PPN1 reviews"] == shown(1)  # the demo's
    # each person's mean over the session's topics, then the mean of those
    means = [sum(v for k, v in a.items() if k.startswith("knowledge.")) / 3 for a in before]
    row = next(
        r
        for r in tables["training_measures"]
        if r["session"].startswith("2026-04-14")
        and r["measure"] == "knowledge"
        and r["phase"] == "before"
    )
    assert (row["responses"], row["mean"]) == (str(len(means)), f"{sum(means) / len(means):.2f}")
    text = pdf_text(out)
    assert re.search(r"Attendances at training\s+14", text)
    assert f"{sum(means) / len(means):.2f}" in text
    # the demo's review rests on one officer: practice over time is not shown at all
    assert tables["practice_by_month"] == [] and tables["practice_by_principle"] == []
    assert "Not shown for this period" in text


def test_no_name_collar_or_incident_reference_is_anywhere_in_it(demo):
    lib, _data, out = demo
    with lib.db.begin() as s:
        secrets = {
            *s.scalars(select(models.User.name)),
            *s.scalars(select(models.Incident.reference)),
            *s.scalars(select(models.TrainingAttendance.name)),
            *s.scalars(select(models.TrainingSession.trainer_name)),
        }
        collars = {
            *s.scalars(select(models.User.collar_number)),
            *s.scalars(select(models.TrainingAttendance.collar_number)),
        } - {None}
    assert {"Demo TIP", "Demo Trainer", "Officer 4471", "DEMO-0001", "PC Sam Carter"} <= secrets
    assert {"4471", "5102"} <= collars
    everything = pdf_text(out) + "".join(
        p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix in (".csv", ".txt")
    )
    for secret in secrets | collars:
        assert secret not in everything, secret
    [pdf] = out.glob("*.pdf")
    raw = pdf.read_bytes()
    assert not any(s.encode() in raw for s in secrets | collars)  # metadata included


def test_every_count_under_five_is_suppressed(demo):
    _lib, _data, out = demo
    checked = 0
    for name, rows in read_csvs(out).items():
        for row in rows:
            for column, value in row.items():
                if column in COUNT_COLUMNS:
                    assert (
                        value in ("<5", "*", "not recorded by this version") or int(value) >= 5
                    ), (name, column, value)
                    checked += 1
    assert checked > 20


def test_a_report_never_replaces_a_file_and_bad_input_is_one_line(demo, capsys, monkeypatch):
    _lib, data, out = demo
    monkeypatch.setenv("BWVREVIEW_USER", "Demo TIP")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    cases = [
        (["--from", "2026-05-01", "--to", "2026-04-01"], "--from 2026-05-01 is after --to"),
        (["--from", "2026-02-30", "--to", "2026-04-01"], "--from '2026-02-30' is not a date"),
        (["--from", FROM, "--to", TO], "already exists"),
    ]
    for period, message in cases:
        code = main(["--data-dir", str(data), "report", *period, "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 3 and message in err and len(err.strip().splitlines()) == 1, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing replaced
    code = report(data, data / "no such folder" / "report", FROM, TO)
    assert code == 3 and "does not exist" in capsys.readouterr().err
    for who in ("Demo Trainer", "Officer 4471"):
        monkeypatch.setenv("BWVREVIEW_USER", who)
        code = report(data, data / who, FROM, TO)
        assert code == 3 and "may not read outcomes reports" in capsys.readouterr().err
        assert not (data / who).exists()


def test_writing_a_report_is_audited_without_names(demo, capsys, monkeypatch):
    lib, data, _out = demo
    monkeypatch.setenv("BWVREVIEW_USER", "Demo TIP")
    code = report(data, data / "april", "2026-04-01", "2026-04-30", "--json")
    written = json.loads(capsys.readouterr().out)
    assert code == 0 and Path(written["pdf"]).is_file() and len(written["csv"]) == 7
    events = [e for e in audit_log.list_events(lib.db).entries if e.action == "report.written"]
    assert [(e.actor, e.details["from"], e.details["to"]) for e in events][:1] == [
        ("Demo TIP", "2026-04-01", "2026-04-30")
    ]


def test_a_demo_opened_again_by_its_tip_leaves_the_programme_alone(tmp_path):
    """A demo library made before the programme existed, opened again as the demo TIP (who
    may not schedule sessions): the demo still opens, with no sessions made."""
    lib = app.open_library(data_dir=tmp_path)
    app.import_demo(lib)
    with lib.db.begin() as s:
        for row in s.scalars(select(models.TrainingSession)):
            s.delete(row)
    as_tip = signed_in(lib, demo_tip(lib))
    assert app.import_demo(as_tip).id
    with lib.db.begin() as s:
        assert s.scalar(select(func.count(models.TrainingSession.id))) == 0
    lib.close()
