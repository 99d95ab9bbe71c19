"""How quickly does a transcription stop after Cancel? bwvreview against a naive baseline.

    .venv/bin/python benchmarks/cancel_latency.py [MEDIA] [--trials N]

Baseline: raw faster-whisper with the cancel flag checked between segments (the obvious
way; a flag set during a decoding window is only seen when the window ends).
bwvreview: ``media.transcribe.transcribe``, whose decoding runs on a helper thread so the
caller stops waiting within ~50 ms. Each trial sets the flag at a random moment 0.5–4 s
into the run and measures the time until control comes back. Both use the same model and
settings; trials alternate between the two.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from pathlib import Path

import numpy as np

from bwvreview.bundled import resource_path
from bwvreview.media.audio import decode_audio
from bwvreview.media.transcribe import (
    WHISPER_OPTIONS,
    TranscriptionCancelled,
    load_model,
    transcribe,
)


class Cancelled(Exception):
    pass


def naive(audio: np.ndarray, cancel: threading.Event) -> None:
    whisper, _, _ = load_model(None, "cpu")
    segments, _info = whisper.transcribe(audio, language="en", **WHISPER_OPTIONS)
    for _segment in segments:
        if cancel.is_set():
            raise Cancelled


def ours(audio: np.ndarray, cancel: threading.Event, path: Path) -> None:
    for _step in transcribe(path, audio=audio, device="cpu", cancel=cancel):
        pass


def trial(run, delay_s: float) -> float | None:
    cancel = threading.Event()
    fired: list[float] = []

    def fire() -> None:
        fired.append(time.monotonic())
        cancel.set()

    timer = threading.Timer(delay_s, fire)
    timer.start()
    try:
        run(cancel)
    except (Cancelled, TranscriptionCancelled):
        return time.monotonic() - fired[0]
    finally:
        timer.cancel()
    return None  # finished before the cancel came


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="?", type=Path,
                        default=resource_path("demo", "demo_incident.mp4"))  # fmt: skip
    parser.add_argument("--trials", type=int, default=8)
    args = parser.parse_args()
    audio = np.tile(decode_audio(args.media), 4)  # a few minutes, so every cancel lands mid-run
    load_model(None, "cpu")
    rng = random.Random(4)
    results: dict[str, list[float]] = {"naive (between segments)": [], "bwvreview": []}
    for _ in range(args.trials):
        delay = rng.uniform(0.5, 4.0)
        for name, run in (
            ("naive (between segments)", lambda c: naive(audio, c)),
            ("bwvreview", lambda c: ours(audio, c, args.media)),
        ):
            latency = trial(run, delay)
            if latency is not None:
                results[name].append(latency * 1000)
    print(f"media: {args.media.name} x4, {args.trials} cancels at random moments 0.5-4 s in")
    print(f"{'variant':<26}{'median ms':>10}{'max ms':>10}{'n':>4}")
    for name, values in results.items():
        print(f"{name:<26}{statistics.median(values):>10.0f}{max(values):>10.0f}{len(values):>4}")
    base = statistics.median(results["naive (between segments)"])
    mine = statistics.median(results["bwvreview"])
    print(f"bwvreview / naive median latency = {mine / base:.3f}")


if __name__ == "__main__":
    main()
