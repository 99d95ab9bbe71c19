"""``bwvreview suggest``: transcript files (nothing stored), recording ids and media paths
(stored, idempotent), the JSON contract, and one-line errors for bad input."""

import json
import sqlite3

import pytest

from bwvreview import app
from bwvreview.annotations.cues import suggestions
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.cli import main
from bwvreview.media.transcribe import SegmentResult, TranscriptionResult, WordResult
from tests.mediafactory import make_clip

JSON_KEYS = {"start", "end", "category", "polarity", "cue", "text", "speaker", "precision"}


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def words(start_s, text, step_s=0.3):
    return [
        {"start": round(start_s + i * step_s, 3), "end": round(start_s + (i + 1) * step_s, 3),
         "word": word, "probability": 0.9}
        for i, word in enumerate(text.split())
    ]  # fmt: skip


def segment(start_s, speaker, text):
    spoken = words(start_s, text)
    return {"start": start_s, "end": spoken[-1]["end"], "speaker": speaker, "text": text,
            "words": spoken}  # fmt: skip


DOCUMENT = {
    "recording": 1, "model": "tiny.en", "device": "cpu", "language": "en", "duration": 20.0,
    "segments": [
        segment(1.0, "wearer", "Okay, calm down. Sit down."),
        segment(4.0, "other", "Don't tell me to calm down!"),
        segment(12.0, "wearer", "Take your time. Would you rather talk inside?"),
    ],
}  # fmt: skip


@pytest.fixture
def transcript_file(tmp_path):
    path = tmp_path / "incident.json"
    path.write_text(json.dumps(DOCUMENT))
    return path


def test_a_transcript_file_gives_the_json_contract_in_seconds(capsys, transcript_file):
    code, out, err = run_cli(capsys, "suggest", str(transcript_file), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"suggestions"}
    assert all(set(s) == JSON_KEYS for s in data["suggestions"])
    got = [(s["category"], s["start"], s["end"], s["speaker"]) for s in data["suggestions"]]
    assert got == [
        ("triggering_language", 1.3, 1.9, "wearer"),
        ("missed_choice", 1.9, 2.5, "wearer"),
        ("gave_time", 12.0, 12.9, "wearer"),
        ("offered_choice", 12.9, 13.8, "wearer"),
    ]  # the other party's "don't tell me to calm down" is not the officer's language
    calm = data["suggestions"][0]
    assert (calm["text"], calm["cue"], calm["polarity"], calm["precision"]) == (
        "calm down.", "calm_down_order", "concern", "high"
    )  # fmt: skip
    assert (
        not (app.locations.data_dir() / "bwvreview.sqlite3").exists() or _count("suggestions") == 0
    )  # computed, not stored


def _count(table):
    con = sqlite3.connect(app.locations.data_dir() / "bwvreview.sqlite3")
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def test_the_readable_table_gives_times_and_learning_prompts(capsys, transcript_file):
    code, out, _ = run_cli(capsys, "suggest", str(transcript_file))
    assert code == 0
    assert "prompts for a person to decide on, never verdicts" in out
    assert "0:01.3–0:01.9  Triggering language · concern" in out
    assert "Possible missed choice — was an option available here" in out
    assert "Officer (camera): “Sit down.”" in out


def test_a_transcript_with_nothing_to_suggest_says_so_without_judging(capsys, tmp_path):
    path = tmp_path / "quiet.json"
    path.write_text(json.dumps({"segments": [segment(0, "wearer", "Is this your car?")]}))
    code, out, _ = run_cli(capsys, "suggest", str(path))
    assert code == 0 and "no phrase cues found" in out
    code, out, _ = run_cli(capsys, "suggest", str(path), "--json")
    assert json.loads(out) == {"suggestions": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"segments": 3}', "not a transcript"),
        (json.dumps({"segments": [{"start": -1, "end": 2, "speaker": "wearer", "text": "x"}]}),
         "negative"),
        (json.dumps({"segments": [{"start": 3, "end": 2, "speaker": "wearer", "text": "x"}]}),
         "ends before it starts"),
        (json.dumps({"segments": [{"start": 0, "end": 2, "speaker": "wearer",
                                   "words": [{"start": 1.5, "end": 1.0, "word": "x"}]}]}),
         "word 1 ends before it starts"),
        (json.dumps({"segments": [{"start": "0", "end": 2, "speaker": "wearer"}]}),
         "must be a number"),
    ],
)  # fmt: skip
def test_a_bad_transcript_file_is_one_line_on_stderr_and_exit_3(capsys, tmp_path, content,
                                                                message):  # fmt: skip
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = run_cli(capsys, "suggest", str(path), "--json")
    assert code == 3 and out == ""
    assert message in err and "bad.json" in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("target", "message"),
    [("424242", "no recording with id 424242"), ("missing.json", "file not found"),
     ("missing.mp4", "file not found")],
)  # fmt: skip
def test_unknown_targets_are_one_line_on_stderr_and_exit_3(capsys, target, message):
    code, out, err = run_cli(capsys, "suggest", target, "--json")
    assert (code, out) == (3, "")
    assert message in err and err.count("\n") == 1


SCRIPT = TranscriptionResult(
    model="fake", device="cpu", compute_type="int8", language="en", duration_ms=2000,
    segments=(
        SegmentResult(100, 1600, "Calm down. Sit down.",
                      tuple(WordResult(100 + i * 375, 475 + i * 375, f" {w}", 0.9)
                            for i, w in enumerate(["Calm", "down.", "Sit", "down."])),
                      "wearer"),
    ),
    speaker_confidence=0.9,
)  # fmt: skip


@pytest.fixture
def fake_transcriber(monkeypatch):
    calls = []

    def scripted(lib, recording_id, **_options):
        calls.append(recording_id)
        return SCRIPT
        yield  # a generator, like the real one

    monkeypatch.setattr(app.transcription, "iter_transcription", scripted)
    return calls


def test_a_media_path_is_imported_transcribed_once_and_suggestions_stored(
    capsys, clip_path, fake_transcriber
):
    code, out, err = run_cli(capsys, "suggest", str(clip_path), "--json")
    assert code == 0, err
    first = json.loads(out)["suggestions"]
    assert [(s["category"], s["text"]) for s in first] == [
        ("triggering_language", "Calm down."), ("missed_choice", "Sit down.")
    ]  # fmt: skip
    assert len(fake_transcriber) == 1
    rec_id = json.loads(run_cli(capsys, "list", "--json")[1])["recordings"][0]["id"]
    code, out, _ = run_cli(capsys, "suggest", str(rec_id), "--json")
    assert json.loads(out)["suggestions"] == first  # idempotent, by id
    assert len(fake_transcriber) == 1  # the current transcript was used, not redone
    assert _count("suggestions") == 2


def test_a_rejected_suggestion_is_not_shown_again(capsys, clip_path, fake_transcriber):
    run_cli(capsys, "suggest", str(clip_path))
    lib = app.open_library()
    recording = app.resolve_target(lib, str(clip_path))
    calm = suggestions.list_suggestions(lib.db, recording.id)[0]
    suggestions.reject_suggestion(lib.db, calm.id, actor="tip")
    lib.close()
    code, out, _ = run_cli(capsys, "suggest", str(recording.id), "--json")
    assert [s["category"] for s in json.loads(out)["suggestions"]] == ["missed_choice"]


def test_priority_welfare_words_are_listed_first(capsys, tmp_path):
    path = tmp_path / "welfare.json"
    doc = {"segments": [segment(0, "wearer", "Are you hurt?"),
                        segment(3, "other", "I can't breathe!")]}  # fmt: skip
    path.write_text(json.dumps(doc))
    code, out, _ = run_cli(capsys, "suggest", str(path))
    assert code == 0
    first, rest = out.split("In time order:")
    assert "LOOK AT THESE FIRST" in first and "Priority welfare flag" in first
    assert "Checked safety and wellbeing" in rest and "Priority welfare flag" not in rest


def test_cue_stats_count_how_people_decided(capsys, tmp_path):
    lib = app.open_library()
    recording, _ = app.import_media(lib, make_clip(tmp_path / "scene.mp4", seconds=4))
    words = tuple(NewWord(500 + i * 300, 750 + i * 300, f" {w}", 0.9)
                  for i, w in enumerate(["Shut", "up."]))  # fmt: skip
    transcripts.store_transcript(lib.db, recording.id,
                                 [NewSegment(500, 1050, "Shut up.", "wearer", words)],
                                 model="scripted", device="cpu", compute_type="-",
                                 language="en", speaker_confidence=0.9, actor="test")  # fmt: skip
    assert main(["suggest", str(recording.id), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["suggestions"]
    assert [s["category"] for s in found] == ["triggering_language"]
    (stored,) = suggestions.list_suggestions(lib.db, recording.id)
    suggestions.reject_suggestion(lib.db, stored.id, actor="tip")
    assert main(["cue-stats", "--json"]) == 0
    (cue,) = json.loads(capsys.readouterr().out)["cues"]
    assert (cue["category"], cue["suggested"], cue["rejected"], cue["acceptance"]) == (
        "triggering_language",
        1,
        1,
        0.0,
    )
