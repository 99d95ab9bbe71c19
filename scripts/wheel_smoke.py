#!/usr/bin/env python3
"""Install bwvreview the way a force's IT team would, and make a verified clip with it.

    python3 scripts/wheel_smoke.py [--keep DIR]

Builds the wheel from this checkout, installs it with plain pip into a fresh virtual
environment (nothing else: no source tree on the path, no extra packages, no model
download), then runs the main job from that install: ``bwvreview demo --no-gui`` (import,
transcribe, suggest), a default ``export-clip`` of the demo's name-and-address span, and
``verify-clip`` on the result. Whatever ffmpeg is on PATH is left there, as on a user's
machine. Exits non-zero, saying which step failed, if any does; prints the wheel's size and
each step's time. Only the standard library is used, so it runs before anything is set up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPAN_S = ("27", "41")  # the demo's spoken name, address and phone number all fall in here


def _bin(env: Path, name: str) -> Path:
    folder = env / ("Scripts" if os.name == "nt" else "bin")
    return folder / (f"{name}.exe" if os.name == "nt" else name)


def _step(title: str, cmd: list[object], *, cwd: Path, env: dict[str, str]) -> str:
    started = time.perf_counter()
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)  # fmt: skip
    took = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", file=sys.stderr)
        sys.exit(f"wheel smoke: {title} failed (exit {done.returncode}) after {took:.1f} s")
    print(f"wheel smoke: {title}: ok in {took:.1f} s", flush=True)
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (default: a temp dir)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bwvreview-wheel-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _smoke(work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _smoke(work: Path) -> int:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("BWVREVIEW_")}
    base_env.pop("PYTHONPATH", None)
    wheels, env_dir, data = work / "dist", work / "venv", work / "data"
    pip_quiet = ["--quiet", "--disable-pip-version-check"]
    _step("build the wheel", [sys.executable, "-m", "pip", "wheel", *pip_quiet, "--no-deps",
                              "-w", wheels, ROOT], cwd=work, env=base_env)  # fmt: skip
    wheel = next(wheels.glob("bwvreview-*.whl"))
    print(f"wheel smoke: {wheel.name} is {wheel.stat().st_size / 1e6:.1f} MB", flush=True)
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = _bin(env_dir, "python")
    _step("pip install the wheel into a fresh venv", [py, "-m", "pip", "install", *pip_quiet,
                                                      wheel], cwd=work, env=base_env)  # fmt: skip
    env = {**base_env, "BWVREVIEW_DATA": str(data), "QT_QPA_PLATFORM": "offscreen"}
    app = _bin(env_dir, "bwvreview")
    system_ffmpeg = shutil.which("ffmpeg", path=env.get("PATH"))
    print(f"wheel smoke: ffmpeg on PATH: {system_ffmpeg or 'none'} (bwvreview must not use it)")
    _step("bwvreview demo --no-gui", [app, "demo", "--no-gui"], cwd=work, env=env)
    env["BWVREVIEW_USER"] = "Demo TIP"  # the demo's library has people now: sign in as its TIP
    listing = json.loads(_step("bwvreview list --json", [app, "list", "--json"], cwd=work, env=env))
    recordings = listing["recordings"] if isinstance(listing, dict) else listing
    recording_id = recordings[0]["id"]
    clip = work / "clip.mp4"
    _step("bwvreview export-clip (defaults)", [app, "export-clip", recording_id, "--start",
          SPAN_S[0], "--end", SPAN_S[1], "--out", clip], cwd=work, env=env)  # fmt: skip
    verify = [app, "verify-clip", clip, "--json"]
    verdict = json.loads(_step("bwvreview verify-clip --json", verify, cwd=work, env=env))
    if verdict.get("verdict") != "pass":
        sys.exit(f"wheel smoke: the clip did not pass verification: {json.dumps(verdict)[:2000]}")
    print("wheel smoke: a default export from the installed wheel passed its own verification")
    return 0


if __name__ == "__main__":
    sys.exit(main())
