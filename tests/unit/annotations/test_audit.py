import pytest
from sqlalchemy import update

from bwvreview.annotations.audit import GENESIS, record_event, verify_chain
from bwvreview.annotations.store.models import AuditEvent


@pytest.fixture
def db(db):
    """The shared two-engine database (tests/conftest.py) with five events recorded."""
    database = db
    with database.begin() as session:
        for n in range(5):
            record_event(
                session,
                actor="tip1",
                action="import",
                object_type="recording",
                object_id=n,
                details={"n": n},
            )
    return database


def test_each_event_links_to_the_one_before(db):
    with db.begin() as session:
        events = session.query(AuditEvent).order_by(AuditEvent.id).all()
        assert events[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
        assert [e.seq for e in events] == [1, 2, 3, 4, 5]
        assert verify_chain(session).ok
        assert verify_chain(session).events == 5


def test_changing_an_event_breaks_the_chain_there(db):
    with db.begin() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(actor="someone else"))
    with db.begin() as session:
        check = verify_chain(session)
    assert not check.ok
    assert check.first_bad_id == 3
    assert check.reason == "event content changed"


def test_deleting_an_event_breaks_the_chain_after_it(db):
    with db.begin() as session:
        session.delete(session.get(AuditEvent, 2))
    with db.begin() as session:
        check = verify_chain(session)
    assert (check.ok, check.first_bad_id, check.first_bad_seq) == (False, 3, 2)
    assert (check.kind, check.missing) == ("missing", (2, 2))


def test_the_newest_event_deleted_is_missing_at_the_end(db):
    with db.begin() as session:
        session.delete(session.get(AuditEvent, 5))
    with db.begin() as session:
        check = verify_chain(session)
    assert (check.ok, check.kind, check.reason) == (
        False,
        "truncated",
        "1 event missing at the end",
    )
