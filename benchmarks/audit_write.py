"""What the keyed audit chain and its checkpoint cost: time to record 1,000 events.

    .venv/bin/python benchmarks/audit_write.py [--events 1000] [--pg URL]

Compares, in one run and on fresh databases, the old unkeyed SHA-256 append (reproduced
here as it was before issue 15) with today's ``record_event`` (HMAC-SHA256, seq, key read,
and a signed checkpoint written with fsync after each commit). Each event is committed on
its own, as the app does (one change, one transaction), and then all in one transaction.
``--pg`` adds the same on a PostgreSQL database (it must exist and be disposable).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bwvreview.annotations.audit import CHAIN_LOCK, GENESIS, record_event
from bwvreview.annotations.store.db import Database, open_database, sqlite_url
from bwvreview.annotations.store.models import AuditEvent, utcnow


def unkeyed_event(session: Session, **fields: object) -> None:
    """The append as it was: SHA-256 of the previous hash and the event, no key, no seq check."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    seq = last.seq + 1 if last else 1  # the column is NOT NULL now; the old code had none
    event = AuditEvent(seq=seq, at=utcnow(), details=fields.pop("details"),
                       prev_hash=last.hash if last else GENESIS, **fields)  # fmt: skip
    obj = f"{event.object_type}:{event.object_id}"
    payload = json.dumps([event.prev_hash, event.at.isoformat(), event.actor, event.action, obj,
                          event.details], sort_keys=True, separators=(",", ":"))  # fmt: skip
    event.hash = hashlib.sha256(payload.encode()).hexdigest()
    session.add(event)
    session.flush()


def keyed_event(session: Session, **fields: object) -> None:
    record_event(session, **fields)  # type: ignore[arg-type]


def run(db: Database, append: Callable[..., None], events: int, per_commit: bool) -> float:
    start = time.perf_counter()
    if per_commit:
        for n in range(events):
            with db.begin() as session:
                append(session, actor="bench", action="annotate", object_type="annotation",
                       object_id=str(n), details={"n": n})  # fmt: skip
    else:
        with db.begin() as session:
            for n in range(events):
                append(session, actor="bench", action="annotate", object_type="annotation",
                       object_id=str(n), details={"n": n})  # fmt: skip
    return time.perf_counter() - start


def fresh_sqlite(folder: Path, name: str) -> Database:
    return open_database(sqlite_url(folder / name / "lib.sqlite3"))


def fresh_pg(url: str) -> Database:
    db = open_database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))
        conn.execute(text("DELETE FROM audit_seal"))
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--pg", help="a disposable PostgreSQL database URL")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.setdefault("BWVREVIEW_AUDIT_KEY_FILE", str(folder / "pg.key"))
        engines = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
        for engine, url in engines:
            for per_commit in (True, False):
                times = {}
                for label, append in (("unkeyed", unkeyed_event), ("keyed", keyed_event)):
                    samples = []
                    for attempt in range(3):
                        name = f"{engine}-{label}-{per_commit}-{attempt}"
                        db = fresh_pg(url) if url else fresh_sqlite(folder, name)
                        if url:  # the checkpoint of the previous attempt describes other events
                            Path(f"{folder / 'pg.key'}.head").unlink(missing_ok=True)
                        samples.append(run(db, append, args.events, per_commit))
                        db.close()
                    times[label] = statistics.median(samples)
                mode = "one commit per event" if per_commit else "one commit for all"
                rows.append((engine, mode, times["unkeyed"], times["keyed"]))
    print(f"{args.events} audit events, median of 3 runs\n")
    print(f"{'engine':<11} {'commits':<21} {'unkeyed s':>10} {'keyed+ckpt s':>13} "
          f"{'per event':>13} {'ratio':>6}")  # fmt: skip
    for engine, mode, old, new in rows:
        extra_ms = (new - old) / args.events * 1000
        print(f"{engine:<11} {mode:<21} {old:>10.3f} {new:>13.3f} {extra_ms:>+10.3f} ms "
              f"{new / old:>6.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
