"""Release needs a second person (issue 15): the rules in ``annotations.clips`` on both
engines, what each role sees, the audit trail, and the upgrade of an existing library."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import select, text

from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.audit import verify_chain
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning import clip_library, clips, packs
from bwvreview.annotations.learning.clips import ReleaseRefused
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import _alembic_config, open_database
from tests.unit.annotations.old_library import engine_as_opened

EXPORTER = Principal(user_id=1, name="Tia Tip", role="tip")
SECOND = Principal(user_id=2, name="Tess Second", role="tip")
TRAINER = Principal(user_id=3, name="Tom Trainer", role="trainer")
OFFICER = Principal(user_id=4, name="Officer 4471", role="officer")
ADMIN = Principal(user_id=5, name="Ada Admin", role="admin")
SHA = "c" * 64


@pytest.fixture
def world(db):
    with db.begin() as session:
        session.add_all([models.User(id=p.user_id, name=p.name, role=p.role,
                                     collar_number="4471" if p.role == "officer" else None)
                         for p in (EXPORTER, SECOND, TRAINER, OFFICER, ADMIN)])  # fmt: skip
        session.add(models.Recording(path="/footage/raw.mp4", sha256="a" * 64, size_bytes=1,
                                     duration_ms=60_000, container="mp4"))  # fmt: skip
    return db


def export(db, verified: bool = True, sha: str = SHA) -> int:
    new = clips.NewClip(recording_id=1, annotation_id=None, start_ms=0, end_ms=2000,
                        output_path=f"/clips/{sha[:4]}.mp4", sha256=sha, source_sha256="a" * 64,
                        options={}, report={"verdict": "pass" if verified else "fail"},
                        verified=verified)  # fmt: skip
    return clips.record_clip(db.as_user(EXPORTER), new, EXPORTER.name).id


def events(db, action: str) -> list[models.AuditEvent]:
    with db.begin() as session:
        return list(session.scalars(select(models.AuditEvent).where(
            models.AuditEvent.action == action)))  # fmt: skip


def visible_to(db, who: Principal) -> list[int]:
    return [c.clip_id for c in clip_library.list_library_clips(db.as_user(who))]


def test_the_exporter_cannot_approve_their_own_clip(world):
    clip_id = export(world)
    with pytest.raises(ReleaseRefused, match="you exported clip"):
        clips.approve_clip(world.as_user(EXPORTER), clip_id, SHA)
    assert clips.get_clip(world, clip_id).release_state == "awaiting"
    assert visible_to(world, TRAINER) == [] and events(world, "clip.approved") == []


def test_the_exporter_is_known_by_name_when_the_machine_owner_exported(world):
    owner = world.as_user(Principal(None, "tia tip", "admin"))  # no id: compared by name
    new = clips.NewClip(1, None, 0, 10, "/c.mp4", SHA, "", {}, {}, True)
    clip_id = clips.record_clip(owner, new, "tia tip").id
    with pytest.raises(ReleaseRefused, match="you exported"):
        clips.approve_clip(world.as_user(EXPORTER), clip_id, SHA)


@pytest.mark.parametrize("who", [TRAINER, OFFICER])
def test_a_trainer_or_an_officer_cannot_approve_or_reject(world, who):
    clip_id = export(world)
    with pytest.raises(PermissionDenied, match="a TIP or an admin does"):
        clips.approve_clip(world.as_user(who), clip_id, SHA)
    with pytest.raises(PermissionDenied):
        clips.reject_clip(world.as_user(who), clip_id, "not for trainers")
    assert clips.get_clip(world, clip_id).release_state == "awaiting"


def test_an_officer_cannot_list_clips(world):
    export(world)
    with pytest.raises(PermissionDenied):
        clip_library.list_release_clips(world.as_user(OFFICER))


@pytest.mark.parametrize("approver", [SECOND, ADMIN])
def test_a_second_tip_or_an_admin_approves_and_then_the_trainer_sees_it(world, approver):
    clip_id = export(world)
    assert visible_to(world, TRAINER) == []
    assert [c.release_state for c in clip_library.list_release_clips(world.as_user(SECOND))] == [
        "awaiting"
    ]
    record = clips.approve_clip(world.as_user(approver), clip_id, SHA)
    assert record.in_library and record.decided_by == approver.name and record.decided_at
    assert visible_to(world, TRAINER) == [clip_id]
    (seen,) = clip_library.list_release_clips(world.as_user(TRAINER))
    assert seen.state_words == "Approved for trainers" and seen.exported_by == ""
    (approved,) = events(world, "clip.approved")
    assert approved.actor == approver.name and approved.object_id == str(clip_id)
    assert approved.details["sha256"] == SHA and approved.at is not None
    with world.begin() as session:
        assert verify_chain(session).ok


def test_a_changed_or_missing_file_cannot_be_approved(world):
    clip_id = export(world)
    with pytest.raises(ReleaseRefused, match="changed since it was verified"):
        clips.approve_clip(world.as_user(SECOND), clip_id, "d" * 64)
    with pytest.raises(ReleaseRefused, match="file is not at"):
        clips.approve_clip(world.as_user(SECOND), clip_id, None)
    assert clips.get_clip(world, clip_id).release_state == "awaiting"


def test_not_approved_needs_a_reason_keeps_the_clip_out_and_is_audited(world):
    clip_id = export(world)
    for empty in ("", "   \n "):
        with pytest.raises(ReleaseRefused, match="say why"):
            clips.reject_clip(world.as_user(SECOND), clip_id, empty)
    record = clips.reject_clip(world.as_user(SECOND), clip_id, " A face  shows at 0:01 ")
    assert (record.release_state, record.decision_reason) == (
        "not_approved",
        "A face shows at 0:01",
    )
    assert not record.in_library and visible_to(world, TRAINER) == []
    (said,) = events(world, "clip.not_approved")
    assert said.actor == "Tess Second" and said.details == {
        "reason": "A face shows at 0:01", "was": "awaiting"}  # fmt: skip
    with pytest.raises(ReleaseRefused, match="was not approved"):
        clips.approve_clip(world.as_user(ADMIN), clip_id, SHA)


def test_an_approved_clip_can_be_withdrawn_and_packs_then_refuse_it(world):
    clip_id = export(world)
    clips.approve_clip(world.as_user(SECOND), clip_id, SHA)
    trainer = world.as_user(TRAINER)
    pack = packs.add_clip(trainer, packs.create_pack(trainer, "Session").id, clip_id)
    clips.reject_clip(world.as_user(EXPORTER), clip_id, "consent withdrawn")  # saying no: anyone
    assert visible_to(world, TRAINER) == []
    assert [i.clip_id for i in packs.get_pack(trainer, pack.id).items] == [clip_id]  # listed
    assert events(world, "clip.not_approved")[0].details["was"] == "approved"


def test_packs_take_only_approved_clips(world):
    awaiting = export(world)
    pack = packs.create_pack(world.as_user(SECOND), "Session")
    with pytest.raises(DomainError, match="not approved for trainers"):
        packs.add_clip(world.as_user(SECOND), pack.id, awaiting)
    with pytest.raises(DomainError, match="no library clip"):  # a trainer learns no more
        packs.add_clip(world.as_user(TRAINER), pack.id, awaiting)


def test_an_overridden_clip_still_needs_a_second_person_who_sees_the_reason(world):
    clip_id = export(world, verified=False)
    with pytest.raises(ReleaseRefused, match="needs an override"):
        clips.approve_clip(world.as_user(SECOND), clip_id, SHA)
    clips.add_to_library(world.as_user(SECOND), clip_id, SECOND.name, "actors; consent on file")
    assert visible_to(world, TRAINER) == []
    (waiting,) = clip_library.list_release_clips(world.as_user(ADMIN), ["awaiting"])
    assert waiting.overridden and waiting.override_reason == "actors; consent on file"
    with pytest.raises(ReleaseRefused, match="you overrode"):
        clips.approve_clip(world.as_user(SECOND), clip_id, SHA)
    clips.approve_clip(world.as_user(ADMIN), clip_id, SHA)
    (approved,) = events(world, "clip.approved")
    assert approved.details["override_reason"] == "actors; consent on file"


def test_in_library_and_the_state_cannot_drift_apart(world):
    clip_id = export(world)
    with pytest.raises(Exception, match="ck_clips_in_library_is_approved"), world.begin() as s:
        s.execute(text("UPDATE clips SET in_library = true WHERE id = :id"), {"id": clip_id})


# --- the upgrade of a library made before second-person release --------------------------


def _old_library(url: str) -> None:
    """A library at 0008: one released clip in a pack, one overridden in, one failed."""
    engine = engine_as_opened(url)
    command.upgrade(_alembic_config(engine), "0008_audit_seq_and_seal")
    with engine.begin() as conn:
        conn.execute(text(
            "insert into recordings (id, path, sha256, size_bytes, duration_ms, "
            "variable_frame_rate, rotation, container, audio_channels, has_audio, imported_at, "
            "status) values (1, 'x.mp4', 'b', 1, 1000, false, 0, '', 1, true, '2026-01-01', "
            "'new')"))  # fmt: skip
        for clip_id, verified, in_library in ((1, True, True), (2, False, True),
                                              (3, False, False)):  # fmt: skip
            conn.execute(text(
                "insert into clips (id, recording_id, start_ms, end_ms, output_path, sha256, "
                "options, report, verified, source_sha256, in_library, created_at) values "
                "(:id, 1, 0, 10, 'c.mp4', 's', '{}', '{}', :v, '', :lib, '2026-01-01')"),
                {"id": clip_id, "v": verified, "lib": in_library})  # fmt: skip
        conn.execute(text("insert into training_packs (id, title, description, created_at) "
                          "values (1, 'Old pack', '', '2026-01-01')"))  # fmt: skip
        conn.execute(text("insert into training_pack_items (pack_id, clip_id, position, "
                          "facilitator_notes, prompts) values (1, 1, 0, 'Play twice', "
                          "'[]')"))  # fmt: skip
        conn.execute(text(
            "insert into audit_events (seq, at, actor, action, object_type, object_id, details, "
            "prev_hash, hash) values (1, '2026-01-01', 'Tia Tip', 'clip.exported', 'clip', '2', "
            "'{}', :g, 'h1'), (2, '2026-01-01', 'Sam', 'clip.library_override', 'clip', '2', "
            "'{\"reason\": \"actors\"}', 'h1', 'h2')"), {"g": "0" * 64})  # fmt: skip
    engine.dispose()


def test_an_existing_library_keeps_released_clips_released_as_before_the_rule(empty_url):
    _old_library(empty_url)
    db = open_database(empty_url)  # migrates to the newest schema
    try:
        by_id = {c.id: c for c in clips.list_clips(db)}
        assert {i: c.release_state for i, c in by_id.items()} == {
            1: "approved", 2: "approved", 3: "held"}  # fmt: skip
        assert by_id[1].decided_by == clips.BEFORE_SECOND_PERSON and by_id[1].decided_at is None
        assert "before a second person" in by_id[1].decision_reason
        assert (by_id[2].exported_by, by_id[2].override_reason) == ("Tia Tip", "actors")
        assert [c.clip_id for c in clip_library.list_library_clips(db.as_user(TRAINER))] == [2, 1]
        (pack,) = packs.list_packs(db)  # the pack and its item survived the upgrade
        assert [(i.clip_id, i.facilitator_notes) for i in pack.items] == [(1, "Play twice")]
    finally:
        db.close()
