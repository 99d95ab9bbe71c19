"""Training packs at the service layer: building, ordering, notes and prompts, and who may."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.audit import verify_chain
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.learning import packs
from bwvreview.annotations.store import models
from tests.unit.annotations.test_clip_library import OFFICER, TRAINER, make_library


@pytest.fixture
def lib(tmp_path):
    setup = make_library(tmp_path)
    yield setup
    setup.db.close()


def test_a_trainer_builds_a_pack_of_library_clips(lib):
    db = lib.db.as_user(TRAINER)
    pack = packs.create_pack(db, "  Choice   and control ", "Session 3")
    assert pack.title == "Choice and control" and pack.description == "Session 3"
    assert pack.created_by == TRAINER.user_id
    prompts = ["What could be said instead?", "  ", "How might she feel?"]
    packs.add_clip(db, pack.id, lib.in_library, facilitator_notes=" Pause at 3 s ", prompts=prompts)
    pack = packs.add_clip(db, pack.id, lib.good)
    assert [i.clip_id for i in pack.items] == [lib.in_library, lib.good]
    assert [i.position for i in pack.items] == [0, 1]
    first = pack.items[0]
    assert first.facilitator_notes == "Pause at 3 s"
    assert first.prompts == ("What could be said instead?", "How might she feel?")
    assert packs.get_pack(db, pack.id) == pack
    assert [p.id for p in packs.list_packs(db)] == [pack.id]


def test_a_clip_outside_the_library_cannot_join_a_pack(lib):
    db = lib.db.as_user(TRAINER)
    pack = packs.create_pack(db, "P")
    with pytest.raises(NotFoundError):
        packs.add_clip(db, pack.id, lib.failed)
    with pytest.raises(NotFoundError):
        packs.add_clip(db, pack.id, 999)
    assert packs.add_clip(db, pack.id, lib.overridden).items[0].clip_id == lib.overridden


def test_reorder_move_and_remove_keep_positions_contiguous(lib):
    db = lib.db.as_user(TRAINER)
    pack = packs.create_pack(db, "Order")
    for clip_id in (lib.in_library, lib.good, lib.overridden):
        pack = packs.add_clip(db, pack.id, clip_id)
    a, b, c = (i.id for i in pack.items)
    pack = packs.reorder(db, pack.id, [c, a, b])
    assert [i.id for i in pack.items] == [c, a, b] and [i.position for i in pack.items] == [0, 1, 2]
    pack = packs.move_item(db, pack.id, c, 2)
    assert [i.id for i in pack.items] == [a, b, c]
    pack = packs.move_item(db, pack.id, b, -5)
    assert [i.id for i in pack.items] == [b, a, c]
    pack = packs.remove_item(db, pack.id, a)
    assert [(i.id, i.position) for i in pack.items] == [(b, 0), (c, 1)]
    with pytest.raises(DomainError):
        packs.reorder(db, pack.id, [b])
    with pytest.raises(NotFoundError):
        packs.remove_item(db, pack.id, a)


def test_rename_describe_notes_prompts_and_delete_are_audited(lib):
    db = lib.db.as_user(TRAINER)
    pack = packs.create_pack(db, "Draft")
    pack = packs.add_clip(db, pack.id, lib.good)
    item = pack.items[0].id
    assert packs.rename_pack(db, pack.id, "Final").title == "Final"
    assert packs.describe_pack(db, pack.id, " For new starters ").description == "For new starters"
    assert (
        packs.set_item_notes(db, pack.id, item, "Ask first").items[0].facilitator_notes
        == "Ask first"
    )
    assert packs.set_item_prompts(db, pack.id, item, ["Why?"]).items[0].prompts == ("Why?",)
    assert packs.get_pack(db, pack.id).updated_at is not None
    with pytest.raises(DomainError):
        packs.rename_pack(db, pack.id, "   ")
    packs.delete_pack(db, pack.id)
    with pytest.raises(NotFoundError):
        packs.get_pack(db, pack.id)
    with db.begin() as session:
        events = session.scalars(
            select(models.AuditEvent).where(models.AuditEvent.object_type == "training_pack")
        ).all()
        assert [e.action for e in events] == [
            "pack.created", "pack.clip_added", "pack.renamed", "pack.described",
            "pack.notes_set", "pack.prompts_set", "pack.deleted",
        ]  # fmt: skip
        assert {e.actor for e in events} == {TRAINER.name}
        assert verify_chain(session).ok


def test_an_officer_may_not_read_or_build_packs(lib):
    pack = packs.create_pack(lib.db.as_user(TRAINER), "P")
    db = lib.db.as_user(OFFICER)
    calls = [
        lambda: packs.create_pack(db, "Mine"),
        lambda: packs.list_packs(db),
        lambda: packs.get_pack(db, pack.id),
        lambda: packs.rename_pack(db, pack.id, "x"),
        lambda: packs.describe_pack(db, pack.id, "x"),
        lambda: packs.add_clip(db, pack.id, lib.good),
        lambda: packs.reorder(db, pack.id, []),
        lambda: packs.move_item(db, pack.id, 1, 0),
        lambda: packs.remove_item(db, pack.id, 1),
        lambda: packs.set_item_notes(db, pack.id, 1, "x"),
        lambda: packs.set_item_prompts(db, pack.id, 1, ["x"]),
        lambda: packs.delete_pack(db, pack.id),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_a_pack_is_planned_for_a_session_with_time_to_talk_after_each_clip(lib):
    db = lib.db.as_user(TRAINER)
    pack = packs.create_pack(db, "Plan")
    assert pack.session_minutes == 90  # unless changed
    pack = packs.add_clip(db, pack.id, lib.good)
    item = pack.items[0].id
    assert pack.items[0].discussion_minutes == 10
    assert packs.set_session_minutes(db, pack.id, 60).session_minutes == 60
    assert packs.set_item_discussion(db, pack.id, item, 15).items[0].discussion_minutes == 15
    for bad in (4, 481, True, "60"):
        with pytest.raises(DomainError, match="a session is 5 to 480 minutes"):
            packs.set_session_minutes(db, pack.id, bad)  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="the talk after a clip is 0 to 240 minutes"):
        packs.set_item_discussion(db, pack.id, item, -1)
    assert packs.get_pack(db, pack.id).session_minutes == 60
    with db.begin() as session:
        actions = session.scalars(select(models.AuditEvent.action).where(
            models.AuditEvent.action.in_(("pack.session_set", "pack.discussion_set"))
        )).all()  # fmt: skip
    assert actions == ["pack.session_set", "pack.discussion_set"]
