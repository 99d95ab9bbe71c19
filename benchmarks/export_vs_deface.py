"""Face anonymisation: bwvreview export-clip against deface, with FFmpeg as the floor.

    .venv/bin/python benchmarks/export_vs_deface.py [MEDIA | --demo] [--seconds S] [--repeat N]

By default the footage is the night clip (``night_clip.py``: 1280x720 at 25 fps, dark,
noisy, shaking at a running pace with motion blur, something crossing the view, six real
faces 40-100 px high, frontal, turned and in profile; 12 s unless ``--seconds``), made
here and scored against its ground truth; ``--demo`` uses the bundled demo incident
(640x360, one face) instead. In one run, this times:

  ffmpeg re-encode       the plain re-encode (x264 veryfast + AAC): no detection, the floor
  deface                 deface's own command line, default settings, ``--keep-audio``
  bwvreview faces only   ``export-clip`` with only faces redacted
                         (``--keep-overlay --bleep none --keep-metadata``)
  bwvreview everything   ``export-clip`` with every default on (the recording transcribed
                         first, as a reviewer's would be)

bwvreview's rows include its verification (and any repair pass) in the wall time; the
export alone is shown beside it. On the night clip every second frame of each output is
scored (``face_leaks.py``): in how many of the face instances two independent detectors
(OpenCV's LBP cascades, frontal and profile) find in the original they still find a face
(strict), how many face-shaped blobs they find at their lenient setting, and how many
face instances bwvreview's own verifier still finds. Needs the bench extra (deface's own
dependencies and scikit-image) and deface itself, which is a baseline only, not a
dependency of bwvreview: ``pip install -e .[bench]`` then ``pip install --no-deps
deface==1.5.0`` (without --no-deps it would bring the GUI build of OpenCV, whose Qt
plugins clash with PySide6's).
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


def _faces_seen(clip: Path, ground_truth: list[dict], detector: FaceDetector) -> int:
    """The demo: frames of ``clip`` where its face is on screen and still detectable."""
    seen = 0
    with av.open(str(clip)) as container:
        for frame in container.decode(video=0):
            t = frame.time or 0.0
            nearest = min(ground_truth, key=lambda p: abs(p["t"] - t))
            if nearest["box"] is None or abs(nearest["t"] - t) > 0.25:
                continue
            seen += len(detector.detect(frame.to_ndarray(format="bgr24"))) > 0
    return seen


class NightScore:
    """Scores outputs of the night clip against its ground truth (``face_leaks``)."""

    def __init__(self, media: Path) -> None:
        from face_leaks import Cascades, decoded, score

        from bwvreview.media.clip_verify.face_check import VERIFY_SCAN
        from bwvreview.media.face_scan import FaceScan

        self._score, self._decoded = score, decoded
        self.truth = json.loads(media.with_suffix(".json").read_text("utf-8"))["faces"]
        self.cascades = Cascades()
        self.verifier = FaceScan(VERIFY_SCAN).detect
        self.original = self.tally(media)

    def tally(self, clip: Path):
        return self._score(self._decoded(clip), self.truth, self.cascades, self.verifier)

    def row(self, clip: Path) -> str:
        """strict still found / of found in the original, lenient blobs, verifier."""
        out = self.tally(clip)
        orig = self.original

        def leaked(detector: str) -> str:
            both = {k for k in out.instances if k[2] == detector} & orig.instances
            return f"{len(both)}/{orig.found.get(detector, 0)}"

        lenient = out.found.get("lenient", 0)
        return (
            f"{leaked('strict'):>10} {lenient / max(1, out.scored):>9.1%} {leaked('verifier'):>10}"
        )


def _night_clip(work: Path, seconds: float) -> Path:
    from night_clip import render

    media = work / "night.mp4"
    render(media, seconds)
    return media


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="?", type=Path)
    parser.add_argument("--demo", action="store_true", help="the bundled demo incident")
    parser.add_argument("--seconds", type=float, default=12.0, help="of the night clip")
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant (median)")
    parser.add_argument(
        "--also-tree",
        type=Path,
        help="another checkout of bwvreview (e.g. main) to run the default export from too",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    work = Path(tempfile.mkdtemp(prefix="bwv-bench-"))
    demo = resource_path("demo", "demo_incident.mp4")
    media: Path = args.media or (demo if args.demo else _night_clip(work, args.seconds))
    info = probe(media)
    frames = round(info.duration_ms / 1000 * (info.fps or 25))
    end = f"{info.duration_ms / 1000:.3f}"
    env = {**os.environ, "BWVREVIEW_DATA": str(work / "data")}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([_bin("bwvreview"), "import", str(media)], check=True, env=env, **quiet)
    subprocess.run([_bin("bwvreview"), "transcribe", str(media)], check=True, env=env, **quiet)
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
            "--out", str(out),
        ],
    }  # fmt: skip
    envs = {name: env for name in variants}
    if args.also_tree:
        variants["other tree everything"] = variants["bwvreview everything"]
        envs["other tree everything"] = {**env, "PYTHONPATH": str(args.also_tree.resolve())}
    runs = []
    for name, command in variants.items():
        walls, exports, verdict, repaired = [], [], "-", 0
        out = work / "none.mp4"
        for run in range(args.repeat):
            out = work / f"{name.replace(' ', '_')}_{run}.mp4"
            walls.append(_timed(command(out), envs[name]))
            report = out.with_name(f"{out.stem}.report.json")
            if report.exists():
                data = json.loads(report.read_text("utf-8"))
                exports.append(data["timings_s"]["export"])
                verdict = data["verdict"]
                repaired = len(data.get("redaction", {}).get("repaired", []))
                if verdict != "pass":
                    out = out.with_name(f"{out.stem}.failed.mp4")
        wall = statistics.median(walls)
        export = statistics.median(exports) if exports else wall
        runs.append((name, wall, export, out, verdict, repaired))
    deface_s = next(r[1] for r in runs if r[0] == "deface")
    print(f"\n{media.name}: {frames} frames, {info.width}x{info.height}, {info.fps:g} fps;"
          f" median of {args.repeat} run(s); {os.cpu_count()} cores\n")  # fmt: skip
    if media == demo:
        detector = FaceDetector()
        facts = json.loads(resource_path("demo", "demo_incident.json").read_text("utf-8"))
        header, scorer = (
            f"{'faces seen':>11}",
            (lambda clip: f"{_faces_seen(clip, facts['faces']['track'], detector):>11}"),
        )
    elif media.with_suffix(".json").exists():
        night = NightScore(media)
        header = f"{'strict':>10} {'lenient':>9} {'verifier':>10}"
        scorer = night.row
        print(f"face instances scored (every 2nd frame): {night.original.scored}; found in the"
              f" original: strict {night.original.found.get('strict', 0)}, lenient"
              f" {night.original.found.get('lenient', 0)}, verifier"
              f" {night.original.found.get('verifier', 0)}\n")  # fmt: skip
    else:
        header, scorer = "", (lambda clip: "")
    print(f"{'variant':<22} {'wall s':>8} {'fps':>6} {'vs deface':>10} {'export s':>9} "
          f"{header} {'verified':>9} {'repairs':>8}")  # fmt: skip
    for name, wall, export, out, verdict, repaired in runs:
        print(f"{name:<22} {wall:8.1f} {frames / wall:6.2f} {deface_s / wall:9.2f}x"
              f" {export:9.1f} {scorer(out)} {verdict:>9} {repaired:>8}")  # fmt: skip
    print(
        "\n'wall s' is the whole command (bwvreview's includes verifying the clip and any"
        " repair pass); 'vs deface' is deface's wall time / this one's. strict: face"
        " instances the cascades still find, of those they find in the original; lenient:"
        " share of face instances where they find a face-shaped blob; verifier: instances"
        " bwvreview's verifier still finds, of those it finds in the original."
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
