"""What probing a video file finds out about it: size, length, format, picture and sound.

Shared by the media layer (which finds the facts) and the annotations layer (which stores
them with the recording), so the list of facts is written once. Plain data: no media
library, no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordingFacts:
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
    recorded_at: dt.datetime | None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None
