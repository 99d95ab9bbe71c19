"""Observations, PPN1 reviews and reflective practice sessions, on both engines: what a TIP
records, what the officer sees once it is shared, what search and the dashboard count."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bwvreview.annotations import review, search
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.learning import insights
from bwvreview.annotations.practice import follow_ups, incidents, observations, ppn1, sessions
from bwvreview.annotations.store import models
from tests.unit.annotations.practice_world import PracticeWorld, build_world

PPN1_TEXT = "Child Amelia Stone, 7, of 14 Mill Lane, said she hides under the bed when they shout."


@pytest.fixture
def w(db) -> PracticeWorld:  # on SQLite and on PostgreSQL (see tests/conftest.py)
    return build_world(db)


def stop_and_search(w: PracticeWorld) -> observations.Observation:
    template = w.templates.for_incident_type("stop_and_search")
    return observations.create_observation(
        w.as_("tip"), incident_id=w.incident_b, template=template,
        template_version=w.templates.version, actor="Tia TIP", officer_id=w.officer2.user_id,
        context="Stop in a busy street at dusk",
    )  # fmt: skip


def review_of_a(w: PracticeWorld, text: str = PPN1_TEXT) -> ppn1.Ppn1Review:
    return ppn1.create_review(w.as_("tip"), incident_id=w.incident_a,
                              officer_id=w.officer1.user_id, points=w.templates.ppn1_points,
                              points_version=w.templates.version, actor="Tia TIP",
                              ppn1_text=text)  # fmt: skip


def actions(w: PracticeWorld) -> list[tuple[str, dict]]:
    return [(e.action, e.details) for e in audit_log.list_events(w.db, limit=500).entries]


# --- incidents ------------------------------------------------------------------------------


def test_an_incident_has_a_type_from_the_codebook_and_counts_its_sources(w):
    tip = w.as_("tip")
    made = incidents.create_incident(tip, "INC-C", incident_type="custody_booking_in",
                                     known_types=w.types, actor="Tia TIP",
                                     officer_ids=[w.officer2.user_id])  # fmt: skip
    assert (made.incident_type, made.officers) == ("custody_booking_in", ("1002",))
    with pytest.raises(DomainError, match="no incident type 'burglary'"):
        incidents.set_incident_type(tip, made.id, "burglary", known_types=w.types, actor="t")
    with pytest.raises(DomainError, match="already an incident"):
        incidents.create_incident(tip, "INC-C", incident_type=None, known_types=w.types,
                                  actor="t")  # fmt: skip
    changed = incidents.set_incident_type(tip, made.id, "mental_health", known_types=w.types,
                                          actor="Tia TIP")  # fmt: skip
    assert changed.incident_type == "mental_health"
    assert ("incident-type", {"from": "custody_booking_in", "to": "mental_health"}) in actions(w)
    stop_and_search(w)
    review_of_a(w)
    by_ref = {i.reference: i for i in incidents.list_incidents(tip)}
    assert (by_ref["INC-A"].recordings, by_ref["INC-A"].ppn1_reviews) == (1, 1)
    assert (by_ref["INC-B"].recordings, by_ref["INC-B"].observations) == (0, 1)
    assert [i.reference for i in incidents.list_incidents(tip, incident_type="domestic")] == [
        "INC-A"]  # fmt: skip
    codes = {m.category_key for m in incidents.incident_moments(tip, w.incident_a)}
    assert codes == {"disclosure", "children_overlooked"}


# --- observations ---------------------------------------------------------------------------


def test_a_stop_and_search_observation_starts_from_its_template(w):
    made = stop_and_search(w)
    groups = list(dict.fromkeys(c.group_label for c in made.checks))
    assert groups == ["What the person must be told (GOWISELY)", "Trauma-informed practice"]
    keys = [c.point_key for c in made.checks]
    assert keys[:8] == ["grounds", "object", "warrant_card", "identity", "station",
                        "entitlement", "legal_power", "detained"]  # fmt: skip
    assert {"explained", "choice", "privacy", "understanding", "closure"} <= set(keys)
    assert made.template_key == "stop_and_search" and made.template_version == "2027.1"
    assert made.status == "draft" and made.notes == ()


def test_notes_are_coded_annotations_of_the_observation_and_not_of_a_recording(w):
    tip = w.as_("tip")
    made = stop_and_search(w)
    first = observations.add_note(tip, made.id, at_ms=65_000, text="Gave grounds clearly",
                                  codebook_id=w.codebook_id, actor="Tia TIP")  # fmt: skip
    second = observations.add_note(tip, made.id, at_ms=12_000, text="Searched in full view",
                                   codebook_id=w.codebook_id, actor="Tia TIP")  # fmt: skip
    assert first.category_key == "note"  # uncoded until the TIP codes it
    observations.update_note(tip, first.id, category_key="explained_action",
                             codebook_id=w.codebook_id, actor="Tia TIP")  # fmt: skip
    observations.update_note(tip, second.id, category_key="privacy_breach",
                             codebook_id=w.codebook_id, actor="Tia TIP")  # fmt: skip
    notes = observations.get_observation(tip, made.id).notes
    assert [(n.at_ms, n.category_key, n.polarity) for n in notes] == [
        (12_000, "privacy_breach", "concern"), (65_000, "explained_action", "good_practice")]
    with tip.begin() as session:
        rows = session.scalars(select(models.Annotation).where(
            models.Annotation.observation_id == made.id)).all()  # fmt: skip
        assert {r.recording_id for r in rows} == {None}
    assert all(a.id not in (first.id, second.id)
               for a in review.list_annotations(tip, w.recording_a))  # fmt: skip
    with pytest.raises(DomainError, match="no category"):
        observations.update_note(tip, first.id, category_key="nonsense",
                                 codebook_id=w.codebook_id, actor="t")  # fmt: skip
    with pytest.raises(DomainError, match="24 hours"):
        observations.add_note(tip, made.id, at_ms=-1, text="x", codebook_id=w.codebook_id,
                              actor="t")  # fmt: skip
    gone = observations.delete_note(tip, second.id, actor="Tia TIP")
    assert gone.id == second.id
    assert len(observations.get_observation(tip, made.id).notes) == 1


def test_the_officer_sees_an_observation_of_them_only_once_it_is_shared(w):
    made = stop_and_search(w)
    tip = w.as_("tip")
    observations.answer_check(tip, made.id, "grounds", answer="met", actor="Tia TIP",
                              note="Clear and specific")  # fmt: skip
    observations.answer_check(tip, made.id, "warrant_card", answer="not_applicable", actor="t")
    with pytest.raises(DomainError, match="answer is one of"):
        observations.answer_check(tip, made.id, "grounds", answer="maybe", actor="t")
    with pytest.raises(NotFoundError):
        observations.get_observation(w.as_("officer2"), made.id)
    assert observations.list_observations(w.as_("officer2")) == []
    observations.share_observation(tip, made.id, actor="Tia TIP")
    seen = observations.get_observation(w.as_("officer2"), made.id)
    answers = {c.point_key: (c.answer, c.note) for c in seen.checks}
    assert answers["grounds"] == ("met", "Clear and specific")
    for other in ("officer1", "trainer"):
        assert observations.list_observations(w.as_(other)) == []
        with pytest.raises(NotFoundError):
            observations.get_observation(w.as_(other), made.id)
    assert ("observation-share", {}) in actions(w)


# --- PPN1 reviews ---------------------------------------------------------------------------


def test_a_ppn1_review_rates_each_quality_point_and_links_recording_moments(w):
    made = review_of_a(w)
    tip = w.as_("tip")
    assert [p.point_key for p in made.points] == ["voice", "risk_history", "household",
                                                  "language", "consent", "referral"]  # fmt: skip
    ppn1.rate_point(tip, made.id, "voice", rating="met", actor="t",
                    note="Her own words are recorded")  # fmt: skip
    ppn1.rate_point(tip, made.id, "household", rating="not", actor="t",
                    note="The baby was not listed",
                    suggested_wording="List everyone who lives there, children first.")  # fmt: skip
    point = ppn1.link_moment(tip, made.id, "voice", w.disclosure_a, actor="t")
    assert [m.annotation_id for m in point.moments] == [w.disclosure_a]
    with pytest.raises(DomainError, match="rating is one of"):
        ppn1.rate_point(tip, made.id, "voice", rating="great", actor="t")
    other = observations.add_note(tip, stop_and_search(w).id, at_ms=0, text="x",
                                  codebook_id=w.codebook_id, actor="t")  # fmt: skip
    with pytest.raises(NotFoundError, match="this incident's recordings"):
        ppn1.link_moment(tip, made.id, "voice", other.id, actor="t")
    ppn1.update_review(tip, made.id, strengths="Quick and thorough", actor="t")
    review_now = ppn1.get_review(tip, made.id)
    ordered = [(p.point_key, p.rating) for p in review_now.ordered_for_officer()][:2]
    assert ordered == [("voice", "met"), ("household", "not")]  # strengths first


def test_the_pasted_ppn1_is_never_in_json_or_the_log_and_reading_it_is_audited(w):
    made = review_of_a(w)
    data = str(made.to_json())
    assert "Amelia" not in data and made.to_json()["has_ppn1_text"] is True
    text = ppn1.read_ppn1_text(w.as_("tip"), made.id, actor="Tia TIP")
    assert text == PPN1_TEXT
    logged = actions(w)
    assert "Amelia" not in str(logged)
    assert ("ppn1-text-read", {"chars": len(PPN1_TEXT)}) in logged


def test_the_officer_reads_a_shared_review_of_their_own_ppn1_only(w):
    made = review_of_a(w)
    with pytest.raises(NotFoundError):
        ppn1.get_review(w.as_("officer1"), made.id)
    ppn1.share_review(w.as_("tip"), made.id, actor="Tia TIP")
    assert [r.id for r in ppn1.list_reviews(w.as_("officer1"))] == [made.id]
    for other in ("officer2", "trainer"):
        assert ppn1.list_reviews(w.as_(other)) == []
        with pytest.raises(NotFoundError):
            ppn1.read_ppn1_text(w.as_(other), made.id, actor="x")


# --- sessions -------------------------------------------------------------------------------


def debrief(w: PracticeWorld, **extra) -> sessions.PracticeSession:
    return sessions.create_session(
        w.as_("tip"), held_on=dt.date(2027, 1, 20), attendee_ids=[w.officer1.user_id],
        actor="Tia TIP", started_from="debrief", went_well="Calm tone throughout",
        annotation_ids=[w.disclosure_a],
        learning_points=["Slow down after a disclosure", "Name the children in the PPN1"],
        **extra,
    )  # fmt: skip


def test_a_debrief_records_learning_points_and_a_follow_up_listed_until_done(w):
    made = debrief(w)
    assert (made.kind, made.started_from) == ("individual", "debrief")
    assert [e.text for e in made.learning_points] == ["Slow down after a disclosure",
                                                      "Name the children in the PPN1"]  # fmt: skip
    assert made.topics[0].incident_reference == "INC-A" and made.topics[0].note
    tip = w.as_("tip")
    follow = follow_ups.add_follow_up(tip, made.id, "Read the PPN1 guidance",
                                    owner_id=w.officer1.user_id, due_on=dt.date(2027, 2, 1),
                                    actor="Tia TIP")  # fmt: skip
    assert follow.owner_name == "PC One"
    assert [f.id for f in follow_ups.list_follow_ups(tip)] == [follow.id]
    with pytest.raises(NotFoundError):
        follow_ups.complete_follow_up(w.as_("officer2"), follow.id, actor="PC Two")
    follow_ups.complete_follow_up(w.as_("officer1"), follow.id, actor="PC One")
    assert follow_ups.list_follow_ups(tip) == []
    assert [f.done_by for f in follow_ups.list_follow_ups(tip, open_only=False)] == ["PC One"]


def test_the_officer_reads_and_adds_to_their_own_sessions_only(w):
    made = debrief(w)
    mine = w.as_("officer1")
    assert [s.id for s in sessions.list_sessions(mine)] == [made.id]
    note = sessions.add_session_note(mine, made.id, "I will try it at the next job", actor="PC")
    assert sessions.get_session(mine, made.id).notes == (note,)
    with pytest.raises(NotFoundError):
        sessions.add_session_note(w.as_("officer2"), made.id, "x", actor="PC Two")
    with pytest.raises(NotFoundError):
        sessions.get_session(w.as_("officer2"), made.id)
    assert sessions.list_sessions(w.as_("trainer")) == []
    for refused in (lambda db: sessions.add_learning_point(db, made.id, "x", actor="o"),
                    lambda db: follow_ups.add_follow_up(db, made.id, "x", owner_name="o",
                                                      actor="o")):  # fmt: skip
        with pytest.raises(DomainError):
            refused(mine)


def test_a_team_session_shows_de_personalised_material_only(w):
    made = sessions.create_session(
        w.as_("tip"), held_on=dt.date(2027, 1, 21), attendee_ids=[w.officer1.user_id,
        w.officer2.user_id], team="Response B", actor="Tia TIP", annotation_ids=[w.disclosure_a],
        incident_ids=[w.incident_b],
    )  # fmt: skip
    assert made.kind == "team" and made.depersonalised
    incident, moment = made.topics  # incidents first, then moments
    assert moment.incident_reference is None and moment.note == ""
    assert moment.category_label == "Disclosure (ACEs, harm)"
    assert (incident.incident_reference, incident.incident_type) == (None, "stop_and_search")
    assert "INC-" not in str(made.to_json())
    with pytest.raises(DomainError, match="at least one officer"):
        sessions.create_session(w.as_("tip"), held_on=dt.date(2027, 1, 1), attendee_ids=[],
                                actor="t")  # fmt: skip


# --- search and the dashboard ---------------------------------------------------------------


def test_practice_records_are_found_by_those_who_may_read_them(w):
    made = stop_and_search(w)
    tip = w.as_("tip")
    observations.add_note(tip, made.id, at_ms=1000, text="Explained the grounds patiently",
                          codebook_id=w.codebook_id, actor="t")  # fmt: skip
    review = review_of_a(w)
    held = debrief(w)

    def found(db, query):
        return {(h.record, h.record_id, h.in_ppn1_text)
                for h in search.search(db, query, kinds=(search.PRACTICE,))}  # fmt: skip

    assert found(tip, "patiently") == {("observation", made.id, False)}
    assert found(tip, "hides") == {("ppn1", review.id, True)}
    assert found(tip, "disclosure") == {("session", held.id, False)}
    assert found(w.as_("officer2"), "patiently") == set()  # not shared yet
    observations.share_observation(tip, made.id, actor="t")
    assert found(w.as_("officer2"), "patiently") == {("observation", made.id, False)}
    assert found(w.as_("officer1"), "hides") == set()  # the review is not shared yet
    ppn1.share_review(tip, review.id, actor="t")
    assert found(w.as_("officer1"), "hides") == {("ppn1", review.id, True)}
    for nobody in ("trainer", "officer2"):
        assert found(w.as_(nobody), "hides OR slow") == set()
    assert found(w.as_("officer1"), "slow") == {("session", held.id, False)}  # they were there
    hits = search.search(tip, "patiently")  # the default kinds: only hits on a recording
    assert all(h.kind != search.PRACTICE for h in hits)
    assert search.search(tip, "patiently", kinds=(search.PRACTICE,))[0].to_json()["record"] == (
        "observation")  # fmt: skip


def test_the_dashboard_counts_by_incident_type_never_by_officer(w):
    made = stop_and_search(w)
    tip = w.as_("tip")
    note = observations.add_note(tip, made.id, at_ms=1000, text="Gave grounds",
                                 codebook_id=w.codebook_id, actor="t")  # fmt: skip
    observations.update_note(tip, note.id, category_key="explained_action",
                             codebook_id=w.codebook_id, actor="t")  # fmt: skip
    observations.answer_check(tip, made.id, "grounds", answer="met", actor="t")
    observations.answer_check(tip, made.id, "privacy", answer="partly", actor="t")
    review = review_of_a(w)
    ppn1.rate_point(tip, review.id, "household", rating="not", actor="t")
    debrief(w)
    counts = {c.incident_type: c for c in insights.by_incident_type(w.as_("trainer"))}
    stop, domestic = counts["stop_and_search"], counts["domestic"]
    assert (stop.observations, stop.good_practice, stop.points_met, stop.points_partly) == (
        1, 1, 1, 1)  # fmt: skip
    assert (domestic.ppn1_reviews, domestic.sessions, domestic.points_not) == (1, 1, 1)
    assert domestic.concerns == 0  # the disclosure is context; the draft is not counted
    assert "officer" not in str(stop.to_json()).lower()
    chart = insights.insights(tip)  # the chart by principle counts the coded note too
    assert [(c.key, c.count) for c in chart.by_category] == [("explained_action", 1)]
    later = insights.by_incident_type(tip, date_from=dt.date(2099, 1, 1))
    assert later == ()
    with pytest.raises(DomainError):
        insights.by_incident_type(w.as_("officer1"))


def test_the_outcomes_report_counts_practice_records_and_observed_moments(w):
    from bwvreview.annotations.programme import outcomes
    from bwvreview.annotations.programme.practice import SOURCES

    made = stop_and_search(w)
    tip = w.as_("tip")
    note = observations.add_note(tip, made.id, at_ms=1000, text="Gave grounds",
                                 codebook_id=w.codebook_id, actor="t")  # fmt: skip
    observations.update_note(tip, note.id, category_key="explained_action",
                             codebook_id=w.codebook_id, actor="t")  # fmt: skip
    review_of_a(w)
    debrief(w)
    observed = dict((s.key, s) for s in SOURCES)["observations"]
    with w.db.begin() as session:
        moments = list(observed.moments(session))
        period = outcomes.Period(dt.date(2020, 1, 1), dt.date(2099, 12, 31))
        counted = {label: f(session, period) for label, f in outcomes.ACTIVITY if f}
    assert [(m.incident_id, m.category_key, m.polarity) for m in moments] == [
        (w.incident_b, "explained_action", "good_practice")]  # fmt: skip
    assert (counted["Observations"], counted["PPN1 reviews"],
            counted["Debriefs (reflective practice sessions)"]) == (1, 1, 1)  # fmt: skip
