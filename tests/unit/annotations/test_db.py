import datetime as dt
import threading
import time

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.errors import DatabaseError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import (
    MIGRATION_LOCK_KEY,
    _alembic_config,
    check_integrity,
    newest_revision,
    normalise_url,
    open_database,
    safe_url,
    sqlite_url,
)

HEAD = "0014_schema_as_models"  # the newest migration: a new library is brought up to it


def test_open_creates_every_table_at_the_newest_revision(db):
    tables = set(inspect(db.engine).get_table_names())
    expected = {
        "recordings", "incidents", "incident_officers", "users", "transcripts", "segments",
        "words", "codebook_versions", "codebook_categories", "annotations", "reflections",
        "redactions", "clips", "training_packs", "training_pack_items", "audit_events",
        "suggestions", "jobs", "alembic_version", "programme_documents", "training_sessions",
        "training_session_packs", "training_attendance", "questionnaire_responses",
    }  # fmt: skip
    assert expected <= tables
    if db.dialect == "sqlite":
        assert {"segments_fts", "annotations_fts"} <= tables
    else:
        for table in ("segments", "annotations"):
            columns = {c["name"]: c for c in inspect(db.engine).get_columns(table)}
            assert "search" in columns, table
    with db.engine.connect() as conn:
        assert conn.scalar(text("select version_num from alembic_version")) == HEAD


def test_the_dialect_names_the_engine(db, db_url):
    assert db.dialect == ("sqlite" if db_url.startswith("sqlite") else "postgresql")


def test_every_connection_has_wal_and_foreign_keys(sqlite_db):
    db = sqlite_db
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


def test_a_committed_change_is_visible_to_a_fresh_connection(db, db_url):
    with db.begin() as session:
        session.add(models.Incident(reference="INC-1"))
    other = create_engine(normalise_url(db_url))
    with other.connect() as conn:
        assert conn.execute(text("select reference from incidents")).all() == [("INC-1",)]
    other.dispose()


def test_a_second_handle_sees_the_schema_already_migrated(db, db_url):
    second = open_database(db_url)
    try:
        with second.begin() as session:
            session.add(models.Incident(reference="INC-2"))
        with db.begin() as session:
            assert session.query(models.Incident).one().reference == "INC-2"
    finally:
        second.close()


def test_postgresql_urls_use_psycopg_3():
    assert normalise_url("postgresql://tip@db.example/bwv") == (
        "postgresql+psycopg://tip@db.example/bwv"
    )
    assert normalise_url("postgres://tip@host:5433/bwv") == "postgresql+psycopg://tip@host:5433/bwv"
    assert normalise_url("postgresql+psycopg://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_messages_never_show_the_password():
    assert "secret" not in safe_url("postgresql://tip:secret@host/bwv")


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with pytest.raises(DatabaseError, match="cannot open the database") as caught:
        open_database("postgresql://tip:secret@127.0.0.1:1/bwv")
    assert "secret" not in str(caught.value)


def test_other_database_engines_are_refused_plainly():
    with pytest.raises(DatabaseError, match="SQLite or PostgreSQL, not mysql"):
        open_database("mysql://tip@host/bwv")


def test_a_missing_postgresql_database_is_named(pg_url):
    missing = pg_url.rsplit("/", 1)[0] + "/no_such_bwv_db"
    with pytest.raises(DatabaseError, match='database "no_such_bwv_db" does not exist'):
        open_database(missing)


def test_a_postgresql_url_opens_through_plain_postgresql_scheme(pg_url):
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    again = open_database(plain)
    try:
        assert again.engine.url.drivername == "postgresql+psycopg"
    finally:
        again.close()


def test_reopening_is_idempotent(tmp_path):
    url = sqlite_url(tmp_path / "lib.sqlite3")
    open_database(url).close()
    open_database(url).close()
    assert not list(tmp_path.glob("*.bak"))  # nothing to migrate, so no backup


def test_the_newest_revision_read_from_the_files_is_alembics_head():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    assert newest_revision() == script.get_current_head() == HEAD


def test_opening_a_current_library_does_not_load_alembic(tmp_path):
    """Every command opens the library; one already at the newest schema is recognised
    from its stamp alone (Alembic took a tenth of a second to import at every start)."""
    import subprocess
    import sys

    url = sqlite_url(tmp_path / "lib.sqlite3")
    open_database(url).close()
    code = ("import sys; from bwvreview.annotations.store.db import open_database; "
            f"open_database({url!r}).close(); print('alembic' in sys.modules)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    assert done.stdout.strip() == "False"


def test_a_database_from_a_newer_version_is_refused(db, db_url):
    with db.engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999_future'"))
    db.close()
    with pytest.raises(DatabaseError, match="newer bwvreview"):
        open_database(db_url)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "lib.sqlite3"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="cannot open the database"):
        open_database(sqlite_url(path))


def test_postgresql_migrates_step_by_step_from_the_baseline_keeping_data(pg_empty_url):
    engine = create_engine(normalise_url(pg_empty_url))
    cfg = _alembic_config(engine)
    command.upgrade(cfg, "0001_baseline")
    with engine.begin() as conn:
        conn.execute(
            text(
                "insert into recordings (path, sha256, size_bytes, duration_ms, "
                "variable_frame_rate, rotation, container, audio_channels, has_audio, "
                "imported_at, status) values ('x.mp4', 'b', 1, 1000, false, 0, '', 1, true, "
                "'2026-01-01', 'new')"
            )
        )
        conn.execute(text("insert into incidents (reference, description, created_at) "
                          "values ('INC-9', '', '2026-01-01')"))  # fmt: skip
    engine.dispose()
    db = open_database(pg_empty_url)
    try:
        with db.begin() as session:
            assert session.query(models.Recording).one().path == "x.mp4"
            assert session.query(models.Incident).one().people_places == []  # JSON default
            # the server's own defaults, as another program writing SQL would get them
            session.execute(
                text("insert into jobs (kind, created_at) values ('transcribe', :at)"),
                {"at": dt.datetime(2026, 1, 1)},
            )
        with db.begin() as session:
            job = session.query(models.Job).one()
            assert (job.params, job.state, job.attempts) == ({}, "queued", 0)
    finally:
        db.close()


def test_postgresql_migrations_go_down_to_nothing_and_up_again(pg_empty_url):
    engine = create_engine(normalise_url(pg_empty_url))
    cfg = _alembic_config(engine)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    assert "jobs" in inspect(engine).get_table_names()
    engine.dispose()


def test_postgresql_check_constraints_hold(pg_url):
    db = open_database(pg_url)
    try:
        with pytest.raises(IntegrityError), db.begin() as session:
            session.add(models.User(name="x", role="superuser"))
    finally:
        db.close()


# --- check_integrity -------------------------------------------------------------------------

RECORDING_SQL = (
    "insert into recordings (path, sha256, size_bytes, duration_ms, variable_frame_rate, "
    "rotation, container, audio_channels, has_audio, imported_at, status) values "
    "('x.mp4', :sha, :size, 1000, false, 0, '', 1, true, '2026-01-01', 'new')"
)


def test_a_sound_database_has_no_integrity_problems(db):
    with db.begin() as session:
        session.add(models.Incident(reference="INC-1"))
    assert check_integrity(db) == []


@pytest.mark.parametrize("role", ["tip", "trainer", "officer"])
def test_only_an_administrator_checks_integrity(sqlite_db, role):
    with pytest.raises(PermissionDenied):
        check_integrity(sqlite_db.as_user(Principal(user_id=1, name="x", role=role)))


def test_rows_pointing_at_missing_rows_are_found(db):
    # Foreign keys can only be broken with the checks switched off: SQLite's per-connection
    # pragma, PostgreSQL's replica mode (which skips the foreign key triggers).
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")
        conn.execute(
            text(
                "insert into transcripts (recording_id, model, device, compute_type, language, "
                "state, is_current, created_at) values "
                "(999, 'm', 'cpu', 'int8', 'en', 'complete', true, '2026-01-01')"
            )
        )
        conn.commit()
        if db.dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        else:
            conn.exec_driver_sql("SET session_replication_role = origin")
    problems = check_integrity(db)
    assert len(problems) == 1
    assert "transcripts" in problems[0] and "recordings" in problems[0]


def test_a_damaged_sqlite_file_is_reported(tmp_path):
    path = tmp_path / "lib.sqlite3"
    db = open_database(sqlite_url(path))
    with db.begin() as session:
        session.add_all(
            [models.Incident(reference=f"INC-{n:05d}", description="x" * 200) for n in range(500)]
        )
    with db.engine.connect() as conn:
        root = conn.scalar(
            text("select rootpage from sqlite_master where name = 'sqlite_autoindex_incidents_1'")
        )
        page_size = conn.scalar(text("PRAGMA page_size"))
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    with open(path, "r+b") as raw:  # scribble over the whole root page of an index
        raw.seek((root - 1) * page_size)
        raw.write(b"\x07" * page_size)
    db = open_database(sqlite_url(path))
    try:
        problems = check_integrity(db)
    finally:
        db.close()
    assert problems, "a scribbled-over index page went unnoticed"


def test_a_postgresql_index_out_of_order_is_found_by_amcheck(pg_url):
    # A B-tree ordered by a comparison function that is then reversed: the index pages are
    # left out of order, which is what amcheck's bt_index_check looks for.
    db = open_database(pg_url)
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE FUNCTION bwv_cmp(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS "
                "'SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END'"
            )
            conn.exec_driver_sql(
                "CREATE OPERATOR CLASS bwv_int_ops FOR TYPE int USING btree AS "
                "OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, "
                "FUNCTION 1 bwv_cmp(int, int)"
            )
            conn.exec_driver_sql(
                "CREATE INDEX ix_bwv_by_size ON recordings (size_bytes bwv_int_ops)"
            )
            for n in range(50):
                conn.execute(text(RECORDING_SQL), {"sha": f"{n:064d}", "size": n})
        assert check_integrity(db) == []
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION bwv_cmp(a int, b int) RETURNS int LANGUAGE sql "
                "IMMUTABLE AS 'SELECT CASE WHEN a < b THEN 1 WHEN a > b THEN -1 ELSE 0 END'"
            )
        db.engine.dispose()  # fresh connections, so no cached comparison is used
        problems = check_integrity(db)
        with db.engine.connect() as conn:
            assert conn.scalar(text("select count(*) from pg_extension where extname = 'amcheck'"))
    finally:
        db.close()
    assert problems == [
        'index ix_bwv_by_size: item order invariant violated for index "ix_bwv_by_size"'
    ]


def _waiting_for_the_migration_lock(engine) -> bool:
    with engine.connect() as conn:  # a new transaction each time: activity is read afresh
        return bool(conn.scalar(text(
            "select count(*) from pg_stat_activity where wait_event = 'advisory'"
        )))  # fmt: skip


def test_postgresql_clients_opening_at_once_migrate_one_at_a_time(pg_empty_url):
    # Another bwvreview holds the migration lock (it is migrating): this one waits for it,
    # then finds the schema done rather than creating the tables a second time.
    holder = create_engine(normalise_url(pg_empty_url))
    opened: list[object] = []
    with holder.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        conn.commit()
        command.upgrade(_alembic_config(holder), "head")  # "the other client" migrates
        waiter = threading.Thread(target=lambda: opened.append(open_database(pg_empty_url)))
        waiter.start()
        deadline = time.monotonic() + 30
        while not _waiting_for_the_migration_lock(holder):
            assert waiter.is_alive() and time.monotonic() < deadline, "it did not wait"
            time.sleep(0.05)
        assert not opened
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        conn.commit()
    waiter.join(timeout=60)
    holder.dispose()
    (db,) = opened
    try:
        with db.engine.connect() as conn:
            assert conn.scalar(text("select version_num from alembic_version")) == HEAD
    finally:
        db.close()
