"""`bwvreview incident|observe|ppn1|session` on the demo incident, on SQLite and PostgreSQL
(team mode): a TIP observes a stop and search from its template and codes two notes, reviews
the PPN1 for the demo incident, records a debrief with two learning points and a follow-up;
the officer reads all of it and adds to the session's record; a trainer reads none of it."""

from __future__ import annotations

import json

import pytest

from bwvreview.app.demo import DEMO_TIP, DEMO_TRAINER
from tests.integration.practice_cli import demo_library, ok_json, run

PPN1 = "Adult at risk: Sarah Whitfield. Scared he will come back."


@pytest.fixture
def demo(db_url, monkeypatch):
    return demo_library(db_url, monkeypatch)


def test_a_tip_observes_reviews_and_debriefs_and_the_officer_sees_it(demo, capsys, monkeypatch):
    tip = (capsys, monkeypatch, DEMO_TIP)
    types = {t["key"]: t["template"] for t in ok_json(*tip, "incident", "types")["types"]}
    assert types["stop_and_search"] == "stop_and_search" and types["other"] == "general"

    # a stop-and-search observation from its template, two notes coded
    seen = ok_json(*tip, "observe", "start", "SS-0042", "--type", "stop_and_search",
                   "--officer", "4471", "--context", "High street, evening")  # fmt: skip
    assert seen["template_key"] == "stop_and_search" and len(seen["checks"]) == 13
    oid = seen["id"]
    first = ok_json(*tip, "observe", "note", str(oid), "Gave grounds clearly", "--at", "0:30")
    second = ok_json(*tip, "observe", "note", str(oid), "Searched in full view", "--at", "95")
    assert (first["at"], first["category"]) == (30.0, "note")
    assert ok_json(*tip, "observe", "code", str(first["id"]), "explained_action")["polarity"] == (
        "good_practice")  # fmt: skip
    ok_json(*tip, "observe", "code", str(second["id"]), "privacy_breach")
    ok_json(*tip, "observe", "check", str(oid), "grounds", "met", "--note", "Specific")
    ok_json(*tip, "observe", "check", str(oid), "warrant_card", "n/a")
    shared = ok_json(*tip, "observe", "share", str(oid))
    assert [n["category"] for n in shared["notes"]] == ["explained_action", "privacy_breach"]

    # a PPN1 review for the demo incident, linked to its disclosure moment
    made = ok_json(*tip, "ppn1", "review", "DEMO-0001", "--officer", "4471", "--text-stdin",
                   stdin=PPN1)  # fmt: skip
    rid = str(made["id"])
    assert made["has_ppn1_text"] and "Whitfield" not in json.dumps(made)
    rated = ok_json(*tip, "ppn1", "rate", rid, "voice", "met", "--note", "Her own words",
                    "--moment", str(demo["disclosure"]))  # fmt: skip
    assert rated["moments"] == [demo["disclosure"]]
    ok_json(*tip, "ppn1", "rate", rid, "household", "not", "--wording", "List everyone there")
    ok_json(*tip, "ppn1", "share", rid)

    # a debrief with two learning points and a follow-up
    held = ok_json(*tip, "session", "record", "--attendee", "4471", "--from-debrief",
                   "--moment", str(demo["triggering_language"]), "--went-well", "Gave time",
                   "--learning", "Slow down after a disclosure",
                   "--learning", "Offer a seat, not an order", "--date", "2027-01-20")  # fmt: skip
    assert held["kind"] == "individual" and len(held["learning_points"]) == 2
    follow = ok_json(*tip, "session", "follow-up", str(held["id"]), "Read the PPN1 guidance",
                     "--owner", "4471", "--due", "2027-02-01")  # fmt: skip
    open_ones = ok_json(*tip, "session", "follow-ups")["follow_ups"]
    assert follow["id"] in [f["id"] for f in open_ones]

    # the officer reads all three and adds to the session's record
    officer = (capsys, monkeypatch, "4471")
    assert oid in [o["id"] for o in ok_json(*officer, "observe", "list")["observations"]]
    reviews = ok_json(*officer, "ppn1", "list")["reviews"]
    assert made["id"] in [r["id"] for r in reviews]
    added = ok_json(*officer, "session", "note", str(held["id"]), "I will offer a seat")
    assert added["notes"][-1] == {"author": "Officer 4471", "text": "I will offer a seat"}
    assert ok_json(*officer, "session", "done", str(follow["id"]))["done_by"] == "Officer 4471"
    assert follow["id"] not in [f["id"] for f in ok_json(*tip, "session", "follow-ups")[
        "follow_ups"]]  # fmt: skip
    code, _, err = run(*officer, "observe", "note", str(oid), "mine now")
    assert code == 3 and len(err.strip().splitlines()) == 1

    # found by search, kept from a trainer
    hits = ok_json(*tip, "search", "grounds", "--kind", "practice")["hits"]
    assert ("practice", "observation", oid) in [(h["kind"], h["record"], h["record_id"])
                                                for h in hits]  # fmt: skip
    trainer = (capsys, monkeypatch, DEMO_TRAINER)
    assert ok_json(*trainer, "observe", "list")["observations"] == []
    code, _, err = run(*trainer, "ppn1", "show", rid)
    assert code == 3 and f"no PPN1 review with id {rid}" in err


def test_bad_input_is_one_line_and_exit_3(demo, capsys, monkeypatch):
    tip = (capsys, monkeypatch, DEMO_TIP)
    seen = ok_json(*tip, "observe", "start", "DEMO-0002", "--officer", "4471")
    note = ok_json(*tip, "observe", "note", str(seen["id"]), "x", "--at", "1")
    for argv, words in (
        (("observe", "code", str(note["id"]), "nonsense"), "no codebook category"),
        (("observe", "start", "NEW-1"), "say its type to create it"),
        (("incident", "add", "NEW-2", "--type", "burglary"), "no incident type 'burglary'"),
        (("session", "record", "--attendee", "nobody"), "no user called 'nobody'"),
        (("session", "follow-up", "1", "x", "--owner", "4471", "--due", "soon"), "not a date"),
        (("ppn1", "review", "DEMO-0002", "--officer", DEMO_TRAINER), "is not an officer"),
    ):
        code, _, err = run(*tip, *argv)
        assert code == 3, argv
        assert words in err and len(err.strip().splitlines()) == 1, err
    with pytest.raises(SystemExit) as usage:  # argparse: a usage error
        run(*tip, "observe", "check", str(seen["id"]), "grounds", "maybe")
    assert usage.value.code == 2
