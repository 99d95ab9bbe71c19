import sqlite3

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bwvreview.annotations import models
from bwvreview.annotations.db import open_database, sqlite_url
from bwvreview.annotations.errors import DatabaseError


@pytest.fixture
def db(tmp_path):
    database = open_database(sqlite_url(tmp_path / "nested" / "lib.sqlite3"))
    yield database
    database.close()


def test_open_creates_every_table_at_the_newest_revision(db):
    tables = set(inspect(db.engine).get_table_names())
    expected = {
        "recordings", "incidents", "incident_officers", "users", "transcripts", "segments",
        "words", "codebook_versions", "codebook_categories", "annotations", "reflections",
        "redactions", "clips", "training_packs", "training_pack_items", "audit_events",
        "suggestions", "jobs", "segments_fts", "annotations_fts", "alembic_version",
    }  # fmt: skip
    assert expected <= tables
    with db.engine.connect() as conn:
        assert conn.scalar(text("select version_num from alembic_version")) == "0005_team_learning"


def test_every_connection_has_wal_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError), db.begin() as session:
        session.add(models.Transcript(recording_id=999, model="m"))


def test_a_span_cannot_end_before_it_starts(db):
    with db.begin() as session:
        rec = models.Recording(path="x", sha256="a" * 64, size_bytes=1, duration_ms=1000)
        session.add(rec)
    with pytest.raises(IntegrityError), db.begin() as session:
        session.add(models.Redaction(recording_id=rec.id, kind="audio", start_ms=500, end_ms=100))


def test_a_committed_change_is_visible_to_a_fresh_connection(db, tmp_path):
    with db.begin() as session:
        session.add(models.Incident(reference="INC-1"))
    raw = sqlite3.connect(tmp_path / "nested" / "lib.sqlite3")
    assert raw.execute("select reference from incidents").fetchall() == [("INC-1",)]
    raw.close()


def test_reopening_is_idempotent(tmp_path):
    url = sqlite_url(tmp_path / "lib.sqlite3")
    open_database(url).close()
    open_database(url).close()
    assert not list(tmp_path.glob("*.bak"))  # nothing to migrate, so no backup


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    url = sqlite_url(tmp_path / "lib.sqlite3")
    open_database(url).close()
    raw = sqlite3.connect(tmp_path / "lib.sqlite3")
    raw.execute("update alembic_version set version_num = '9999_future'")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseError, match="newer bwvreview"):
        open_database(url)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "lib.sqlite3"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="cannot open the database"):
        open_database(sqlite_url(path))
