"""Importing footage: probe and hash a file (read-only), then store it, idempotent by SHA-256;
and the bundled demo incident.
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from bwvreview.annotations.records import NewRecording, Recording
from bwvreview.annotations.review import library
from bwvreview.app.demo import seed_demo
from bwvreview.app.opening import Library
from bwvreview.bundled import resource_path
from bwvreview.media.errors import MediaError
from bwvreview.media.hashing import iter_sha256
from bwvreview.media.probe import probe
from bwvreview.steps import drain

DEMO_FOOTAGE = ("demo", "demo_incident.mp4")
DEMO_FACTS = ("demo", "demo_incident.json")


@dataclass(frozen=True)
class ImportProgress:
    path: Path
    stage: str  # "probing" | "hashing"
    fraction: float


def _check_storable_name(path: Path) -> None:
    """Refuse a path whose bytes are not UTF-8 (possible on Linux): it cannot be stored as text."""
    try:
        str(path.absolute()).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path.name).decode("utf-8", "replace")
        raise MediaError(
            f"{shown}: the file or folder name is not valid UTF-8 text, so the library cannot "
            "record where it is; rename it and import it again"
        ) from None


def iter_examine(path: Path) -> Generator[ImportProgress, None, NewRecording]:
    """Probe and hash one file (read-only), yielding progress; return what to store.

    Touches no database, so the window can run it on a worker thread. A bad file raises
    ``MediaError`` before anything is stored.
    """
    path = Path(path)
    _check_storable_name(path)
    yield ImportProgress(path, "probing", 0.0)
    info = probe(path)
    if not info.has_audio:
        raise MediaError(
            f"{path.name}: this recording has no audio stream; body-worn video needs its sound"
        )
    hashing = iter_sha256(path)
    while True:
        try:
            yield ImportProgress(path, "hashing", next(hashing))
        except StopIteration as finished:
            sha = finished.value
            break
    return NewRecording(
        path=str(path.resolve()),
        sha256=sha,
        size_bytes=info.size_bytes,
        duration_ms=info.duration_ms,
        container=info.container,
        fps=info.fps,
        variable_frame_rate=info.variable_frame_rate,
        width=info.width,
        height=info.height,
        rotation=info.rotation,
        video_codec=info.video_codec,
        audio_codec=info.audio_codec,
        audio_channels=info.audio_channels,
        recorded_at=info.recorded_at,
    )


def store_import(
    lib: Library, new: NewRecording, *, incident: str | None = None, officer: str | None = None
) -> tuple[Recording, bool]:
    """Store an examined file (idempotent by SHA-256); return ``(recording, created)``."""
    return library.add_recording(
        lib.db, new, incident_reference=incident, officer_collar=officer, actor=lib.actor
    )


def iter_import(
    lib: Library, path: Path, *, incident: str | None = None, officer: str | None = None
) -> Generator[ImportProgress, None, tuple[Recording, bool]]:
    """Examine then store one file, yielding progress; return ``(recording, created)``."""
    library.checked_reference(incident)  # refused before the file is read, not after
    new = yield from iter_examine(path)
    return store_import(lib, new, incident=incident, officer=officer)


def import_media(
    lib: Library, path: Path, *, incident: str | None = None, officer: str | None = None
) -> tuple[Recording, bool]:
    """Import one file (see ``iter_import``) and return ``(recording, created)``."""
    return drain(iter_import(lib, path, incident=incident, officer=officer))


def demo_facts() -> dict:
    """The demo incident's ground truth (script, speakers, planted personal data)."""
    return json.loads(resource_path(*DEMO_FACTS).read_text(encoding="utf-8"))


def import_demo(lib: Library) -> Recording:
    """Import the bundled demo incident (idempotent) and return its recording.

    Transcription is a separate step (``iter_transcribe_and_store``) so the window can run
    it with a progress bar.
    """
    facts = demo_facts()
    recording, _created = import_media(
        lib,
        resource_path(*DEMO_FOOTAGE),
        incident=facts.get("incident_reference", "DEMO-0001"),
        officer=str(facts.get("officer", "")).split()[-1] or None,  # "PC 4471" -> "4471"
    )
    seed_demo(lib, recording.id, facts.get("utterances", []))
    return library.get_recording(lib.db, recording.id)


def resolve_target(lib: Library, target: str) -> Recording:
    """A TARGET on the command line: a recording id, or a media path imported first."""
    return resolve_target_hashed(lib, target)[0]


def resolve_target_hashed(lib: Library, target: str) -> tuple[Recording, bool]:
    """``resolve_target``, and whether the footage was hashed just now: a path is imported,
    which takes its SHA-256, so a workflow that vouches for the footage (transcription) need
    not read the whole file again to check it (0.3 s a gigabyte)."""
    path = Path(target)
    if target.isdigit() and not path.is_file():
        return library.get_recording(lib.db, int(target)), False
    recording, _created = import_media(lib, path)
    return recording, True
