"""Changing, sharing and taking back practice records, and listing them, on both engines:
what each step changes, what search then finds, and what the audit log says."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bwvreview.annotations import search
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.practice import incidents, observations, ppn1, sessions
from bwvreview.annotations.store import models
from tests.unit.annotations.practice_world import PracticeWorld, build_world


@pytest.fixture
def w(db) -> PracticeWorld:
    return build_world(db)


def actions(w: PracticeWorld) -> list[tuple[str, dict]]:
    """The audit log, oldest first."""
    entries = audit_log.list_events(w.db, limit=500).entries  # newest first
    return [(e.action, e.details) for e in reversed(entries)]


def found(db, query: str) -> set[tuple[str, int]]:
    return {(h.record, h.record_id) for h in search.search(db, query, kinds=(search.PRACTICE,))}


def observe(w: PracticeWorld, incident: int, started_at: dt.datetime, officer: int | None):
    return observations.create_observation(
        w.as_("tip"), incident_id=incident, template=w.templates.for_incident_type(None),
        template_version=w.templates.version, actor="t", officer_id=officer,
        started_at=started_at, context="Patrol in the rain",
    )  # fmt: skip


def review_ppn1(w: PracticeWorld, incident: int, officer: int) -> ppn1.Ppn1Review:
    return ppn1.create_review(w.as_("tip"), incident_id=incident, officer_id=officer,
                              points=w.templates.ppn1_points, points_version="1",
                              actor="t")  # fmt: skip


def test_an_observation_is_changed_reindexed_and_the_change_audited(w):
    tip = w.as_("tip")
    made = observe(w, w.incident_b, dt.datetime(2027, 1, 5, 9, 0), w.officer2.user_id)
    later = dt.datetime(2027, 1, 5, 9, 30)
    changed = observations.update_observation(tip, made.id, actor="Tia", context="Busy market",
                                              started_at=later)  # fmt: skip
    assert (changed.context, changed.started_at) == ("Busy market", later)
    assert found(tip, "market") == {("observation", made.id)} and found(tip, "rain") == set()
    assert ("observation-change", {}) in actions(w)
    kept = observations.update_observation(tip, made.id, actor="Tia")  # nothing said: unchanged
    assert (kept.context, kept.started_at) == ("Busy market", later)
    with pytest.raises(NotFoundError, match="no observation with id 999"):
        observations.update_observation(tip, 999, actor="Tia", context="x")


def test_an_observation_shared_then_taken_back_is_a_draft_again_with_its_notes(w):
    tip, officer = w.as_("tip"), w.as_("officer2")
    made = observe(w, w.incident_b, dt.datetime(2027, 1, 5, 9, 0), w.officer2.user_id)
    observations.add_note(tip, made.id, at_ms=0, text="Calm", codebook_id=w.codebook_id,
                          actor="t")  # fmt: skip
    shared = observations.share_observation(tip, made.id, actor="Tia")
    assert shared.status == "shared" and shared.shared_at is not None
    assert observations.get_observation(officer, made.id).notes[0].note == "Calm"
    back = observations.share_observation(tip, made.id, actor="Tia", shared=False)
    assert (back.status, back.shared_at) == ("draft", None)
    with pytest.raises(NotFoundError):
        observations.get_observation(officer, made.id)
    with tip.begin() as session:
        notes = session.scalars(select(models.Annotation).filter_by(observation_id=made.id))
        assert [n.status for n in notes] == ["final"]
    assert [a for a, _ in actions(w) if a.startswith("observation-")][-2:] == [
        "observation-share", "observation-unshare"]  # fmt: skip
    nobody = observe(w, w.incident_b, dt.datetime(2027, 1, 6), None)
    with pytest.raises(DomainError, match="names no officer"):
        observations.share_observation(tip, nobody.id, actor="Tia")


def test_a_ppn1_review_shared_then_taken_back_and_its_text_set_are_audited(w):
    tip, officer = w.as_("tip"), w.as_("officer1")
    made = review_ppn1(w, w.incident_a, w.officer1.user_id)
    shared = ppn1.share_review(tip, made.id, actor="Tia")
    assert shared.status == "shared" and shared.shared_at is not None
    assert [r.id for r in ppn1.list_reviews(officer)] == [made.id]
    back = ppn1.share_review(tip, made.id, actor="Tia", shared=False)
    assert (back.status, back.shared_at) == ("draft", None)
    assert ppn1.list_reviews(officer) == []
    changed = ppn1.update_review(tip, made.id, actor="Tia", ppn1_text="A child at the door")
    assert changed.has_text and changed.strengths == ""
    cleared = ppn1.update_review(tip, made.id, actor="Tia", ppn1_text="")
    assert not cleared.has_text
    logged = [(a, d) for a, d in actions(w) if a.startswith("ppn1-")]
    assert logged[-4:] == [("ppn1-review-share", {}), ("ppn1-review-unshare", {}),
                           ("ppn1-text-set", {"chars": 19}),
                           ("ppn1-text-set", {"chars": 0})]  # fmt: skip
    with pytest.raises(NotFoundError, match="no PPN1 review with id 999"):
        ppn1.share_review(tip, 999, actor="Tia")


def test_a_session_is_changed_reindexed_and_the_change_audited(w):
    tip = w.as_("tip")
    made = sessions.create_session(tip, held_on=dt.date(2027, 1, 20),
                                   attendee_ids=[w.officer1.user_id], actor="t",
                                   went_well="Calm tone")  # fmt: skip
    changed = sessions.update_session(
        tip,
        made.id,
        actor="Tia",
        went_well="Patient questions",
        held_on=dt.date(2027, 1, 21),
        incident_ids=[w.incident_b],
    )
    assert (changed.went_well, changed.held_on) == ("Patient questions", dt.date(2027, 1, 21))
    assert [t.incident_id for t in changed.topics] == [w.incident_b]
    assert found(tip, "patient") == {("session", made.id)} and found(tip, "calm") == set()
    assert ("session-change", {}) in actions(w)
    with pytest.raises(NotFoundError, match="no practice session with id 999"):
        sessions.update_session(tip, 999, actor="Tia", went_well="x")


def test_records_are_listed_newest_first_and_by_incident(w):
    tip = w.as_("tip")
    first = observe(w, w.incident_b, dt.datetime(2027, 1, 5), w.officer2.user_id)
    second = observe(w, w.incident_a, dt.datetime(2027, 1, 7), w.officer1.user_id)
    third = observe(w, w.incident_b, dt.datetime(2027, 1, 6), None)
    assert [o.id for o in observations.list_observations(tip)] == [second.id, third.id, first.id]
    listed = observations.list_observations(tip, incident_id=w.incident_b)
    assert [o.id for o in listed] == [third.id, first.id]
    a, b = (
        review_ppn1(w, w.incident_a, w.officer1.user_id),
        review_ppn1(w, w.incident_b, w.officer2.user_id),
    )
    assert [r.id for r in ppn1.list_reviews(tip)] == [b.id, a.id]  # newest first
    assert [r.id for r in ppn1.list_reviews(tip, incident_id=w.incident_a)] == [a.id]
    held = [sessions.create_session(tip, held_on=day, attendee_ids=[w.officer1.user_id],
                                    actor="t") for day in (dt.date(2027, 1, 2),
                                                           dt.date(2027, 1, 9))]  # fmt: skip
    assert [s.id for s in sessions.list_sessions(tip)] == [held[1].id, held[0].id]


def test_a_record_names_its_incident_and_officer_and_links_them(w):
    tip = w.as_("tip")
    made = observe(w, w.incident_b, dt.datetime(2027, 1, 5), w.officer1.user_id)
    assert (made.incident_reference, made.incident_type) == ("INC-B", "stop_and_search")
    assert (made.officer_name, made.officer_collar) == ("PC One", "1001")
    unnamed = observe(w, w.incident_b, dt.datetime(2027, 1, 5), None)
    assert (unnamed.officer_id, unnamed.officer_name, unnamed.officer_collar) == (None,) * 3
    listed = {i.reference: i.officers for i in incidents.list_incidents(tip)}
    assert "1001" in listed["INC-B"]  # observed there, so one of its officers
    reviewed = review_ppn1(w, w.incident_b, w.officer2.user_id)
    assert (reviewed.officer_name, reviewed.incident_reference) == ("PC Two", "INC-B")
    link_events = [d for a, d in actions(w) if a == "link-officer"]
    assert {"user": w.officer1.user_id} in link_events
    for not_an_officer in (w.tip.user_id, 999):
        with pytest.raises(NotFoundError, match=f"no officer with id {not_an_officer}"):
            observe(w, w.incident_b, dt.datetime(2027, 1, 5), not_an_officer)
        with pytest.raises(NotFoundError, match=f"no officer with id {not_an_officer}"):
            review_ppn1(w, w.incident_b, not_an_officer)
        with pytest.raises(NotFoundError, match=f"no officer with id {not_an_officer}"):
            incidents.create_incident(tip, f"INC-{not_an_officer}", incident_type=None,
                                      known_types=w.types, actor="t",
                                      officer_ids=[not_an_officer])  # fmt: skip


def test_a_record_keeps_the_words_of_the_points_it_was_made_from(w):
    template = w.templates.for_incident_type("stop_and_search")
    made = observations.create_observation(
        w.as_("tip"), incident_id=w.incident_b, template=template, template_version="1",
        actor="t")  # fmt: skip
    assert [(c.position, c.point_key, c.label, c.prompt, c.group_label, c.category_key)
            for c in made.checks] == [
        (n, p.key, p.label, p.prompt, p.group, p.category)
        for n, p in enumerate(template.points)]  # fmt: skip
    reviewed = review_ppn1(w, w.incident_a, w.officer1.user_id)
    assert [(p.position, p.point_key, p.label, p.prompt) for p in reviewed.points] == [
        (n, q.key, q.label, q.prompt) for n, q in enumerate(w.templates.ppn1_points)]  # fmt: skip
    assert any(c.prompt for c in made.checks) and any(c.category_key for c in made.checks)


def test_a_point_the_record_does_not_have_is_not_found(w):
    tip = w.as_("tip")
    made = observe(w, w.incident_b, dt.datetime(2027, 1, 5), None)
    reviewed = review_ppn1(w, w.incident_a, w.officer1.user_id)
    with pytest.raises(NotFoundError, match=f"^observation {made.id} has no point 'nope'$"):
        observations.answer_check(tip, made.id, "nope", answer="met", actor="t")
    with pytest.raises(NotFoundError, match=f"^PPN1 review {reviewed.id} has no point 'nope'$"):
        ppn1.rate_point(tip, reviewed.id, "nope", rating="met", actor="t")
    with pytest.raises(NotFoundError, match=f"^PPN1 review {reviewed.id} has no point 'nope'$"):
        ppn1.link_moment(tip, reviewed.id, "nope", w.disclosure_a, actor="t")
    key = made.checks[0].point_key
    answered = observations.answer_check(tip, made.id, key, answer="partly", actor="t", note="n")
    assert (answered.point_key, answered.answer, answered.note) == (key, "partly", "n")
