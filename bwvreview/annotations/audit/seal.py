"""Where the audit log's key and signed checkpoint live: outside the database.

The audit chain (``audit.py``) is keyed with HMAC-SHA256, and after every committed event a
signed *checkpoint* (the count, last seq and last hash, HMAC'd with the same key) is written
beside the key. Both live outside the database, so someone who can change the database but
cannot read the key can neither forge events nor hide the removal of the newest ones.

Where they are, for a library:

* **SQLite** (``/folder/bwvreview.sqlite3``): ``bwvreview.sqlite3.audit-key`` and
  ``bwvreview.sqlite3.audit-head`` beside the database, in the data folder. On POSIX both are
  created with mode 0600 through ``os.open`` (never a umask-dependent ``open``) and appear
  atomically (a temporary file linked or renamed into place). On Windows the mode bits mean
  nothing: the files rely on the ACLs of the user profile the data folder lives in (the
  platformdirs default is under ``%LOCALAPPDATA%``, readable by that user and
  administrators only); a data folder moved elsewhere must be protected the same way.
* **PostgreSQL** (team mode): every machine that records events needs the *same* key, so it
  is a file each machine holds, named by ``BWVREVIEW_AUDIT_KEY_FILE``; without it, the default
  is ``<data folder>/audit/<host>-<port>-<database>.key``. The first bwvreview to record an
  event in a new team library creates the key there; an admin copies that file (by a means
  the team trusts: not the shared database, not e-mail) to every other machine and points
  ``BWVREVIEW_AUDIT_KEY_FILE`` at it. A machine without the key cannot record events and
  says so. Each machine keeps its own checkpoint beside its key (``<key>.head``), so a
  checkpoint on one machine lags events written on others; that is allowed (see
  ``audit.verify_chain``).
* ``BWVREVIEW_AUDIT_KEY_FILE`` also overrides the key's place for a SQLite library (the
  checkpoint stays beside the database).
* With ``BWVREVIEW_AUDIT_KEYRING=1`` and the optional ``keyring`` package importable, the key
  is kept in the operating system's keyring (service ``bwvreview-audit``, one entry per
  library) instead of a file; the checkpoint is still a file.
* An in-memory SQLite database keeps both in memory, for as long as its engine lives.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib
import json
import logging
import os
import re
import secrets
import threading
import weakref
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bwvreview.annotations.errors import DomainError

log = logging.getLogger(__name__)

KEY_ENV = "BWVREVIEW_AUDIT_KEY_FILE"
KEYRING_ENV = "BWVREVIEW_AUDIT_KEYRING"
KEYRING_SERVICE = "bwvreview-audit"
KEY_MAGIC = "bwvreview-audit-key-1"
_WRITE_LOCK = threading.Lock()  # read-compare-replace of a checkpoint within this process


class AuditKeyError(DomainError):
    """The library's audit key is missing, unreadable, or not this library's key."""


@dataclass(frozen=True)
class Head:
    """A signed checkpoint: the log had ``count`` events, the last being ``seq`` / ``hash``."""

    key_id: str
    legacy_through: int  # events up to this seq were chained before the key existed
    count: int
    seq: int
    hash: str
    written_at: str

    def payload(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")).encode()


def key_id(key: bytes) -> str:
    """A public fingerprint of a key (stored in the database to tell keys apart)."""
    return hmac.new(key, b"bwvreview audit key id", hashlib.sha256).hexdigest()[:16]


def sign(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


class SealStore:
    """The key and checkpoint of one library. Subclasses say where they are kept."""

    where: str  # for messages: where the key is expected

    def read_key(self) -> bytes | None:
        raise NotImplementedError

    def create_key(self) -> bytes:
        raise NotImplementedError

    def read_head_text(self) -> str | None:
        raise NotImplementedError

    def write_head_text(self, text: str) -> None:
        raise NotImplementedError

    def require_key(self) -> bytes:
        key = self.read_key()
        if key is None:
            raise AuditKeyError(
                f"the audit key of this library is missing (expected at {self.where}); "
                f"restore it from a backup, or set {KEY_ENV} to where it is"
            )
        return key

    def read_head(self, key: bytes) -> Head | None:
        """The checkpoint, or None if there is none; AuditKeyError if it is not genuine."""
        raw = self.read_head_text()
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            mac = data.pop("mac")
            head = Head(**data)
        except (ValueError, TypeError, KeyError) as exc:
            raise AuditKeyError("the audit checkpoint is unreadable") from exc
        if not hmac.compare_digest(mac, sign(key, head.payload())):
            raise AuditKeyError("the audit checkpoint's signature is wrong (forged or another key)")
        return head

    def write_head(self, key: bytes, head: Head) -> None:
        """Replace the checkpoint, unless the one there is already further on (never go back)."""
        with _WRITE_LOCK:
            with contextlib.suppress(AuditKeyError):
                current = self.read_head(key)
                if (
                    current is not None
                    and current.key_id == head.key_id
                    and (current.seq >= head.seq)
                ):
                    return
            data = asdict(head) | {"mac": sign(key, head.payload())}
            self.write_head_text(json.dumps(data, sort_keys=True, indent=1) + "\n")


class FileStore(SealStore):
    def __init__(self, key_path: Path, head_path: Path, keyring_user: str | None = None) -> None:
        self.key_path, self.head_path = key_path, head_path
        self.keyring = _keyring() if keyring_user else None
        self.keyring_user = keyring_user or ""
        self.where = (f"the keyring entry {KEYRING_SERVICE}/{self.keyring_user}"
                      if self.keyring else str(key_path))  # fmt: skip

    def read_key(self) -> bytes | None:
        if self.keyring is not None:
            text = self.keyring.get_password(KEYRING_SERVICE, self.keyring_user)
            return _parse_key(text, self.where) if text else None
        try:
            text = self.key_path.read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise AuditKeyError(f"cannot read the audit key {self.key_path}: {exc}") from exc
        if os.name == "posix" and self.key_path.stat().st_mode & 0o077:
            log.warning("the audit key %s can be read by other users (chmod 600)", self.key_path)
        return _parse_key(text, self.where)

    def create_key(self) -> bytes:
        """Make a new random key; if another process made one first, use theirs."""
        key = secrets.token_bytes(32)
        text = f"{KEY_MAGIC} {key.hex()}\n"
        if self.keyring is not None:
            self.keyring.set_password(KEYRING_SERVICE, self.keyring_user, text.strip())
            return key
        _write_new_file(self.key_path, text)
        existing = self.read_key()
        assert existing is not None
        return existing

    def read_head_text(self) -> str | None:
        try:
            return self.head_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise AuditKeyError(
                f"cannot read the audit checkpoint {self.head_path}: {exc}"
            ) from exc

    def write_head_text(self, text: str) -> None:
        _replace_file(self.head_path, text)


class MemoryStore(SealStore):
    """For an in-memory database: key and checkpoint live and die with its engine."""

    where = "memory"

    def __init__(self) -> None:
        self.key: bytes | None = None
        self.head: str | None = None

    def read_key(self) -> bytes | None:
        return self.key

    def create_key(self) -> bytes:
        self.key = self.key or secrets.token_bytes(32)
        return self.key

    def read_head_text(self) -> str | None:
        return self.head

    def write_head_text(self, text: str) -> None:
        self.head = text


_MEMORY: weakref.WeakKeyDictionary[Engine, MemoryStore] = weakref.WeakKeyDictionary()


def store_for(engine: Engine) -> SealStore:
    """The key and checkpoint store of the library behind ``engine`` (see the module text)."""
    url = engine.url
    explicit = os.environ.get(KEY_ENV)
    use_keyring = os.environ.get(KEYRING_ENV) == "1" and _keyring() is not None
    if url.get_backend_name() == "sqlite":
        database = url.database
        if not database or database == ":memory:":
            return _MEMORY.setdefault(engine, MemoryStore())
        db_path = Path(database).resolve()
        key_path = Path(explicit) if explicit else db_path.with_name(db_path.name + ".audit-key")
        head_path = db_path.with_name(db_path.name + ".audit-head")
        return FileStore(key_path, head_path, str(db_path) if use_keyring else None)
    ident = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{url.host}-{url.port or 5432}-{url.database}")
    if explicit:
        key_path = Path(explicit)
    else:  # the user's own settings folder: one key per team library, whatever the data folder
        from platformdirs import user_config_dir

        key_path = Path(user_config_dir("bwvreview", appauthor=False)) / "audit" / f"{ident}.key"
    head_path = key_path.with_name(key_path.name + ".head")
    return FileStore(key_path, head_path, ident if use_keyring else None)


def _keyring() -> Any:
    try:
        return importlib.import_module("keyring")
    except ImportError:
        return None


def _parse_key(text: str, where: str) -> bytes:
    parts = text.split()
    try:
        if len(parts) == 2 and parts[0] == KEY_MAGIC and len(parts[1]) == 64:
            return bytes.fromhex(parts[1])
    except ValueError:
        pass
    raise AuditKeyError(f"the audit key at {where} is not a bwvreview audit key")


def _temp_beside(path: Path, text: str) -> Path:
    """Write ``text`` to a new 0600 file beside ``path`` (flushed to disk) and return its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return temp


def _replace_file(path: Path, text: str) -> None:
    temp = _temp_beside(path, text)
    try:
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


def _write_new_file(path: Path, text: str) -> None:
    """Create ``path`` atomically with ``text``; leave it alone if it already exists."""
    temp = _temp_beside(path, text)
    try:
        os.link(temp, path)  # atomic, and fails if someone else got there first
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
