"""The bundled demo incident: what it contains, and that the real pipeline reads it right."""

import difflib
import json

import av
import numpy as np
import pytest

from bwvreview import app
from bwvreview.bundled import resource_path
from bwvreview.cli import main
from tests.speech_checks import DEMO_MAX_WER, DEMO_SCRIPT, assert_close_to_script, normalise

DEMO = resource_path("demo", "demo_incident.mp4")
FACTS = app.demo_facts()


def sounds_like(heard: str, word: str) -> bool:
    return any(difflib.SequenceMatcher(None, h, word).ratio() >= 0.75 for h in normalise(heard))


def test_demo_footage_is_small_bwv_like_video_with_sound():
    assert DEMO.stat().st_size < 3 * 1024 * 1024
    with av.open(str(DEMO)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 640, 360)
        assert container.streams.audio[0].codec_context.name == "aac"
        assert 30 <= container.duration / 1_000_000 <= 60


def test_demo_has_a_burned_in_banner_and_a_face_on_screen():
    banner_px = FACTS["banner"]["height_px"]
    with av.open(str(DEMO)) as container:
        container.seek(20 * 1_000_000)
        frame = next(container.decode(video=0)).to_ndarray(format="gray")
    strip, below = frame[:banner_px], frame[banner_px : banner_px * 2]
    # a dark strip with bright text on it, unlike the scene beneath
    assert np.median(strip) < 60
    assert (strip > 200).mean() > 0.02
    assert np.median(below) > np.median(strip)
    visible = [t for t in FACTS["faces"]["track"] if t["box"]]
    assert len(visible) / len(FACTS["faces"]["track"]) > 0.8


def test_demo_script_holds_concerns_good_practice_and_planted_personal_data():
    said = " ".join(u["text"].lower() for u in FACTS["utterances"])
    for phrase in ("calm down", "sit down", "you'll be arrested", "would you rather",
                   "are you hurt", "because", "does that make sense", "take your time",
                   "someone i can call", "what happens next", "my name is"):  # fmt: skip
        assert phrase in said
    kinds = {p["kind"] for p in FACTS["personal_data"]}
    assert {"name", "address", "phone"} <= kinds


@pytest.mark.slow  # transcribes the demo with the real model
def test_demo_no_gui_imports_once_and_prints_the_id(capsys, monkeypatch):
    assert main(["demo", "--no-gui"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["demo", "--no-gui"]) == 0
    assert capsys.readouterr().out.strip() == first
    assert first.isdigit()
    assert main(["list", "--json"]) == 3  # the demo has its people now: they sign in
    capsys.readouterr()
    monkeypatch.setenv("BWVREVIEW_USER", "Demo TIP")
    main(["list", "--json"])
    listed = json.loads(capsys.readouterr().out)["recordings"]
    assert len(listed) == 1
    assert listed[0]["incident_reference"] == FACTS["incident_reference"]
    assert listed[0]["status"] == "shared"  # the worked example is shared with the officer
    assert listed[0]["officers"] == [FACTS["officer"].split()[-1]]


@pytest.mark.slow
def test_transcribing_the_demo_finds_the_script_and_times_the_planted_name(capsys):
    assert main(["transcribe", str(DEMO), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    words = [w for s in data["segments"] for w in s["words"]]
    assert_close_to_script(DEMO_SCRIPT, [s["text"] for s in data["segments"]], DEMO_MAX_WER)
    name = next(p for p in FACTS["personal_data"] if p["kind"] == "name")
    first_name = name["text"].split()[0].lower()
    # the word heard nearest the planted name that sounds like it ("Sarah", "Sara", ...)
    nearby = [w for w in words if abs(w["start"] - name["start"]) <= 1.0]
    spoken = [w for w in nearby if sounds_like(w["word"], first_name)]
    assert spoken, f"{first_name!r} not heard near {name['start']} s: {nearby}"
    assert abs(spoken[0]["start"] - name["start"]) <= 0.3
    by_speaker = {s["speaker"] for s in data["segments"]}
    assert by_speaker == {"wearer", "other"}
    opening = data["segments"][0]
    assert opening["speaker"] == "wearer"
