"""An attacker with the database but not the key tries to hide what the audit log recorded.

Each attack is run on SQLite and on PostgreSQL (the shared ``db`` fixture); every one of them
verified as "Chain intact" before the log was keyed and given a signed checkpoint (issue 15).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bwvreview.annotations.audit import GENESIS, KEYED_ACTION, record_event
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.audit.seal import AuditKeyError, store_for
from bwvreview.annotations.store.db import open_database
from bwvreview.annotations.store.models import AuditEvent

EVENTS = 80


def record(db, n: int, first: int = 1) -> None:
    with db.begin() as session:
        for i in range(first, first + n):
            record_event(session, actor="asha", action="annotate", object_type="annotation",
                         object_id=i, details={"n": i})  # fmt: skip


@pytest.fixture
def library(db):
    record(db, EVENTS)
    assert audit_log.verify(db).ok
    return db


def sql(db, statement: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(statement), params)


def sha256_chain(db, renumber: bool = False) -> None:
    """Recompute every hash with plain SHA-256, as the old code did (the forger has no key)."""
    with db.begin() as session:
        prev = GENESIS
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        if renumber:  # close the gaps in seq and id too, highest last so nothing collides
            for n, event in enumerate(events, start=1):
                event.seq = -n
            session.flush()
            for n, event in enumerate(events, start=1):
                event.seq = n
            session.flush()
        for event in events:
            obj = f"{event.object_type}:{event.object_id}"
            parts = [prev, event.at.isoformat(), event.actor, event.action, obj, event.details]
            payload = json.dumps(parts, sort_keys=True, separators=(",", ":"))
            event.prev_hash = prev
            event.hash = hashlib.sha256(payload.encode()).hexdigest()
            prev = event.hash


def broken(db):
    report = audit_log.verify(db)
    assert not report.ok, report.summary
    assert "\n" not in report.summary
    return report


def test_deleting_the_last_event_is_found(library):
    sql(library, "DELETE FROM audit_events WHERE seq = :n", n=EVENTS)
    report = broken(library)
    assert report.summary == (
        f"Audit log not verified: 1 event missing at the end (seq {EVENTS} to {EVENTS}): "
        f"the signed checkpoint records {EVENTS} events"
    )
    assert report.first_bad_seq == EVENTS


def test_deleting_the_last_ten_events_is_found(library):
    sql(library, "DELETE FROM audit_events WHERE seq > :n", n=EVENTS - 10)
    report = broken(library)
    assert report.reason.startswith(f"10 events missing at the end (seq {EVENTS - 9} to {EVENTS})")


def test_deleting_every_event_is_found(library):
    sql(library, "DELETE FROM audit_events")
    report = broken(library)
    assert report.reason.startswith(f"{EVENTS} events missing at the end (seq 1 to {EVENTS})")
    assert report.first_bad_seq == 1


def test_deleting_every_event_and_the_seal_is_found_and_not_resealed(library):
    sql(library, "DELETE FROM audit_events")
    sql(library, "DELETE FROM audit_seal")
    assert "audit seal record was removed" in broken(library).reason
    with pytest.raises(AuditKeyError, match=f"checkpoint vouches for {EVENTS} events"):
        record(library, 1)  # the next change must not paper over it with a new seal


def test_editing_event_50_and_recomputing_the_sha256_chain_is_found(library):
    sql(library, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 50")
    sha256_chain(library)
    report = broken(library)
    assert report.first_bad_seq == 1  # no event was written with plain SHA-256
    assert "changed after it was written" in report.reason


def test_editing_event_50_and_recomputing_from_there_is_found_at_50(library):
    sql(library, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 50")
    report = broken(library)
    assert (report.first_bad_seq, report.broken.actor) == (50, "mallory")


def test_deleting_a_middle_event_and_recomputing_is_found(library):
    sql(library, "DELETE FROM audit_events WHERE seq = 70")
    sha256_chain(library)
    assert broken(library).first_bad_seq == 1


def test_deleting_a_middle_event_is_named_by_its_seq(library):
    sql(library, "DELETE FROM audit_events WHERE seq = 70")
    report = broken(library)
    assert report.first_bad_seq == 70
    assert report.reason.endswith("event #70 was deleted (seq 70 is missing).")


def test_renumbering_ids_over_a_deleted_event_is_found(library):
    sql(library, "DELETE FROM audit_events WHERE seq = 70")
    sql(library, "UPDATE audit_events SET id = id + 1000 WHERE seq > 70")
    sql(library, "UPDATE audit_events SET id = id - 1001 WHERE id > 1000")
    assert broken(library).first_bad_seq == 70


def test_renumbering_seq_and_recomputing_is_found(library):
    sql(library, "DELETE FROM audit_events WHERE seq = 70")
    sha256_chain(library, renumber=True)
    assert not audit_log.verify(library).ok


def test_an_older_checkpoint_does_not_hide_deleting_below_it(library):
    store = store_for(library.engine)
    older = store.read_head_text()  # after 80 events
    record(library, 20, first=EVENTS + 1)
    store.write_head_text(older)
    sql(library, "DELETE FROM audit_events WHERE seq > :n", n=EVENTS - 5)
    assert broken(library).reason.startswith("5 events missing at the end")


def test_an_older_checkpoint_leaves_the_newer_events_unprotected_and_says_so(library):
    """The documented limit: the checkpoint on this machine only vouches up to its seq."""
    store = store_for(library.engine)
    older = store.read_head_text()
    record(library, 20, first=EVENTS + 1)
    store.write_head_text(older)
    report = audit_log.verify(library)
    assert report.ok and report.behind == 20
    assert "The newest 20 were recorded after this machine's checkpoint" in report.summary


def test_a_checkpoint_edited_without_the_key_is_refused(library):
    store = store_for(library.engine)
    data = json.loads(store.read_head_text())
    data["count"] = data["seq"] = EVENTS - 10
    store.write_head_text(json.dumps(data))
    sql(library, "DELETE FROM audit_events WHERE seq > :n", n=EVENTS - 10)
    assert "checkpoint's signature is wrong" in broken(library).reason


def test_a_removed_checkpoint_is_a_failure(library):
    store_for(library.engine).head_path.unlink()
    assert "signed checkpoint is missing" in broken(library).reason


def test_a_removed_key_is_named_and_never_passes(library):
    store = store_for(library.engine)
    store.key_path.unlink()
    report = broken(library)
    assert report.summary.startswith("Audit log not verified: the audit key is missing")
    assert str(store.key_path) in report.reason
    with pytest.raises(AuditKeyError, match="audit key of this library is missing"):
        record(library, 1)
    sql(library, "DELETE FROM audit_events")
    assert "the audit key is missing" in broken(library).reason


def test_another_librarys_key_is_refused(library, tmp_path):
    store = store_for(library.engine)
    store.key_path.write_text("bwvreview-audit-key-1 " + "ab" * 32 + "\n")
    assert "is not this library's key" in broken(library).reason
    with pytest.raises(AuditKeyError, match="not this library's key"):
        record(library, 1)


def test_moving_the_keyed_cut_over_is_found(library):
    sql(library, "UPDATE audit_seal SET legacy_through = :n", n=EVENTS)
    sha256_chain(library)
    assert "does not match the signed checkpoint" in broken(library).reason


# --- the ordinary path ----------------------------------------------------------------------


def test_a_new_library_verifies(db):
    report = audit_log.verify(db)
    assert (report.ok, report.events, report.summary) == (
        True, 0, "Chain intact: no events recorded yet.")  # fmt: skip


def test_many_events_in_many_transactions_verify(db):
    for n in range(0, 300, 30):
        record(db, 30, first=n + 1)
    report = audit_log.verify(db)
    assert (report.ok, report.events, report.head_seq, report.behind) == (True, 300, 300, 0)


def test_the_key_and_checkpoint_are_private_files(db):
    record(db, 1)
    store = store_for(db.engine)
    if os.name == "posix":
        for path in (store.key_path, store.head_path):
            assert path.stat().st_mode & 0o777 == 0o600, path
    assert [p for p in store.head_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_an_event_rolled_back_leaves_the_checkpoint_alone(db):
    record(db, 3)
    with pytest.raises(RuntimeError), db.begin() as session:
        record_event(session, actor="a", action="x", object_type="t", object_id=1)
        raise RuntimeError("the change failed")
    with db.begin() as session, session.begin_nested() as savepoint:
        record_event(session, actor="a", action="x", object_type="t", object_id=2)
        savepoint.rollback()
    assert audit_log.verify(db).ok
    record(db, 1, first=4)
    assert (audit_log.verify(db).ok, audit_log.verify(db).head_seq) == (True, 4)


def test_writers_at_once_take_every_seq_once(db):
    errors = []

    def write(actor: str) -> None:
        try:
            for n in range(15):
                with db.begin() as session:
                    record_event(session, actor=actor, action="x", object_type="t", object_id=n)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    if db.dialect == "sqlite":
        pytest.skip("SQLite has one writer at a time; PostgreSQL needs the advisory lock")
    threads = [threading.Thread(target=write, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.begin() as session:
        seqs = session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, 46))
    assert audit_log.verify(db).ok


def test_team_mode_key_file_is_shared_and_each_machine_may_lag(db, tmp_path, monkeypatch):
    if db.dialect == "sqlite":
        pytest.skip("team mode is PostgreSQL")
    key_file = tmp_path / "team.key"
    monkeypatch.setenv("BWVREVIEW_AUDIT_KEY_FILE", str(key_file))
    record(db, 5)  # machine A makes the key there
    assert key_file.exists() and store_for(db.engine).head_path == tmp_path / "team.key.head"
    head_a = (tmp_path / "team.key.head").read_text()
    record(db, 5, first=6)  # machine B (same key file, its own checkpoint) writes on
    (tmp_path / "team.key.head").write_text(head_a)  # A's checkpoint never saw B's events
    report = audit_log.verify(db)
    assert (report.ok, report.behind) == (True, 5)
    sql(db, "DELETE FROM audit_events WHERE seq > 3")  # but less than A saw is truncation
    assert broken(db).reason.startswith("2 events missing at the end")


# --- a library made before the key ----------------------------------------------------------


@pytest.fixture
def old_library(db_url):
    """A library at migration 0007 with events chained the old way, then upgraded."""
    from alembic import command
    from sqlalchemy import create_engine

    from bwvreview.annotations.store.db import _alembic_config, normalise_url

    engine = create_engine(normalise_url(db_url))
    if engine.url.get_backend_name() == "sqlite":
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        with engine.begin() as conn:  # the fixture's database is at head: start again
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    command.upgrade(_alembic_config(engine), "0007_unique_user_names")
    prev = GENESIS
    with engine.begin() as conn:
        for n in range(1, 6):
            at = f"2026-01-0{n}T10:00:00"
            payload = json.dumps([prev, at, "old", "import", "recording:1", {"n": n}],
                                 sort_keys=True, separators=(",", ":"))  # fmt: skip
            digest = hashlib.sha256(payload.encode()).hexdigest()
            conn.execute(text(
                "INSERT INTO audit_events (at, actor, action, object_type, object_id, details, "
                "prev_hash, hash) VALUES (:at, 'old', 'import', 'recording', '1', :details, "
                ":prev, :hash)"), {"at": at.replace("T", " "), "details": json.dumps({"n": n}),
                                   "prev": prev, "hash": digest})  # fmt: skip
            prev = digest
    engine.dispose()
    database = open_database(db_url)  # migrates to head: seq numbered, no key yet
    yield database
    database.close()


def test_an_upgraded_library_is_keyed_at_its_next_event(old_library):
    report = broken(old_library)
    assert "has no key yet: its 5 events were chained without one" in report.reason
    record(old_library, 1)
    report = audit_log.verify(old_library)
    assert (report.ok, report.events) == (True, 7)
    with old_library.begin() as session:
        cut = session.scalar(select(AuditEvent).where(AuditEvent.seq == 6))
    assert (cut.action, cut.details["legacy_through"]) == (KEYED_ACTION, 5)


def test_an_old_event_changed_after_the_cut_over_is_found(old_library):
    record(old_library, 1)
    sql(old_library, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 5")
    sha256_chain(old_library)  # the old part can be recomputed, the keyed part cannot
    assert broken(old_library).first_bad_seq == 6
