"""Publishing a finished file never replaces one (issue 15): the final name is taken by a
hard link (POSIX) or a rename that refuses (Windows), and the journal of exports in
progress never cleans up after an export that is still running."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwvreview.app import clip_outputs
from bwvreview.media.clip_writer import publish_new


def test_publish_never_overwrites(tmp_path: Path) -> None:
    partial, final = tmp_path / ".c.partial.mp4", tmp_path / "c.mp4"
    partial.write_bytes(b"new clip")
    final.write_bytes(b"someone's file")
    with pytest.raises(FileExistsError):
        publish_new(partial, final)
    assert final.read_bytes() == b"someone's file" and partial.exists()


def test_publish_moves_the_file_to_a_free_name(tmp_path: Path) -> None:
    partial, final = tmp_path / ".c.partial.mp4", tmp_path / "c.mp4"
    partial.write_bytes(b"new clip")
    publish_new(partial, final)
    assert final.read_bytes() == b"new clip" and not partial.exists()


def test_a_dangling_symlink_is_a_taken_name(tmp_path: Path) -> None:
    (tmp_path / "c.mp4").symlink_to(tmp_path / "elsewhere.mp4")
    with pytest.raises(Exception, match="already exists"):
        clip_outputs.plan_outputs(tmp_path / "c.mp4", tmp_path / "c.json", tmp_path / "f.mp4")
    assert not (tmp_path / "elsewhere.mp4").exists()


def test_a_running_export_is_left_alone_and_a_dead_one_cleaned(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    outputs = clip_outputs.plan_outputs(folder / "c.mp4", folder / "c.json", tmp_path / "f.mp4")
    entry = clip_outputs.JournalEntry(clip_outputs.journal_folder(tmp_path), outputs)
    outputs.partial_clip.write_bytes(b"half a clip")
    assert clip_outputs.clean_up_interrupted(tmp_path) == []  # its lock is held: running
    assert outputs.partial_clip.exists()
    entry._lock.close()  # what the OS does when the process is killed
    assert clip_outputs.clean_up_interrupted(tmp_path) == [outputs.partial_clip]
    assert not outputs.partial_clip.exists()
    assert list(clip_outputs.journal_folder(tmp_path).iterdir()) == []


def test_reports_published_before_a_kill_are_taken_back(tmp_path: Path) -> None:
    outputs = clip_outputs.plan_outputs(tmp_path / "c.mp4", tmp_path / "c.json", tmp_path / "f")
    entry = clip_outputs.JournalEntry(clip_outputs.journal_folder(tmp_path), outputs)
    entry.publishing()
    outputs.report.write_text("{}")
    outputs.text_report.write_text("c.mp4: PASS")
    entry._lock.close()  # killed before the clip was published
    removed = clip_outputs.clean_up_interrupted(tmp_path)
    assert set(removed) == {outputs.report, outputs.text_report}
