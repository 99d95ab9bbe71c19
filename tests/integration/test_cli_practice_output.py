"""What `bwvreview incident|observe|ppn1|session` print, to the letter: each action's text
lines, its --json document, and the one line and exit 3 of a refusal (outside scripts read
both outputs). On SQLite and PostgreSQL, on the demo incident."""

from __future__ import annotations

import json
import re

import pytest

from bwvreview.app.demo import DEMO_TIP, DEMO_TRAINER
from tests.integration.practice_cli import demo_library, ok_json, run

OFFICER = "4471"


@pytest.fixture
def demo(db_url, monkeypatch):
    return demo_library(db_url, monkeypatch)


def ok_text(capsys, monkeypatch, who: str, *argv: str, stdin: str | None = None) -> list[str]:
    code, out, err = run(capsys, monkeypatch, who, *argv, stdin=stdin)
    assert (code, err) == (0, ""), err
    return out.splitlines()


def refused(capsys, monkeypatch, who: str, *argv: str) -> str:
    """A refusal: exit 3, nothing on stdout, one line on stderr, with or without --json."""
    said = set()
    for extra in ((), ("--json",)):
        code, out, err = run(capsys, monkeypatch, who, *argv, *extra)
        assert (code, out) == (3, ""), err
        assert len(err.splitlines()) == 1, err
        said.add(err)
    (line,) = said
    return line


def test_incident_actions_print_a_line_per_incident_and_its_moments(demo, capsys, monkeypatch):
    tip = (capsys, monkeypatch, DEMO_TIP)
    counts = "0 recording(s), 0 observation(s), 0 PPN1 review(s), 0 session(s)"
    assert ok_text(*tip, "incident", "add", "INC-1", "--type", "stop_and_search",
                   "--date", "2027-01-02", "--officer", OFFICER) == [
        f"INC-1\t2027-01-02\tStop and search\t{counts}"
    ]  # fmt: skip
    made = ok_json(*tip, "incident", "set-type", "INC-1", "none")
    assert made == {"id": made["id"], "reference": "INC-1", "date": "2027-01-02", "type": None,
                    "officers": [OFFICER], "recordings": 0, "observations": 0,
                    "ppn1_reviews": 0, "sessions": 0}  # fmt: skip
    assert ok_text(*tip, "incident", "set-type", "INC-1", "stop_and_search") == [
        f"INC-1\t2027-01-02\tStop and search\t{counts}"
    ]
    listed = ok_json(*tip, "incident", "list", "--type", "stop_and_search")["incidents"]
    lines = ok_text(*tip, "incident", "list", "--type", "stop_and_search")
    assert [line.split("\t")[0] for line in lines] == [i["reference"] for i in listed]
    assert f"INC-1\t2027-01-02\tStop and search\t{counts}" in lines
    types = ok_json(*tip, "incident", "types")["types"]
    assert {"key": "stop_and_search", "label": "Stop and search",
            "template": "stop_and_search"} in types  # fmt: skip
    assert ok_text(*tip, "incident", "types")[: len(types)] == [
        f"{t['key']:<22} {t['label']:<26} template: {t['template']}" for t in types
    ]

    shown = ok_json(*tip, "incident", "show", "DEMO-0001")
    first = shown["moments"][0]
    assert first == {"id": first["id"], "recording": first["recording"], "start": 1.0,
                     "category": "introduced_self", "polarity": "good_practice",
                     "status": "shared"}  # fmt: skip
    lines = ok_text(*tip, "incident", "show", "DEMO-0001")
    sources = "1 recording(s), 0 observation(s), 1 PPN1 review(s), 1 session(s)"
    assert lines[0] == f"DEMO-0001\t-\tDomestic\t{sources}"
    assert len(lines) == 1 + len(shown["moments"])
    assert lines[1] == (
        f"  moment {first['id']}\trecording {first['recording']}\t0:01\tIntroduced self\tshared"
    )
    assert refused(*tip, "incident", "show", "NOPE") == "bwvreview: no incident 'NOPE'\n"


def test_observe_actions_print_notes_points_and_the_list(demo, capsys, monkeypatch):
    tip = (capsys, monkeypatch, DEMO_TIP)
    seen = ok_json(*tip, "observe", "start", "SS-1", "--type", "stop_and_search",
                   "--officer", OFFICER)  # fmt: skip
    oid = str(seen["id"])
    assert ok_text(*tip, "observe", "note", oid, "Gave grounds", "--at", "0:30")[0].endswith(
        " at 0:30 (Note)"
    )
    note = ok_json(*tip, "observe", "note", oid, "Searched", "--at", "95")
    assert note == {"id": note["id"], "observation": seen["id"], "at": 95.0, "category": "note",
                    "polarity": "observation", "note": "Searched"}  # fmt: skip
    assert ok_text(*tip, "observe", "code", str(note["id"]), "privacy_breach") == [
        f"note {note['id']}: Privacy not protected"
    ]
    assert ok_json(*tip, "observe", "code", str(note["id"]), "privacy_breach")["category"] == (
        "privacy_breach"
    )
    assert ok_text(*tip, "observe", "check", oid, "grounds", "met", "--note", "Specific") == [
        "Grounds for the search: Met"
    ]
    assert ok_json(*tip, "observe", "check", oid, "warrant_card", "n/a") == {
        "observation": seen["id"], "point": "warrant_card", "answer": "not_applicable",
        "note": "",
    }  # fmt: skip

    lines = ok_text(*tip, "observe", "show", oid)
    assert re.fullmatch(
        rf"observation {oid}\tSS-1\tStop and search\tofficer {OFFICER}\tdraft\tstarted "
        r"\d{4}-\d\d-\d\d \d\d:\d\d",
        lines[0],
    )
    assert lines[1:3] == [
        "  What the person must be told (GOWISELY)",
        "    ✓ grounds        Grounds for the search — Met: Specific",
    ]
    assert "    – warrant_card   Warrant card shown (if in plain clothes) — Does not apply" in lines
    assert lines[-2:] == [
        f"  note {note['id'] - 1}\t0:30\tNote\tGave grounds",
        f"  note {note['id']}\t1:35\tPrivacy not protected\tSearched",
    ]
    shown = ok_json(*tip, "observe", "show", oid)
    assert [n["category"] for n in shown["notes"]] == ["note", "privacy_breach"]
    shared = ok_json(*tip, "observe", "share", oid)
    assert shared["status"] == "shared" and shared["checks"] == shown["checks"]
    assert ok_text(*tip, "observe", "share", oid)[0].split("\t")[4] == "shared"

    listed = ok_json(*tip, "observe", "list")["observations"]
    lines = ok_text(*tip, "observe", "list")
    assert len(lines) == len(listed) and listed[0]["id"] == seen["id"]
    assert re.fullmatch(
        rf"{oid}\t\d{{4}}-\d\d-\d\d \d\d:\d\d\tSS-1\tstop_and_search\tshared\t2 notes", lines[0]
    )
    assert refused(*tip, "observe", "show", "999") == "bwvreview: no observation with id 999\n"


def test_ppn1_actions_print_the_review_point_by_point(demo, capsys, monkeypatch):
    tip = (capsys, monkeypatch, DEMO_TIP)
    points = ok_json(*tip, "ppn1", "points")["points"]
    assert points[0]["key"] == "voice" and set(points[0]) == {"key", "label", "prompt",
                                                              "categories"}  # fmt: skip
    assert ok_text(*tip, "ppn1", "points") == [f"{p['key']:<13} {p['label']}" for p in points]

    started = ok_text(*tip, "ppn1", "review", "DEMO-0001", "--officer", OFFICER)
    assert re.fullmatch(r"PPN1 review \d+\tDEMO-0001\tofficer 4471\tdraft\t\(no PPN1 pasted\)",
                        started[0])  # fmt: skip
    made = ok_json(*tip, "ppn1", "review", "DEMO-0001", "--officer", OFFICER, "--text-stdin",
                   stdin="Adult at risk: Sarah.")  # fmt: skip
    rid = str(made["id"])
    moment = demo["disclosure"]
    assert ok_text(*tip, "ppn1", "rate", rid, "voice", "met", "--note", "Her words",
                   "--moment", str(moment)) == [
        "The child's or adult's voice and own words recorded: Met"
    ]  # fmt: skip
    assert ok_json(*tip, "ppn1", "rate", rid, "household", "not", "--wording", "List all") == {
        "review": made["id"], "point": "household", "rating": "not", "note": "",
        "suggested_wording": "List all", "moments": [],
    }  # fmt: skip
    assert ok_text(*tip, "ppn1", "strengths", rid, "Calm throughout")[:2] == [
        f"PPN1 review {rid}\tDEMO-0001\tofficer 4471\tdraft",
        "  done well: Calm throughout",
    ]
    expected = [
        f"PPN1 review {rid}\tDEMO-0001\tofficer 4471\tshared",
        "  done well: Calm throughout",
        "  ✓ voice         The child's or adult's voice and own words recorded — Met",
        "      Her words",
        f"      moment {moment} at 0:18 (Disclosure (ACEs, harm))",
        "  · risk_history  Risk factors and history — Not rated yet",
        "  ✗ household     Who else lives there — Not met",
        "      suggested: List all",
        "  · language      Trauma-informed, non-blaming language — Not rated yet",
        "  · consent       Consent, and what the person was told — Not rated yet",
        "  · referral      Referral made, and to whom — Not rated yet",
    ]
    assert ok_text(*tip, "ppn1", "share", rid) == expected
    assert ok_text(*tip, "ppn1", "show", rid) == expected
    assert ok_text(*tip, "ppn1", "show", rid, "--text") == [*expected, "Adult at risk: Sarah."]
    code, out, err = run(*tip, "ppn1", "show", rid, "--text", "--json")
    assert code == 0 and err == "Adult at risk: Sarah.\n"
    shown = json.loads(out)
    assert shown == ok_json(*tip, "ppn1", "show", rid) and "Sarah" not in out
    assert shown["status"] == "shared" and shown["has_ppn1_text"]
    assert [p["moments"] for p in shown["points"]][:1] == [[moment]]
    assert ok_text(*tip, "ppn1", "paste", rid, stdin="Pasted again.") == expected

    listed = ok_json(*tip, "ppn1", "list")["reviews"]
    lines = ok_text(*tip, "ppn1", "list")
    assert [int(line.split("\t")[0]) for line in lines] == [r["id"] for r in listed]
    assert re.fullmatch(rf"{rid}\t\d{{4}}-\d\d-\d\d\tDEMO-0001\t4471\tshared\t2/6 rated",
                        lines[[r["id"] for r in listed].index(made["id"])])  # fmt: skip
    trainer = (capsys, monkeypatch, DEMO_TRAINER)
    assert refused(*trainer, "ppn1", "show", rid) == f"bwvreview: no PPN1 review with id {rid}\n"


def test_session_actions_print_the_record_and_follow_ups(demo, capsys, monkeypatch):
    tip, officer = (capsys, monkeypatch, DEMO_TIP), (capsys, monkeypatch, OFFICER)
    lines = ok_text(*tip, "session", "record", "--attendee", OFFICER, "--from-debrief",
                    "--moment", str(demo["triggering_language"]), "--went-well", "Gave time",
                    "--learning", "Slow down", "--date", "2027-01-20")  # fmt: skip
    sid = lines[0].split("\t")[0].removeprefix("session ")
    assert lines == [
        f"session {sid}\t2027-01-20\tOne officer\twith {OFFICER}\tTIP {DEMO_TIP}",
        "  went well: Gave time",
        "  discussed: Triggering language at 0:09, DEMO-0001",
        "  learning point: Slow down",
    ]
    assert ok_text(*tip, "session", "learning", sid, "Offer a seat")[-1] == (
        "  learning point: Offer a seat"
    )
    added = ok_json(*officer, "session", "note", sid, "I will offer a seat")
    assert added["notes"] == [{"author": "Officer 4471", "text": "I will offer a seat"}]
    assert added["learning_points"] == ["Slow down", "Offer a seat"]

    follow = ok_json(*tip, "session", "follow-up", sid, "Read guidance", "--owner", OFFICER,
                     "--due", "2027-02-01")  # fmt: skip
    fid = follow["id"]
    assert follow == {"id": fid, "session": int(sid), "text": "Read guidance",
                      "owner": "Officer 4471", "due": "2027-02-01", "done_at": None,
                      "done_by": None}  # fmt: skip
    assert ok_text(*tip, "session", "follow-up", sid, "Another", "--owner", "Someone Else") == [
        f"follow-up {fid + 1}\tSomeone Else\topen\tAnother"
    ]
    done_line = f"follow-up {fid}\tOfficer 4471 by 2027-02-01\tdone by Officer 4471\tRead guidance"
    assert ok_text(*officer, "session", "done", str(fid)) == [done_line]
    done = ok_json(*tip, "session", "done", str(fid), "--undo")
    assert (done["done_at"], done["done_by"]) == (None, None)
    assert ok_text(*officer, "session", "done", str(fid)) == [done_line]
    open_ones = ok_json(*tip, "session", "follow-ups")["follow_ups"]
    assert fid not in [f["id"] for f in open_ones] and fid + 1 in [f["id"] for f in open_ones]
    assert f"follow-up {fid + 1}\tSomeone Else\topen\tAnother" in ok_text(
        *tip, "session", "follow-ups"
    )
    every = ok_text(*tip, "session", "follow-ups", "--all")
    assert len(every) == len(ok_json(*tip, "session", "follow-ups", "--all")["follow_ups"])
    assert every.count(done_line) == 1

    assert ok_text(*tip, "session", "show", sid) == [
        f"session {sid}\t2027-01-20\tOne officer\twith {OFFICER}\tTIP {DEMO_TIP}",
        "  went well: Gave time",
        "  discussed: Triggering language at 0:09, DEMO-0001",
        "  learning point: Slow down",
        "  learning point: Offer a seat",
        "  note by Officer 4471: I will offer a seat",
        f"  {done_line}",
        f"  follow-up {fid + 1}\tSomeone Else\topen\tAnother",
    ]
    shown = ok_json(*tip, "session", "show", sid)
    assert (shown["date"], shown["kind"], shown["started_from"]) == (
        "2027-01-20", "individual", "debrief")  # fmt: skip
    assert [f["id"] for f in shown["follow_ups"]] == [fid, fid + 1]
    listed = ok_json(*tip, "session", "list")["sessions"]
    lines = ok_text(*tip, "session", "list")
    assert [int(line.split("\t")[0]) for line in lines] == [s["id"] for s in listed]
    assert f"{sid}\t2027-01-20\tOne officer\t2 learning points\t1 open follow-ups" in lines
    assert refused(*tip, "session", "show", "999") == (
        "bwvreview: no practice session with id 999\n"
    )
