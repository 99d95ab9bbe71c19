import datetime as dt

import pytest
from sqlalchemy import text, update

from bwvreview.annotations import audit
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.audit import record_event
from bwvreview.annotations.audit.entries import AuditFilter
from bwvreview.annotations.store.db import open_database
from bwvreview.annotations.store.models import AuditEvent


@pytest.fixture
def db(db_url, monkeypatch):
    """Seven events over seven days, on SQLite and on PostgreSQL."""
    database = open_database(db_url)
    for n in range(1, 8):
        # the hash and the checkpoint cover the time: record each event on its own day
        with monkeypatch.context() as patch, database.begin() as session:
            patch.setattr(audit, "utcnow", lambda n=n: dt.datetime(2026, 3, n, 12, 0))
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


def test_pages_are_newest_first_with_a_total(db):
    page = audit_log.list_events(db, offset=0, limit=3)
    assert [e.id for e in page.entries] == [7, 6, 5]
    assert page.total == 7
    assert [e.id for e in audit_log.list_events(db, offset=6, limit=3).entries] == [1]
    first = page.entries[0]
    assert (first.actor, first.action, first.object, first.details) == (
        "asha",
        "export",
        "annotation 7",
        {"n": 7},
    )


def test_filters_by_actor_action_and_days(db):
    def ids(**kwargs):
        return [e.id for e in audit_log.list_events(db, AuditFilter(**kwargs)).entries]

    assert ids(actor="ben") == [6, 4, 2]
    assert ids(action="export") == [7, 6]
    assert ids(actor="asha", action="annotate") == [5, 3, 1]
    assert ids(since=dt.date(2026, 3, 3), until=dt.date(2026, 3, 4)) == [4, 3]
    assert audit_log.list_events(db, AuditFilter(actor="ben")).total == 3
    assert audit_log.offset_of(db, 4, AuditFilter(actor="ben")) == 1
    assert audit_log.facets(db) == (["asha", "ben"], ["annotate", "export"])


def test_an_intact_chain_verifies(db):
    report = audit_log.verify(db)
    assert (report.ok, report.events, report.broken) == (True, 7, None)
    assert report.summary.startswith(
        "Chain intact: all 7 events checked, none changed or removed (head: seq 7, hash "
    )


def test_changed_details_are_reported_at_that_event(db):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET details = '{\"n\": 99}' WHERE id = 4"))
    report = audit_log.verify(db)
    assert (report.ok, report.broken.id, report.broken.details) == (False, 4, {"n": 99})
    assert report.summary.startswith("Chain broken at event #4: it was changed after it was")


def test_deleted_events_are_named(db):
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id IN (3, 4)"))
    report = audit_log.verify(db)
    assert report.broken.id == 5
    assert report.reason == (
        "it does not follow on from event #2: events #3 to #4 were deleted "
        "(seq 3 to 4 are missing)."
    )


def test_deleting_the_first_event_is_named(db):
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id = 1"))
    report = audit_log.verify(db)
    assert report.broken.id == 2
    assert "earlier events were deleted" in report.reason


def test_an_event_rehashed_without_the_key_is_found_at_that_event(db):
    with db.begin() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(actor="mallory"))
        event = session.get(AuditEvent, 3)
        event.hash = audit.legacy_digest(event)  # the forger re-hashes with plain SHA-256
    report = audit_log.verify(db)
    assert (report.ok, report.broken.id, report.first_bad_seq) == (False, 3, 3)
    assert "it was changed after it was written (seq 3)" in report.reason


@pytest.mark.parametrize("role", ["tip", "trainer", "officer"])
def test_only_admins_read_or_verify_the_log(db, role):
    reader = db.as_user(Principal(5, "someone", role))
    for call in (
        lambda: audit_log.list_events(reader),
        lambda: audit_log.verify(reader),
        lambda: audit_log.facets(reader),
        lambda: audit_log.offset_of(reader, 1),
    ):
        with pytest.raises(PermissionDenied):
            call()
    admin = db.as_user(Principal(6, "root", "admin"))
    assert audit_log.verify(admin).ok
