"""Shared fixtures. Qt runs offscreen; every test gets its own data folder and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.mediafactory import make_clip  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point bwvreview at a fresh data folder so no test touches the user's library."""
    data = tmp_path / "bwvdata"
    monkeypatch.setenv("BWVREVIEW_DATA", str(data))
    monkeypatch.delenv("BWVREVIEW_DB", raising=False)
    return data


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def clip_path(media_dir: Path) -> Path:
    """A 2 s 160x120 H.264/AAC clip with a 440 Hz tone."""
    return make_clip(media_dir / "clip.mp4")
