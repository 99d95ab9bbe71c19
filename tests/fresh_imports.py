"""What a fresh interpreter has imported after running some code: the test process itself
has long imported every heavy library, so start-up costs are checked in a new one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_after(code: str) -> list[str]:
    """The names in ``sys.modules`` after ``code`` runs in a new interpreter on this tree."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=120, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def top_level(modules: list[str]) -> set[str]:
    """The packages ``modules`` belong to."""
    return {m.split(".")[0] for m in modules}
