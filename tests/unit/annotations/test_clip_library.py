"""The trainers' clip library at the service layer: what each role may see of it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bwvreview.annotations import review
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.learning import clip_library, clips
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database, open_database, sqlite_url
from bwvreview.bundled import resource_path

TRAINER = Principal(user_id=2, name="Trainer T", role="trainer")
OFFICER = Principal(user_id=3, name="Officer O", role="officer")
TIP = Principal(user_id=1, name="Tip P", role="tip")


SECOND_TIP = Principal(user_id=1, name="Tip P", role="tip")


@dataclass
class Setup:
    db: Database
    recording_id: int
    in_library: int  # clip id, cut for a concern annotation with a note
    good: int  # clip id, cut for a good-practice annotation
    failed: int  # clip id, failed verification, not in the library
    overridden: int  # clip id, failed but put in the library with a reason
    secret_annotation: int  # an annotation no library clip was cut for


def _clip(db, recording_id, annotation_id, start_ms, verified, sha):
    return clips.record_clip(
        db,
        clips.NewClip(
            recording_id=recording_id, annotation_id=annotation_id, start_ms=start_ms,
            end_ms=start_ms + 4000, output_path=f"/clips/{sha[:4]}.mp4", sha256=sha,
            source_sha256="a" * 64, options={},
            report={"verdict": "pass" if verified else "fail", "source": {"file": "raw.mp4"},
                    "redaction": {"audio": [{"kind": "name", "start_ms": 1, "end_ms": 2}]},
                    "verification": {"checks": [{"name": "faces", "passed": verified}]}},
            verified=verified,
        ),
        "tip",
    ).id  # fmt: skip


def make_library(tmp_path) -> Setup:
    """A recording on an incident with people & places, four annotations, four clips."""
    db = open_database(sqlite_url(tmp_path / "lib.sqlite3"))
    with db.begin() as session:
        codebook_id = store_codebook(session, load_codebook(resource_path("codebook.yaml")))
        incident = models.Incident(reference="INC-1", people_places=["Sarah Whitfield"])
        session.add_all(
            [
                models.User(id=1, name="Tip P", role="tip"),
                models.User(id=2, name="Trainer T", role="trainer"),
                models.User(id=3, name="Officer O", role="officer", collar_number="1"),
            ]
        )
        rec = models.Recording(path="/secret/footage/raw.mp4", sha256="a" * 64, size_bytes=1,
                               duration_ms=60_000, container="mp4", rotation=0,
                               audio_channels=1, has_audio=True, incident=incident)  # fmt: skip
        session.add(rec)
        session.flush()
        transcript = models.Transcript(recording_id=rec.id, model="m", state="complete",
                                       is_current=True)  # fmt: skip
        segment = models.Segment(start_ms=1000, end_ms=3000, text="I'm Sarah Whitfield ok",
                                 speaker="other")  # fmt: skip
        said = [" I'm", " Sarah", " Whitfield", " ok"]
        segment.words = [models.Word(start_ms=1000 + i * 500, end_ms=1400 + i * 500, text=t)
                         for i, t in enumerate(said)]  # fmt: skip
        transcript.segments = [segment]
        session.add(transcript)
    rid = 1

    def annotate(key, start, note, wording=""):
        return review.create_annotation(
            db, recording_id=rid, codebook_id=codebook_id, category_key=key, start_ms=start,
            end_ms=start + 2000, actor="tip", note=note, suggested_wording=wording,
        ).id  # fmt: skip

    concern = annotate("triggering_language", 1000, "An order to calm down", "Take your time")
    good = annotate("offered_choice", 20_000, "A real choice of where to talk")
    failed = annotate("rushing", 30_000, "Talked over the answer")
    secret = annotate("note", 40_000, "Private reviewer note")
    overridden_ann = annotate("safety_check", 45_000, "Asked about injuries")
    ids = (
        _clip(db, rid, concern, 0, True, "c" * 64),
        _clip(db, rid, good, 19_000, True, "d" * 64),
        _clip(db, rid, failed, 29_000, False, "e" * 64),
        _clip(db, rid, overridden_ann, 44_000, False, "f" * 64),
    )
    clips.add_to_library(db, ids[3], "tip", "actors; consent on file")
    second = db.as_user(SECOND_TIP)  # release needs a second person (clips.approve_clip)
    for clip_id, sha in ((ids[0], "c"), (ids[1], "d"), (ids[3], "f")):
        clips.approve_clip(second, clip_id, sha * 64)
    return Setup(db, rid, ids[0], ids[1], ids[2], ids[3], secret)


@pytest.fixture
def lib(tmp_path):
    setup = make_library(tmp_path)
    yield setup
    setup.db.close()


def test_a_trainer_sees_library_clips_with_their_annotation_and_no_footage_path(lib):
    found = clip_library.list_library_clips(lib.db.as_user(TRAINER))
    assert {c.clip_id for c in found} == {lib.in_library, lib.good, lib.overridden}
    concern = next(c for c in found if c.clip_id == lib.in_library)
    assert concern.category_key == "triggering_language" and concern.polarity == "concern"
    assert concern.note == "An order to calm down" and concern.suggested_wording == "Take your time"
    assert set(concern.principles) == {"safety", "trust"}
    assert concern.report_summary["verdict"] == "pass" and concern.report_summary["bleeped"] == 1
    assert "/secret/footage" not in repr(found)  # never the source recording's path
    over = next(c for c in found if c.clip_id == lib.overridden)
    assert over.overridden and not over.verified and over.verdict == "fail"


def test_filters_by_category_principle_polarity_and_text(lib):
    db = lib.db.as_user(TRAINER)
    assert [c.clip_id for c in clip_library.list_library_clips(db, category="offered_choice")] == [
        lib.good
    ]
    assert [c.clip_id for c in clip_library.list_library_clips(db, principle="choice")] == [
        lib.good
    ]
    concerns = clip_library.list_library_clips(db, polarity="concern")
    assert [c.clip_id for c in concerns] == [lib.in_library]
    assert [c.clip_id for c in clip_library.list_library_clips(db, text="TAKE YOUR")] == [
        lib.in_library
    ]
    assert [c.clip_id for c in clip_library.list_library_clips(db, text="injuries")] == [
        lib.overridden
    ]
    assert clip_library.list_library_clips(db, text="Private reviewer") == []


def test_a_clip_outside_the_library_is_not_found_for_anyone(lib):
    for who in (TRAINER, TIP):
        with pytest.raises(NotFoundError):
            clip_library.get_library_clip(lib.db.as_user(who), lib.failed)
        with pytest.raises(NotFoundError):
            clip_library.caption_source(lib.db.as_user(who), lib.failed)
    assert clip_library.get_library_clip(lib.db.as_user(TRAINER), lib.good).note.startswith(
        "A real"
    )
    assert set(
        clip_library.library_clips_by_id(lib.db.as_user(TRAINER), [lib.good, lib.failed])
    ) == {lib.good}


def test_an_officer_is_refused_the_clip_library(lib):
    db = lib.db.as_user(OFFICER)
    with pytest.raises(PermissionDenied):
        clip_library.list_library_clips(db)
    with pytest.raises(PermissionDenied):
        clip_library.get_library_clip(db, lib.in_library)
    with pytest.raises(PermissionDenied):
        clip_library.library_clips_by_id(db, [lib.in_library])
    with pytest.raises(PermissionDenied):
        clip_library.caption_source(db, lib.in_library)


def test_caption_source_gives_a_reviewer_the_words_and_the_list(lib):
    source = clip_library.caption_source(lib.db.as_user(TIP), lib.in_library)
    assert [w[0] for w in source.words] == [" I'm", " Sarah", " Whitfield", " ok"]
    assert source.people_places == ("Sarah Whitfield",)
    assert clip_library.caption_source(lib.db.as_user(TIP), lib.good).words == ()


def test_a_trainer_never_gets_the_list_and_its_words_come_masked(lib):
    source = clip_library.caption_source(lib.db.as_user(TRAINER), lib.in_library)
    assert source.people_places == ()
    assert source.words == (
        (" I'm", 1000, 1400),
        (" [name or place]", 1500, 2400),
        (" ok", 2500, 2900),
    )


def test_listed_entries_are_masked_whole_or_by_a_distinctive_part():
    said = " Sarah's at 14 Maple Road. Ask Whitfield, on the road"
    words = [(t, i, i + 1) for i, t in enumerate(" " + w for w in said.split())]
    masked = clip_library.mask_listed(words, ["Sarah", "14 Maple Road", "Sarah Whitfield"])
    assert "".join(w[0] for w in masked) == (
        " [name or place] at [name or place]. Ask [name or place], on the [name or place]"
    )
    assert masked[2][1:] == (2, 5)  # one mask over "14 Maple Road."


def test_the_report_summary_says_what_a_trainer_needs():
    summary = clip_library.summarise_report({
        "verdict": "pass", "settings": {"faces": "pixelate", "captions": True},
        "opt_outs": {"metadata": True, "faces": False, "people_kept_visible": [3]},
        "clip": {"duration_ms": 4000, "opening_card_ms": 2500},
        "verification": {"checks": [{"name": "faces", "passed": True}]},
        "source": {"file": "raw.mp4"},
    })  # fmt: skip
    assert summary == {
        "verdict": "pass", "checks": {"faces": True}, "faces": "pixelate", "banner": "auto",
        "bleeped": 0, "opt_outs": ["metadata"], "duration_ms": 4000, "opening_card_ms": 2500,
        "captions_burned_in": True,
    }  # fmt: skip
