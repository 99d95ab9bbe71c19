"""Decoding variants inside one process: bwvreview's engine, faster-whisper used directly
with the same settings, greedy decoding and the batched pipeline, on one file.

    PYTHONPATH=. .venv/bin/python benchmarks/transcribe_variants.py [MEDIA] [--repeats N]

(The whole command against raw faster-whisper, process against process, is
``benchmarks/transcribe_vs_raw.py``; this one looks inside the decoding alone.)

Variants, all with the same model (bundled tiny.en unless --model), device, compute type,
thread count and decoding settings (``bwvreview.media.transcribe.WHISPER_OPTIONS``):

- ``raw``: ``WhisperModel.transcribe(path)``, iterating the segments (faster-whisper decodes
  the file itself);
- ``bwvreview``: ``bwvreview.media.transcribe.transcribe(path)`` consumed to the result
  (decode with ``media.audio``, blocked VAD, faster-whisper, speaker attribution);
- ``raw beam1``: ``raw`` with greedy decoding, to show what beam_size 5 costs and buys;
- ``batched bN``: ``BatchedInferencePipeline(model).transcribe(path, batch_size=N)``. It
  ignores temperature fallback and ``hallucination_silence_threshold`` by design and decodes
  without timestamp tokens; ``b1`` separates what batching itself gains from what the
  pipeline's other differences gain.

Each run is a fresh subprocess so its peak memory is its own: ``peak RSS`` is the child's
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` - the whole process's high-water mark,
including the interpreter, libraries, the loaded model and a short warm-up transcription
(the first 5 s of the file, so one-time set-up such as creating the VAD session is not
timed). ``run s`` is wall time from the call to the last segment, audio decoding included,
model loading excluded (shown as ``load s``). Repeats are interleaved (the order rotates each
round) and the median is reported. If MEDIA has a ``.json`` sidecar with ``utterances``
(as ``resources/demo/demo_incident.json`` does), the word error rate against it is shown.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = (
    ROOT / "resources" / "demo" / "demo_incident.mp4",
    ROOT / "tests" / "data" / "speech_two_voices.mp4",
)
VARIANTS = ("raw", "bwvreview", "raw beam1", "batched b1", "batched b4", "batched b8")


# --- child: one variant, one run ----------------------------------------------------------


def _child(variant: str, media: Path, model_name: str | None) -> dict:
    # Every variant runs on the CTranslate2 runtime the app chooses, which it sets before
    # CTranslate2 is first imported (see bwvreview/media/__init__.py).
    importlib.import_module("bwvreview.media")
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from bwvreview.media.audio import decode_audio
    from bwvreview.media.transcribe import (
        WHISPER_OPTIONS,
        _usable_cores,
        load_model,
        resolve_model,
        transcribe,
    )

    started = time.perf_counter()
    if variant == "bwvreview":
        model, device, compute = load_model(model_name)
    else:  # the same construction load_model uses, done by hand
        device, compute = "cpu", "int8"
        model = WhisperModel(
            resolve_model(model_name),
            device=device,
            compute_type=compute,
            cpu_threads=_usable_cores(),
        )
    load_s = time.perf_counter() - started
    options = dict(WHISPER_OPTIONS, vad_parameters=dict(WHISPER_OPTIONS["vad_parameters"]))
    warm = decode_audio(media)[: 5 * 16000]
    list(model.transcribe(warm, language="en", **options)[0])

    started = time.perf_counter()
    if variant == "bwvreview":
        *_, result = transcribe(media, model=model_name)
        words = [w.text for s in result.segments for w in s.words]
    else:
        runner = model
        if variant.startswith("batched"):
            runner = BatchedInferencePipeline(model)
            options["batch_size"] = int(variant.split("b")[-1])
        if variant == "raw beam1":
            options.update(beam_size=1, best_of=1)
        segments, _ = runner.transcribe(str(media), language="en", **options)
        words = [w.word.strip() for s in segments for w in s.words or ()]
    run_s = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "run_s": run_s,
        "load_s": load_s,
        "peak_rss_mb": peak_kb / 1024,
        "words": words,
        "device": device,
        "compute": compute,
    }


# --- parent: interleave, summarise --------------------------------------------------------


def _run_child(variant: str, media: Path, model: str | None) -> dict:
    cmd = [sys.executable, __file__, "--child", variant, str(media)]
    if model:
        cmd += ["--model", model]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _normalise(words: list[str]) -> list[str]:
    return re.findall(r"[a-z0-9']+", " ".join(words).lower())


def _wer(reference: list[str], hypothesis: list[str]) -> float:
    """Word error rate: word-level edit distance over the reference length."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp in enumerate(hypothesis, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp))
        previous = current
    return previous[-1] / max(len(reference), 1)


def _reference(media: Path) -> list[str] | None:
    sidecar = media.with_suffix(".json")
    if not sidecar.is_file():
        return None
    data = json.loads(sidecar.read_text())
    utterances = data.get("utterances") if isinstance(data, dict) else None
    if not utterances:
        return None
    return _normalise([u["text"] for u in utterances])


def _audio_seconds(media: Path) -> float:
    from bwvreview.media.audio import decode_audio

    return len(decode_audio(media)) / 16000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default=None, help="model name or folder (default: bundled)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    media = args.media or next((p for p in DEFAULT_FILES if p.is_file()), None)
    if media is None or not media.is_file():
        raise SystemExit(f"no media file: {media}")
    if args.child:
        print(json.dumps(_child(args.child, media, args.model)))
        return

    reference = _reference(media)
    with tempfile.TemporaryDirectory() as tmp:
        # Every variant reads one snapshot, even if the file is rewritten meanwhile.
        snapshot = Path(tmp) / media.name
        shutil.copyfile(media, snapshot)
        seconds = _audio_seconds(snapshot)
        runs: dict[str, list[dict]] = {v: [] for v in VARIANTS}
        for round_ in range(args.repeats):
            order = VARIANTS[round_ % len(VARIANTS) :] + VARIANTS[: round_ % len(VARIANTS)]
            for variant in order:
                runs[variant].append(_run_child(variant, snapshot, args.model))
                print(f"  round {round_ + 1}: {variant:<11} {runs[variant][-1]['run_s']:6.2f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
    _report(media, seconds, runs, reference, args)


def _report(media: Path, seconds: float, runs: dict, reference: list[str] | None, args) -> None:
    first = runs["raw"][0]
    print(
        f"file: {media.relative_to(ROOT) if media.is_relative_to(ROOT) else media} "
        f"({seconds:.1f} s of audio); model {args.model or 'bundled:tiny.en'}, "
        f"{first['device']}/{first['compute']}, {os.cpu_count()} CPU threads; "
        f"{args.repeats} interleaved repeats, median shown"
    )
    raw_s = statistics.median(r["run_s"] for r in runs["raw"])
    header = (
        f"{'variant':<11} {'run s':>7} {'vs raw':>7} {'RTF':>6} {'load s':>7} {'peak RSS MB':>12}"
    )
    if reference:
        header += f" {'WER':>6}"
    print(header)
    print("-" * len(header))
    for variant, results in runs.items():
        run_s = statistics.median(r["run_s"] for r in results)
        line = (
            f"{variant:<11} {run_s:7.2f} {run_s / raw_s:7.3f} {run_s / seconds:6.3f} "
            f"{statistics.median(r['load_s'] for r in results):7.2f} "
            f"{max(r['peak_rss_mb'] for r in results):12.0f}"
        )
        if reference:
            line += f" {_wer(reference, _normalise(results[0]['words'])):6.1%}"
        print(line)
    _verdicts(runs, raw_s)


def _verdicts(runs: dict, raw_s: float) -> None:
    bwv_s = statistics.median(r["run_s"] for r in runs["bwvreview"])
    ratio = bwv_s / raw_s
    print(f"\nbwvreview / raw = {ratio:.3f} (target <= 1.05): {'OK' if ratio <= 1.05 else 'OVER'}")
    raw_words = _normalise(runs["raw"][0]["words"])
    difference = _wer(raw_words, _normalise(runs["bwvreview"][0]["words"]))
    print(
        "bwvreview words vs raw: "
        + ("identical" if difference == 0 else f"{difference:.1%} differ (blocked decoding)")
    )
    for variant in ("batched b1", "batched b4", "batched b8"):
        batch_s = statistics.median(r["run_s"] for r in runs[variant])
        verdict = "beats" if batch_s < raw_s else "does not beat"
        print(f"{variant}: {batch_s:.2f} s vs sequential {raw_s:.2f} s - {verdict} sequential")


if __name__ == "__main__":
    main()
