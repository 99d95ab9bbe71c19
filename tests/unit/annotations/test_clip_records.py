"""Clips, drawn masks and the incident's people & places, at the service layer."""

import pytest
from sqlalchemy import select

from bwvreview.annotations.access import Principal
from bwvreview.annotations.audit import verify_chain
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.learning import clips
from bwvreview.annotations.review import redactions
from bwvreview.annotations.store import models


@pytest.fixture
def db(db):
    """The shared two-engine database (tests/conftest.py) with recording 1."""
    database = db
    with database.begin() as session:
        session.add(
            models.Recording(
                path="/f.mp4",
                sha256="a" * 64,
                size_bytes=1,
                duration_ms=60_000,
                container="mp4",
                rotation=0,
                audio_channels=1,
                has_audio=True,
            )
        )
    return database


def _events(db, action):
    with db.begin() as session:
        return session.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == action)
        ).all()


def new_clip(verified):
    return clips.NewClip(
        recording_id=1,
        annotation_id=None,
        start_ms=1000,
        end_ms=5000,
        output_path="/c.mp4",
        sha256="b" * 64,
        source_sha256="a" * 64,
        options={"opt_outs": {"faces": True, "metadata": False}},
        report={"verdict": "pass" if verified else "fail"},
        verified=verified,
    )


def test_a_verified_clip_waits_for_a_second_person_before_joining_the_library(db):
    record = clips.record_clip(db, new_clip(True), "tip")
    assert record.verified and not record.in_library and record.release_state == "awaiting"
    assert clips.find_clip_by_sha256(db, "b" * 64).id == record.id
    assert clips.list_clips(db, library_only=True) == []
    (event,) = _events(db, "clip.exported")
    assert event.details["opt_outs"] == ["faces"] and event.details["verdict"] == "pass"
    approved = clips.approve_clip(db.as_user(Principal(None, "Second", "tip")), record.id,
                                  "b" * 64)  # fmt: skip
    assert approved.in_library and clips.list_clips(db, library_only=True) == [approved]


def test_a_failed_clip_needs_a_reason_and_the_override_is_audited(db):
    record = clips.record_clip(db, new_clip(False), "tip")
    assert not record.in_library and record.release_state == "held"
    assert clips.list_clips(db, library_only=True) == []
    with pytest.raises(DomainError, match="reason"):
        clips.add_to_library(db, record.id, "trainer", "   ")
    added = clips.add_to_library(db, record.id, "trainer", "actors, consent on file")
    assert not added.in_library and added.release_state == "awaiting"
    assert added.override_reason == "actors, consent on file"
    (event,) = _events(db, "clip.library_override")
    assert event.actor == "trainer" and event.details["reason"] == "actors, consent on file"
    assert verify_chain_ok(db)


def verify_chain_ok(db):
    with db.begin() as session:
        return verify_chain(session).ok


def test_unknown_clip_is_not_found(db):
    with pytest.raises(NotFoundError):
        clips.add_to_library(db, 99, "x", "why")


def test_people_and_places_are_kept_per_incident_without_the_names_in_the_log(db):
    assert clips.people_and_places(db, 1) == []
    saved = clips.set_people_and_places(
        db, 1, [" Sarah Whitfield ", "", "Maple Road", "Maple Road"], "tip"
    )
    assert saved == ["Sarah Whitfield", "Maple Road"]
    assert clips.people_and_places(db, 1) == saved
    (event,) = _events(db, "incident.people_places_set")
    assert event.details == {"count": 2} and "Sarah" not in str(event.details)


def test_masks_are_saved_sorted_updated_and_deleted(db):
    mask = redactions.save_region_mask(
        db, 1, [(2000, 10, 10, 50, 30), (1000, 0, 0, 40, 20)], actor="tip", label="plate"
    )
    assert mask.start_ms == 1000 and mask.end_ms == 2000 and mask.mode == "box"
    moved = redactions.save_region_mask(
        db,
        1,
        [*mask.keyframes, (3000, 20, 20, 60, 40)],
        actor="tip",
        label="plate",
        mask_id=mask.id,
    )
    assert moved.id == mask.id and len(moved.keyframes) == 3
    assert redactions.list_region_masks(db, 1) == [moved]
    redactions.delete_region_mask(db, mask.id, actor="tip")
    assert redactions.list_region_masks(db, 1) == []
    assert len(_events(db, "mask.saved")) == 2 and len(_events(db, "mask.deleted")) == 1


@pytest.mark.parametrize(
    ("keyframes", "mode", "message"),
    [
        ([], "box", "at least one"),
        ([(0, 10, 10, 5, 20)], "box", "some size"),
        ([(-5, 0, 0, 1, 1)], "box", "time from 0"),
        ([(0, 0, 0, 1, 1)], "smudge", "unknown mask mode"),
    ],
)
def test_bad_masks_are_refused(db, keyframes, mode, message):
    with pytest.raises(DomainError, match=message):
        redactions.save_region_mask(db, 1, keyframes, actor="tip", mode=mode)
    assert redactions.list_region_masks(db, 1) == []
