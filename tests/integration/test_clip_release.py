"""`bwvreview clips list|approve|reject` (issue 15, release needs a second person), signed in
as real people on both engines: who may approve, what each role lists, the file check, the
reason, the audit log and a pack that names a clip no longer approved."""

from __future__ import annotations

import hashlib
import io
import json
import shutil

import pytest

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.learning import clips, packs
from bwvreview.cli import main

PEOPLE = (("Tia Tip", "tip", None), ("Tess Second", "tip", None), ("Tom Trainer", "trainer", None),
          ("Officer 4471", "officer", "4471"))  # fmt: skip
PASSWORD = "a long pass 1"


def run(capsys, monkeypatch, db_url, who, *argv, stdin=None):
    if who is None:
        monkeypatch.delenv("BWVREVIEW_USER", raising=False)
        monkeypatch.delenv("BWVREVIEW_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("BWVREVIEW_USER", who)
        monkeypatch.setenv("BWVREVIEW_PASSWORD", PASSWORD)
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(_isolated_data, capsys, monkeypatch, db_url, clip_path, tmp_path):
    """An admin, two TIPs, a trainer and an officer; a clip Tia Tip exported and verified."""
    code, _, err = run(capsys, monkeypatch, db_url, None, "users", "add", "Ada Admin", "--role",
                       "admin", "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 0, err
    for name, role, collar in PEOPLE:
        extra = ["--collar", collar] if collar else []
        code, _, err = run(capsys, monkeypatch, db_url, "Ada Admin", "users", "add", name,
                           "--role", role, *extra, "--password-stdin",
                           stdin=PASSWORD + "\n")  # fmt: skip
        assert code == 0, err
    lib = app.open_library(db_url=db_url)
    try:
        tia = users.sign_in(lib.db, users.find_user(lib.db, "Tia Tip").id, PASSWORD)
        recording, _ = app.import_media(lib, clip_path)
        copy = tmp_path / "calm down.mp4"
        shutil.copyfile(clip_path, copy)
        sha = hashlib.sha256(copy.read_bytes()).hexdigest()
        new = clips.NewClip(recording.id, None, 0, 2000, str(copy), sha, recording.sha256, {},
                            {"verdict": "pass"}, True)  # fmt: skip
        clip_id = clips.record_clip(lib.db.as_user(tia), new, tia.name).id
    finally:
        lib.close()
    return db_url, clip_id, copy


def listed(capsys, monkeypatch, db_url, who):
    code, out, err = run(capsys, monkeypatch, db_url, who, "clips", "list", "--json")
    assert code == 0, err
    return {c["id"]: c for c in json.loads(out)["clips"]}


def audit(db_url, action):
    lib = app.open_library(db_url=db_url)
    try:
        return [e for e in audit_log.list_events(lib.db, limit=1000).entries if e.action == action]
    finally:
        lib.close()


def test_the_exporter_cannot_approve_their_own_clip(library, capsys, monkeypatch):
    db_url, clip_id, _copy = library
    code, out, err = run(capsys, monkeypatch, db_url, "Tia Tip", "clips", "approve", str(clip_id))
    assert code == 3 and out == ""
    assert err == (f"bwvreview: you exported clip {clip_id}: another TIP or an admin must watch"
                   " and approve it\n")  # fmt: skip
    assert listed(capsys, monkeypatch, db_url, "Tia Tip")[clip_id]["state"] == "awaiting"
    assert audit(db_url, "clip.approved") == []


def test_a_trainer_cannot_approve_and_an_officer_cannot_list(library, capsys, monkeypatch):
    db_url, clip_id, _copy = library
    code, _out, err = run(capsys, monkeypatch, db_url, "Tom Trainer", "clips", "approve",
                          str(clip_id))  # fmt: skip
    assert code == 3 and err.count("\n") == 1 and "a TIP or an admin does" in err
    code, out, err = run(capsys, monkeypatch, db_url, "4471", "clips", "list")
    assert code == 3 and out == "" and err.count("\n") == 1 and "may not" in err


def test_a_second_tip_approves_and_the_trainer_then_sees_it(library, capsys, monkeypatch):
    db_url, clip_id, _copy = library
    assert listed(capsys, monkeypatch, db_url, "Tom Trainer") == {}
    code, out, _ = run(capsys, monkeypatch, db_url, "Tom Trainer", "clips", "list")
    assert (code, out) == (0, "No clips to show.\n")
    code, out, err = run(capsys, monkeypatch, db_url, "Tess Second", "clips", "approve",
                         str(clip_id))  # fmt: skip
    assert (code, err) == (0, "") and "approved for trainers by Tess Second" in out
    seen = listed(capsys, monkeypatch, db_url, "Tom Trainer")[clip_id]
    assert seen["state_words"] == "Approved for trainers" and seen["decided_by"] == "Tess Second"
    code, out, _ = run(capsys, monkeypatch, db_url, "Tom Trainer", "clips", "list")
    assert "Approved for trainers" in out and "calm down.mp4" in out
    (event,) = audit(db_url, "clip.approved")
    assert event.actor == "Tess Second" and event.object_id == str(clip_id) and event.at


def test_not_approved_needs_a_reason_and_keeps_the_clip_out(library, capsys, monkeypatch):
    db_url, clip_id, _copy = library
    with pytest.raises(SystemExit) as usage:  # --reason is required: a usage error
        run(capsys, monkeypatch, db_url, "Tess Second", "clips", "reject", str(clip_id))
    assert usage.value.code == 2 and "--reason" in capsys.readouterr().err
    code, _out, err = run(capsys, monkeypatch, db_url, "Tess Second", "clips", "reject",
                          str(clip_id), "--reason", "  ")  # fmt: skip
    assert code == 3 and err == "bwvreview: say why the clip is not approved (--reason TEXT)\n"
    code, out, err = run(capsys, monkeypatch, db_url, "Tess Second", "clips", "reject",
                         str(clip_id), "--reason", "A face shows at 0:01")  # fmt: skip
    assert code == 0 and "not approved by Tess Second: A face shows at 0:01" in out
    assert listed(capsys, monkeypatch, db_url, "Tom Trainer") == {}
    code, out, _ = run(capsys, monkeypatch, db_url, "Tom Trainer", "clips", "list")
    assert (code, out) == (0, "No clips to show.\n")
    mine = listed(capsys, monkeypatch, db_url, "Tia Tip")[clip_id]
    assert (mine["state"], mine["decision_reason"]) == ("not_approved", "A face shows at 0:01")
    (event,) = audit(db_url, "clip.not_approved")
    assert event.actor == "Tess Second" and event.details["reason"] == "A face shows at 0:01"
    code, _out, err = run(capsys, monkeypatch, db_url, "Ada Admin", "clips", "approve",
                          str(clip_id))  # fmt: skip
    assert code == 3 and "was not approved" in err


def test_a_changed_or_missing_file_cannot_be_approved(library, capsys, monkeypatch):
    db_url, clip_id, copy = library
    saved = copy.read_bytes()
    copy.write_bytes(saved[:-10] + b"0123456789")
    code, _out, err = run(capsys, monkeypatch, db_url, "Tess Second", "clips", "approve",
                          str(clip_id))  # fmt: skip
    assert code == 3 and err.count("\n") == 1 and "changed since it was verified" in err
    copy.unlink()
    code, _out, err = run(capsys, monkeypatch, db_url, "Ada Admin", "clips", "approve",
                          str(clip_id))  # fmt: skip
    assert code == 3 and err.count("\n") == 1 and "is not at" in err
    assert audit(db_url, "clip.approved") == []


def test_a_pack_naming_a_clip_no_longer_approved_refuses(library, capsys, monkeypatch, tmp_path):
    db_url, clip_id, _copy = library
    assert run(capsys, monkeypatch, db_url, "Tess Second", "clips", "approve", str(clip_id))[0] == 0
    lib = app.open_library(db_url=db_url)
    try:
        trainer = users.sign_in(lib.db, users.find_user(lib.db, "Tom Trainer").id, PASSWORD)
        pack = packs.create_pack(lib.db.as_user(trainer), "Session one")
        packs.add_clip(lib.db.as_user(trainer), pack.id, clip_id)
    finally:
        lib.close()
    code, _out, _err = run(capsys, monkeypatch, db_url, "Tess Second", "clips", "reject",
                           str(clip_id), "--reason", "consent withdrawn")  # fmt: skip
    assert code == 0
    out_dir = tmp_path / "pack"
    code, out, err = run(capsys, monkeypatch, db_url, "Tom Trainer", "export-pack", str(pack.id),
                         "--out", str(out_dir))  # fmt: skip
    assert code == 3 and out == "" and not out_dir.exists()
    assert err == (f"bwvreview: clip {clip_id} in this pack is no longer approved for trainers;"
                   " remove it from the pack to export it\n")  # fmt: skip


def test_clips_help_says_who_approves(capsys):
    with pytest.raises(SystemExit):
        main(["clips", "--help"])
    assert "another TIP or an admin" in capsys.readouterr().out
