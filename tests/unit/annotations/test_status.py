"""Review status: new → transcribed → in review → reviewed → shared → archived, audited."""

import pytest
from sqlalchemy import select

from bwvreview.annotations import review
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.review import library, transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import open_database, sqlite_url
from bwvreview.bundled import resource_path


@pytest.fixture
def db(tmp_path):
    database = open_database(sqlite_url(tmp_path / "lib.sqlite3"))
    with database.begin() as session:
        session.add(models.Recording(id=1, path="x.mp4", sha256="a" * 64, size_bytes=1,
                                     duration_ms=60_000))  # fmt: skip
        store_codebook(session, load_codebook(resource_path("codebook.yaml")))
    yield database
    database.close()


def status_events(db):
    with db.begin() as session:
        return [e.details for e in session.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "status-change")
        )]  # fmt: skip


def test_transcribing_then_annotating_moves_the_recording_forward(db):
    assert library.get_recording(db, 1).status == "new"
    words = (NewWord(0, 400, " hello", 0.9),)
    transcripts.store_transcript(db, 1, [NewSegment(0, 400, "hello", "officer", words)],
                                 model="m", device="cpu", compute_type="", language="en",
                                 speaker_confidence=None, actor="tip")  # fmt: skip
    assert library.get_recording(db, 1).status == "transcribed"
    review.create_annotation(db, recording_id=1, codebook_id=1, category_key="missed_choice",
                             start_ms=0, end_ms=400, actor="tip")  # fmt: skip
    assert library.get_recording(db, 1).status == "in_review"
    assert status_events(db) == [
        {"from": "new", "to": "transcribed"},
        {"from": "transcribed", "to": "in_review"},
    ]


def test_automatic_steps_never_move_a_recording_back(db):
    library.set_status(db, 1, "reviewed", actor="tip")
    review.create_annotation(db, recording_id=1, codebook_id=1, category_key="missed_choice",
                             start_ms=0, end_ms=400, actor="tip")  # fmt: skip
    words = (NewWord(0, 400, " hello", 0.9),)
    transcripts.store_transcript(db, 1, [NewSegment(0, 400, "hello", "officer", words)],
                                 model="m", device="cpu", compute_type="", language="en",
                                 speaker_confidence=None, actor="tip")  # fmt: skip
    assert library.get_recording(db, 1).status == "reviewed"


def test_a_reviewer_sets_any_status_and_each_change_is_audited(db):
    for status in ("reviewed", "shared", "archived", "in_review"):
        assert library.set_status(db, 1, status, actor="tip").status == status
    library.set_status(db, 1, "in_review", actor="tip")  # no change, no event
    assert [e["to"] for e in status_events(db)] == ["reviewed", "shared", "archived", "in_review"]


def test_an_unknown_status_is_refused(db):
    with pytest.raises(DomainError, match="status must be one of"):
        library.set_status(db, 1, "published", actor="tip")
    assert library.get_recording(db, 1).status == "new"


@pytest.mark.parametrize("role", ["officer", "trainer"])
def test_only_reviewers_change_status(db, role):
    with pytest.raises(PermissionDenied):
        library.set_status(db.as_user(Principal(9, "someone", role)), 1, "archived")
