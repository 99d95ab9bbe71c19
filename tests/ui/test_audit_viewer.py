"""The admin's audit log viewer: filters, pages, and tampering found by "Verify chain"."""

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import text

from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.store.db import open_database, sqlite_url
from bwvreview.bundled import resource_path
from bwvreview.ui.audit_viewer import BROKEN, AuditViewer
from tests.ui.views_fit import LAPTOP, LAPTOP_125, misfits


@pytest.fixture
def db(tmp_path):
    database = open_database(sqlite_url(tmp_path / "audit.sqlite3"))
    with database.begin() as session:
        for n in range(1, 8):
            record_event(
                session,
                actor="asha" if n % 2 else "ben",
                action="annotate" if n < 6 else "export",
                object_type="annotation",
                object_id=n,
                details={"n": n},
            )
    yield database
    database.close()


@pytest.fixture
def viewer(qtbot, db):
    widget = AuditViewer(db, page_size=3)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(viewer):
    return [event.id for event in viewer.model.rows]


def test_events_newest_first_in_pages(qtbot, viewer):
    assert shown_ids(viewer) == [7, 6, 5]
    assert viewer.position.text() == "1–3 of 7"
    assert not viewer.newer.isEnabled()
    qtbot.mouseClick(viewer.older, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer.older, Qt.MouseButton.LeftButton)
    assert shown_ids(viewer) == [1]
    assert not viewer.older.isEnabled()
    model = viewer.model
    assert [model.data(model.index(0, c)) for c in (0, 2, 3, 4, 5)] == [
        "1",
        "asha",
        "Added an annotation",
        "annotation 1",
        "Number: 1",
    ]


def test_filters_by_actor_action_and_date(viewer):
    viewer.actor.setCurrentIndex(viewer.actor.findData("ben"))
    assert shown_ids(viewer) == [6, 4, 2]
    viewer.action.setCurrentIndex(viewer.action.findData("export"))
    assert shown_ids(viewer) == [6]
    viewer.actor.setCurrentIndex(0)
    viewer.action.setCurrentIndex(0)
    viewer.since.setDate(QDate.currentDate().addDays(2))
    assert shown_ids(viewer) == []
    assert viewer.position.text() == "0–0 of 0"


def test_verify_says_ok_on_an_intact_chain(qtbot, viewer):
    qtbot.mouseClick(viewer.verify_button, Qt.MouseButton.LeftButton)
    assert "Chain intact: all 7 events checked" in viewer.result.text()
    assert viewer.show_broken.isHidden()


def test_tampering_is_found_and_the_event_shown(qtbot, db, viewer):
    viewer.actor.setCurrentIndex(viewer.actor.findData("asha"))
    with db.engine.begin() as conn:  # someone edits the log behind the app's back
        conn.execute(text("UPDATE audit_events SET details = '{\"n\": 40}' WHERE id = 4"))
    qtbot.mouseClick(viewer.verify_button, Qt.MouseButton.LeftButton)
    message = viewer.result.text()
    assert "Chain broken at event #4: it was changed after it was written" in message
    assert viewer.actor.currentIndex() == 0  # filters cleared to show the broken event
    assert viewer.selected_event().id == 4
    assert viewer.selected_event().details == {"n": 40}
    row = shown_ids(viewer).index(4)
    background = viewer.model.data(viewer.model.index(row, 1), Qt.ItemDataRole.BackgroundRole)
    assert background.color() == BROKEN


def test_a_deleted_event_is_named(qtbot, db, viewer):
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id = 3"))
    qtbot.mouseClick(viewer.verify_button, Qt.MouseButton.LeftButton)
    assert "event #4: it does not follow on from event #2: event #3 was deleted" in (
        viewer.result.text()
    )


@pytest.mark.parametrize("role", ["tip", "trainer", "officer"])
def test_only_admins_may_open_it(db, role):
    with pytest.raises(PermissionDenied):
        AuditViewer(db.as_user(Principal(3, "someone", role)))


def test_the_library_tools_menu_opens_the_log_for_admins_only(qtbot):
    import dataclasses

    from bwvreview import app
    from bwvreview.ui.launch import build_library_window

    lib = app.open_library()
    try:
        window, _controller = build_library_window(lib)
        qtbot.addWidget(window)
        assert window.audit_action.isVisible()  # the machine owner is an admin
        assert not window.agreement_action.isEnabled()  # nothing selected yet
        window.audit_action.trigger()
        viewers = window.findChildren(AuditViewer)
        assert len(viewers) == 1 and viewers[0].isWindow()
        tip = dataclasses.replace(lib, db=lib.db.as_user(Principal(None, "tip", "tip")))
        tip_window, _ = build_library_window(tip)
        qtbot.addWidget(tip_window)
        assert not tip_window.audit_action.isVisible()
    finally:
        lib.close()


def test_events_read_in_plain_words_with_their_details_as_key_value_lines(qtbot, db):
    with db.begin() as session:
        store_codebook(session, load_codebook(resource_path("codebook.yaml")))
        record_event(session, actor="tess", action="annotate", object_type="annotation",
                     object_id=30, details={"category": "retired_old_key"})  # fmt: skip
        record_event(session, actor="tess", action="clip.not_approved", object_type="clip",
                     object_id=9, details={"reason": "a face is visible at 0:03",
                                           "was": "awaiting"})  # fmt: skip
        record_event(session, actor="tess", action="mask.saved", object_type="redaction",
                     object_id=2, details={"recording_id": 5, "keyframes": 3, "consent": True,
                                           "fields": ["note", "status"]})  # fmt: skip
        record_event(session, actor="tess", action="some_new.thing", object_type="training_pack",
                     object_id=1, details={})  # fmt: skip
        record_event(session, actor="tess", action="status-change", object_type="recording",
                     object_id=1, details={"from": "in_review", "to": "shared",
                                           "category": "closure_next_steps"})  # fmt: skip
    viewer = AuditViewer(db)
    qtbot.addWidget(viewer)
    viewer.show()
    model = viewer.model
    rows = {model.data(model.index(r, 3)): r for r in range(model.rowCount())}
    assert "Some new thing" in rows  # an action nobody has worded yet is still written out
    status = rows["Changed a review's status"]
    assert model.data(model.index(status, 5)) == (
        "From: In review · To: Shared with officer · Category: Ended well"
    )  # a category by the codebook's label
    annotated = next(r for r in range(model.rowCount()) if model.rows[r].object_id == "30")
    assert model.data(model.index(annotated, 5)) == "Category: retired old key"
    masked = rows["Saved a mask over part of the picture"]
    assert model.data(model.index(masked, 4)) == "mask 2"
    assert model.data(model.index(masked, 5)) == (
        "Recording: 5 · Keyframes: 3 · May be used in training: yes · What changed: note, status"
    )
    viewer.table.selectRow(rows["Did not approve a clip for trainers"])
    lines = viewer.details.toPlainText().splitlines()
    assert lines[0].startswith("Did not approve a clip for trainers, by tess, ")
    assert lines[1:3] == ["Reason: a face is visible at 0:03", "Was: awaiting"]
    shown = "\n".join(model.data(model.index(r, c)) for r in range(model.rowCount())
                      for c in range(6))  # fmt: skip
    assert "{" not in shown and "_id" not in shown and "recording_id" not in shown
    # the action filter offers the plain words, and still filters by the stored action
    words = [viewer.action.itemText(i) for i in range(viewer.action.count())]
    assert "Did not approve a clip for trainers" in words and "clip.not_approved" not in words
    viewer.action.setCurrentIndex(viewer.action.findText("Did not approve a clip for trainers"))
    assert [e.action for e in viewer.model.rows] == ["clip.not_approved"]


@pytest.mark.parametrize("size", [LAPTOP, LAPTOP_125], ids=["1366x700", "125%"])
def test_the_audit_log_fits_a_laptop(viewer, size):
    assert misfits(viewer, *size) == []


def test_every_event_of_a_library_in_use_reads_in_plain_words(tmp_path, clip_path):
    """The demo library with its practice records and training programme: no event falls
    back to its stored name written out ("Ppn1 point") in the admin's viewer."""
    from bwvreview.app import admin
    from bwvreview.app.audit_words import ACTIONS
    from tests.ui.every_window import open_demo_people

    demo = open_demo_people(tmp_path, clip_path)
    try:
        _, actions = admin.audit_facets(demo.owner.db)
    finally:
        demo.owner.close()
    assert {"ppn1-point", "observation-create", "programme.attendee_added"} <= set(actions)
    assert sorted(a for a in actions if a not in ACTIONS) == []
