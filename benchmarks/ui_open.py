"""How fast does the review workspace open on an hour of footage, how long does the GUI
thread stall while it opens, and how fast does the timeline repaint?

    .venv/bin/python benchmarks/ui_open.py [--repeats N] [--annotations N]

(a) Ready to play: the time from calling ``build_workspace()`` (and showing the window, as
``open_workspace`` does) until the player has the media open (``LoadedMedia`` or
``BufferedMedia``) *and* the timeline has its waveform. Baseline: the same open with an
empty waveform cache, so the peaks are computed from the sound on the thread pool. Compared
with it: the re-open that reads the cached peaks (the issue's target: under 1.5 s). The
first open in the process (Qt Multimedia and fonts still cold) is shown on its own row and
left out of the others (a warm-up open precedes them).

(b) Opening a reviewed hour: 5,000 annotations and an hour of transcript (about 9,000
words, with cue phrases in it), waveform cached. Besides ready to play: the time until
everything is shown (transcript written, annotations listed and on the lanes, suggestions
matched), and the longest stall of the GUI thread from calling ``build_workspace()`` until
then, measured by a 5 ms timer on the GUI thread (the longest gap between its ticks; 5 ms
is no stall at all). Baseline: the previous synchronous path, the same work done on the GUI
thread (``WorkspaceController.loads_in_background = False``: read, lay out, match and write
the transcript before ``build_workspace()`` returns), against bwvreview's background read.
The first open after transcription also stores the suggestions it finds: its own row.

(c) Timeline repaint with 5,000 annotations stored in the database (inserted one by one
with ``review.create_annotation``, as the workspace would) and loaded by the workspace
itself, painted offscreen at the size the window gives the timeline. Baseline: the same
widget with ``culls = False``, which hands every annotation to the painter; both give the
same pixels.

The hour of footage (testsrc2 160x120 at 5 fps, a 200 Hz tone with syllable-rate loudness
and pauses, so the waveform looks like speech) is made once with the bundled ffmpeg in
``<temp>/bwvreview-bench/`` and reused. The library and the Qt settings are throwaway.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")  # no stream dump per open

from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QEvent,
    QPoint,
    QRect,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
)
from PySide6.QtGui import QImage, QRegion  # noqa: E402

from bwvreview import app  # noqa: E402
from bwvreview.annotations import review  # noqa: E402
from bwvreview.annotations.cues import suggestions
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord  # noqa: E402
from bwvreview.media.ffmpeg import ffmpeg_exe  # noqa: E402
from bwvreview.ui.launch import build_workspace, make_application  # noqa: E402
from bwvreview.ui.player import QMediaPlayer  # noqa: E402
from bwvreview.ui.timeline import TimelineWidget  # noqa: E402
from bwvreview.ui.workspace_controller import WorkspaceController  # noqa: E402
from bwvreview.ui.workspace_window import WorkspaceWindow  # noqa: E402

HOUR_S = 3600
HOUR_MS = HOUR_S * 1000
TARGET_MS = 1500
PAINT_SCENARIOS = [("whole hour, full repaint", (0, HOUR_MS), False),
                   ("30 s view, full repaint", (1_000_000, 1_030_000), False),
                   ("30 s view, playhead strips", (1_000_000, 1_030_000), True)]  # fmt: skip
CACHE = Path(tempfile.gettempdir()) / "bwvreview-bench"
# What is said over the hour: everyday incident talk, some of it what the phrase cues look for.
LINES = ("Hello, I'm PC Ahmed from the police, can you tell me what happened?",
         "Calm down and sit down now.", "Are you hurt anywhere at all?",
         "Take your time, there's no rush.", "He just came at me, I swear, I didn't do anything.",
         "I'm going to put these handcuffs on you because you kicked out at my colleague.",
         "Would you rather sit in the car or stand here?", "It's up to you.",
         "Does that make sense?", "I don't know what you want from me, I've told you everything.",
         "Next we will go to the station and a solicitor can see you there.",
         "We walked down by the canal and then it all kicked off near the bridge, okay?",
         "Can you spell your surname for me please?", "My phone is in the other jacket.",
         "Right, so you were at the shop first and then you came back here?")  # fmt: skip
SPEECHY = ("sine=frequency=200:sample_rate=16000:duration={d},"
           "volume='(0.55+0.45*sin(2*PI*3*t))*gt(sin(2*PI*0.13*t),-0.4)':eval=frame")  # fmt: skip


def hour_clip() -> Path:
    """The one-hour test recording, made on the first run (about a minute) and kept."""
    path = CACHE / "hour_160x120_5fps.mp4"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.stem + ".part.mp4")
    print(f"making {path} (once)…", file=sys.stderr)
    subprocess.run(
        [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=160x120:rate=5:duration={HOUR_S}",
         "-f", "lavfi", "-i", SPEECHY.format(d=HOUR_S),
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "32k", "-ac", "1", "-shortest", str(part)],
        check=True,
    )  # fmt: skip
    part.replace(path)
    return path


@dataclass(frozen=True)
class Opening:
    built_ms: float  # build_workspace() returned and the window was shown
    media_ms: float  # the player had the media open
    waveform_ms: float  # the timeline had its peaks
    loaded_ms: float = 0.0  # transcript, annotations and suggestions all shown
    stall_ms: float = 0.0  # the longest the GUI thread went without its event loop

    @property
    def ready_ms(self) -> float:
        return max(self.media_ms, self.waveform_ms)


class StallMonitor:
    """A 5 ms timer on the GUI thread: the longest gap between its ticks is the longest time
    the GUI thread was kept from its event loop (playback, painting, keys)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = self.longest = 0.0

    def start(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest * 1000


READY = ()
if QMediaPlayer is not None:
    READY = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)


def open_until_ready(lib: app.Library, recording_id: int, timeout_s: float = 300) -> Opening:
    """Open the workspace and wait until it is ready to play and has shown everything."""
    monitor = StallMonitor()
    monitor.start()
    began = time.perf_counter()
    window, controller = build_workspace(lib, recording_id)
    window.show()
    built = time.perf_counter()
    media = waveform = loaded = None
    while media is None or waveform is None or loaded is None:
        QCoreApplication.processEvents()
        now = time.perf_counter()
        if media is None and window.player.media.mediaStatus() in READY:
            media = now
        if waveform is None and window.timeline._peaks is not None:
            waveform = now
        if loaded is None and not controller.is_loading():
            loaded = now
        if now - began > timeout_s:
            raise TimeoutError("the workspace did not become ready")
        time.sleep(0.0005)
    stall = monitor.stop()
    close(window)
    del window, controller
    collect_garbage()
    times = ((t - began) * 1000 for t in (built, media, waveform, loaded))
    return Opening(*times, stall_ms=stall)


def close(window: WorkspaceWindow) -> None:
    """Close and really delete the window (outside an event loop, ``deleteLater`` alone never
    deletes); the caller then drops its references and calls ``collect_garbage``."""
    window.player.media.stop()
    window.close()
    window.deleteLater()
    QThreadPool.globalInstance().waitForDone()
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def collect_garbage() -> None:
    """Collect the closed window's data now, so every open starts from the same heap (and
    no open pays for collecting the one before)."""
    for _ in range(2):  # deleting the window lets go of Qt's connections, also deferred
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


def store_annotations(lib: app.Library, recording_id: int, count: int) -> float:
    """``count`` annotations over the hour, a tenth of them points; returns seconds taken."""
    rng = random.Random(7)
    keys = [c.key for c in lib.codebook.categories]
    began = time.perf_counter()
    for i in range(count):
        start = rng.randrange(0, HOUR_MS - 30_000)
        end = start if i % 10 == 0 else start + rng.randrange(1_000, 30_000)
        review.create_annotation(lib.db, recording_id=recording_id, codebook_id=lib.codebook_id,
                                 category_key=keys[i % len(keys)], start_ms=start, end_ms=end,
                                 actor="bench", note=f"Annotation {i}")  # fmt: skip
    return time.perf_counter() - began


def store_hour_transcript(lib: app.Library, recording_id: int) -> int:
    """An hour of talk at about 150 words a minute, two speakers; returns the word count."""
    rng = random.Random(11)
    segments, t = [], 400
    while t < HOUR_MS - 15_000:
        line = rng.choice(LINES)
        words = []
        for text in line.split():
            length = rng.randrange(180, 380)
            words.append(NewWord(t, t + length, f" {text}", rng.uniform(0.3, 1.0)))
            t += length + rng.randrange(10, 60)
        segments.append(NewSegment(words[0].start_ms, words[-1].end_ms, line,
                                   rng.choice(("wearer", "other")), tuple(words)))  # fmt: skip
        t += rng.randrange(150, 1200)
    transcripts.store_transcript(lib.db, recording_id, segments, model="bench", device="cpu",
                                 compute_type="-", language="en", speaker_confidence=0.8,
                                 actor="bench")  # fmt: skip
    return sum(len(s.words) for s in segments)


def median_opening(openings: list[Opening]) -> Opening:
    return Opening(*(statistics.median(getattr(o, f) for o in openings)
                     for f in ("built_ms", "media_ms", "waveform_ms", "loaded_ms",
                               "stall_ms")))  # fmt: skip


def open_reviewed(lib: app.Library, recording_id: int, repeats: int, count: int) -> None:
    """(b): the reviewed hour opened in the background against on the GUI thread."""
    words = store_hour_transcript(lib, recording_id)
    first = open_until_ready(lib, recording_id)  # stores the suggestions the cues find
    found = len(suggestions.list_suggestions(lib.db, recording_id))
    runs: dict[bool, list[Opening]] = {True: [], False: []}
    for _ in range(repeats):
        for background in (False, True):
            WorkspaceController.loads_in_background = background
            runs[background].append(open_until_ready(lib, recording_id))
    WorkspaceController.loads_in_background = True
    print(f"\n(b) open the hour with {count} annotations and a transcript of {words} words "
          f"({found} suggestions), waveform cached; median of {repeats} opens, ms from "
          f"build_workspace()\n")  # fmt: skip
    header = (f"{'scenario':<44} {'window shown':>12} {'ready':>7} {'all shown':>10} "
              f"{'longest GUI stall':>18}")  # fmt: skip
    print(header)
    print("-" * len(header))
    rows = [("baseline: all on the GUI thread (previous)", median_opening(runs[False])),
            ("bwvreview: read in the background", median_opening(runs[True])),
            (f"first open after transcription (stores {found})", first)]  # fmt: skip
    for name, o in rows:
        print(f"{name:<44} {o.built_ms:>12.0f} {o.ready_ms:>7.0f} {o.loaded_ms:>10.0f} "
              f"{o.stall_ms:>18.0f}")  # fmt: skip
    base, ours = rows[0][1], rows[1][1]
    worst = max(o.stall_ms for o in runs[True])
    verdict = "met" if worst <= 50 else "NOT met"
    print(f"\nlongest GUI stall {base.stall_ms:.0f} -> {ours.stall_ms:.0f} ms "
          f"({base.stall_ms / ours.stall_ms:.0f}x shorter); worst of the {repeats} background "
          f"opens {worst:.0f} ms: target <= 50 ms {verdict}; ready to play "
          f"{base.ready_ms:.0f} -> {ours.ready_ms:.0f} ms (target < {TARGET_MS} ms)")  # fmt: skip


def paint_times(timeline: TimelineWidget, region: QRegion | None, repeats: int) -> float:
    image = QImage(timeline.size(), QImage.Format.Format_ARGB32_Premultiplied)
    region = region if region is not None else QRegion(timeline.rect())
    timeline.render(image, QPoint(), region)  # warm-up: fonts, glyph caches
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        timeline.render(image, QPoint(), region)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def playhead_strips(timeline: TimelineWidget, at_ms: int) -> QRegion:
    region = QRegion()
    for ms in (at_ms, at_ms + 40):
        x = int(timeline.x_for_ms(ms))
        region += QRegion(QRect(x - 7, 0, 15, timeline.height() - timeline.scrollbar.height()))
    return region


def pixels(timeline: TimelineWidget) -> QImage:
    image = QImage(timeline.size(), QImage.Format.Format_ARGB32_Premultiplied)
    timeline.render(image)
    return image


def repaint_table(lib: app.Library, recording_id: int, count: int, repeats: int) -> None:
    window, controller = build_workspace(lib, recording_id)
    window.resize(1920, 1080)
    window.show()
    window.splitter.setSizes([1400, 520])
    window.left.setSizes([560, 460])
    QThreadPool.globalInstance().waitForDone()
    while controller.is_loading():
        QCoreApplication.processEvents()
    controller.reader.in_background = False  # the baseline: a full reload on the GUI thread
    began = time.perf_counter()
    controller.refresh()
    refresh_ms = (time.perf_counter() - began) * 1000
    controller.reader.in_background = True
    began = time.perf_counter()
    review.list_annotations(lib.db, recording_id)
    list_ms = (time.perf_counter() - began) * 1000
    edit_ms, undo_ms = [], []
    for n in range(5):  # an edit and its undo update the lists in place, without a reload
        first = controller.items[n]
        began = time.perf_counter()
        controller.update(first.id, {"note": f"benchmark edit {n}"})
        edit_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        controller.undo.undo()
        undo_ms.append((time.perf_counter() - began) * 1000)
    timeline = window.timeline
    timeline.set_playhead(1_010_000)
    size = f"{timeline.width()}x{timeline.height()}"
    print(f"\n(c) timeline repaint, {count} annotations from the database, timeline {size} "
          f"offscreen; median ms of {repeats}\n")  # fmt: skip
    header = f"{'scenario':<28} {'culled (bwvreview)':>18} {'all painted':>12} {'ratio':>7} same"
    print(header)
    print("-" * len(header))
    for name, view, strip in PAINT_SCENARIOS:
        timeline.set_view(*view)
        cells, images = [], []
        for culls in (True, False):
            timeline.culls = culls
            region = playhead_strips(timeline, 1_010_000) if strip else None
            cells.append(paint_times(timeline, region, repeats))
            images.append(pixels(timeline))
        del timeline.culls
        same = "yes" if images[0] == images[1] else "NO"
        print(f"{name:<28} {cells[0]:>18.2f} {cells[1]:>12.2f} "
              f"{cells[1] / cells[0]:>6.1f}x {same}")  # fmt: skip
    print(f"\nwith {count} annotations open: one edit {statistics.median(edit_ms):.0f} ms, its "
          f"undo {statistics.median(undo_ms):.0f} ms (lists updated in place), against the "
          f"baseline of a full reload on the GUI thread (controller.refresh with its reader in "
          f"the foreground) {refresh_ms:.0f} ms, of which "
          f"reading them from the database (review.list_annotations) {list_ms:.0f} ms")  # fmt: skip
    close(window)
    del window, controller
    collect_garbage()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="opens per scenario")
    parser.add_argument("--paints", type=int, default=30, help="repaints per measurement")
    parser.add_argument("--annotations", type=int, default=5000)
    args = parser.parse_args()
    clip = hour_clip()
    with tempfile.TemporaryDirectory() as scratch:
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, scratch)  # leave the user's alone
        qt_app = make_application()
        qt_app.setStyle("Fusion")
        if QMediaPlayer is None:
            print("Qt Multimedia is not available here: nothing to measure.", file=sys.stderr)
            return 3
        lib = app.open_library(data_dir=Path(scratch) / "data")
        recording, _ = app.import_media(lib, clip)
        peaks_dir = lib.data_dir / "cache" / "peaks"
        cold = open_until_ready(lib, recording.id)  # computes and caches the waveform
        uncached, cached = [], []
        for _ in range(args.repeats):
            for cache_file in peaks_dir.glob("*"):
                cache_file.unlink()
            uncached.append(open_until_ready(lib, recording.id))
            cached.append(open_until_ready(lib, recording.id))
        rows = [("baseline: waveform not cached", median_opening(uncached)),
                ("waveform cached", median_opening(cached)),
                ("first open in process, not cached", cold)]  # fmt: skip
        print(f"(a) open a 1-hour recording (160x120, 5 fps, AAC) until ready to play; "
              f"median of {args.repeats} opens, ms from build_workspace()\n")  # fmt: skip
        header = (f"{'scenario':<36} {'window shown':>12} {'media open':>11} "
                  f"{'waveform':>9} {'ready':>8}")  # fmt: skip
        print(header)
        print("-" * len(header))
        for name, o in rows:
            print(f"{name:<36} {o.built_ms:>12.0f} {o.media_ms:>11.0f} "
                  f"{o.waveform_ms:>9.0f} {o.ready_ms:>8.0f}")  # fmt: skip
        base, ours = rows[0][1].ready_ms, rows[1][1].ready_ms
        verdict = "met" if ours < TARGET_MS else "NOT met"
        print(f"\ncached vs baseline: {base / ours:.1f}x faster to ready; "
              f"target ready < {TARGET_MS} ms once cached: {verdict} ({ours:.0f} ms)")  # fmt: skip
        took = store_annotations(lib, recording.id, args.annotations)
        print(f"stored {args.annotations} annotations one by one in {took:.1f} s", file=sys.stderr)
        open_reviewed(lib, recording.id, args.repeats, args.annotations)
        repaint_table(lib, recording.id, args.annotations, args.paints)
        lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
