"""Plain, frozen records the services return: widgets and the CLI never hold ORM rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from bwvreview.recording_facts import RecordingFacts


@dataclass(frozen=True)
class NewRecording(RecordingFacts):
    """What the media layer found out about a file, ready to be stored."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Recording:
    id: int
    path: str
    sha256: str
    size_bytes: int
    duration_ms: int
    container: str
    fps: float | None
    variable_frame_rate: bool
    width: int | None
    height: int | None
    rotation: int
    video_codec: str | None
    audio_codec: str | None
    audio_channels: int
    has_audio: bool
    recorded_at: dt.datetime | None
    imported_at: dt.datetime
    status: str
    incident_reference: str | None
    officers: tuple[str, ...]
    content_warning: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of ``bwvreview import/list --json`` (times in seconds, ISO dates)."""
        data = asdict(self)
        data["duration"] = round(data.pop("duration_ms") / 1000, 3)
        data["officers"] = list(self.officers)
        for key in ("recorded_at", "imported_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data
