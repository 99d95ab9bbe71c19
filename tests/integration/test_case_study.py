"""A de-personalised case study of the demo incident, checked against its ground truth:
none of the planted personal data (resources/demo/demo_incident.json) may appear, and a
reflection the officer did not agree to share must be absent."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.learning import feedback
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.annotations.store import models
from bwvreview.app import case_study
from bwvreview.cli import main

DEMO_WORDS = Path(__file__).resolve().parents[1] / "data" / "demo_words.json"
FACTS = app.demo_facts()
# every planted word longer than 3 letters, and the number as Whisper wrote it
PLANTED = [w.strip(".").lower() for p in FACTS["personal_data"] for w in p["text"].split()
           if len(w) > 3] + ["0-7-7-0-0", "07700", "900123"]  # fmt: skip
IDENTIFYING = [FACTS["incident_reference"], FACTS["officer"].split()[-1], "demo_incident",
               FACTS["device"].split()[-1], FACTS["recorded_date"]]  # fmt: skip
SHARED = "I could have offered to talk somewhere private before asking Sarah Whitfield"
PRIVATE = "Not for sharing: I was exhausted after a double shift"


@pytest.fixture
def demo():
    lib = app.open_library()
    recording = app.import_demo(lib)
    words = json.loads(DEMO_WORDS.read_text(encoding="utf-8"))["words"]
    said = tuple(NewWord(w["start_ms"], w["end_ms"], w["text"], 0.9) for w in words)
    # two segments, as Whisper would split them: the second starts at "Can I take..."
    cut = next(i for i, w in enumerate(said) if w.start_ms >= 26_000)
    segments = [NewSegment(part[0].start_ms, part[-1].end_ms,
                           "".join(w.text for w in part).strip(), speaker, part)
                for part, speaker in ((said[:cut], "wearer"), (said[cut:], "other"))]  # fmt: skip
    transcripts.store_transcript(lib.db, recording.id, segments, model="fixture", device="cpu",
                                 compute_type="-", language="en", speaker_confidence=None,
                                 actor="test")  # fmt: skip
    create = lambda key, start, end, note, wording="": review.create_annotation(  # noqa: E731
        lib.db, recording_id=recording.id, codebook_id=lib.codebook_id, category_key=key,
        start_ms=start, end_ms=end, actor="test", note=note, suggested_wording=wording,
        status="shared",
    )  # fmt: skip
    create("introduced_self", 600, 6000, "Gave name, role and why he was there")
    create("triggering_language", 9400, 11_700, "'Calm down' straight after she said she was "
           "scared", "Take your time, you're safe now.")  # fmt: skip
    privacy = create("privacy_breach", 27_000, 40_000, "Sarah Whitfield gave her address at "
                     "14 Maple Road aloud in front of others", "Can we go through your details "
                     "somewhere private, Ms Whitfield?")  # fmt: skip
    create("offered_choice", 20_700, 25_100, "A real choice of where to talk")
    with lib.db.begin() as session:
        officer_id = session.scalar(
            select(models.User.id).where(models.User.collar_number == "4471")
        )
    officer = lib.db.as_user(Principal(officer_id, "Officer 4471", "officer"))
    feedback.add_reflection(officer, annotation_id=privacy.id, text=SHARED, consent_to_share=True)
    incident_id = feedback.my_incidents(officer)[0].id
    feedback.add_reflection(officer, incident_id=incident_id, text=PRIVATE)
    yield lib, recording
    lib.close()


def _assert_depersonalised(text: str) -> None:
    lowered = text.lower()
    for word in PLANTED + [w.lower() for w in IDENTIFYING]:
        assert word not in lowered, word


def test_the_case_study_holds_no_personal_data_and_only_consented_reflections(demo, tmp_path):
    lib, _recording = demo
    study = case_study.write_case_study(lib, FACTS["incident_reference"], tmp_path / "cs.md",
                                        tmp_path / "cs.pdf")  # fmt: skip
    markdown = (tmp_path / "cs.md").read_text(encoding="utf-8")
    assert markdown == study.markdown
    _assert_depersonalised(markdown)
    assert "exhausted" not in markdown  # not consented
    assert "offered to talk somewhere private before asking [name]" in markdown
    # the timeline: time, category, principle, kind, note, suggested wording
    assert "| 0:09.4–0:11.7 | Triggering language | Safety, Trust | To learn from |" in (markdown)
    assert "Take your time, you're safe now." in markdown
    assert "[name] gave her address at [address]" in markdown
    # quotes come from the redacted transcript
    assert "I'm [name]." in markdown and "I live at [address] in [place]." in markdown
    # the demo's worked review (seeded at import) and ours, in time order
    labels = [m.category for m in study.moments]
    assert {"Introduced self", "Offered a choice", "Privacy not protected"} <= set(labels)
    assert [m.start_ms for m in study.moments] == sorted(m.start_ms for m in study.moments)
    assert (tmp_path / "cs.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") or os.environ.get("CI") == "true":  # CI installs poppler
        pdf_text = subprocess.run(["pdftotext", str(tmp_path / "cs.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout  # fmt: skip
        _assert_depersonalised(pdf_text)
        assert "exhausted" not in pdf_text and "Triggering language" in pdf_text


def test_a_case_study_of_one_recording_by_id(demo, tmp_path):
    lib, recording = demo
    study = case_study.build_case_study(lib, str(recording.id))
    assert len(study.moments) == len(review.list_annotations(lib.db, recording.id)) >= 4
    assert study.summary[0].startswith("Footage: 1 body-worn video recording, 0:53.9")
    with pytest.raises(NotFoundError):
        case_study.build_case_study(lib, "NO-SUCH-INCIDENT")


def test_only_a_reviewer_may_write_a_case_study(demo):
    lib, _recording = demo
    for role in ("trainer", "officer"):
        other = app.Library(lib.db.as_user(Principal(99, role, role)), lib.data_dir,
                            lib.codebook, lib.codebook_id, role)  # fmt: skip
        with pytest.raises(PermissionDenied):
            case_study.build_case_study(other, FACTS["incident_reference"])


def test_case_study_on_the_command_line(demo, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BWVREVIEW_USER", "Demo TIP")  # the demo's library has people
    out, pdf = tmp_path / "study.md", tmp_path / "study.pdf"
    assert main(["case-study", FACTS["incident_reference"], "--out", str(out), "--pdf",
                 str(pdf)]) == 0  # fmt: skip
    assert "1 shared reflections" in capsys.readouterr().out
    _assert_depersonalised(out.read_text(encoding="utf-8"))
    assert pdf.is_file()
    assert main(["case-study", "NOPE", "--out", str(tmp_path / "x.md")]) == 3
    assert not (tmp_path / "x.md").exists()


def test_the_case_study_carries_the_practice_records_but_never_the_ppn1(demo, tmp_path):
    lib, _recording = demo  # the demo seeds a PPN1 review and a session on its incident
    markdown = case_study.build_case_study(lib, FACTS["incident_reference"]).markdown
    _assert_depersonalised(markdown)
    assert "SYNTHETIC DEMO PPN1" not in markdown  # the PPN1 itself is personal data
    beyond = markdown[markdown.index("## Beyond the footage"):markdown.index("## Reflections")]
    assert "Kind of incident: Domestic." in beyond
    assert "- Who else lives there: not met — It does not say who else lives there" in beyond
    assert "List everyone who lives at or stays at the address, children first." in beyond
    assert "- After a disclosure, slow down and say what happens next" in beyond
    # an incident observed in the field, with no footage, has a case study too
    field = case_study.build_case_study(lib, "DEMO-0002")
    assert field.moments == () and "Kind of incident: Stop and search." in field.markdown
    assert "1:30 · Privacy not protected: Searched on the pavement" in field.markdown
    assert "- \"You are detained for the purpose of a search\": not met" in field.markdown
