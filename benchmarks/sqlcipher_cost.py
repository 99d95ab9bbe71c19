"""What encrypting the library with SQLCipher would cost, against plain SQLite.

    python benchmarks/sqlcipher_cost.py [--rows 1000] [--segments 20000] [--repeat 5]

Needs ``sqlcipher3`` importable (``pip install sqlcipher3-binary`` in a scratch venv: it is
not a bwvreview dependency); without it only the SQLite column is printed. Each engine
gets the library's settings (WAL, synchronous=NORMAL, foreign keys) and the same work:

* open: connect, key (SQLCipher: PRAGMA key, which runs PBKDF2-HMAC-SHA512 with 256,000
  iterations by default), and read the schema, as each command does at start-up;
* write: 1,000 annotations, each committed on its own (bwvreview commits every change when
  it is made) with its FTS5 index row;
* search: an FTS5 query over the annotations and 20,000 transcript segments.

Times are medians of ``--repeat`` runs, in milliseconds, on a database in a fresh temporary
folder. Standard library only (plus the optional driver).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KEY = "x'" + "2b" * 32 + "'"  # a raw 256-bit key, as a keyring would hold it
_VOCABULARY = ("calm down are you hurt I am going to explain what happens next you are not "
               "in trouble we can wait take a breath the ambulance is coming can I call "
               "someone for you shouting stop resisting officer scene address name")  # fmt: skip
WORDS = _VOCABULARY.split()
SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (id INTEGER PRIMARY KEY, start_ms INT, text TEXT);
CREATE TABLE IF NOT EXISTS annotations (id INTEGER PRIMARY KEY, start_ms INT, end_ms INT,
    category TEXT, note TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(kind, ref, body);
"""


def _connect(module: Any, path: Path, key: str | None, *, raw_key: bool = False) -> Any:
    con = module.connect(str(path), isolation_level=None)
    if key is not None:
        con.execute(f'PRAGMA key = "{key}"' if raw_key else f"PRAGMA key = '{key}'")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _seed(con: Any, segments: int) -> None:
    rng = random.Random(1)
    con.executescript(SCHEMA)
    con.execute("BEGIN")
    for i in range(segments):
        text = _sentence(rng, 12)
        con.execute("INSERT INTO segments VALUES (?, ?, ?)", (i, i * 3000, text))
        con.execute("INSERT INTO search_index VALUES ('transcript', ?, ?)", (i, text))
    con.execute("COMMIT")


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def run_engine(module: Any, key: str | None, rows: int, segments: int, raw: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="bwv-cipher-") as tmp:
        path = Path(tmp) / "library.sqlite3"
        con = _connect(module, path, key, raw_key=raw)
        _seed(con, segments)
        con.close()

        def open_library() -> None:
            c = _connect(module, path, key, raw_key=raw)
            c.execute("SELECT count(*) FROM sqlite_master").fetchone()
            c.close()

        opened = _timed(open_library)
        con = _connect(module, path, key, raw_key=raw)
        rng = random.Random(2)

        def write() -> None:
            for i in range(rows):
                note = _sentence(rng, 20)
                con.execute("BEGIN IMMEDIATE")
                cur = con.execute(
                    "INSERT INTO annotations (start_ms, end_ms, category, note) "
                    "VALUES (?, ?, 'calm_voice', ?)",
                    (i * 1000, i * 1000 + 4000, note),
                )
                con.execute(
                    "INSERT INTO search_index VALUES ('annotation', ?, ?)", (cur.lastrowid, note)
                )
                con.execute("COMMIT")

        wrote = _timed(write)

        def search() -> None:
            con.execute(
                "SELECT kind, ref, snippet(search_index, 2, '[', ']', '…', 8) FROM search_index "
                "WHERE search_index MATCH '\"are you hurt\" OR ambulance' "
                "ORDER BY rank LIMIT 50"
            ).fetchall()

        searched = _timed(search)
        con.close()
        size = path.stat().st_size
    return {"open": opened, "write": wrote, "search": searched, "size": size}


def _median(module: Any, key: str | None, args: argparse.Namespace, raw: bool) -> dict:
    runs = [run_engine(module, key, args.rows, args.segments, raw) for _ in range(args.repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results = {"SQLite " + sqlite3.sqlite_version: _median(sqlite3, None, args, False)}
    try:
        import sqlcipher3  # type: ignore[import-not-found]
    except ImportError:
        print("sqlcipher3 is not installed: only plain SQLite measured")
    else:
        version = sqlcipher3.connect(":memory:").execute("PRAGMA cipher_version").fetchone()[0]
        results[f"SQLCipher {version}, passphrase"] = _median(sqlcipher3, "s3cret", args, False)
        results[f"SQLCipher {version}, raw key"] = _median(sqlcipher3, KEY, args, True)
    print(f"{args.rows} annotations written one commit each, {args.segments} transcript "
          f"segments, median of {args.repeat} runs (ms)\n")  # fmt: skip
    print(f"{'engine':<40} {'open':>8} {'write':>9} {'per write':>10} {'search':>8} {'MB':>6}")
    for name, r in results.items():
        print(f"{name:<40} {r['open']:>8.1f} {r['write']:>9.0f} {r['write'] / args.rows:>10.3f} "
              f"{r['search']:>8.2f} {r['size'] / 1e6:>6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
