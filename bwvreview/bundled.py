"""Where the bundled data files (codebook, cue lexicon, demo footage) live.

In an installed wheel they sit in ``bwvreview/resources``; in a source checkout or an
editable install they are the repository's top-level ``resources/`` folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource, e.g. ``resource_path("codebook.yaml")``."""
    packaged = Path(str(resources.files("bwvreview"))) / "resources"
    root = packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "resources"
    return root.joinpath(*parts)
