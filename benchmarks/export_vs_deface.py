"""Face anonymisation speed: bwvreview export-clip against deface, with FFmpeg as the floor.

    .venv/bin/python benchmarks/export_vs_deface.py [MEDIA] [--repeat N]

On the same footage (default: the bundled demo incident, 54 s of 640x360 at 25 fps), in
one run, this times:

  ffmpeg re-encode       the plain re-encode (x264 veryfast + AAC): no detection, the floor
  deface                 deface's own command line, default settings, ``--keep-audio``
  bwvreview faces only   ``export-clip`` with only faces redacted
                         (``--keep-overlay --bleep none --keep-metadata``)
  bwvreview everything   ``export-clip`` with every default on, plus ``--captions``

bwvreview's rows are split into the export itself and the verification that follows it
(from the timings in the clip's report), because deface does not verify. "Faces seen" runs
bwvreview's face detector on every frame of each output where the demo's ground truth
has a face: the number of frames in which a face can still be detected (0 is the goal).
Needs the bench extra (deface's own dependencies) and deface itself, which is a baseline
only, not a dependency of bwvreview: ``pip install -e .[bench]`` then
``pip install --no-deps deface==1.5.0`` (without --no-deps it would bring the GUI build of
OpenCV, whose Qt plugins clash with PySide6's).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

from bwvreview.bundled import resource_path
from bwvreview.media.faces import FaceDetector
from bwvreview.media.ffmpeg import ffmpeg_exe
from bwvreview.media.probe import probe


def _bin(name: str) -> str:
    folder = Path(sys.executable).parent
    found = folder / (f"{name}.exe" if os.name == "nt" else name)
    return str(found) if found.exists() else (shutil.which(name) or name)


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    """Wall time of a command; exit 4 (a clip that failed verification) still counts."""
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode not in (0, 4):
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return time.perf_counter() - started


def _faces_seen(clip: Path, ground_truth: list[dict] | None, detector: FaceDetector) -> int | None:
    if ground_truth is None:
        return None
    seen = 0
    with av.open(str(clip)) as container:
        for frame in container.decode(video=0):
            t = frame.time or 0.0
            nearest = min(ground_truth, key=lambda p: abs(p["t"] - t))
            if nearest["box"] is None or abs(nearest["t"] - t) > 0.25:
                continue
            seen += len(detector.detect(frame.to_ndarray(format="bgr24"))) > 0
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant (median)")
    args = parser.parse_args()
    demo = resource_path("demo", "demo_incident.mp4")
    media: Path = args.media or demo
    truth = None
    if media == demo:
        facts = json.loads(resource_path("demo", "demo_incident.json").read_text("utf-8"))
        truth = facts["faces"]["track"]
    info = probe(media)
    frames = round(info.duration_ms / 1000 * (info.fps or 25))
    end = f"{info.duration_ms / 1000:.3f}"
    work = Path(tempfile.mkdtemp(prefix="bwv-bench-"))
    env = {**os.environ, "BWVREVIEW_DATA": str(work / "data")}
    subprocess.run([_bin("bwvreview"), "import", str(media)], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    variants = {
        "ffmpeg re-encode": lambda out: [
            str(ffmpeg_exe()), "-v", "error", "-y", "-i", str(media), "-c:v", "libx264",
            "-preset", "veryfast", "-crf", "20", "-c:a", "aac", str(out),
        ],
        "deface": lambda out: [_bin("deface"), str(media), "-o", str(out), "--keep-audio"],
        "bwvreview faces only": lambda out: [
            _bin("bwvreview"), "export-clip", str(media), "--start", "0", "--end", end,
            "--out", str(out), "--keep-overlay", "--bleep", "none", "--keep-metadata",
        ],
        "bwvreview everything": lambda out: [
            _bin("bwvreview"), "export-clip", str(media), "--start", "0", "--end", end,
            "--out", str(out), "--captions",
        ],
    }  # fmt: skip
    detector = FaceDetector()
    rows = []
    for name, command in variants.items():
        walls, exports, verdict = [], [], "-"
        out = work / "none.mp4"
        for run in range(args.repeat):
            out = work / f"{name.replace(' ', '_')}_{run}.mp4"
            walls.append(_timed(command(out), env))
            report = out.with_name(f"{out.stem}.report.json")
            if report.exists():
                data = json.loads(report.read_text("utf-8"))
                exports.append(data["timings_s"]["export"])
                verdict = data["verdict"]
        wall = statistics.median(walls)
        export = statistics.median(exports) if exports else wall
        rows.append((name, wall, export, _faces_seen(out, truth, detector), verdict))
    deface_s = next(r[2] for r in rows if r[0] == "deface")
    print(f"\n{media.name}: {frames} frames, {info.width}x{info.height}, {info.fps:g} fps;"
          f" median of {args.repeat} run(s); {os.cpu_count()} cores\n")  # fmt: skip
    print(f"{'variant':<22} {'wall s':>8} {'export s':>9} {'export fps':>11} "
          f"{'speed vs deface':>16} {'faces seen':>11} {'verified':>9}")  # fmt: skip
    for name, wall, export, seen, verdict in rows:
        seen_text = "-" if seen is None else f"{seen}"
        if name == "ffmpeg re-encode":
            seen_text += " (floor)"
        print(f"{name:<22} {wall:8.2f} {export:9.2f} {frames / export:11.1f} "
              f"{deface_s / export:15.2f}x {seen_text:>11} {verdict:>9}")  # fmt: skip
    print(
        "\n'export s' is the export without its verification (bwvreview verifies after"
        " writing; 'wall s' includes it). Speed is deface's export time / this export time."
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
