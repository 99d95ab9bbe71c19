#!/usr/bin/env python3
"""Set up and run bwvreview from a source checkout with nothing but Python.

    python dev.py demo    install into .venv (first time, or when pyproject.toml changes),
                          then open the app on the bundled demo incident
    python dev.py test    install, then lint, check the import contracts and run every test
    python dev.py test --fast   the same without the slow tests (real Whisper, long media
                          jobs) and without PostgreSQL: the quick loop while you work
    python dev.py run ARGS...   install, then run `bwvreview ARGS...`

Works the same on Windows, macOS and Linux: only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".bwvreview-installed"


def venv_bin(name: str) -> Path:
    folder = VENV / ("Scripts" if os.name == "nt" else "bin")
    return folder / (f"{name}.exe" if os.name == "nt" else name)


def run(*cmd: object, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def ensure_installed() -> None:
    """Create .venv and install the project with its test tools, once per pyproject version."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not venv_bin("python").exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(
        "Installing bwvreview and its dependencies into .venv: about 2.3 GB, a few minutes the "
        "first time (it needs the network once; bwvreview itself never does).",
        flush=True,
    )
    py = venv_bin("python")
    steps = [
        (py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"),
        # pip's own progress: one line a package as it is collected, a bar while it downloads.
        (py, "-m", "pip", "install", "--progress-bar", "on", "-e", ".[test,bench]"),
    ]
    for step in steps:
        if run(*step) != 0:
            sys.exit("Installing failed: see the messages above.")
    STAMP.write_text(wanted)


def test(extra: list[str]) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if "--fast" in extra:
        extra = [a for a in extra if a != "--fast"] + ["-m", "not slow"]
        for name in ("BWVREVIEW_TEST_PG", "CI"):  # PostgreSQL runs skip instead of failing
            env.pop(name, None)
    checks = [
        (venv_bin("ruff"), "check", "bwvreview", "tests", "benchmarks", "scripts", "dev.py"),
        (venv_bin("lint-imports"),),
    ]
    for check in checks:
        if run(*check, env=env) != 0:
            return 1
    # Two pytest workers, each taking whole files (module fixtures such as an exported demo
    # clip are made once): the suite waits on subprocesses, ffmpeg and Qt's event loop
    # often enough that two share two cores well (8 min against 12 on the CI machine).
    # A -n given here wins (`-n 0` for one process, as --pdb needs); so does -p no:xdist.
    chosen = any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in extra)
    parallel = [] if chosen else ["-n", "2", "--dist", "loadfile"]
    code = run(venv_bin("python"), "-m", "pytest", *parallel, *extra, env=env)
    if code == 5:
        print("pytest collected no tests: that is a failure.", file=sys.stderr)
        return 1
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "run"}:
        print(__doc__)
        return 2
    ensure_installed()
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return run(venv_bin("bwvreview"), "demo", *rest)
    if command == "run":
        return run(venv_bin("bwvreview"), *rest)
    return test(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
