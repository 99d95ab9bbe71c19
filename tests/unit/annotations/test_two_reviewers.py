"""Two reviewers on one database (two ``Database`` handles, as two machines would have): the
second save of the same annotation is a conflict, never a silent overwrite. Both engines."""

import threading
import time

import pytest
from sqlalchemy import event, select, text

from bwvreview.annotations import review
from bwvreview.annotations.audit import record_event, verify_chain
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import open_database
from bwvreview.bundled import resource_path


@pytest.fixture
def reviewers(db_url):
    """(first, second): two handles on one fresh database holding one annotation."""
    first = open_database(db_url)
    with first.begin() as session:
        recording = models.Recording(path="x.mp4", sha256="a" * 64, size_bytes=1,
                                     duration_ms=60_000)  # fmt: skip
        session.add(recording)
        session.flush()
        book = store_codebook(session, load_codebook(resource_path("codebook.yaml")))
    made = review.create_annotation(first, recording_id=recording.id, codebook_id=book,
                                    category_key="missed_choice", start_ms=1000, end_ms=2500,
                                    actor="tip1")  # fmt: skip
    second = open_database(db_url)
    yield first, second, made
    second.close()
    first.close()


def test_the_second_save_of_the_same_version_is_a_conflict(reviewers):
    first, second, made = reviewers
    seen_by_second = review.get_annotation(second, made.id)
    saved = review.update_annotation(first, made.id, expected_version=made.version,
                                     actor="tip1", note="first reviewer")  # fmt: skip
    with pytest.raises(review.ConflictError, match="changed by someone else"):
        review.update_annotation(second, made.id, expected_version=seen_by_second.version,
                                 actor="tip2", note="second reviewer")  # fmt: skip
    assert review.get_annotation(second, made.id) == saved
    # having read the new version, the second reviewer can save over it
    again = review.update_annotation(second, made.id, expected_version=saved.version,
                                     actor="tip2", note="second reviewer")  # fmt: skip
    assert (again.note, again.version) == ("second reviewer", saved.version + 1)


def test_a_save_landing_between_the_check_and_the_write_is_still_a_conflict(reviewers):
    # The second reviewer's save has read the row and passed the version check; just before
    # it writes, the first reviewer's save commits. The write must then find the row changed.
    first, second, made = reviewers
    landed = []

    def first_reviewer_saves(_session, _context, _instances):
        landed.append(review.update_annotation(first, made.id, expected_version=made.version,
                                               actor="tip1", note="first"))  # fmt: skip

    event.listen(second.sessions, "before_flush", first_reviewer_saves, once=True)
    with pytest.raises(review.ConflictError):
        review.update_annotation(second, made.id, expected_version=made.version,
                                 actor="tip2", note="second")  # fmt: skip
    assert landed and review.get_annotation(first, made.id).note == "first"
    with first.begin() as session:
        assert verify_chain(session).ok


def _waiting_on_a_lock(db) -> bool:
    with db.engine.connect() as conn:
        return bool(conn.scalar(text(
            "select count(*) from pg_stat_activity where datname = current_database() "
            "and wait_event_type = 'Lock'"
        )))  # fmt: skip


def test_two_reviewers_writing_at_once_keep_one_audit_chain(pg_url):
    # Each audit event links to the one before it; two transactions appending at once must not
    # both link to the same event (a fork that verify_chain reports as a broken chain). On
    # SQLite a second writer waits for the first to commit, so this can only happen on
    # PostgreSQL, where writers to different rows need not wait for each other.
    first, second = open_database(pg_url), open_database(pg_url)
    other_writer: list[threading.Thread] = []

    def first_reviewer_records():
        with first.begin() as other:
            record_event(other, actor="tip1", action="test", object_type="x", object_id=1)

    def start_first_reviewer(session, _context, _instances):
        if other_writer or not any(isinstance(o, models.AuditEvent) for o in session.new):
            return
        # second has linked its event to the last one and is about to write it: the first
        # reviewer appends now, on another connection, and must wait for second to finish.
        other_writer.append(threading.Thread(target=first_reviewer_records))
        other_writer[0].start()
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(first) and other_writer[0].is_alive():
            assert time.monotonic() < deadline, "the first reviewer neither waited nor finished"
            time.sleep(0.05)

    event.listen(second.sessions, "before_flush", start_first_reviewer)
    try:
        with second.begin() as session:
            session.add(models.Incident(reference="INC-2"))
            session.flush()
            record_event(session, actor="tip2", action="test", object_type="x", object_id=2)
        other_writer[0].join(timeout=60)
        assert not other_writer[0].is_alive()
        with first.begin() as session:
            check = verify_chain(session)
            assert (check.ok, check.events) == (True, 2), check
            actors = session.scalars(select(models.AuditEvent.actor).order_by(models.AuditEvent.id))
            assert list(actors) == ["tip2", "tip1"]
    finally:
        event.remove(second.sessions, "before_flush", start_first_reviewer)
        second.close()
        first.close()
