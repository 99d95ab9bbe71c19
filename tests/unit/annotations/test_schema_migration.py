"""Migration 0014 on a library in use at 0013, on both engines: every row of every table is
kept, a user without a name key gets the key sign-in finds them by, the key can no longer
be left out, deleting a user who decided or overrode a clip unlinks them from it, and the
audit chain still verifies."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bwvreview.annotations.access import users
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.errors import DatabaseError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import (
    Database,
    _alembic_config,
    check_integrity,
    normalise_url,
    open_database,
    sqlite_url,
)
from tests.unit.annotations.old_library import engine_as_opened
from tests.unit.annotations.test_model_schema import _differences

BEFORE = "0013_pack_planning"  # the revision before 0014_schema_as_models
AFTER = "0014_schema_as_models"
PASSWORD = "long enough pw"  # team mode gives everyone a password


def _sql(conn, statement: str, **params) -> None:
    conn.execute(text(statement), params)


def _old_library(url: str) -> dict[str, int]:
    """A library at 0013 in use: users made by the users service (each an audit event),
    an officer linked to an incident, a clip exported by one user, overridden by her and
    decided by another, in a pack; on SQLite, three users written around bwvreview with no
    name key, two of them under a name another user holds."""
    engine = engine_as_opened(url)
    command.upgrade(_alembic_config(engine), BEFORE)
    old = Database(url=normalise_url(url), engine=engine,
                   sessions=sessionmaker(engine, expire_on_commit=False))  # fmt: skip
    password = PASSWORD if old.dialect != "sqlite" else None
    ids = {
        "tia": users.create_user(old, "Tia Tip", "tip", password=password).id,
        "sam": users.create_user(old, "Sam Second", "tip", password=password).id,
        "lee": users.create_user(old, "PC Lee", "officer", collar_number="5002",
                                 password=password).id,
        "tia_52": users.create_user(old, "Tia Tip (user 52)", "tip", password=password).id,
    }  # fmt: skip
    with engine.begin() as conn:
        if old.dialect == "sqlite":
            for uid, name in ((50, "Ann   Other"), (51, "TIA  tip"), (52, "Tia Tip")):
                _sql(conn, "INSERT INTO users (id, name, role, active, created_at) VALUES "
                     "(:id, :name, 'tip', true, '2026-01-01')", id=uid, name=name)  # fmt: skip
            ids |= {"ann": 50, "tia_again": 51, "tia_third": 52}
        _sql(conn, "INSERT INTO incidents (id, reference, description, people_places, "
             "people_places_found, created_at) VALUES (1, 'INC-1', '', '[]', '[]', "
             "'2026-01-01')")  # fmt: skip
        _sql(conn, "INSERT INTO incident_officers (incident_id, user_id) VALUES (1, :lee)",
             lee=ids["lee"])  # fmt: skip
        _sql(conn, "INSERT INTO recordings (id, incident_id, path, sha256, size_bytes, "
             "duration_ms, variable_frame_rate, rotation, container, audio_channels, has_audio, "
             "imported_at, status) VALUES (1, 1, 'x.mp4', 'b', 1, 60000, false, 0, '', 1, true, "
             "'2026-01-01', 'new')")  # fmt: skip
        _sql(conn, "INSERT INTO clips (id, recording_id, start_ms, end_ms, output_path, sha256, "
             "options, report, verified, source_sha256, in_library, created_by, created_at, "
             "release_state, exported_by, override_reason, override_by_id, override_by, "
             "decided_by_id, decided_by, decided_at, decision_reason) VALUES (1, 1, 0, 10, "
             "'c.mp4', 's', '{}', '{}', false, 'b', true, :tia, '2026-01-01', 'approved', "
             "'Tia Tip', 'actors', :tia, 'Tia Tip', :sam, 'Sam Second', '2026-01-02', 'fine')",
             tia=ids["tia"], sam=ids["sam"])  # fmt: skip
        _sql(conn, "INSERT INTO training_packs (id, title, description, created_by, created_at, "
             "session_minutes) VALUES (1, 'Pack', '', :tia, '2026-01-01', 60)",
             tia=ids["tia"])  # fmt: skip
        _sql(conn, "INSERT INTO training_pack_items (pack_id, clip_id, position, "
             "facilitator_notes, prompts, discussion_minutes) VALUES (1, 1, 0, 'Play twice', "
             "'[]', 5)")  # fmt: skip
    assert audit_log.verify(old).ok
    engine.dispose()
    return ids


def _every_row(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, in id order (the columns as the table has them)."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return {
                table: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{table}"'))]
                for table in inspect(conn).get_table_names()
                if table != "alembic_version" and "_fts" not in table
            }
    finally:
        engine.dispose()


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)


@dataclass(frozen=True)
class Upgraded:
    db: Database  # opened, so migrated to the newest schema
    ids: dict[str, int]  # the old library's users
    before: dict[str, list[tuple]]  # every row of the old library
    log: str  # what the upgrade logged


@pytest.fixture
def upgraded(empty_url, caplog) -> Iterator[Upgraded]:
    ids = _old_library(empty_url)
    before = _every_row(empty_url)
    with caplog.at_level(logging.WARNING, "bwvreview.annotations.store.migrations"):
        db = open_database(empty_url)
    yield Upgraded(db, ids, before, caplog.text)
    db.close()


def test_every_row_is_kept_and_a_missing_name_key_is_filled(upgraded):
    db, ids, before = upgraded.db, upgraded.ids, upgraded.before
    after = _every_row(db.url)
    assert set(after) == set(before)
    for table in set(before) - {"users"}:
        assert _sorted(after[table]) == _sorted(before[table]), table
    assert len(after["users"]) == len(before["users"])
    with db.engine.connect() as conn:
        people = dict(conn.execute(text("SELECT id, name || ' / ' || name_key FROM users")).all())
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == AFTER
    expected = {ids["tia"]: "Tia Tip / tia tip", ids["sam"]: "Sam Second / sam second",
                ids["lee"]: "PC Lee / pc lee",
                ids["tia_52"]: "Tia Tip (user 52) / tia tip (user 52)"}  # fmt: skip
    if db.dialect == "sqlite":
        expected |= {
            50: "Ann   Other / ann other",  # the key sign-in compares by
            51: "TIA tip (user 51) / tia tip (user 51)",  # Tia Tip signs in as before
            52: "Tia Tip (user 52, 2) / tia tip (user 52, 2)",  # "… (user 52)" is taken
        }
        assert "the name 'TIA  tip' is another user's; renamed 'TIA tip (user 51)'" in upgraded.log
        assert users.find_user(db, "ann other").id == 50
    assert people == expected
    assert users.find_user(db, "tia tip").id == ids["tia"]
    assert users.find_user(db, "5002").id == ids["lee"]
    assert check_integrity(db) == []
    assert _differences(db) == []


def test_the_upgraded_schema_holds_what_the_models_say(upgraded):
    db, ids = upgraded.db, upgraded.ids
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":  # the connection the migration ran on is back to normal
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(IntegrityError), db.begin() as session:
        session.execute(text("INSERT INTO users (name, role, active, created_at) VALUES "
                             "('No Key', 'tip', true, '2026-01-01')"))  # fmt: skip
    # deleting a user (only SQL does; bwvreview deactivates) unlinks them from clips
    with db.begin() as session:
        session.execute(text("DELETE FROM users WHERE id = :sam"), {"sam": ids["sam"]})
    with db.begin() as session:
        clip = session.get(models.Clip, 1)
        assert (clip.decided_by_id, clip.decided_by, clip.override_by_id) == (
            None, "Sam Second", ids["tia"])  # fmt: skip
        session.execute(text("DELETE FROM users WHERE id = :tia"), {"tia": ids["tia"]})
    with db.begin() as session:
        clip = session.get(models.Clip, 1)
        assert (clip.override_by_id, clip.created_by, clip.override_by) == (None, None, "Tia Tip")
        item = session.query(models.TrainingPackItem).one()  # the pack keeps its clip
        assert (item.clip_id, item.facilitator_notes) == (1, "Play twice")
    assert check_integrity(db) == []


def test_the_audit_chain_verifies_after_the_upgrade_and_goes_on(upgraded):
    db = upgraded.db
    report = audit_log.verify(db)
    assert (report.ok, report.events) == (True, 4)  # the four users made before
    password = PASSWORD if db.dialect != "sqlite" else None
    users.create_user(db, "Someone New", "trainer", password=password)
    report = audit_log.verify(db)
    assert (report.ok, report.events) == (True, 5)


def test_a_link_broken_before_the_upgrade_is_kept_and_still_reported(tmp_path):
    """Old damage (a row written with foreign keys off) does not stop the upgrade, and is
    neither hidden nor mended by it: an administrator still sees it."""
    url = sqlite_url(tmp_path / "old.sqlite3")
    _old_library(url)
    engine = create_engine(url)  # foreign keys off, as a careless tool might write
    with engine.begin() as conn:
        _sql(conn, "UPDATE clips SET decided_by_id = 999 WHERE id = 1")
    engine.dispose()
    db = open_database(url)
    try:
        assert check_integrity(db) == ["clips row 1 points at a missing row of users"]
        with db.begin() as session:
            assert session.get(models.Clip, 1).decided_by_id == 999
    finally:
        db.close()


def test_an_upgrade_that_fails_half_way_changes_nothing(tmp_path):
    """The users table is copied before the clips table: a failure at the second (here a
    table in the way of the copy) leaves the library exactly as it was, still at 0013. Every
    user has a key, so the upgrade's first statement is the copy's CREATE TABLE (which SQLite's
    driver would otherwise run outside any transaction)."""
    url = sqlite_url(tmp_path / "old.sqlite3")
    _old_library(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        _sql(conn, "UPDATE users SET name_key = 'key ' || id WHERE name_key IS NULL")
        _sql(conn, "CREATE TABLE _alembic_tmp_clips (id INTEGER)")
    before = _every_row(url)
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name")).all()
    engine.dispose()
    with pytest.raises(DatabaseError, match="already exists"):
        open_database(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name")).all() == (
            schema)  # fmt: skip
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == BEFORE
    engine.dispose()
    assert _every_row(url) == before


def test_going_back_to_0013_keeps_the_schema_and_coming_back_is_the_same(upgraded):
    engine = engine_as_opened(upgraded.db.url)
    cfg = _alembic_config(engine)
    command.downgrade(cfg, BEFORE)
    assert _differences(upgraded.db) == []  # 0013 keeps the mended schema
    command.upgrade(cfg, "head")
    engine.dispose()
    assert _every_row(upgraded.db.url)["clips"] == upgraded.before["clips"]
    assert users.find_user(upgraded.db, "sam second").id == upgraded.ids["sam"]
