"""The bad-input corpus (scripts/make_bad_inputs.py) through the real command line.

Every input either is refused with exit 3, one line on stderr naming the problem, no
traceback, and every table of the library exactly as it was; or (valid but unusual: rotated,
variable frame rate, 8 channels, HEVC, a misleading extension or header) it imports with the
right facts. The corpus is generated once into pytest's cache folder (about 7 s; the 10-hour
file only when its test runs, about 3 s) and reused while the generator is unchanged.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import bwvreview.app
import bwvreview.app.opening
import bwvreview.app.suggesting
from bwvreview.annotations.errors import DomainError
from bwvreview.cli import build_parser, main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "scripts" / "make_bad_inputs.py"
DB_NAME = "bwvreview.sqlite3"


def _generator():
    spec = importlib.util.spec_from_file_location("make_bad_inputs", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


gen = _generator()


def _cached(request: pytest.FixtureRequest, what: str, make) -> Path:
    """Generate into pytest's cache once per version of the generator; rename when whole."""
    stamp = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:12]
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    if cache is not None:
        base = Path(cache.mkdir("bad_inputs"))
    else:
        base = request.getfixturevalue("tmp_path_factory").mktemp("bad_inputs")
    done = base / f"{what}-{stamp}"
    if not done.is_dir():
        work = base / f".{what}-{stamp}-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        make(work)
        try:
            work.rename(done)
        except OSError:  # another run finished first
            shutil.rmtree(work, ignore_errors=True)
    return done


@pytest.fixture(scope="session")
def corpus(request: pytest.FixtureRequest) -> Path:
    return _cached(request, "corpus", gen.make_corpus)


@pytest.fixture(scope="session")
def long_file(request: pytest.FixtureRequest) -> Path:
    return _cached(request, "long", gen.make_long) / gen.LONG_NAME


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, clip_path: Path) -> Path:
    """A library that already holds a recording, so "unchanged" means something."""
    data = tmp_path_factory.mktemp("template") / "data"
    assert main(["--data-dir", str(data), "import", str(clip_path), "--incident", "INC-1"]) == 0
    return data


@pytest.fixture()
def data(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


def dump(data: Path) -> list[str]:
    """Every table's rows (and the schema), in a stable order."""
    con = sqlite3.connect(data / DB_NAME)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, out: str, err: str, message: str) -> None:
    assert code == 3, err
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("bwvreview: ") and message in lines[0], lines[0]


# --- footage: `bwvreview import` ----------------------------------------------------------

REFUSED_MEDIA = [
    ("zero_bytes.mp4", "the file is empty"),
    ("truncated_moov_missing.mp4", "not a video file that can be read"),
    ("truncated_media_missing.mp4", "the end of the file is missing"),
    ("header_only.mp4", "holds no video or sound"),
    ("text_named.mp4", "not a video file that can be read"),
    ("random_bytes.mp4", "not a video file that can be read"),
    ("png_named.mp4", "is a still picture, not a video"),
    ("audio_only.m4a", "has no video stream"),
    ("no_audio.mp4", "has no audio stream"),
    ("folder_named.mp4", "not a file"),
    ("dangling_link.mp4", "file not found"),
    ("link_loop.mp4", "file not found"),
    ("never_existed.mp4", "file not found"),
    ("huge_jpeg_dimensions.avi", "the file is damaged"),
    ("zero_timescale.mp4", "frame timing is broken"),
    ("zero_frame_durations.mp4", "frame timing is broken (frames share one time stamp)"),
    ("huge_16k.mp4", "its picture is 16384 x 8192 pixels, larger than bwvreview reads (up to 8K"),
    ("over_24_hours.mp4", "is 25 h 00 min long; bwvreview takes recordings up to 24 hours"),
    pytest.param(
        "named_pipe.mp4",
        "not a file",
        marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here"),
    ),
]


@pytest.mark.parametrize(("name", "message"), REFUSED_MEDIA)
def test_bad_footage_is_refused_and_the_library_is_unchanged(capsys, corpus, data, name, message):
    before = dump(data)
    code, out, err = run(capsys, data, "import", str(corpus / name))
    assert_refused(code, out, err, message)
    assert name in err
    assert dump(data) == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux allows such names")
def test_a_non_utf8_file_name_is_refused_not_a_fault(capsys, corpus, data):
    path = os.fsdecode(os.fsencode(corpus) + b"/" + gen.NON_UTF8_NAME)
    before = dump(data)
    code, out, err = run(capsys, data, "import", path)
    assert_refused(code, out, err, "name is not valid UTF-8 text")
    assert dump(data) == before


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads any file; needs POSIX modes"
)
def test_an_unreadable_file_is_refused(capsys, clip_path, data, tmp_path):
    locked = tmp_path / "locked.mp4"
    shutil.copyfile(clip_path, locked)
    locked.chmod(0)
    before = dump(data)
    code, out, err = run(capsys, data, "import", str(locked))
    assert_refused(code, out, err, "permission denied")
    assert dump(data) == before


VALID_BUT_UNUSUAL = [
    # Content decides, not the name: camera systems export footage as .dat, .bin or .txt.
    ("mp4_named.txt", {"video_codec": "h264", "duration": 4.0}),
    # Damage inside the media is not looked for at import (that would decode every frame);
    # the player shows it, and the hash still identifies exactly these bytes.
    ("corrupt_middle.mp4", {"duration": 4.0}),
    # The container header claims 65,535 x 65,535; the decoded picture's size is recorded.
    ("huge_dimensions_header.mp4", {"width": 160, "height": 120}),
    ("huge_8k.mp4", {"width": 8192, "height": 4320}),
    ("eight_channels.mp4", {"audio_channels": 8}),
    ("hevc.mp4", {"video_codec": "hevc", "width": 160}),
    ("rotated_90.mp4", {"rotation": 90, "width": 160, "height": 120}),
    ("variable_frame_rate.mp4", {"variable_frame_rate": True}),
    ("timestamps_start_at_10h.mp4", {"duration": pytest.approx(2.0, abs=0.05)}),
]


@pytest.mark.parametrize(("name", "facts"), VALID_BUT_UNUSUAL)
def test_unusual_but_valid_footage_imports_with_the_right_facts(capsys, corpus, data, name, facts):
    code, out, err = run(capsys, data, "import", str(corpus / name), "--json")
    assert (code, err) == (0, "")
    recording = json.loads(out)
    assert recording["created"] is True
    assert {key: recording[key] for key in facts} == facts
    assert recording["sha256"] == hashlib.sha256((corpus / name).read_bytes()).hexdigest()
    _, listed, _ = run(capsys, data, "list", "--json")
    assert len(json.loads(listed)["recordings"]) == 2


def test_a_path_of_1200_characters_imports(capsys, corpus, data):
    deep = next(p for p in corpus.rglob("*.mp4") if len(str(p)) > 1200)
    code, out, err = run(capsys, data, "import", str(deep), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["path"] == str(deep.resolve())


def test_eight_channel_sound_is_transcribed(capsys, corpus, data):
    code, out, err = run(capsys, data, "transcribe", str(corpus / "eight_channels.mp4"), "--json")
    assert code == 0, err
    assert json.loads(out)["segments"] == []  # a tone, mixed down from 7.1, holds no words


def test_a_sound_track_that_cannot_be_decoded_is_named_not_called_silence(capsys, corpus, data):
    code, out, err = run(capsys, data, "import", str(corpus / "garbage_sound.mp4"))
    assert code == 0  # the picture and the container are whole: it is evidence all the same
    code, out, err = run(capsys, data, "transcribe", str(corpus / "garbage_sound.mp4"))
    assert code == 3 and "the sound track is damaged" in err
    assert len(err.strip().splitlines()) == 1


def test_ten_hours_of_silence_imports_but_transcription_is_refused_at_once(long_file, tmp_path):
    """Through the installed command: the refusal comes before any decoding (it took more
    than 150 s without it, and gigabytes of memory)."""
    env = {**os.environ, "BWVREVIEW_DATA": str(tmp_path / "data")}
    cli = [sys.executable, "-m", "bwvreview"]

    def bwv(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*cli, *argv], env=env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip

    imported = bwv("import", str(long_file), "--json")
    assert imported.returncode == 0, imported.stderr
    recording = json.loads(imported.stdout)
    assert recording["duration"] == pytest.approx(36_000, abs=2)
    before = dump(tmp_path / "data")
    for command in ("transcribe", "suggest"):
        refused = bwv(command, str(recording["id"]))
        assert_refused(refused.returncode, refused.stdout, refused.stderr, "is 10 h 00 min long")
        assert "up to 4 hours" in refused.stderr
    assert dump(tmp_path / "data") == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux allows such names")
def test_the_installed_command_refuses_a_non_utf8_name_in_one_line(corpus, tmp_path):
    env = {**os.environ, "BWVREVIEW_DATA": str(tmp_path / "data")}
    path = os.fsencode(corpus) + b"/" + gen.NON_UTF8_NAME
    done = subprocess.run([sys.executable, "-m", "bwvreview", "import", path], env=env,
                          capture_output=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr
    assert b"not valid UTF-8" in done.stderr


# --- transcript files: `bwvreview suggest FILE.json` ---------------------------------------

REFUSED_TRANSCRIPTS = [
    ("transcript_bad_json.json", "not valid JSON (line 1"),
    ("transcript_empty.json", "not valid JSON (line 1"),
    ("transcript_negative_times.json", "segment 1: start is negative (-4.0)"),
    ("transcript_reversed_times.json", "segment 1 ends before it starts"),
    ("transcript_nan_times.json", "must be a number of seconds"),
    ("transcript_not_an_object.json", "not a transcript"),
    ("transcript_words_not_a_list.json", "'words' must be a list"),
    ("transcript_deeply_nested.json", "nested too deeply"),
    ("transcript_latin1.json", "line 8 is not UTF-8 text (byte 0xe9)"),
]


@pytest.mark.parametrize(("name", "message"), REFUSED_TRANSCRIPTS)
def test_bad_transcript_files_are_refused(capsys, corpus, data, name, message):
    before = dump(data)
    code, out, err = run(capsys, data, "suggest", str(corpus / name), "--json")
    assert_refused(code, out, err, message)
    assert dump(data) == before


def test_a_transcript_saved_with_a_byte_order_mark_is_read(capsys, corpus, data):
    before = dump(data)
    code, out, err = run(capsys, data, "suggest", str(corpus / "transcript_ok_with_bom.json"))
    assert (code, err) == (0, "")
    assert "moments to look at" in out or "no phrase cues" in out
    assert dump(data) == before  # suggestions for a file are never stored


# --- data files an admin edits: the codebook and the cue lexicon ---------------------------


def _use_instead(monkeypatch: pytest.MonkeyPatch, bundled: str, path: Path) -> None:
    """As if an admin had edited the installed file (there is no option to point at one)."""
    original = bwvreview.app.resource_path

    def resource_path(*parts: str) -> Path:
        return path if parts == (bundled,) else original(*parts)

    # looked up where the codebook and the cue lexicon are read
    monkeypatch.setattr(bwvreview.app.opening, "resource_path", resource_path)
    monkeypatch.setattr(bwvreview.app.suggesting, "resource_path", resource_path)


def _line_after_categories() -> int:
    """The broken codebook opens a list on the line after ``categories:``: YAML fails there."""
    lines = bwvreview.app.resource_path("codebook.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index("categories:") + 2


REFUSED_CODEBOOKS = [
    ("codebook_bad_yaml.yaml", f"line {_line_after_categories()}: not valid YAML"),
    ("codebook_python_tag.yaml", "could not determine a constructor"),
    ("codebook_empty.yaml", "expected a mapping with version, principles and categories"),
    ("codebook_duplicate_key.yaml", "category key 'triggering_language' is used twice"),
    ("codebook_unknown_principle.yaml", "unknown principle(s) obedience"),
    ("codebook_latin1.yaml", "is not UTF-8 text (byte 0xe9)"),
    ("codebook_alias_bomb.yaml", "each principle must be a mapping"),
]


@pytest.mark.parametrize(("name", "message"), REFUSED_CODEBOOKS)
def test_a_broken_codebook_is_named_with_its_line(capsys, monkeypatch, corpus, data, name, message):
    _use_instead(monkeypatch, "codebook.yaml", corpus / name)
    before = dump(data)
    code, out, err = run(capsys, data, "list")
    assert_refused(code, out, err, message)
    assert f"codebook {corpus / name}" in err
    assert dump(data) == before


REFUSED_LEXICONS = [
    ("cues_bad_yaml.yaml", "not valid YAML"),
    ("cues_unknown_category.yaml", "'not_in_the_codebook' is not a category key"),
    ("cues_not_a_mapping.yaml", "the file must be a mapping"),
]


@pytest.mark.parametrize(("name", "message"), REFUSED_LEXICONS)
def test_a_broken_cue_lexicon_is_named(capsys, monkeypatch, corpus, data, name, message):
    _use_instead(monkeypatch, "cues.yaml", corpus / name)
    before = dump(data)
    transcript = corpus / "transcript_ok_with_bom.json"
    code, out, err = run(capsys, data, "suggest", str(transcript))
    assert_refused(code, out, err, message)
    assert f"cue lexicon {corpus / name}" in err
    assert dump(data) == before


# --- ELAN annotation files ------------------------------------------------------------------

REFUSED_EAF = [
    ("annotations_bad_xml.eaf", "not well-formed XML"),
    ("annotations_entity_bomb.eaf", "refused, it declares a DOCTYPE or entities"),
]


@pytest.mark.parametrize(("name", "message"), REFUSED_EAF)
def test_a_bad_eaf_is_refused_by_the_reader(corpus, name, message):
    from bwvreview.annotations.formats.elan import read_eaf

    with pytest.raises(DomainError, match=message) as refused:
        read_eaf(corpus / name)
    assert "\n" not in str(refused.value)


def _eaf_command() -> list[str] | None:
    """The positional arguments of `bwvreview import-annotations`, if the command exists."""
    for action in build_parser()._subparsers._group_actions:  # noqa: SLF001
        command = action.choices.get("import-annotations")
        if command is not None:
            return [a.dest for a in command._actions if not a.option_strings]  # noqa: SLF001
    return None


EAF_ARGS = _eaf_command()


@pytest.mark.xfail(
    EAF_ARGS is None,
    reason="`bwvreview import-annotations` is not on the command line yet (helper F)",
    strict=True,
    raises=AssertionError,
)
@pytest.mark.parametrize(("name", "message"), REFUSED_EAF)
def test_a_bad_eaf_is_refused_by_import_annotations(capsys, corpus, data, name, message):
    assert EAF_ARGS is not None, "no import-annotations command"
    values = {True: str(corpus / name), False: "1"}  # the template's recording is id 1
    argv = [values["eaf" in dest or "file" in dest or "path" in dest] for dest in EAF_ARGS]
    before = dump(data)
    code, out, err = run(capsys, data, "import-annotations", *argv)
    assert_refused(code, out, err, message)
    assert dump(data) == before


# --- the command line itself: where the library is, the words typed, a busy library ---------


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("a_file", "is a file, not a folder"),
        ("a_file/inside", "cannot be created"),
        ("/proc/bwvreview", "cannot be created"),
        ("/proc", "cannot be written in"),
        ("long/" + "x" * 5000, "cannot be created (file name too long)"),
    ],
)
@pytest.mark.parametrize("given_by", ["--data-dir", "BWVREVIEW_DATA"])
def test_a_data_folder_that_cannot_hold_a_library_is_refused_at_once(
    capsys, monkeypatch, tmp_path, where, message, given_by
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file").write_text("not a folder\n")
    if given_by == "--data-dir":
        code = main(["--data-dir", where, "list"])
    else:
        monkeypatch.setenv("BWVREVIEW_DATA", where)
        code = main(["list"])
    out, err = capsys.readouterr()
    assert_refused(code, out, err, message)
    assert f"({given_by})" in err
    assert (tmp_path / "a_file").read_text() == "not a folder\n"


def test_a_database_url_in_a_place_no_file_can_be_is_refused(capsys, data):
    before = dump(data)
    code, out, err = run(capsys, data, "--db", "sqlite:////proc/bwv/x.sqlite3", "list")
    assert_refused(code, out, err, "cannot open the database sqlite:////proc/bwv/x.sqlite3")
    assert dump(data) == before


@pytest.mark.parametrize(
    "argv",
    [["search", "-shouting"], ["search", "--", "-shouting"], ["search", "-shouting", "--json"]],
)
def test_a_search_for_only_a_word_to_leave_out_says_how_to_search(capsys, data, argv):
    """`-word` leaves a word out, as in the search box: alone it cannot find anything."""
    code, out, err = run(capsys, data, *argv)
    assert_refused(code, out, err, "a word to leave out (-word) needs a word to look for")


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "-hurt", "calm", "--json"],  # -h is an option; -hurt is still a word
        ["search", "--json", "--", "-hurt", "calm"],
        ["search", "--json", "-hurt calm"],
        ["search", "calm", "-hurt", "--json"],
    ],
)
def test_a_search_may_begin_with_a_word_to_leave_out(capsys, data, argv):
    code, out, err = run(capsys, data, *argv)
    assert (code, err) == (0, "")
    assert json.loads(out)["query"] in ("-hurt calm", "calm -hurt")


def test_a_mistyped_search_option_is_still_a_usage_error(capsys, data):
    with pytest.raises(SystemExit) as usage:
        run(capsys, data, "search", "calm", "--lmit", "3")
    assert usage.value.code == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux passes such bytes")
@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["import", "{clip}", "--incident", "INC \udcff"], {}, "this text is not valid UTF-8"),
        (["search", "calm", "--officer", "\udcff1"], {}, "this text is not valid UTF-8"),
        (["--data-dir", "{tmp}/d\udcff", "list"], {}, "folder name is not valid UTF-8"),
        (["list"], {"BWVREVIEW_USER": "\udcffX"}, "BWVREVIEW_USER is not valid UTF-8"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused_before_any_work(
    capsys, monkeypatch, clip_path, tmp_path, data, argv, env, message
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    argv = [a.format(clip=clip_path, tmp=tmp_path) for a in argv]
    before = dump(data)
    code, out, err = run(capsys, data, *argv)
    assert_refused(code, out, err, message)
    assert dump(data) == before


def _hold_write_lock(database: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process in the middle of writing: BEGIN EXCLUSIVE, held for ``seconds``."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "con.execute('BEGIN EXCLUSIVE'); print('locked', flush=True)\n"
         "time.sleep(float(sys.argv[2])); con.execute('ROLLBACK')\n",
         str(database), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_a_library_locked_by_another_writer_is_waited_for_then_refused(
    capsys, monkeypatch, corpus, data
):
    monkeypatch.setenv("BWVREVIEW_BUSY_WAIT", "2")
    before = dump(data)
    holder = _hold_write_lock(data / DB_NAME, 60)
    try:
        code, out, err = run(capsys, data, "import", str(corpus / "hevc.mp4"))
    finally:
        holder.kill()
        holder.wait()
    assert (code, out) == (3, "")
    assert "Traceback" not in err
    waiting, refused = err.splitlines()
    assert waiting == (
        "bwvreview: the library is busy (another bwvreview is writing); waiting up to 2 s…"
    )
    assert refused.startswith("bwvreview: the library is still busy after 2 s")
    assert dump(data) == before


def test_a_library_locked_for_a_moment_is_waited_for(capsys, monkeypatch, corpus, data):
    monkeypatch.setenv("BWVREVIEW_BUSY_WAIT", "30")
    holder = _hold_write_lock(data / DB_NAME, 2.5)
    try:
        code, out, err = run(capsys, data, "import", str(corpus / "hevc.mp4"), "--json")
    finally:
        holder.wait(timeout=30)
    assert code == 0, err
    assert err.startswith("bwvreview: the library is busy") and len(err.splitlines()) == 1
    assert json.loads(out)["created"] is True


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "99999"])
def test_a_bad_busy_wait_is_refused(capsys, monkeypatch, data, value):
    monkeypatch.setenv("BWVREVIEW_BUSY_WAIT", value)
    code, out, err = run(capsys, data, "list")
    assert_refused(code, out, err, "BWVREVIEW_BUSY_WAIT must be a number of seconds")


# --- an export's and a verification's own arguments (issue 15) -----------------------------
# Each is refused before any long work, with one line, and the library is unchanged. (The
# fuller proofs of these behaviours are in test_clip_integrity.py.)


@pytest.mark.parametrize("padding", ["nan", "inf", "-inf", "-1", "1e9"])
def test_an_absurd_padding_is_refused_before_the_export(capsys, data, tmp_path, padding):
    before = dump(data)
    code, out, err = run(capsys, data, "export-clip", "1", "--start", "0", "--end", "1",
                         f"--padding={padding}", "--out", str(tmp_path / "c.mp4"))  # fmt: skip
    assert_refused(code, out, err, "padding")
    assert dump(data) == before and not (tmp_path / "c.mp4").exists()


@pytest.mark.parametrize("where", ["missing folder", "the clip itself"])
def test_a_report_that_cannot_be_written_is_refused_before_the_export(capsys, data, tmp_path,
                                                                        where):  # fmt: skip
    before = dump(data)
    out_path = tmp_path / "c.mp4"
    report = tmp_path / "nowhere" / "r.json" if where == "missing folder" else out_path
    code, out, err = run(capsys, data, "export-clip", "1", "--start", "0", "--end", "1",
                         "--out", str(out_path), "--report", str(report))  # fmt: skip
    assert code == 3 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert dump(data) == before and list(tmp_path.iterdir()) == [data]


@pytest.mark.parametrize("what", ["a folder", "an empty file", "a text file"])
def test_verify_clip_on_something_that_is_not_a_clip_is_one_line(capsys, data, tmp_path, what):
    target = {"a folder": tmp_path / "folder", "an empty file": tmp_path / "empty.mp4",
              "a text file": tmp_path / "notes.mp4"}[what]  # fmt: skip
    if what == "a folder":
        target.mkdir()
    else:
        target.write_text("" if what == "an empty file" else "not a video\n")
    before = dump(data)
    code, out, err = run(capsys, data, "verify-clip", str(target))
    assert code == 3 and "Traceback" not in err and "Errno" not in err, err
    assert len(err.strip().splitlines()) == 1 and dump(data) == before


def test_an_incident_reference_too_long_to_store_is_refused_before_the_file_is_read(
    capsys, clip_path, data
):
    before = dump(data)
    code, out, err = run(capsys, data, "import", str(clip_path), "--incident", "I" * 100_000)
    assert_refused(code, out, err, "an incident reference has at most 100 characters")
    assert dump(data) == before
    code, out, err = run(capsys, data, "set-details", "1", "--incident", "I" * 101)
    assert_refused(code, out, err, "an incident reference has at most 100 characters")
    assert dump(data) == before


def test_an_empty_data_folder_name_is_refused_not_taken_as_the_default(capsys, tmp_path):
    for command in (["list"], ["doctor"]):
        code = main(["--data-dir", "", *command])
        out, err = capsys.readouterr()
        assert_refused(code, out, err, "--data-dir was given no folder name")


def test_doctor_says_a_data_folder_that_is_a_file_is_a_problem(capsys, qapp, tmp_path):
    # ``qapp`` first: doctor makes a bare QCoreApplication when there is none, and every
    # later test in this process that opens a window would then abort.
    file = tmp_path / "not-a-folder"
    file.write_text("x", "utf-8")
    code = main(["--data-dir", str(file), "doctor"])
    out, _ = capsys.readouterr()
    assert code == 3
    assert f"PROBLEM: data folder: {file} is a file, not a folder" in out
