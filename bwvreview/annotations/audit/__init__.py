"""The audit log: a keyed, numbered hash chain with a signed head kept outside the database.

Each event carries a gap-free sequence number (``seq``), the previous event's hash, and its
own hash: HMAC-SHA256, under a per-library key that is *not* in the database (where the key
lives, and the team-mode rules, are in ``audit_seal.py``). After every committed event a
checkpoint (count, last seq, last hash, HMAC'd with the key) is written beside the key.

What ``verify_chain`` guarantees, to someone who can change the database but cannot read
the key:

* an edited event is found (its HMAC no longer matches; recomputing the chain needs the key);
* a deleted event is found: its seq is missing, and the next event's link is broken;
* removing the newest events (one, ten, or all of them) is found: the database is behind the
  signed checkpoint ("N events missing at the end");
* renumbering ids changes nothing it relies on (seq and the links are inside the HMAC);
* a missing or wrong key, or a missing, unreadable or forged checkpoint, is a failure: the
  log is never reported intact without the key.

What it does not guarantee:

* Someone who holds the key *and* the database can write any history they like, and sign a
  checkpoint for it. The key is as secret as the file system (or keyring) keeps it; in team
  mode every machine that records events holds it.
* The checkpoint only proves what had been written when it was last updated. A checkpoint
  behind the database is accepted when the chain extends it (another machine wrote since,
  or bwvreview stopped between a commit and the checkpoint), so the events after it can be
  removed unseen. Someone who replaces the checkpoint with an older copy *and* deletes the
  events written since that copy is therefore not detected, and neither is deleting every
  event together with the checkpoint file, the seal row and the key: with nothing left to
  compare, that looks like a library never used. Both are caught only by comparing with a
  checkpoint or key kept elsewhere: a backup of the data folder, another admin's machine,
  or the head (seq and hash) that ``bwvreview audit --verify`` prints, written down.
* Events written before the upgrade that introduced the key (seq up to ``legacy_through``)
  are still checked with the old unkeyed SHA-256 chain: anyone could have recomputed them
  before the cut-over. The keyed chain starts from their last hash, so they cannot be
  changed *after* it without breaking the first keyed event.

Details hold ids and facts, never transcript text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from bwvreview.annotations.audit.seal import AuditKeyError, Head, SealStore, key_id, store_for
from bwvreview.annotations.store.models import AuditEvent, AuditSeal, utcnow

log = logging.getLogger(__name__)

GENESIS = "0" * 64
CHAIN_LOCK = 0x62777661  # "bwva": the advisory lock that serialises appends on PostgreSQL
KEYED_ACTION = "audit-keyed"  # the first keyed event of a library that had unkeyed ones


def _payload(*parts: Any) -> bytes:
    return json.dumps(list(parts), sort_keys=True, separators=(",", ":")).encode("utf-8")


def legacy_digest(event: AuditEvent) -> str:
    """The unkeyed SHA-256 of an event written before the library had a key."""
    obj = f"{event.object_type}:{event.object_id}"
    data = _payload(event.prev_hash, event.at.isoformat(), event.actor, event.action, obj,
                    event.details)  # fmt: skip
    return hashlib.sha256(data).hexdigest()


def keyed_digest(key: bytes, event: AuditEvent) -> str:
    """The HMAC-SHA256 of an event: its seq, link, time, actor, action, object and details."""
    obj = f"{event.object_type}:{event.object_id}"
    data = _payload("v2", event.seq, event.prev_hash, event.at.isoformat(), event.actor,
                    event.action, obj, event.details)  # fmt: skip
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    On PostgreSQL, writers take a transaction-scoped advisory lock first, so two reviewers
    saving at once cannot both take the same seq or link to the same previous event (the
    unique seq index would refuse the second anyway); it is released when their transaction
    ends. SQLite allows one writer at a time already. The first event recorded in a library
    seals it (makes or finds its key, see ``_seal``). Raises ``AuditKeyError`` when the key
    is missing or is not this library's: the change is then not made. The signed checkpoint
    is written once the transaction commits.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    store = store_for(session.get_bind().engine)
    key, seal = _key_and_seal(session, store)
    event = _append(session, key, actor=actor, action=action, object_type=object_type,
                    object_id=object_id, details=details)  # fmt: skip
    _checkpoint_on_commit(session, store, key, seal, event)
    return event


def _append(session: Session, key: bytes, *, actor: str, action: str, object_type: str,
            object_id: object, details: dict[str, Any] | None) -> AuditEvent:  # fmt: skip
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    event = AuditEvent(
        seq=last.seq + 1 if last else 1,
        at=utcnow(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = keyed_digest(key, event)
    session.add(event)
    session.flush()
    return event


def _key_and_seal(session: Session, store: SealStore) -> tuple[bytes, AuditSeal]:
    seal = session.get(AuditSeal, 1)
    if seal is None:
        return _seal(session, store)
    key = store.require_key()
    if key_id(key) != seal.key_id:
        raise AuditKeyError(f"the audit key at {store.where} is not this library's key")
    return key, seal


def _seal(session: Session, store: SealStore) -> tuple[bytes, AuditSeal]:
    """Start keying this library's chain: from here on every event is HMAC'd.

    Events already there (a library made before keys) stay as they are, checked the old way
    up to ``legacy_through``, and the cut-over is itself recorded as a keyed event. Re-sealing
    them with the key instead would vouch for history nobody can vouch for: a forger could
    have recomputed the unkeyed chain the day before. Refuses when a checkpoint already
    vouches for events: the seal row was removed or the database replaced, and sealing again
    would hide that.
    """
    key = store.read_key()
    head = store.read_head(key) if key is not None else None
    if key is None and store.read_head_text() is not None:
        store.require_key()  # a checkpoint without its key: the key was removed
    if head is not None and head.count > 0:
        raise AuditKeyError(
            f"the audit log's checkpoint vouches for {head.count} events but the database has "
            "no audit seal: it was replaced or tampered with (run `bwvreview audit --verify`)"
        )
    key = key or store.create_key()
    legacy_through = session.scalar(select(func.max(AuditEvent.seq))) or 0
    seal = AuditSeal(id=1, key_id=key_id(key), legacy_through=legacy_through, sealed_at=utcnow())
    session.add(seal)
    session.flush()
    if legacy_through:
        _append(session, key, actor="bwvreview", action=KEYED_ACTION, object_type="audit_log",
                object_id=seal.key_id,
                details={"legacy_through": legacy_through, "key_id": seal.key_id})  # fmt: skip
    return key, seal


def _checkpoint_on_commit(session: Session, store: SealStore, key: bytes, seal: AuditSeal,
                          event: AuditEvent) -> None:  # fmt: skip
    head = Head(key_id=seal.key_id, legacy_through=seal.legacy_through, count=event.seq,
                seq=event.seq, hash=event.hash, written_at=utcnow().isoformat())  # fmt: skip
    session.info.setdefault("audit_heads", []).append((event, store, key, head))
    if not sa_event.contains(session, "after_commit", _write_checkpoint):
        sa_event.listen(session, "after_commit", _write_checkpoint)
        sa_event.listen(session, "after_rollback", _forget_checkpoint)


def _write_checkpoint(session: Session) -> None:
    pending = session.info.pop("audit_heads", [])
    # an event inside a savepoint that was rolled back is no longer persistent: skip it
    kept = [(store, key, head) for event, store, key, head in pending
            if inspect(event).persistent or inspect(event).detached]  # fmt: skip
    if not kept:
        return
    store, key, head = kept[-1]
    try:
        store.write_head(key, head)
    except OSError as exc:  # the event is committed; verification will show the lag
        log.error("could not write the audit checkpoint: %s", exc)


def _forget_checkpoint(session: Session) -> None:
    session.info.pop("audit_heads", None)


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    events: int  # events checked (up to and including the broken one)
    first_bad_id: int | None = None
    reason: str = ""
    first_bad_seq: int | None = None
    kind: str = ""  # changed, link, missing, truncated, key, checkpoint, unsealed
    missing: tuple[int, int] | None = None  # first and last missing seq
    head: tuple[int, str] | None = None  # the last (seq, hash) checked
    behind: int = 0  # events newer than this machine's checkpoint (allowed, reported)


def verify_chain(session: Session) -> ChainCheck:
    """Walk the whole log by seq; check every number, link and hash, then the checkpoint."""
    store = store_for(session.get_bind().engine)
    seal = session.get(AuditSeal, 1)
    total = session.scalar(select(func.count(AuditEvent.id))) or 0
    try:
        key = store.read_key()
        if key is None:
            return _without_key(store, seal, total)
        if seal is None:
            if total == 0 and store.read_head_text() is None:
                return ChainCheck(True, 0)  # a new library whose key was handed out in advance
            return ChainCheck(False, 0, reason="the audit seal record was removed from the "
                              "database", kind="unsealed")  # fmt: skip
        if seal.key_id != key_id(key):
            return ChainCheck(False, 0, reason=f"the audit key at {store.where} is not this "
                              "library's key", kind="key")  # fmt: skip
        head = store.read_head(key)
    except AuditKeyError as exc:
        return ChainCheck(False, 0, reason=str(exc), kind="checkpoint")
    if head is None:
        return ChainCheck(False, 0, reason=f"the signed checkpoint is missing (expected beside the "
                          f"key, {store.where}): removal of the newest events cannot be ruled out",
                          kind="checkpoint")  # fmt: skip
    if (head.key_id, head.legacy_through) != (seal.key_id, seal.legacy_through):
        keyed_from = head.legacy_through + 1
        return ChainCheck(False, 0, kind="unsealed", reason="the seal record does not match "
                          f"the signed checkpoint (keyed from seq {keyed_from})")  # fmt: skip
    return _walk(session, key, seal, head)


def _without_key(store: SealStore, seal: AuditSeal | None, total: int) -> ChainCheck:
    if seal is None and total == 0 and store.read_head_text() is None:
        return ChainCheck(True, 0)  # a new library: nothing recorded, nothing to check
    if seal is None and store.read_head_text() is None:
        return ChainCheck(False, 0, kind="unsealed", reason=(
            f"the audit log has no key yet: its {total} events were chained without one (before "
            "this version), so a recomputed chain or removed newest events cannot be ruled out; "
            "it is keyed when the next event is recorded"))  # fmt: skip
    return ChainCheck(False, 0, kind="key", reason=(
        f"the audit key is missing (expected at {store.where}): the log cannot be verified "
        "without it"))  # fmt: skip


def _walk(session: Session, key: bytes, seal: AuditSeal, head: Head) -> ChainCheck:
    prev, expected, count = GENESIS, 1, 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        count += 1
        problem = _problem(event, expected, prev, key, seal, head)
        if problem is not None:
            kind, reason = problem
            missing = (expected, event.seq - 1) if kind == "missing" else None
            return ChainCheck(False, count, event.id, reason, expected, kind, missing)
        prev, expected = event.hash, expected + 1
    last = expected - 1
    if last < head.seq:
        missing_n = head.seq - last
        events = "event" if missing_n == 1 else "events"
        return ChainCheck(False, count, None, f"{missing_n} {events} missing at the end", last + 1,
                          "truncated", (last + 1, head.seq), (last, prev))  # fmt: skip
    return ChainCheck(True, count, head=(last, prev), behind=last - head.seq)


def _problem(event: AuditEvent, expected: int, prev: str, key: bytes, seal: AuditSeal,
             head: Head) -> tuple[str, str] | None:  # fmt: skip
    """What is wrong with the event expected at seq ``expected`` after hash ``prev``, if any."""
    cut = seal.legacy_through
    if event.seq != expected:
        return "missing", "previous events missing"
    if event.prev_hash != prev:
        return "link", "previous-hash link broken"
    digest = legacy_digest(event) if event.seq <= cut else keyed_digest(key, event)
    if not hmac.compare_digest(digest, event.hash):
        return "changed", "event content changed"
    cut_over = {"legacy_through": cut, "key_id": seal.key_id}
    if cut and event.seq == cut + 1 and (event.action, event.details) != (KEYED_ACTION, cut_over):
        return "link", "the keyed cut-over event is missing"
    if event.seq == head.seq and event.hash != head.hash:
        return "changed", "differs from the signed checkpoint"
    return None
