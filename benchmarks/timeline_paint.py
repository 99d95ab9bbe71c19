"""How long does the review timeline take to repaint? Culled painting against painting all.

    .venv/bin/python benchmarks/timeline_paint.py [--repeats N] [--annotations N]

An hour of footage with 5,000 annotations (a tenth of them points, some in two principle
lanes), a transcript segment every 5 s and an hour of waveform peaks, painted offscreen at
1600x400. bwvreview: ``TimelineWidget`` as shipped, which paints only the annotations and
segments whose spans meet the exposed rectangle (binary search over spans sorted by start
beside a running maximum of their ends). Baseline: the same widget with ``culls = False``,
which hands every annotation and segment to the painter and lets Qt clip them. Scenarios:
a full repaint with the whole recording in view, a full repaint at 30 s across, and the
two 15-px strips a playhead move repaints at 30 s. Both variants are checked to give the
same pixels.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QPoint, QRect  # noqa: E402
from PySide6.QtGui import QColor, QImage, QRegion  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bwvreview.media.waveform import Peaks  # noqa: E402
from bwvreview.ui.timeline import TimelineItem, TimelineWidget  # noqa: E402

HOUR_MS = 3_600_000
LANES = [("safety", "Safety"), ("trust", "Trust"), ("choice", "Choice"),
         ("collaboration", "Collaboration"), ("empowerment", "Empowerment"),
         ("cultural", "Cultural considerations"), ("other", "No principle")]  # fmt: skip
POLARITIES = ("concern", "good_practice", "observation")


class UnculledTimeline(TimelineWidget):
    """The baseline: every annotation and segment is painted, visible or not."""

    culls = False


def qt_drops_none_references() -> bool:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on each void Qt call; a
    benchmark making hundreds of thousands of them would abort ("deallocating None")."""
    colour = QColor("red")
    before = sys.getrefcount(None)
    for _ in range(1000):
        colour.setAlpha(10)
    return sys.getrefcount(None) < before - 10


def annotations(count: int, seed: int = 7) -> list[TimelineItem]:
    rng = random.Random(seed)
    keys = [key for key, _ in LANES]
    items = []
    for i in range(count):
        start = rng.randrange(0, HOUR_MS - 30_000)
        length = 0 if i % 10 == 0 else rng.randrange(1_000, 30_000)
        lanes = tuple(rng.sample(keys, rng.choice((1, 1, 2))))
        items.append(TimelineItem(i, start, start + length, lanes, POLARITIES[i % 3],
                                  f"Annotation {i}"))  # fmt: skip
    return items


def speech_like_peaks() -> Peaks:
    rng = np.random.default_rng(1)
    buckets = HOUR_MS // 10
    envelope = np.abs(np.sin(np.arange(buckets) / 700)) * rng.uniform(0.05, 0.6, buckets)
    return Peaks(10, (-envelope).astype(np.float32), envelope.astype(np.float32))


def build(cls: type[TimelineWidget], items: list[TimelineItem], peaks: Peaks) -> TimelineWidget:
    widget = cls()
    widget.resize(1600, 400)
    widget.set_duration(HOUR_MS)
    widget.set_lanes(LANES)
    widget.set_peaks(peaks)
    widget.set_segments([(t, t + 4000, "wearer" if t % 3 else "other",
                          "I'm going to explain what happens next")
                         for t in range(0, HOUR_MS, 5000)])  # fmt: skip
    widget.set_annotations(items)
    widget.select(items[17].id)
    widget.set_playhead(1_010_000)
    return widget


def strips(widget: TimelineWidget) -> QRegion:
    """The two strips ``set_playhead`` repaints when the playhead moves by 40 ms."""
    region = QRegion()
    for ms in (1_010_000, 1_010_040):
        x = int(widget.x_for_ms(ms))
        region += QRegion(QRect(x - 7, 0, 15, widget.height() - widget.scrollbar.height()))
    return region


def time_paints(widget: TimelineWidget, region: QRegion | None, repeats: int) -> list[float]:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32_Premultiplied)
    region = region if region is not None else QRegion(widget.rect())
    widget.render(image, QPoint(), region)  # warm-up: fonts, glyph caches
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        widget.render(image, QPoint(), region)
        times.append((time.perf_counter() - began) * 1000)
    return times


def same_pixels(a: TimelineWidget, b: TimelineWidget) -> bool:
    images = []
    for widget in (a, b):
        image = QImage(widget.size(), QImage.Format.Format_ARGB32_Premultiplied)
        widget.render(image)
        images.append(image)
    return images[0] == images[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="repaints per measurement")
    parser.add_argument("--annotations", type=int, default=5000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    if sys.version_info < (3, 12) and qt_drops_none_references():
        print(
            "PySide6 here drops a reference to None on every void Qt call (6.12.0 on Python "
            "3.11); this run would abort. Use PySide6 6.11 or Python 3.12+.",
            file=sys.stderr,
        )
        return 3
    items, peaks = annotations(args.annotations), speech_like_peaks()
    ours, baseline = build(TimelineWidget, items, peaks), build(UnculledTimeline, items, peaks)
    scenarios = [("whole hour, full repaint", (0, HOUR_MS), False),
                 ("30 s view, full repaint", (1_000_000, 1_030_000), False),
                 ("30 s view, playhead strips", (1_000_000, 1_030_000), True)]  # fmt: skip
    print(f"{args.annotations} annotations over 1 h, 1600x400 offscreen, "
          f"{args.repeats} repaints each; ms per repaint (median, mean)\n")  # fmt: skip
    header = f"{'scenario':<28} {'culled (bwvreview)':>20} {'all painted':>18} {'ratio':>7} same"
    print(header)
    print("-" * len(header))
    for name, view, strip in scenarios:
        cells = []
        for widget in (ours, baseline):
            widget.set_view(*view)
            times = time_paints(widget, strips(widget) if strip else None, args.repeats)
            cells.append((statistics.median(times), statistics.mean(times)))
        same = "yes" if same_pixels(ours, baseline) else "NO"
        ratio = cells[1][0] / cells[0][0] if cells[0][0] else float("inf")
        print(f"{name:<28} {cells[0][0]:>9.2f} ({cells[0][1]:>6.2f}) "
              f"{cells[1][0]:>8.2f} ({cells[1][1]:>6.2f}) {ratio:>6.1f}x {same}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
