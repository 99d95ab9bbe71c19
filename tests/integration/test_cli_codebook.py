"""An admin installs a new codebook version; it is in force for everyone from then on."""

import json

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.bundled import resource_path
from bwvreview.cli import main


def new_version(tmp_path, version="2026.2-test"):
    text = resource_path("codebook.yaml").read_text(encoding="utf-8")
    lines = [f'version: "{version}"' if line.startswith("version:") else line
             for line in text.splitlines()]  # fmt: skip
    path = tmp_path / "codebook-new.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_installed_codebook_is_in_force_when_the_library_next_opens(tmp_path, capsys):
    assert main(["codebook", "install", str(new_version(tmp_path))]) == 0
    assert "2026.2-test is now in force" in capsys.readouterr().out
    lib = app.open_library()
    assert lib.codebook.version == "2026.2-test"
    lib.close()


def test_a_broken_codebook_is_refused_and_the_old_one_stays(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: [\n", encoding="utf-8")
    assert main(["codebook", "install", str(bad)]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"bwvreview: codebook {bad}, line 2: not valid YAML")
    assert len(err.splitlines()) == 1
    lib = app.open_library()
    assert lib.codebook.version == "2026.2"
    lib.close()


def test_only_an_admin_installs_a_codebook(tmp_path, capsys, monkeypatch):
    lib = app.open_library()
    users.create_user(lib.db, "Tess TIP", "tip")
    lib.close()
    monkeypatch.setenv("BWVREVIEW_USER", "Tess TIP")
    assert main(["codebook", "install", str(new_version(tmp_path))]) == 3
    assert "may not manage the codebook" in capsys.readouterr().err


def test_the_codebook_in_force_is_shown_as_text_or_json(capsys):
    assert main(["codebook", "show", "--json"]) == 0
    book = json.loads(capsys.readouterr().out)
    assert (book["version"], len(book["sha256"])) == ("2026.2", 64)
    first = book["categories"][0]
    assert set(first) == {"key", "label", "polarity", "principles", "officer_title"}
    assert main(["codebook", "show"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"codebook 2026.2 ({len(book['categories'])} categories)"
    assert lines[1] == f"  {first['key']:<28} {first['polarity']:<14} {first['label']}"
    assert len(lines) == 1 + len(book["categories"])
