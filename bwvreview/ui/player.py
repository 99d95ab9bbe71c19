"""The player: picture, sound and transport for one recording, on QtMultimedia.

Keyboard (handled by the workspace): Space/K play-pause, J/L shuttle, comma/full stop step
one frame, Left/Right ±5 s, Home/End, Shift+Space loops a span. QtMultimedia needs the
PulseAudio client library on Linux; where it cannot load, the player says so and keeps a
silent clock so the timeline, transcript and annotations still work.

While a loop is set, playback that reaches its end goes back to its start (checked on each
position report, every 40-50 ms), and playing from outside the loop starts at its start.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from bwvreview.timecode import clock, span

log = logging.getLogger(__name__)

try:  # pragma: no cover - depends on the machine's audio libraries
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink

    MULTIMEDIA_ERROR = ""
except ImportError as exc:  # pragma: no cover
    QMediaPlayer = None  # type: ignore[assignment,misc]
    MULTIMEDIA_ERROR = str(exc)

SPEEDS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
STEP_MS = 5000
GENTLE_VOLUME = 0.3  # gentle preview: sound at 30 %
SOFTEN_FACTOR = 16  # gentle preview: the picture is drawn from a 1/16-size copy


def clock_text(ms: int, fps: float | None) -> str:
    """``1:05.3`` and the frame number, as shown under the picture."""
    frame = f"  frame {int(max(0, int(ms)) * fps / 1000)}" if fps else ""
    return clock(ms, tenths=True) + frame


class VideoView(QWidget):
    """Paints the latest decoded frame, letterboxed. Drawing the frames ourselves (rather
    than a QVideoWidget) keeps them in screenshots and lets the picture be softened."""

    def __init__(self) -> None:
        super().__init__()
        self.image = QImage()
        self._soften = False
        self._softened: tuple[int, QImage] | None = None  # (cacheKey of image, small copy)
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._frame)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def soften(self) -> bool:
        """Whether the picture is drawn softened (blurred) for a gentle preview."""
        return self._soften

    @soften.setter
    def soften(self, on: bool) -> None:
        self._soften = bool(on)
        self.update()

    def _frame(self, frame: QVideoFrame) -> None:
        self.image = frame.toImage()
        self.update()

    def _small_copy(self) -> QImage:
        """The frame at 1/16 size; stretched back up with smooth filtering it is a cheap,
        strong blur (about 2 ms for a 1080p frame), kept until the frame changes."""
        key = self.image.cacheKey()
        if self._softened is None or self._softened[0] != key:
            w = max(1, self.image.width() // SOFTEN_FACTOR)
            h = max(1, self.image.height() // SOFTEN_FACTOR)
            small = self.image.scaled(w, h, Qt.AspectRatioMode.IgnoreAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)  # fmt: skip
            self._softened = (key, small)
        return self._softened[1]

    def paintEvent(self, _event) -> None:  # noqa: N802, ANN001
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self.image.isNull():
            return
        scaled = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - scaled.width()) // 2
        y = (self.height() - scaled.height()) // 2
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        picture = self._small_copy() if self._soften else self.image
        painter.drawImage(QRect(x, y, scaled.width(), scaled.height()), picture)


class PlayerWidget(QWidget):
    position_changed = Signal(int)  # ms
    playing_changed = Signal(bool)
    loop_changed = Signal(object)  # (start_ms, end_ms) or None
    loop_requested = Signal()  # the Loop button: the workspace decides what to loop

    def __init__(self) -> None:
        super().__init__()
        self.fps: float | None = None
        self.duration_ms = 0
        self._loop: tuple[int, int] | None = None
        self._speed_index = SPEEDS.index(1.0)
        self._build()

    # --- building -----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if QMediaPlayer is not None:
            self.video = VideoView()
            self.media = QMediaPlayer(self)
            self.audio = QAudioOutput(self)
            self.media.setAudioOutput(self.audio)
            if hasattr(self.media, "setPitchCompensation"):  # Qt 6.10+: keep voices natural
                self.media.setPitchCompensation(True)
            self.media.setVideoSink(self.video.sink)
            self.media.positionChanged.connect(self._media_moved)
            self.media.mediaStatusChanged.connect(self._status_changed)
            self._pending_seek: int | None = None
            self.media.playbackStateChanged.connect(
                lambda state: self.playing_changed.emit(
                    state == QMediaPlayer.PlaybackState.PlayingState
                )
            )
            layout.addWidget(self.video, 1)
        else:
            self.media = None
            self.video = QLabel(
                "Picture and sound are not available on this computer "
                f"({MULTIMEDIA_ERROR}).\nThe timeline, transcript and annotations still work."
            )
            self.video.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.video.setWordWrap(True)
            layout.addWidget(self.video, 1)
            self._clock = QElapsedTimer()
            self._clock_base = 0
            self._clock_running = False
            self._ticker = QTimer(self, interval=40)
            self._ticker.timeout.connect(lambda: self._media_moved(self.position()))
        bar = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Play or pause (Space or K)")
        self.play_button.clicked.connect(self.toggle)
        self.playing_changed.connect(lambda on: self.play_button.setText("Pause" if on else "Play"))
        self.time_label = QLabel(clock_text(0, None))
        self.time_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.loop_button = QPushButton("Loop")
        self.loop_button.setCheckable(True)
        self.loop_button.setToolTip("Loop the selected span, or the selected annotation "
                                    "(Shift+Space)")  # fmt: skip
        self.loop_button.clicked.connect(self._loop_clicked)
        self.loop_button.hide()  # shown where something answers it (the review workspace)
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(self._speed_index)
        self.speed.setToolTip("Playback speed (pitch is kept)")
        self.speed.currentIndexChanged.connect(self._speed_chosen)
        bar.addWidget(self.play_button)
        bar.addWidget(self.loop_button)
        bar.addWidget(self.time_label, 1)
        bar.addWidget(QLabel("Speed"))
        bar.addWidget(self.speed)
        layout.addLayout(bar)

    # --- what the workspace calls ---------------------------------------------------------
    def load(self, path: Path, duration_ms: int, fps: float | None) -> None:
        self.fps = fps
        self.duration_ms = duration_ms
        if self.media is not None:
            self.media.setSource(QUrl.fromLocalFile(str(path)))
        self._media_moved(0)

    def position(self) -> int:
        if self.media is not None:
            return int(self.media.position())
        elapsed = self._clock.elapsed() * self.rate() if self._clock_running else 0
        return min(self.duration_ms, self._clock_base + int(elapsed))

    def is_playing(self) -> bool:
        if self.media is not None:
            return self.media.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        return self._clock_running

    def rate(self) -> float:
        return SPEEDS[self._speed_index]

    def play(self) -> None:
        if self._loop is not None and not self._loop[0] <= self.position() < self._loop[1]:
            self.seek(self._loop[0])
        if self.media is not None:
            self.media.play()
            return
        self._clock_base = self.position()
        self._clock.restart()
        self._clock_running = True
        self._ticker.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.media is not None:
            self.media.pause()
            return
        self._clock_base = self.position()
        self._clock_running = False
        self._ticker.stop()
        self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def seek(self, ms: int) -> None:
        ms = max(0, min(int(ms), self.duration_ms))
        if self.media is not None:
            loading = (QMediaPlayer.MediaStatus.NoMedia, QMediaPlayer.MediaStatus.LoadingMedia)
            if self.media.mediaStatus() in loading:
                self._pending_seek = ms  # a seek before the file is open would be lost
            else:
                self.media.setPosition(ms)
        else:
            self._clock_base = ms
            self._clock.restart()
        self._media_moved(ms)

    def step(self, delta_ms: int) -> None:
        self.seek(self.position() + delta_ms)

    def step_frames(self, frames: int) -> None:
        self.pause()
        self.step(round(frames * 1000 / (self.fps or 25.0)))

    def shuttle(self, direction: int) -> None:
        """L speeds up forward play; J slows down, and at normal speed or below jumps back."""
        if direction > 0:
            if not self.is_playing():
                self.set_speed(1.0)
                self.play()
            else:
                self.set_speed(SPEEDS[min(self._speed_index + 1, len(SPEEDS) - 1)])
        elif self.rate() > 1.0:
            self.set_speed(SPEEDS[self._speed_index - 1])
        else:
            self.step(-STEP_MS)

    def offer_loop(self) -> None:
        """Show the Loop button: the owner answers ``loop_requested``."""
        self.loop_button.show()

    def loop(self) -> tuple[int, int] | None:
        return self._loop

    def set_loop(self, start_ms: int | None, end_ms: int | None = None) -> None:
        """Loop between ``start_ms`` and ``end_ms`` and play (None: stop looping)."""
        if start_ms is None or end_ms is None or end_ms <= start_ms:
            self._loop = None
        else:
            self._loop = (max(0, int(start_ms)), min(int(end_ms), self.duration_ms or end_ms))
        on = self._loop is not None
        self.loop_button.setChecked(on)
        self.loop_button.setText(f"Loop {span(*self._loop)}" if on else "Loop")
        self.loop_changed.emit(self._loop)
        if on:
            self.seek(self._loop[0])
            self.play()

    def _loop_clicked(self) -> None:
        self.loop_button.setChecked(self._loop is not None)  # the workspace decides
        self.loop_requested.emit()

    def set_speed(self, speed: float) -> None:
        self.speed.setCurrentIndex(SPEEDS.index(speed))

    def set_volume(self, volume: float) -> None:
        if self.media is not None:
            self.audio.setVolume(volume)

    @property
    def soften(self) -> bool:
        return isinstance(self.video, VideoView) and self.video.soften

    def set_gentle(self, on: bool) -> None:
        """Gentle preview: the picture softened and the sound at 30 %, or both back to full."""
        if isinstance(self.video, VideoView):
            self.video.soften = on
        self.set_volume(GENTLE_VOLUME if on else 1.0)

    # --- internals ------------------------------------------------------------------------
    def _status_changed(self, status: object) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._pending_seek is not None:
            self.media.setPosition(self._pending_seek)
            self._pending_seek = None

    def _speed_chosen(self, index: int) -> None:
        position = self.position()
        self._speed_index = index
        if self.media is not None:
            self.media.setPlaybackRate(SPEEDS[index])
        else:
            self._clock_base = position
            self._clock.restart()

    def _media_moved(self, ms: int) -> None:
        if self._loop is not None and ms >= self._loop[1] and self.is_playing():
            self.seek(self._loop[0])  # round again
            return
        self.time_label.setText(clock_text(ms, self.fps))
        self.position_changed.emit(int(ms))
