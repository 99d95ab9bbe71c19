import pytest

from bwvreview.annotations import review
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.store import models
from bwvreview.bundled import resource_path

CODEBOOK_ID: dict[str, int] = {}


@pytest.fixture
def db(db):
    """The shared two-engine database (tests/conftest.py) with recording 1."""
    database = db
    with database.begin() as session:
        session.add(models.Recording(path="x.mp4", sha256="a" * 64, size_bytes=1,
                                     duration_ms=60_000))  # fmt: skip
        book = store_codebook(session, load_codebook(resource_path("codebook.yaml")))
    CODEBOOK_ID[database.url] = book
    return database


def make(db, key="missed_choice", start=1000, end=2500, **extra):
    return review.create_annotation(db, recording_id=1, codebook_id=CODEBOOK_ID[db.url],
                                    category_key=key, start_ms=start, end_ms=end,
                                    actor="tip", **extra)  # fmt: skip


def test_created_annotation_carries_its_category_and_codebook_version(db):
    made = make(db, note="could have offered a seat", severity=2)
    assert (made.category_key, made.polarity, made.principles) == (
        "missed_choice",
        "concern",
        ("choice",),
    )
    assert made.codebook_version == "2026.2"
    assert review.list_annotations(db, 1) == [made]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": 2000, "end": 1000}, "must end after it starts"),
        ({"key": "offered_choice", "severity": 2}, "only for concerns"),
        ({"severity": 5}, "severity is 1–3"),
        ({"key": "made_up"}, "no category 'made_up'"),
        ({"status": "published"}, "status must be one of"),
    ],
)
def test_bad_annotations_are_refused(db, kwargs, message):
    with pytest.raises(DomainError, match=message):
        make(db, **kwargs)
    assert review.list_annotations(db, 1) == []


def test_update_bumps_the_version_and_a_stale_save_is_a_conflict(db):
    made = make(db)
    moved = review.update_annotation(db, made.id, expected_version=made.version, actor="tip",
                                     start_ms=500, note="moved")  # fmt: skip
    assert (moved.start_ms, moved.note, moved.version) == (500, "moved", made.version + 1)
    with pytest.raises(review.ConflictError):
        review.update_annotation(db, made.id, expected_version=made.version, actor="other",
                                 note="overwrite")  # fmt: skip
    assert review.get_annotation(db, made.id).note == "moved"


def test_delete_returns_what_was_removed(db):
    made = make(db)
    gone = review.delete_annotation(db, made.id, actor="tip")
    assert gone.id == made.id
    assert review.list_annotations(db, 1) == []


def test_a_delete_of_a_version_someone_since_changed_is_a_conflict(db):
    made = make(db)
    theirs = review.update_annotation(db, made.id, expected_version=made.version, actor="tip2",
                                      note="their note")  # fmt: skip
    with pytest.raises(review.ConflictError, match="changed by someone else"):
        review.delete_annotation(db, made.id, expected_version=made.version, actor="tip")
    assert review.get_annotation(db, made.id) == theirs  # nothing removed
    gone = review.delete_annotation(db, made.id, expected_version=theirs.version, actor="tip")
    assert gone == theirs and review.list_annotations(db, 1) == []
