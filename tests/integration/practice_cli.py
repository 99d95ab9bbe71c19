"""The demo incident in a team-mode library, and running `bwvreview` as one of its people:
shared by the tests of `incident|observe|ppn1|session`."""

from __future__ import annotations

import io
import json

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import users
from bwvreview.app.demo import DEMO_TIP, DEMO_TRAINER
from bwvreview.cli import main

PASSWORDS = {DEMO_TIP: "tip password 1", DEMO_TRAINER: "trainer pass 1", "4471": "officer pw 1"}


def demo_library(db_url, monkeypatch) -> dict[str, int]:
    """The demo incident in a library whose people sign in with passwords (as team mode
    needs); the demo's own practice records are there too. Returns the demo's moments by
    category (the last of each)."""
    lib = app.open_library(db_url=db_url)
    admin = users.create_user(lib.db, "Ada Admin", "admin", password="admin pw 12")
    for name, role, collar in ((DEMO_TIP, "tip", None), (DEMO_TRAINER, "trainer", None),
                               ("Officer 4471", "officer", "4471")):  # fmt: skip
        users.create_user(lib.db, name, role, collar_number=collar,
                          password=PASSWORDS[collar or name])  # fmt: skip
    assert admin.id
    recording = app.import_demo(lib)
    moments = {a.category_key: a.id for a in review.list_annotations(lib.db, recording.id)}
    lib.close()
    monkeypatch.setenv("BWVREVIEW_DB", db_url)
    return moments


def run(capsys, monkeypatch, who: str, *argv: str, stdin: str | None = None):
    monkeypatch.setenv("BWVREVIEW_USER", who)
    monkeypatch.setenv("BWVREVIEW_PASSWORD", PASSWORDS[who])
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok_json(capsys, monkeypatch, who: str, *argv: str, stdin: str | None = None):
    code, out, err = run(capsys, monkeypatch, who, *argv, "--json", stdin=stdin)
    assert code == 0, err
    return json.loads(out)
