"""Migration 0012 on a library made before it, on both engines: every annotation keeps its
recording, id, version and what hangs off it (reflections, suggestions, clips), search still
finds the notes, and a note can now belong to an observation instead of a recording."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, insert, select, text
from sqlalchemy.exc import IntegrityError

from bwvreview.annotations import review, search
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import (
    _alembic_config,
    check_integrity,
    open_database,
)
from tests.unit.annotations.old_library import engine_as_opened

BEFORE = "0011_programme"  # the revision before 0012_practice


def _add(conn, table_model, /, **values) -> int:
    # The table as the old schema has it, not as today's model does: later migrations add
    # columns (with their own defaults) that the old library must not be asked for.
    table = Table(table_model.__tablename__, MetaData(), autoload_with=conn)
    for column in table_model.__table__.columns:  # the model's own defaults, where they apply
        default = column.default
        if column.name in table.c and column.name not in values and default is not None:
            values[column.name] = default.arg(None) if default.is_callable else default.arg
    return conn.execute(insert(table).values(**values)).inserted_primary_key[0]


def _old_library(url: str) -> dict[str, int]:
    """A library made before 0012_practice: a recording with two annotations (one shared
    with a reflection on it, one accepted from a suggestion and cut into a clip in a pack)."""
    engine = engine_as_opened(url)
    command.upgrade(_alembic_config(engine), BEFORE)
    with engine.begin() as conn:
        cb = _add(conn, models.CodebookVersion, version="old", sha256="s" * 64, principles=[])
        category = _add(conn, models.CodebookCategory, codebook_id=cb, key="missed_choice",
                        label="Missed choice", principles=["choice"], polarity="concern",
                        definition="")  # fmt: skip
        incident = _add(conn, models.Incident, reference="INC-OLD", description="",
                        people_places=[])  # fmt: skip
        recording = _add(conn, models.Recording, incident_id=incident, path="old.mp4",
                         sha256="b" * 64, size_bytes=1, duration_ms=60_000, container="",
                         audio_channels=1, has_audio=True, variable_frame_rate=False,
                         rotation=0, status="in_review")  # fmt: skip
        transcript = _add(conn, models.Transcript, recording_id=recording, model="m",
                          device="cpu", compute_type="", language="en", state="complete",
                          is_current=True)  # fmt: skip

        def annotate(note: str, status: str, version: int) -> int:
            return _add(conn, models.Annotation, recording_id=recording, category_id=category,
                        start_ms=1000, end_ms=2000, note=note, quote="sit down",
                        suggested_wording="", status=status, source="human",
                        version=version)  # fmt: skip

        shared = annotate("no seat was offered", "shared", 3)
        accepted = annotate("an order to move", "final", 1)
        _add(conn, models.Reflection, annotation_id=shared, incident_id=incident,
             text="I would ask next time", consent_to_share=True)  # fmt: skip
        _add(conn, models.Suggestion, recording_id=recording, transcript_id=transcript,
             category_key="missed_choice", cue_id="c1", start_ms=1000, end_ms=2000,
             state="accepted", annotation_id=accepted)  # fmt: skip
        clip = _add(conn, models.Clip, recording_id=recording, annotation_id=accepted,
                    start_ms=0, end_ms=1000, output_path="c.mp4", sha256="c" * 64, options={},
                    report={}, verified=True, source_sha256="b" * 64, in_library=True,
                    release_state="approved")  # fmt: skip
        pack = _add(conn, models.TrainingPack, title="Old pack", description="")
        _add(conn, models.TrainingPackItem, pack_id=pack, clip_id=clip, position=0,
             facilitator_notes="", prompts=[])  # fmt: skip
    engine.dispose()
    return {"recording": recording, "shared": shared, "accepted": accepted, "clip": clip,
            "incident": incident, "category": category}  # fmt: skip


def test_annotations_made_before_keep_everything_that_hangs_off_them(empty_url):
    old = _old_library(empty_url)
    db = open_database(empty_url)  # migrates to the newest schema
    try:
        notes = {a.id: a for a in review.list_annotations(db, old["recording"])}
        assert set(notes) == {old["shared"], old["accepted"]}
        assert (notes[old["shared"]].version, notes[old["shared"]].status) == (3, "shared")
        with db.begin() as session:
            reflection = session.scalars(select(models.Reflection)).one()
            assert reflection.annotation_id == old["shared"]
            assert session.scalars(select(models.Suggestion.annotation_id)).one() == old["accepted"]
            assert session.get(models.Clip, old["clip"]).annotation_id == old["accepted"]
            assert session.scalars(select(models.TrainingPackItem.clip_id)).one() == old["clip"]
            assert session.get(models.Incident, old["incident"]).incident_type is None
        hits = search.search(db, "seat", kinds=("annotation",))
        assert [h.annotation_id for h in hits] == [old["shared"]]  # the notes' index is kept
        assert check_integrity(db) == []
        # a later edit to an old note is still found by its new words
        review.update_annotation(db, old["accepted"], expected_version=1, actor="t",
                                 note="a direction given without a reason")  # fmt: skip
        assert [h.annotation_id for h in search.search(db, "reason", kinds=("annotation",))] == [
            old["accepted"]]  # fmt: skip
    finally:
        db.close()


def test_a_note_belongs_to_exactly_one_source(empty_url):
    old = _old_library(empty_url)
    db = open_database(empty_url)
    try:
        with db.begin() as session:
            observation = models.Observation(
                incident_id=old["incident"], started_at=models.utcnow(), template_key="general",
                template_version="1")  # fmt: skip
            session.add(observation)
            session.flush()
            note = models.Annotation(observation_id=observation.id, category_id=old["category"],
                                     start_ms=5, end_ms=5)  # fmt: skip
            session.add(note)
        for both_or_neither in ({"recording_id": old["recording"], "observation_id": 1}, {}):
            with pytest.raises(IntegrityError), db.begin() as session:
                session.add(models.Annotation(category_id=old["category"], start_ms=0,
                                              end_ms=0, **both_or_neither))  # fmt: skip
    finally:
        db.close()


def test_going_back_before_it_keeps_the_recordings_annotations(empty_url):
    old = _old_library(empty_url)
    open_database(empty_url).close()
    engine = engine_as_opened(empty_url)
    cfg = _alembic_config(engine)
    command.downgrade(cfg, BEFORE)
    with engine.connect() as conn:
        ids = conn.scalars(text("SELECT id FROM annotations ORDER BY id")).all()
        assert ids == sorted([old["shared"], old["accepted"]])
        assert conn.scalar(text("SELECT count(*) FROM reflections")) == 1
    command.upgrade(cfg, "head")
    engine.dispose()
