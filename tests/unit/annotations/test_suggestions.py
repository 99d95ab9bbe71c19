"""Stored suggestions: generated from the current transcript, decided by a person, counted."""

import sqlite3

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select

from bwvreview.annotations import review
from bwvreview.annotations.audit import verify_chain
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.cues import suggestions
from bwvreview.annotations.cues.lexicon import load_lexicon
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import _alembic_config, open_database, sqlite_url
from bwvreview.bundled import resource_path

CODEBOOK = load_codebook(resource_path("codebook.yaml"))
LEXICON = load_lexicon(resource_path("cues.yaml"), CODEBOOK)
CODEBOOK_ID: dict[str, int] = {}


def segment(start_ms, speaker, text, step_ms=300):
    words = tuple(
        NewWord(start_ms + i * step_ms, start_ms + (i + 1) * step_ms, f" {word}", 0.9)
        for i, word in enumerate(text.split())
    )
    return NewSegment(start_ms, words[-1].end_ms, text, speaker, words)


SCRIPT = [
    segment(1000, "wearer", "Okay, calm down. Sit down."),
    segment(4000, "other", "Calm down yourself!"),
    segment(6000, "wearer", "Are you hurt?"),
]


@pytest.fixture
def db(db):
    """The shared two-engine database (tests/conftest.py) with recording 1."""
    database = db
    with database.begin() as session:
        session.add(models.Recording(path="x.mp4", sha256="a" * 64, size_bytes=1,
                                     duration_ms=60_000))  # fmt: skip
        CODEBOOK_ID[database.url] = store_codebook(session, CODEBOOK)
    return database


def transcribe(db, script=SCRIPT):
    return transcripts.store_transcript(db, 1, script, model="tiny.en", device="cpu",
                                        compute_type="int8", language="en",
                                        speaker_confidence=None, actor="tip")  # fmt: skip


def generate(db):
    return suggestions.generate_suggestions(db, LEXICON, 1, actor="tip")


def test_generated_suggestions_carry_span_words_and_cue(db):
    transcript = transcribe(db)
    made = generate(db)
    assert [(s.category_key, s.quote, s.speaker) for s in made] == [
        ("triggering_language", "calm down.", "wearer"),
        ("missed_choice", "Sit down.", "wearer"),
        ("safety_check", "Are you hurt?", "wearer"),
    ]  # the member of the public's "Calm down yourself!" is not the officer's language
    calm = made[0]
    words = transcript.segments[0].words
    assert (calm.start_ms, calm.end_ms) == (words[1].start_ms, words[2].end_ms)
    assert (calm.first_word_id, calm.last_word_id) == (words[1].id, words[2].id)
    assert (calm.cue_id, calm.precision, calm.state, calm.transcript_id) == (
        "calm_down_order", "high", "pending", transcript.id
    )  # fmt: skip
    assert suggestions.list_suggestions(db, 1) == made


def test_generating_again_is_idempotent(db):
    transcribe(db)
    first = generate(db)
    assert generate(db) == first
    with db.begin() as session:
        assert len(session.scalars(select(models.Suggestion)).all()) == len(first)
        suggest_events = session.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "suggest")
        ).all()
    assert len(suggest_events) == 1  # the second run changed nothing, so logged nothing


def test_a_plan_reads_only_and_storing_it_matches_generating(db):
    transcript = transcribe(db)
    plan = suggestions.plan_suggestions(db, LEXICON, 1, transcript)  # the caller's transcript
    assert [c.category for c in plan.new] == [
        "triggering_language", "missed_choice", "safety_check"
    ]  # fmt: skip
    assert suggestions.list_suggestions(db, 1) == []  # nothing written yet
    stored = suggestions.store_suggestions(db, LEXICON, plan, actor="tip")
    assert stored == suggestions.list_suggestions(db, 1)
    again = suggestions.plan_suggestions(db, LEXICON, 1, transcript)
    assert not again.changes and list(again.stored) == stored
    assert suggestions.store_suggestions(db, LEXICON, plan, actor="tip") == stored  # not twice


def test_a_plan_for_a_replaced_transcript_stores_nothing(db):
    old = transcribe(db)
    plan = suggestions.plan_suggestions(db, LEXICON, 1, old)
    transcribe(db)
    assert suggestions.store_suggestions(db, LEXICON, plan, actor="tip") == []
    with pytest.raises(DomainError, match="not of recording 2"):
        suggestions.plan_suggestions(db, LEXICON, 2, old)


def test_a_decision_can_be_taken_back(db):
    transcribe(db)
    calm, sit, _hurt = generate(db)
    suggestions.reject_suggestion(db, calm.id, actor="tip")
    assert suggestions.reopen_suggestion(db, calm.id, actor="tip").state == "pending"
    _decided, made = suggestions.accept_suggestion(db, sit.id, codebook_id=CODEBOOK_ID[db.url],
                                                   actor="tip")  # fmt: skip
    review.delete_annotation(db, made.id, actor="tip")
    back = suggestions.reopen_suggestion(db, sit.id, actor="tip")
    assert (back.state, back.annotation_id, back.decided_at) == ("pending", None, None)
    with pytest.raises(suggestions.SuggestionDecidedError, match="is not decided"):
        suggestions.reopen_suggestion(db, sit.id, actor="tip")
    assert [s.state for s in generate(db)] == ["pending"] * 3
    stats = {s.cue_id: s for s in suggestions.cue_statistics(db)}
    assert stats["calm_down_order"].pending == 1 and stats["calm_down_order"].rejected == 0


def test_a_rejected_span_is_never_suggested_again_even_after_retranscribing(db):
    transcribe(db)
    calm = generate(db)[0]
    rejected = suggestions.reject_suggestion(db, calm.id, actor="tip")
    assert rejected.state == "rejected" and rejected.decided_at is not None
    assert [s.category_key for s in generate(db)].count("triggering_language") == 1  # the old row
    transcribe(db)  # a new current transcript: same words, new ids
    again = generate(db)
    assert "triggering_language" not in {s.category_key for s in again}
    assert {s.category_key for s in again} == {"missed_choice", "safety_check"}
    assert suggestions.list_suggestions(db, 1, states=["rejected"]) == []  # old transcript's


def test_pending_suggestions_of_an_older_transcript_are_replaced(db):
    transcribe(db)
    generate(db)
    transcribe(db, [segment(1000, "wearer", "Take your time.")])
    assert [s.category_key for s in generate(db)] == ["gave_time"]
    with db.begin() as session:
        assert len(session.scalars(select(models.Suggestion)).all()) == 1


def test_accepting_makes_a_draft_cue_annotation_with_the_quote_and_words(db):
    transcribe(db)
    sit = generate(db)[1]
    decided, annotation = suggestions.accept_suggestion(
        db, sit.id, codebook_id=CODEBOOK_ID[db.url], actor="tip", note="a seat could be offered"
    )
    assert decided.state == "accepted" and decided.annotation_id == annotation.id
    assert (annotation.source, annotation.status, annotation.category_key) == (
        "cue", "draft", "missed_choice"
    )  # fmt: skip
    assert (annotation.start_ms, annotation.end_ms, annotation.quote) == (
        sit.start_ms, sit.end_ms, sit.quote
    )  # fmt: skip
    assert (annotation.first_word_id, annotation.last_word_id) == (
        sit.first_word_id, sit.last_word_id
    )  # fmt: skip
    assert review.list_annotations(db, 1) == [annotation]
    with pytest.raises(suggestions.SuggestionDecidedError, match="already accepted"):
        suggestions.reject_suggestion(db, sit.id, actor="tip")
    with pytest.raises(suggestions.SuggestionDecidedError):
        suggestions.accept_suggestion(db, sit.id, codebook_id=CODEBOOK_ID[db.url], actor="tip")
    assert len(review.list_annotations(db, 1)) == 1


def test_every_decision_is_audited_without_transcript_text(db):
    transcribe(db)
    made = generate(db)
    suggestions.reject_suggestion(db, made[0].id, actor="tip")
    suggestions.accept_suggestion(db, made[2].id, codebook_id=CODEBOOK_ID[db.url], actor="tip")
    with db.begin() as session:
        events = session.scalars(select(models.AuditEvent).order_by(models.AuditEvent.id)).all()
        # the review status moving on (in review) is audited too, between the decisions
        decisions = [e.action for e in events if e.action != "status-change"]
        assert decisions[-4:] == [
            "suggest", "suggestion-reject", "annotate", "suggestion-accept"
        ]  # fmt: skip
        said = [s.quote.lower().strip(".?!") for s in made]
        assert not [e for e in events for q in said if q in str(e.details).lower()]
        assert verify_chain(session).ok


def test_cue_statistics_are_counted_from_the_rows(db):
    transcribe(db)
    made = generate(db)
    suggestions.reject_suggestion(db, made[0].id, actor="tip")
    suggestions.accept_suggestion(db, made[2].id, codebook_id=CODEBOOK_ID[db.url], actor="tip")
    stats = {s.cue_id: s for s in suggestions.cue_statistics(db)}
    assert (stats["calm_down_order"].rejected, stats["calm_down_order"].acceptance) == (1, 0.0)
    assert (stats["are_you_hurt"].accepted, stats["are_you_hurt"].acceptance) == (1, 1.0)
    assert (stats["move_directive"].pending, stats["move_directive"].acceptance) == (1, None)
    assert stats["move_directive"].category_key == "missed_choice"
    assert suggestions.cue_statistics(db, recording_id=99) == []


def test_bad_requests_are_clear_errors(db):
    with pytest.raises(DomainError, match="no transcript yet"):
        generate(db)
    with pytest.raises(NotFoundError, match="no recording with id 7"):
        suggestions.generate_suggestions(db, LEXICON, 7, actor="tip")
    with pytest.raises(NotFoundError, match="no suggestion with id 5"):
        suggestions.reject_suggestion(db, 5, actor="tip")
    with pytest.raises(DomainError, match="unknown suggestion state"):
        suggestions.list_suggestions(db, 1, states=["maybe"])
    assert suggestions.list_suggestions(db, 1) == []


def test_the_migration_upgrades_an_existing_baseline_database(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = create_engine(sqlite_url(path))
    command.upgrade(_alembic_config(engine), "0001_baseline")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into recordings (id, path, sha256, size_bytes, duration_ms, "
            "variable_frame_rate, rotation, container, audio_channels, has_audio, imported_at, "
            "status) values (1, 'x.mp4', 'b', 1, 1000, 0, 0, '', 1, 1, '2026-01-01', 'new')"
        )
    assert "suggestions" not in inspect(engine).get_table_names()
    engine.dispose()
    db = open_database(sqlite_url(path))
    try:
        assert "suggestions" in inspect(db.engine).get_table_names()
        with db.begin() as session:
            assert session.get(models.Recording, 1).path == "x.mp4"  # data kept
        transcribe(db)
        assert generate(db)
    finally:
        db.close()
    assert list(tmp_path.glob("old.sqlite3.before-0001_baseline-*.bak"))  # backed up first
    raw = sqlite3.connect(path)
    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    assert raw.execute("select version_num from alembic_version").fetchone() == (head,)
    raw.close()
