"""How fast is search on a large library: 2 million transcript words, 100,000 annotations?

    .venv/bin/python benchmarks/search_scale.py [--pg URL] [--repeats N] [--queries N]
        [--words N] [--annotations N] [--cache DIR] [--rebuild]

The library is generated once and cached (keyed by ``VERSION``, the migrations and the
sizes): English-like text drawn from a vocabulary of 30,000 words with a Zipf distribution
(the most common word "the" is 1 word in 14), cut into lines of 6-14 words three seconds
apart, spread over 200 recordings in 120 incidents with 40 officers in 5 teams; 100,000
annotations across the codebook's categories with notes drawn from the same vocabulary and,
for most, a quote taken from the line they mark; 2% of them have a clip in the trainers'
library. Rows are bulk-inserted (``executemany`` on SQLite, ``COPY`` on PostgreSQL); the
FTS5 triggers and the generated tsvector columns index them as they go. The words table
(word timings) is left empty: search reads the lines' text only.

Each query kind (rare word, mid-frequency word, common word, two-word phrase, prefix, a
word with category, date and status filters, as an officer, as a trainer) is run as
``--queries`` different queries, each ``--repeats`` times after one warm-up, through
``bwvreview.annotations.search.search`` (limit 50). The baseline in the same run is the
naive way: ``LIKE '%word%'`` over the same tables with the same joins, filters and read
rules, no ranking (rows in table order up to the limit, so it can stop early on common
words). With ``--pg URL`` (or BWVREVIEW_TEST_PG, e.g. from ``scripts/pg_server.py start``)
the same library is loaded into a database ``bwvreview_search_bench_v<VERSION>`` on that
server and measured too (tsvector + GIN against ILIKE). Target: under 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from sqlalchemy import and_, create_engine, exists, or_, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bwvreview.annotations.access import Principal, annotation_filter, recording_filter  # noqa: E402
from bwvreview.annotations.codebook import load_codebook, store_codebook  # noqa: E402
from bwvreview.annotations.search import search  # noqa: E402
from bwvreview.annotations.search.query import parse_query  # noqa: E402
from bwvreview.annotations.store import models  # noqa: E402
from bwvreview.annotations.store.db import (  # noqa: E402
    MIGRATIONS_DIR,
    Database,
    normalise_url,
    open_database,
    sqlite_url,
)
from bwvreview.bundled import resource_path  # noqa: E402

VERSION = 1
SEED = 20261123
RECORDINGS, INCIDENTS, OFFICERS, TEAMS = 200, 120, 40, 5
VOCABULARY = 30_000
ZIPF_S = 1.07
TARGET_MS = 50

COMMON = """the and to you i a it that of is in what we your be have on me for this not
are just do can with all can't don't get here out now my so there okay he she they was
going right know at no yeah about come want need up like if us him her them one her look
police officer listen back car phone house door mate alright please sorry calm down sit
stand wait ok because well then when where why how who time let tell said say see fine
help safe hurt name live address home mum dad kids children friend told again never
always really very bit too much little please thank thanks call ambulance hospital hand
hands arm arms stop hold step away over there inside outside upstairs street road night
today tonight yesterday morning minute minutes second seconds moment now then later soon
happened happening happen matter trouble problem worry worried scared afraid angry upset
water drink sit chair sofa floor wall window kitchen room bedroom garden gate van cell
custody arrest arrested search searched handcuffs cuffs warrant caution statement court
solicitor interpreter language english understand understood explain explained choice
rather option options decide want wanted help helped support talk talking speak spoke
listen listening quiet loud shout shouting swear swore threat threatened warning last
""".split()  # noqa: SIM905

SYLLABLES = """ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko la le li lo lu ma me mi mo
na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi ar er ir or ur an en in
on un ch sh th st tr br cr gr pl""".split()  # noqa: SIM905


def vocabulary() -> list[str]:
    """Common words first (Zipf's head), then made-up but pronounceable words (the tail)."""
    words = list(dict.fromkeys(COMMON))
    rng = random.Random(SEED)
    seen = set(words)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Sizes:
    words: int
    annotations: int

    @property
    def key(self) -> str:
        """The cache key: this generator's version, the schema's migrations and the sizes."""
        migrations = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
        schema = hashlib.sha256(b"".join(p.read_bytes() for p in migrations)).hexdigest()[:8]
        return f"v{VERSION}-{schema}-{self.words}w-{self.annotations}a"


# --- generation --------------------------------------------------------------------------
@dataclass
class Library:
    """The generated rows, as tuples in column order for bulk inserts."""

    users: list[tuple]
    incidents: list[tuple]
    incident_officers: list[tuple]
    recordings: list[tuple]
    transcripts: list[tuple]
    segments: list[tuple]
    annotations: list[tuple]
    clips: list[tuple]


def generate(sizes: Sizes, category_ids: list[int]) -> Library:
    rng = random.Random(SEED)
    vocab = vocabulary()
    weights = list(accumulate(1 / (rank**ZIPF_S) for rank in range(1, len(vocab) + 1)))
    tokens = rng.choices(vocab, cum_weights=weights, k=sizes.words)
    teams = [f"Team {chr(65 + i)}" for i in range(TEAMS)]
    users = [(i, f"Officer {i}", f"officer {i}", "officer", f"{1000 + i}", teams[i % TEAMS])
             for i in range(1, OFFICERS + 1)]  # fmt: skip
    users.append((OFFICERS + 1, "Trainer", "trainer", "trainer", None, None))
    day0 = dt.date(2025, 1, 1)
    incidents = [(i, f"BENCH-{VERSION}-{i:04d}", day0 + dt.timedelta(days=rng.randrange(600)))
                 for i in range(1, INCIDENTS + 1)]  # fmt: skip
    every_incident = {(i, (i % OFFICERS) + 1) for i in range(1, INCIDENTS + 1)}
    more = {(rng.randint(1, INCIDENTS), rng.randint(1, OFFICERS)) for _ in range(INCIDENTS * 2)}
    links = sorted(every_incident | more)
    statuses = ("transcribed", "in_review", "reviewed", "shared", "archived")
    recordings, transcripts, segments = [], [], []
    per_recording = sizes.words // RECORDINGS
    position, segment_id = 0, 0
    by_recording: dict[int, list[tuple[int, int, str]]] = {}
    for rid in range(1, RECORDINGS + 1):
        incident = (rid % INCIDENTS) + 1
        end = sizes.words if rid == RECORDINGS else position + per_recording
        start_ms, lines = 0, []
        while position < end:
            n = min(rng.randint(6, 14), end - position)
            words = tokens[position : position + n]
            position += n
            segment_id += 1
            line = " ".join(words).capitalize() + rng.choice(".?!,")
            lines.append((segment_id, start_ms, line))
            segments.append((segment_id, rid, start_ms, start_ms + 2800, line,
                             rng.choice(("wearer", "other")), False))  # fmt: skip
            start_ms += 3000
        by_recording[rid] = lines
        recordings.append((rid, incident, f"/footage/bench-{rid:03d}.mp4", f"{rid:064x}", 1,
                           start_ms, rng.choice(statuses)))  # fmt: skip
        transcripts.append((rid, rid, "bench", "complete", True))
    annotations, clips = [], []
    for aid in range(1, sizes.annotations + 1):
        rid = rng.randint(1, RECORDINGS)
        seg_id, start_ms, line = rng.choice(by_recording[rid])
        note = " ".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(6, 20)))
        quote = line if rng.random() < 0.6 else ""
        status = rng.choices(("final", "shared", "draft"), (60, 25, 15))[0]
        annotations.append((aid, rid, rng.choice(category_ids), start_ms, start_ms + 2800,
                            note.capitalize() + ".", quote, status))  # fmt: skip
        if rng.random() < 0.02:
            clips.append((len(clips) + 1, rid, aid, start_ms, start_ms + 2800,
                          f"/clips/{aid}.mp4", f"{aid:064x}", True, True))  # fmt: skip
    return Library(users, incidents, links, recordings, transcripts, segments, annotations,
                   clips)  # fmt: skip


INSERTS = {
    "users": "INSERT INTO users (id, name, name_key, role, collar_number, team, active, "
             "created_at) VALUES (?, ?, ?, ?, ?, ?, 1, '2025-01-01')",
    "incidents": "INSERT INTO incidents (id, reference, occurred_on, description, people_places,"
                 " created_at) VALUES (?, ?, ?, '', '[]', '2025-01-01')",
    "incident_officers": "INSERT INTO incident_officers (incident_id, user_id) VALUES (?, ?)",
    "recordings": "INSERT INTO recordings (id, incident_id, path, sha256, size_bytes, duration_ms,"
                  " status, variable_frame_rate, rotation, container, audio_channels, has_audio,"
                  " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 'mp4', 1, 1, '2025-01-01')",
    "transcripts": "INSERT INTO transcripts (id, recording_id, model, state, is_current, device,"
                   " compute_type, language, created_at) VALUES (?, ?, ?, ?, ?, 'cpu', '', 'en',"
                   " '2025-01-01')",
    "segments": "INSERT INTO segments (id, transcript_id, start_ms, end_ms, text, speaker, edited)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "annotations": "INSERT INTO annotations (id, recording_id, category_id, start_ms, end_ms, note,"
                   " quote, status, suggested_wording, source, version, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 'human', 1, '2025-01-01', '2025-01-01')",
    "clips": "INSERT INTO clips (id, recording_id, annotation_id, start_ms, end_ms, output_path,"
             " sha256, verified, in_library, release_state, options, report, source_sha256,"
             " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', '{}', '{}', '',"
             " '2025-01-01')",
}  # fmt: skip
TABLE_ORDER = list(INSERTS)


def _codebook(db: Database) -> list[int]:
    with db.begin() as session:
        store_codebook(session, load_codebook(resource_path("codebook.yaml")))
        return list(session.scalars(select(models.CodebookCategory.id)))


def load_sqlite(path: Path, sizes: Sizes) -> float:
    started = time.perf_counter()
    db = open_database(sqlite_url(path))
    generated = generate(sizes, _codebook(db))
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        for name in TABLE_ORDER:
            cursor.executemany(INSERTS[name], getattr(generated, name))
        raw.commit()
        cursor.execute("ANALYZE")
        cursor.execute("INSERT INTO segments_fts(segments_fts) VALUES ('optimize')")
        cursor.execute("INSERT INTO annotations_fts(annotations_fts) VALUES ('optimize')")
        raw.commit()
    finally:
        raw.close()
    db.close()
    return time.perf_counter() - started


def load_postgres(url: str, sizes: Sizes) -> float:
    started = time.perf_counter()
    db = open_database(url)
    generated = generate(sizes, _codebook(db))
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cursor:
            for name in TABLE_ORDER:
                columns = INSERTS[name].split("(", 1)[1].split(")", 1)[0]
                fixed = _fixed_values(name)
                with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    for row in getattr(generated, name):
                        copy.write_row((*row, *fixed))
            for name in TABLE_ORDER:
                if name != "incident_officers":
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                   f"(SELECT max(id) FROM {name}))")  # fmt: skip
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    finally:
        raw.close()
    db.close()
    return time.perf_counter() - started


def _fixed_values(name: str) -> tuple:
    """The constants of each INSERT (after the placeholders), for COPY rows."""
    day = dt.datetime(2025, 1, 1)
    return {
        "users": (True, day),
        "incidents": ("", "[]", day),
        "incident_officers": (),
        "recordings": (False, 0, "mp4", 1, True, day),
        "transcripts": ("cpu", "", "en", day),
        "segments": (),
        "annotations": ("", "human", 1, day, day),
        "clips": ("approved", "{}", "{}", "", day),
    }[name]


# --- the databases -----------------------------------------------------------------------
def sqlite_library(cache: Path, sizes: Sizes, rebuild: bool) -> tuple[Database, str]:
    path = cache / f"search-scale-{sizes.key}.sqlite3"
    if rebuild and path.exists():
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    if path.exists():
        note = "cached"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        for stale in part.parent.glob(part.name + "*"):
            stale.unlink()
        seconds = load_sqlite(part, sizes)
        part.rename(path)
        note = f"generated in {seconds:.0f} s"
    size_mb = path.stat().st_size / 1e6
    return open_database(sqlite_url(path)), f"{note}, {size_mb:.0f} MB"


def postgres_library(server: str, sizes: Sizes, rebuild: bool) -> tuple[Database, str]:
    url = make_url(normalise_url(server))
    name = f"bwvreview_search_bench_{sizes.key.replace('-', '_')}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        present = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if present and rebuild:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            present = None
        if not present:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    target = url.set(database=name).render_as_string(hide_password=False)
    if present:
        probe = open_database(target)
        with probe.begin() as session:
            complete = session.scalar(select(models.Annotation.id).where(
                models.Annotation.id == sizes.annotations))  # fmt: skip
        if complete:
            return probe, "cached"
        probe.close()
        return postgres_library(server, sizes, rebuild=True)
    seconds = load_postgres(target, sizes)
    return open_database(target), f"generated in {seconds:.0f} s"


# --- the naive baseline ------------------------------------------------------------------
def like_search(db: Database, query: str, *, categories=(), date_from=None, date_to=None,
                statuses=(), kinds=("transcript", "annotation"), limit=50) -> list:  # fmt: skip
    """What one would write without a full-text index: every word as LIKE '%word%'."""
    principal = db.principal
    parsed = parse_query(query)
    pg = db.dialect == "postgresql"

    def contains(column, words: str):  # noqa: ANN001, ANN202
        pattern = f"%{words}%"
        return column.ilike(pattern) if pg else column.like(pattern)

    def matches(*columns):  # noqa: ANN202
        alternatives = []
        for group in parsed.groups:
            wanted = [or_(*(contains(c, t.words()) for c in columns))
                      for t in group if not t.negated]  # fmt: skip
            unwanted = [~or_(*(contains(c, t.words()) for c in columns))
                        for t in group if t.negated]  # fmt: skip
            alternatives.append(and_(*wanted, *unwanted))
        return or_(*alternatives)

    S, A, T, R, INC = (models.Segment, models.Annotation, models.Transcript,  # noqa: N806
                       models.Recording, models.Incident)  # fmt: skip
    where = []
    if statuses:
        where.append(R.status.in_(statuses))
    if date_from:
        where.append(INC.occurred_on >= date_from)
    if date_to:
        where.append(INC.occurred_on <= date_to)
    hits: list = []
    with db.begin() as session:
        ids = None
        if categories:
            ids = list(session.scalars(select(models.CodebookCategory.id).where(
                models.CodebookCategory.key.in_(categories))))  # fmt: skip
        if "transcript" in kinds and principal.role != "trainer":
            covered = []
            if ids is not None:
                covered.append(exists(select(A.id).where(
                    A.recording_id == T.recording_id, A.start_ms < S.end_ms,
                    A.end_ms > S.start_ms, A.category_id.in_(ids),
                    annotation_filter(principal))))  # fmt: skip
            hits += session.execute(
                select(S.id, S.text, T.recording_id, S.start_ms)
                .join(T, and_(T.id == S.transcript_id, T.is_current.is_(True)))
                .join(R, R.id == T.recording_id).outerjoin(INC, INC.id == R.incident_id)
                .where(matches(S.text), recording_filter(principal), *where, *covered)
                .limit(limit)
            ).all()  # fmt: skip
        if "annotation" in kinds:
            coded = [] if ids is None else [A.category_id.in_(ids)]
            hits += session.execute(
                select(A.id, A.note, A.recording_id, A.start_ms)
                .join(R, R.id == A.recording_id).outerjoin(INC, INC.id == R.incident_id)
                .where(matches(A.note, A.quote), annotation_filter(principal), *where, *coded)
                .limit(limit)
            ).all()  # fmt: skip
    return hits[:limit]


# --- the queries -------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    options: dict
    role: str = "tip"


def cases(db: Database, per_kind: int) -> list[Case]:
    rng = random.Random(SEED + 1)
    vocab = vocabulary()
    with db.begin() as session:
        lines = list(session.scalars(
            select(models.Segment.text).where(models.Segment.id.in_(
                [rng.randint(1, 150_000) for _ in range(per_kind * 3)]))))  # fmt: skip

    def pick(low: int, high: int) -> list[str]:
        return rng.sample(vocab[low:high], per_kind)

    phrases = []
    for line in lines:
        words = [w.strip(".?!,").lower() for w in line.split()]
        i = rng.randrange(len(words) - 1)
        if len(words[i]) > 3 and len(words[i + 1]) > 3:
            phrases.append(f'"{words[i]} {words[i + 1]}"')
    filters = {"categories": ("triggering_language", "missed_choice", "offered_choice"),
               "date_from": dt.date(2025, 3, 1), "date_to": dt.date(2025, 12, 31),
               "statuses": ("in_review", "reviewed", "shared")}  # fmt: skip
    made = []
    made += [Case("rare word", w, {}) for w in pick(4000, 8000)]
    made += [Case("mid word", w, {}) for w in pick(150, 1000)]
    made += [Case("common word", w, {}) for w in vocab[:per_kind]]
    made += [Case("phrase", p, {}) for p in phrases[:per_kind]]
    made += [Case("prefix", w[:4] + "*", {}) for w in pick(150, 2000) if len(w) >= 5]
    made += [Case("word + filters", w, filters) for w in pick(150, 1000)]
    made += [Case("as officer", w, {}, "officer") for w in pick(100, 1000)]
    made += [Case("as trainer", w, {}, "trainer") for w in pick(100, 1000)]
    return made


def principal(role: str) -> Principal:
    if role == "officer":
        return Principal(user_id=7, name="Officer 7", role="officer")
    if role == "trainer":
        return Principal(user_id=OFFICERS + 1, name="Trainer", role="trainer")
    return Principal(user_id=None, name="TIP", role="tip")


def measure(columns: list[tuple[str, Database, Callable]], chosen: list[Case],
            repeats: int) -> list[tuple[str, dict]]:  # fmt: skip
    """Per column and query kind: latencies (ms) of every run after each query's warm-up,
    and hits. Each query runs on every column in turn (interleaved), so a busy moment on the
    machine falls on all columns alike rather than on whichever was being measured."""
    results: list[dict[str, dict]] = [{} for _ in columns]
    for case in chosen:
        for (_name, db, run), result in zip(columns, results, strict=True):
            bound = db.as_user(principal(case.role))
            hits = len(run(bound, case.query, **case.options))
            entry = result.setdefault(case.kind, {"ms": [], "hits": []})
            entry["hits"].append(hits)
        for _ in range(repeats):
            for (_name, db, run), result in zip(columns, results, strict=True):
                bound = db.as_user(principal(case.role))
                start = time.perf_counter()
                run(bound, case.query, **case.options)
                result[case.kind]["ms"].append((time.perf_counter() - start) * 1000)
    return [(name, result) for (name, _db, _run), result in zip(columns, results, strict=True)]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def print_table(columns: list[tuple[str, dict]], kinds: list[str]) -> None:
    header = f"{'query':<16}" + "".join(f"| {name:^27}" for name, _ in columns)
    print(header)
    print(f"{'':<16}" + "| median    p95   hits/query " * len(columns))
    print("-" * len(header))
    for kind in kinds:
        row = f"{kind:<16}"
        for _name, results in columns:
            entry = results.get(kind)
            if not entry:
                row += f"| {'-':^27}"
                continue
            hits = statistics.mean(entry["hits"])
            row += (
                f"| {statistics.median(entry['ms']):6.1f} {p95(entry['ms']):7.1f} {hits:8.1f}    "
            )
        print(row)
    for name, results in columns:
        every = [ms for entry in results.values() for ms in entry["ms"]]
        share = sum(ms < TARGET_MS for ms in every) / len(every)
        print(f"{name}: {len(every)} timed queries, median {statistics.median(every):.1f} ms, "
              f"p95 {p95(every):.1f} ms, {share:.0%} under {TARGET_MS} ms")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=os.environ.get("BWVREVIEW_TEST_PG"),
                        help="PostgreSQL server URL (default: $BWVREVIEW_TEST_PG)")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=15, help="different queries per kind")
    parser.add_argument("--words", type=int, default=2_000_000)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "bwvreview-bench")  # fmt: skip
    parser.add_argument("--rebuild", action="store_true", help="generate the library again")
    parser.add_argument("--no-baseline", action="store_true", help="skip the LIKE scans")
    args = parser.parse_args(argv)
    sizes = Sizes(args.words, args.annotations)
    print(f"library: {sizes.words:,} transcript words in {RECORDINGS} recordings, "
          f"{sizes.annotations:,} annotations")  # fmt: skip
    engines: list[tuple[str, Database]] = []
    db, note = sqlite_library(args.cache, sizes, args.rebuild)
    print(f"SQLite: {note}")
    engines.append(("SQLite", db))
    if args.pg:
        pg, note = postgres_library(args.pg, sizes, args.rebuild)
        print(f"PostgreSQL: {note}")
        engines.append(("PostgreSQL", pg))
    chosen = cases(db, args.queries)
    kinds = list(dict.fromkeys(c.kind for c in chosen))
    columns = []
    for name, database in engines:
        index = "FTS5" if name == "SQLite" else "tsvector"
        columns.append((f"{name} {index}", database, search))
        if not args.no_baseline:
            like = "LIKE" if name == "SQLite" else "ILIKE"
            columns.append((f"{name} {like} (baseline)", database, like_search))
    started = time.perf_counter()
    measured = measure(columns, chosen, args.repeats)
    print()
    print(f"latency in ms over {args.queries} queries per kind x {args.repeats} runs, limit 50, "
          f"runs interleaved across columns ({time.perf_counter() - started:.0f} s)")  # fmt: skip
    print_table(measured, kinds)
    for _name, database in engines:
        database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
