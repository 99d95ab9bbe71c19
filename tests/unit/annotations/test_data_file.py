"""The versioned data files an admin may edit (codebook, cue lexicon, observation templates,
curriculum, questionnaires) are read alike: the same words for the same mistake, each
naming its file and line, and the version and content hash taken the same way."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from bwvreview.annotations.codebook import load_codebook, parse_codebook
from bwvreview.annotations.cues.lexicon import load_lexicon, parse_lexicon
from bwvreview.annotations.errors import CodebookError, CueLexiconError, DomainError
from bwvreview.annotations.formats.data_file import DataFile, content_sha256
from bwvreview.annotations.formats.transcript_json import read_transcript_file
from bwvreview.annotations.practice.templates import load_templates, parse_templates
from bwvreview.annotations.programme.documents import (
    ProgrammeFileError,
    parse_curriculum,
    parse_questionnaire,
)
from bwvreview.bundled import resource_path

CODEBOOK = load_codebook(resource_path("codebook.yaml"))

# (bundled file, parse(text, path), the error, how its messages start)
FILES = {
    "codebook": ("codebook.yaml", parse_codebook, CodebookError, "codebook "),
    "cues": ("cues.yaml", lambda t, p: parse_lexicon(t, p, CODEBOOK), CueLexiconError,
             "cue lexicon "),
    "templates": ("observation_templates.yaml", parse_templates, CodebookError,
                  "observation templates "),
    "curriculum": ("curriculum.yaml", parse_curriculum, ProgrammeFileError, ""),
    "questionnaire": ("questionnaires/feedback.yaml", parse_questionnaire, ProgrammeFileError,
                      ""),
}  # fmt: skip
LOADERS = {  # the files read from disk by the loader of that name
    "codebook": load_codebook,
    "cues": lambda path: load_lexicon(path, CODEBOOK),
    "templates": load_templates,
}


def bundled_text(name: str) -> str:
    return resource_path(FILES[name][0]).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FILES)
def test_each_bundled_file_is_read_with_its_version_and_the_hash_of_its_text(name):
    _, parse, _, _ = FILES[name]
    text = bundled_text(name)
    parsed = parse(text, Path("x.yaml"))
    assert parsed.version == re.search(r'^version: "(.+)"$', text, re.M)[1]
    assert parsed.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("name", FILES)
def test_a_file_that_is_not_a_mapping_is_refused_at_line_one(name):
    _, parse, error, kind = FILES[name]
    with pytest.raises(error, match=rf"^{kind}x\.yaml, line 1: .*mapping"):
        parse("- a list\n- not a mapping\n", Path("x.yaml"))


@pytest.mark.parametrize("name", FILES)
def test_broken_yaml_is_refused_with_its_line(name):
    _, parse, error, kind = FILES[name]
    with pytest.raises(error, match=rf"^{kind}x\.yaml, line 3: not valid YAML"):
        parse("version: '1'\nsessions: [\n  - {\n", Path("x.yaml"))


@pytest.mark.parametrize("name", FILES)
def test_a_file_without_a_version_is_refused(name):
    _, parse, error, kind = FILES[name]
    text = re.sub(r'^version: ".+"\n', "", bundled_text(name), flags=re.M)
    with pytest.raises(error, match=rf"^{kind}x\.yaml, line \d+: .*'version' must be non-empty"):
        parse(text, Path("x.yaml"))


@pytest.mark.parametrize("name", LOADERS)
def test_a_missing_file_is_refused_as_not_found(name, tmp_path):
    _, _, error, kind = FILES[name]
    absent = tmp_path / "absent.yaml"
    with pytest.raises(error, match=rf"^{kind}{re.escape(str(absent))}: file not found$"):
        LOADERS[name](absent)


@pytest.mark.parametrize("name", LOADERS)
def test_a_file_saved_in_another_encoding_names_the_line_and_byte(name, tmp_path):
    _, _, error, kind = FILES[name]
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b'version: "1"\n# caf\xe9\n')
    with pytest.raises(error, match=r"line 2 is not UTF-8 text \(byte 0xe9\)"):
        LOADERS[name](path)


@pytest.mark.parametrize("name", LOADERS)
def test_a_folder_in_place_of_the_file_cannot_be_read(name, tmp_path):
    _, _, error, _ = FILES[name]
    with pytest.raises(error, match=r"cannot be read \((IsADirectory|Permission)Error\)"):
        LOADERS[name](tmp_path)


def test_text_fields_are_folded_or_stripped_and_numbers_read_as_text():
    folded = DataFile("f.yaml", "thing", DomainError)
    stripped = DataFile("f.yaml", "thing", DomainError, fold_spaces=False)
    entry = {"label": "  two\n  lines ", "version": 3, "__line__": 7}
    assert folded.text(entry, "label") == "two lines"
    assert stripped.text(entry, "label") == "two\n  lines"
    assert folded.version(entry) == "3"
    assert folded.text(entry, "absent", required=False) == ""
    assert folded.text({"note": None}, "note", required=False) == ""
    with pytest.raises(DomainError, match=r"^thing f\.yaml, line 7: 'absent' must be non-empty"):
        folded.text(entry, "absent")
    with pytest.raises(DomainError, match="'label' must be non-empty text"):
        folded.text({"label": ["a", "list"]}, "label", required=False)


def test_keys_are_lower_snake_case_and_used_once():
    file = DataFile("f.yaml", "", DomainError)
    seen: set[str] = set()
    assert file.key({"key": "calm"}, seen, "template") == "calm"
    with pytest.raises(DomainError, match=r"^f\.yaml, line 4: template key 'calm' is used twice"):
        file.key({"key": "calm", "__line__": 4}, seen, "template")
    with pytest.raises(DomainError, match=r"^f\.yaml: key 'Calm Down' must be lower_snake_case"):
        file.key({"key": "Calm Down"}, seen)
    assert seen == {"calm"}


def test_the_content_hash_is_of_the_text_as_utf8():
    assert content_sha256("café") == hashlib.sha256("café".encode()).hexdigest()


def test_a_blank_optional_field_reads_as_empty_in_every_file():
    file = DataFile("f.yaml", "thing", DomainError)
    assert file.text({"prompt": "  "}, "prompt", required=False) == ""
    text = bundled_text("templates").replace("prompt: ", 'prompt: "" #', 1)
    assert '"" #' in text
    parse_templates(text, Path("t.yaml"))  # a template point with a blank prompt is fine


# --- a transcript file handed in (``suggest --transcript``): read as the data files are --


def test_a_transcript_file_is_read_with_or_without_a_byte_order_mark(tmp_path):
    path = tmp_path / "t.json"
    document = '{"segments": [{"start": 0, "end": 1.5, "speaker": "wearer", "text": "hello"}]}'
    path.write_bytes(b"\xef\xbb\xbf" + document.encode("utf-8"))
    (utterance,) = read_transcript_file(path)
    assert utterance.speaker == "wearer" and [w.text for w in utterance.words] == ["hello"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"absent.json: file not found$"),
        (b'{"segments": []}\n"caf\xe9"', r"absent.json: line 2 is not UTF-8 text \(byte 0xe9\); "
                                         r"save the file as UTF-8$"),
        (b"{not json", r"absent.json: not valid JSON \(line 1: "),
    ],
)  # fmt: skip
def test_a_transcript_file_that_cannot_be_read_names_itself(tmp_path, content, message):
    path = tmp_path / "absent.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DomainError, match=message):
        read_transcript_file(path)
    with pytest.raises(DomainError, match=r"cannot be read \((IsADirectory|Permission)Error\)"):
        read_transcript_file(tmp_path)
