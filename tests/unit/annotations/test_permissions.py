"""Roles are enforced by the services themselves, whatever window or command calls them.

The world: officer 1 is linked to incident A (recording A), officer 2 to incident B
(recording B). Each recording has a shared and a draft annotation; recording A has a clip
in the trainers' library (cut for its shared annotation) and one that is not.

``test_every_service_function_is_checked`` finds every public function of the annotation
services that takes the database, so a new one cannot be added without saying here how an
officer and a trainer are kept out of it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

import bwvreview.annotations as annotations_pkg
from bwvreview.annotations import codebook, jobs, review, search
from bwvreview.annotations.access import PermissionDenied, Principal, users
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.cues import suggestions
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.formats import annotation_csv, elan, elan_import
from bwvreview.annotations.learning import agreement, clip_library, clips, feedback, insights, packs
from bwvreview.annotations.review import library, redactions, transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database, open_database, sqlite_url
from bwvreview.bundled import resource_path

REFUSED = (PermissionDenied, NotFoundError)


@dataclass(frozen=True)
class World:
    db: Database
    codebook_id: int
    rec_a: int
    rec_b: int
    shared_a: int
    draft_a: int
    shared_b: int
    draft_b: int
    clip_in_library: int
    clip_private: int
    transcript_b: int
    word_b: int
    segment_b: int
    incident_b: int
    reflection_b: int
    job_b: int
    officer1: Principal
    officer2: Principal
    trainer: Principal
    tip: Principal


def _recording(session, incident: models.Incident, n: int) -> int:
    row = models.Recording(path=f"r{n}.mp4", sha256=str(n) * 64, size_bytes=1,
                           duration_ms=60_000, incident=incident)  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    db = open_database(sqlite_url(tmp_path_factory.mktemp("perm") / "lib.sqlite3"))
    with db.begin() as session:
        codebook_id = store_codebook(session, load_codebook(resource_path("codebook.yaml")))
        inc_a, inc_b = models.Incident(reference="A"), models.Incident(reference="B")
        session.add_all([inc_a, inc_b])
        session.flush()
        rec_a, rec_b = _recording(session, inc_a, 1), _recording(session, inc_b, 2)
        incident_ids = (inc_a.id, inc_b.id)
    people = {
        key: users.create_user(db, name, role, collar_number=collar)
        for key, name, role, collar in [
            ("officer", "PC One", "officer", "1001"),
            ("officer2", "PC Two", "officer", "1002"),
            ("trainer", "Trainer T", "trainer", None),
            ("tip", "TIP P", "tip", None),
        ]
    }
    users.link_officer(db, incident_ids[0], people["officer"].id)
    users.link_officer(db, incident_ids[1], people["officer2"].id)

    def annotate(rec: int, status: str) -> int:
        return review.create_annotation(
            db, recording_id=rec, codebook_id=codebook_id, category_key="missed_choice",
            start_ms=1000, end_ms=2000, actor="tip", status=status, note="n",
        ).id  # fmt: skip

    ids = {(rec, s): annotate(rec, s) for rec in (rec_a, rec_b) for s in ("shared", "draft")}

    def clip(annotation: int, sha: str, verified: bool) -> int:
        new = clips.NewClip(
            recording_id=rec_a, annotation_id=annotation, start_ms=0, end_ms=1000,
            output_path=f"{sha}.mp4", sha256=sha * 64, source_sha256="1" * 64, options={},
            report={}, verified=verified,
        )  # fmt: skip
        return clips.record_clip(db, new, actor="tip").id

    in_library = clip(ids[(rec_a, "shared")], "c", verified=True)
    second = db.as_user(Principal(None, "Second TIP", "tip"))
    clips.approve_clip(second, in_library, "c" * 64)  # a second person releases it
    private = clip(ids[(rec_a, "draft")], "d", verified=False)
    words = (NewWord(0, 500, " hello", 0.9), NewWord(500, 900, " there", 0.9))
    stored = transcripts.store_transcript(
        db, rec_b, [NewSegment(0, 900, "hello there", "officer", words)], model="tiny.en",
        device="cpu", compute_type="int8", language="en", speaker_confidence=None, actor="tip",
    )  # fmt: skip
    segment = stored.segments[0]

    def principal(key: str) -> Principal:
        user = people[key]
        return Principal(user.id, user.name, user.role)

    # officer 2's reflection on their incident, and a transcription queued on their recording
    reflection = feedback.add_reflection(
        db.as_user(principal("officer2")), incident_id=incident_ids[1], text="I would slow down"
    )
    job = jobs.enqueue(db, "transcribe", rec_b, actor="tip")

    return World(
        db, codebook_id, rec_a, rec_b, ids[(rec_a, "shared")], ids[(rec_a, "draft")],
        ids[(rec_b, "shared")], ids[(rec_b, "draft")], in_library, private, stored.id,
        segment.words[0].id, segment.id, incident_ids[1], reflection.id, job.id,
        principal("officer"), principal("officer2"), principal("trainer"), principal("tip"),
    )  # fmt: skip


def as_(world: World, who: str) -> Database:
    return world.db.as_user(getattr(world, who))


# --- what an officer may read ---------------------------------------------------------


def test_an_officer_lists_only_their_own_incidents_recordings(world):
    assert [r.id for r in library.list_recordings(as_(world, "officer1"))] == [world.rec_a]
    assert [r.id for r in library.list_recordings(as_(world, "officer2"))] == [world.rec_b]


def test_an_officer_cannot_open_another_officers_recording(world):
    with pytest.raises(NotFoundError):
        library.get_recording(as_(world, "officer1"), world.rec_b)
    assert library.get_recording(as_(world, "officer1"), world.rec_a).id == world.rec_a


def test_an_officer_reads_only_shared_annotations_on_their_own_incident(world):
    officer = as_(world, "officer1")
    assert [a.id for a in review.list_annotations(officer, world.rec_a)] == [world.shared_a]
    assert review.list_annotations(officer, world.rec_b) == []
    for hidden in (world.draft_a, world.shared_b, world.draft_b):
        with pytest.raises(NotFoundError):
            review.get_annotation(officer, hidden)
    assert review.get_annotation(officer, world.shared_a).id == world.shared_a


def test_an_officer_cannot_read_another_officers_transcript(world):
    with pytest.raises(NotFoundError):
        transcripts.current_transcript(as_(world, "officer1"), world.rec_b)
    with pytest.raises(NotFoundError):
        transcripts.get_transcript(as_(world, "officer1"), world.transcript_b)
    assert transcripts.current_transcript(as_(world, "officer2"), world.rec_b) is not None


# --- what a trainer may read ----------------------------------------------------------


def test_a_trainer_cannot_open_raw_footage_or_transcripts(world):
    trainer = as_(world, "trainer")
    with pytest.raises(PermissionDenied):
        library.get_recording(trainer, world.rec_a)
    assert library.list_recordings(trainer) == []
    with pytest.raises(PermissionDenied):
        transcripts.current_transcript(trainer, world.rec_b)


def test_a_trainer_reads_library_clips_and_the_annotations_they_were_cut_for(world):
    trainer = as_(world, "trainer")
    assert [c.id for c in clips.list_clips(trainer)] == [world.clip_in_library]
    with pytest.raises(NotFoundError):
        clips.get_clip(trainer, world.clip_private)
    assert [a.id for a in review.list_annotations(trainer, world.rec_a)] == [world.shared_a]
    with pytest.raises(NotFoundError):
        review.get_annotation(trainer, world.draft_a)


def test_a_tip_reads_everything(world):
    tip = as_(world, "tip")
    assert {r.id for r in library.list_recordings(tip)} == {world.rec_a, world.rec_b}
    assert len(review.list_annotations(tip, world.rec_a)) == 2
    assert len(clips.list_clips(tip)) == 2


# --- every service function -----------------------------------------------------------

Call = Callable[[Database, World], Any]

# How each function is called on data an officer must not touch. The call must be refused,
# or (for a listing) return nothing of another officer's or unshared.
OFFICER_CALLS: dict[str, Call] = {
    "library.add_recording": lambda db, w: library.add_recording(db, None),  # type: ignore[arg-type]
    "library.get_recording": lambda db, w: library.get_recording(db, w.rec_b),
    "library.find_recording_by_sha256": lambda db, w: _none(
        library.find_recording_by_sha256(db, "2" * 64)
    ),
    "library.list_recordings": lambda db, w: _only(library.list_recordings(db), {w.rec_a}),
    "library.set_content_warning": lambda db, w: library.set_content_warning(
        db, w.rec_a, "x", actor="o"
    ),
    "library.relocate_recording": lambda db, w: library.relocate_recording(
        db, w.rec_a, "p", "1" * 64, actor="o"
    ),
    "library.set_status": lambda db, w: library.set_status(db, w.rec_a, "archived"),
    "library.set_details": lambda db, w: library.set_details(db, w.rec_a, "INC-X", ["7"], "o"),
    "review.create_annotation": lambda db, w: review.create_annotation(
        db,
        recording_id=w.rec_a,
        codebook_id=w.codebook_id,
        category_key="missed_choice",
        start_ms=0,
        end_ms=1,
        actor="o",
    ),  # fmt: skip
    "review.get_annotation": lambda db, w: review.get_annotation(db, w.draft_a),
    "review.list_annotations": lambda db, w: _only(
        review.list_annotations(db, w.rec_a) + review.list_annotations(db, w.rec_b),
        {w.shared_a},
    ),
    "review.update_annotation": lambda db, w: review.update_annotation(
        db, w.shared_a, expected_version=1, actor="o", note="x"
    ),
    "review.delete_annotation": lambda db, w: review.delete_annotation(db, w.shared_a, actor="o"),
    "transcripts.store_transcript": lambda db, w: transcripts.store_transcript(
        db,
        w.rec_a,
        [],
        model="m",
        device="cpu",
        compute_type="",
        language="en",
        speaker_confidence=None,
        actor="o",
    ),  # fmt: skip
    "transcripts.current_transcript": lambda db, w: transcripts.current_transcript(db, w.rec_b),
    "transcripts.get_transcript": lambda db, w: transcripts.get_transcript(db, w.transcript_b),
    "transcripts.correct_word": lambda db, w: transcripts.correct_word(db, w.word_b, "x"),
    "transcripts.set_speaker": lambda db, w: transcripts.set_speaker(db, w.segment_b, "x"),
    "transcripts.toggle_wearer": lambda db, w: transcripts.toggle_wearer(db, w.segment_b),
    "transcripts.split_segment": lambda db, w: transcripts.split_segment(db, w.segment_b, w.word_b),
    "transcripts.merge_segments": lambda db, w: transcripts.merge_segments(
        db, w.segment_b, w.segment_b
    ),
    "transcripts.segment_of_word": lambda db, w: transcripts.segment_of_word(db, w.word_b),
    "transcripts.segment_state": lambda db, w: transcripts.segment_state(db, w.segment_b),
    "transcripts.restore_segment": lambda db, w: transcripts.restore_segment(
        db,
        w.segment_b,
        None,  # type: ignore[arg-type]
    ),
    "suggestions.plan_suggestions": lambda db, w: suggestions.plan_suggestions(db, None, w.rec_b),  # type: ignore[arg-type]
    "suggestions.store_suggestions": lambda db, w: suggestions.store_suggestions(
        db,
        None,
        None,
        actor="o",  # type: ignore[arg-type]
    ),
    "suggestions.generate_suggestions": lambda db, w: suggestions.generate_suggestions(
        db,
        None,
        w.rec_b,
        actor="o",  # type: ignore[arg-type]
    ),
    "suggestions.list_suggestions": lambda db, w: suggestions.list_suggestions(db, w.rec_b),
    "suggestions.get_suggestion": lambda db, w: suggestions.get_suggestion(db, 1),
    "suggestions.accept_suggestion": lambda db, w: suggestions.accept_suggestion(
        db, 1, codebook_id=w.codebook_id, actor="o"
    ),
    "suggestions.reject_suggestion": lambda db, w: suggestions.reject_suggestion(db, 1, actor="o"),
    "suggestions.reopen_suggestion": lambda db, w: suggestions.reopen_suggestion(db, 1, actor="o"),
    "suggestions.cue_statistics": lambda db, w: suggestions.cue_statistics(db),
    "redactions.list_region_masks": lambda db, w: redactions.list_region_masks(db, w.rec_b),
    "redactions.save_region_mask": lambda db, w: redactions.save_region_mask(
        db, w.rec_a, [[0, 0, 0, 1, 1]], actor="o"
    ),
    "redactions.delete_region_mask": lambda db, w: redactions.delete_region_mask(db, 1, actor="o"),
    "clips.record_clip": lambda db, w: clips.record_clip(db, None, actor="o"),  # type: ignore[arg-type]
    "clips.get_clip": lambda db, w: clips.get_clip(db, w.clip_in_library),
    "clips.find_clip_by_sha256": lambda db, w: clips.find_clip_by_sha256(db, "c" * 64),
    "clips.list_clips": lambda db, w: clips.list_clips(db),
    "clips.add_to_library": lambda db, w: clips.add_to_library(db, w.clip_private, actor="o"),
    "clips.check_approvable": lambda db, w: clips.check_approvable(db, w.clip_private),
    "clips.approve_clip": lambda db, w: clips.approve_clip(db, w.clip_private, "d" * 64),
    "clips.reject_clip": lambda db, w: clips.reject_clip(db, w.clip_in_library, "why"),
    "clips.people_and_places": lambda db, w: clips.people_and_places(db, w.rec_a),
    "clips.set_people_and_places": lambda db, w: clips.set_people_and_places(
        db, w.rec_a, ["x"], actor="o"
    ),
    "clips.found_people_and_places": lambda db, w: clips.found_people_and_places(db, w.rec_a),
    "clips.add_found_people_and_places": lambda db, w: clips.add_found_people_and_places(
        db, w.rec_a, [("x", "name")], actor="o"
    ),
    "clips.dismiss_found": lambda db, w: clips.dismiss_found(db, w.rec_a, ["x"], actor="o"),
    "users.create_user": lambda db, w: users.create_user(db, "x", "admin"),
    "users.set_password": lambda db, w: users.set_password(db, w.tip.user_id, "password1"),
    "users.set_active": lambda db, w: users.set_active(db, w.tip.user_id, False),
    "users.link_officer": lambda db, w: users.link_officer(db, 2, w.officer1.user_id),
    "library.incident_id": lambda db, w: library.incident_id(db, "B"),
    "codebook.install_codebook": lambda db, w: codebook.install_codebook(db, Path("x.yaml")),
    # the officer's own view: only their incident, only shared moments, only their words
    "feedback.my_incidents": lambda db, w: _only(feedback.my_incidents(db), {1}),
    "feedback.shared_feedback": lambda db, w: feedback.shared_feedback(db, w.rec_b),
    "feedback.debrief_items": lambda db, w: feedback.debrief_items(db, w.rec_b),
    "feedback.add_reflection": lambda db, w: feedback.add_reflection(
        db, incident_id=w.incident_b, text="x"
    ),
    "feedback.set_reflection_consent": lambda db, w: feedback.set_reflection_consent(
        db, w.reflection_b, True
    ),
    "feedback.list_reflections": lambda db, w: _only(
        feedback.list_reflections(db, incident_id=w.incident_b), set()
    ),
    "feedback.unread_reflections": lambda db, w: feedback.unread_reflections(
        db, recording_id=w.rec_b
    ),
    "search.search": lambda db, w: _own_hits(search.search(db, "hello OR n"), w),
    "insights.insights": lambda db, w: insights.insights(db),
    "insights.list_teams": lambda db, w: insights.list_teams(db),
    "jobs.enqueue": lambda db, w: jobs.enqueue(db, "transcribe", w.rec_a, actor="o"),
    "jobs.get_job": lambda db, w: jobs.get_job(db, w.job_b),
    "jobs.list_jobs": lambda db, w: _only(jobs.list_jobs(db), set()),
    "jobs.cancel": lambda db, w: jobs.cancel(db, w.job_b),
    "jobs.retry": lambda db, w: jobs.retry(db, w.job_b),
    "jobs.claim_next": lambda db, w: jobs.claim_next(db, "w"),
    "jobs.heartbeat": lambda db, w: jobs.heartbeat(db, w.job_b, "w"),
    "jobs.finish": lambda db, w: jobs.finish(db, w.job_b, "w"),
    "jobs.fail": lambda db, w: jobs.fail(db, w.job_b, "w", "x"),
    "jobs.release": lambda db, w: jobs.release(db, w.job_b, "w"),
    "jobs.requeue_stale": lambda db, w: jobs.requeue_stale(db),
    "jobs.pending_work": lambda db, w: jobs.pending_work(db),
    "elan.export_source": lambda db, w: elan.export_source(db, w.rec_b, w.codebook_id),
    "elan.export_eaf": lambda db, w: elan.export_eaf(db, w.rec_b, Path("x.eaf"), w.codebook_id),
    "elan_import.import_eaf": lambda db, w: elan_import.import_eaf(
        db, w.rec_a, Path("x.eaf"), codebook_id=w.codebook_id, actor="o"
    ),
    "annotation_csv.export_csv": lambda db, w: annotation_csv.export_csv(
        db, w.rec_b, Path("x.csv"), w.codebook_id
    ),
    "agreement.annotators": lambda db, w: agreement.annotators(db, w.rec_b),
    "agreement.find_annotator": lambda db, w: agreement.find_annotator(db, w.rec_b, "x"),
    "agreement.compare": lambda db, w: agreement.compare(db, w.rec_b, None, None, w.codebook_id),  # type: ignore[arg-type]
    "audit_log.list_events": lambda db, w: audit_log.list_events(db),
    "audit_log.offset_of": lambda db, w: audit_log.offset_of(db, 1),
    "audit_log.facets": lambda db, w: audit_log.facets(db),
    "audit_log.verify": lambda db, w: audit_log.verify(db),
    "clip_library.list_library_clips": lambda db, w: clip_library.list_library_clips(db),
    "clip_library.get_library_clip": lambda db, w: clip_library.get_library_clip(
        db, w.clip_in_library
    ),
    "clip_library.library_clips_by_id": lambda db, w: clip_library.library_clips_by_id(
        db, [w.clip_in_library]
    ),
    "clip_library.caption_source": lambda db, w: clip_library.caption_source(db, w.clip_in_library),
    "clip_library.list_release_clips": lambda db, w: clip_library.list_release_clips(db),
    "clip_library.get_release_clip": lambda db, w: clip_library.get_release_clip(
        db, w.clip_in_library
    ),
    "packs.create_pack": lambda db, w: packs.create_pack(db, "x"),
    "packs.list_packs": lambda db, w: packs.list_packs(db),
    "packs.get_pack": lambda db, w: packs.get_pack(db, 1),
    "packs.rename_pack": lambda db, w: packs.rename_pack(db, 1, "x"),
    "packs.describe_pack": lambda db, w: packs.describe_pack(db, 1, "x"),
    "packs.delete_pack": lambda db, w: packs.delete_pack(db, 1),
    "packs.add_clip": lambda db, w: packs.add_clip(db, 1, w.clip_in_library),
    "packs.remove_item": lambda db, w: packs.remove_item(db, 1, 1),
    "packs.reorder": lambda db, w: packs.reorder(db, 1, []),
    "packs.move_item": lambda db, w: packs.move_item(db, 1, 1, 0),
    "packs.set_item_notes": lambda db, w: packs.set_item_notes(db, 1, 1, "x"),
    "packs.set_item_prompts": lambda db, w: packs.set_item_prompts(db, 1, 1, ["x"]),
    "packs.set_session_minutes": lambda db, w: packs.set_session_minutes(db, 1, 60),
    "packs.set_item_discussion": lambda db, w: packs.set_item_discussion(db, 1, 1, 5),
}

# Functions open to everyone by design, with the reason.
OPEN_BY_DESIGN = {
    "users.list_users": "filters by itself: an admin sees everyone, anyone else only themself",
    "users.sign_in_choices": "the sign-in screen lists who can sign in, before anyone has",
    "users.sign_in_required": "decides whether anyone must sign in, before anyone has",
    "users.has_users": "decides whether to show the sign-in screen",
    "users.check_first_to_sign_in": "only reads who signs in; create_user itself is for admins",
    "users.sign_in": "checks the password itself",
    "users.find_user": "the command line's sign-in looks the user up before the password",
    "codebook.installed_codebook": "the codebook is read by every role (officers see labels)",
    "codebook.category_labels": "the codebook's labels are read by every role (as above)",
    "backup.backup_if_due": "runs as the library opens, before anyone signs in; copies the "
    "file the machine's owner already holds",
    "db.check_integrity": "reports damage only, never content",
}

# Trainers build training packs by design; every other write is a reviewer's.
TRAINER_WRITES = ("packs.",)


FILTERED = object()  # what a listing returns once its rows have been checked


def _none(value: object) -> object:
    assert value is None, f"an officer was given {value!r}"
    return FILTERED


def _own_hits(hits: list[Any], w: World) -> object:
    """Search gives an officer only their incident's transcript and its shared moments."""
    leaked = [h for h in hits if h.recording_id != w.rec_a
              or (h.kind == "annotation" and h.annotation_id != w.shared_a)]  # fmt: skip
    assert not leaked, f"an officer was given {leaked}"
    assert hits, "the officer's own shared moment should be found"
    return FILTERED


def _only(rows: list[Any], allowed: set[int]) -> object:
    leaked = {row.id for row in rows} - allowed
    assert not leaked, f"an officer was given rows {sorted(leaked)}"
    return FILTERED


def _service_functions() -> set[str]:
    """Every public function in bwvreview.annotations whose first parameter is the database."""
    found = set()
    for info in pkgutil.iter_modules(annotations_pkg.__path__):
        module = importlib.import_module(f"bwvreview.annotations.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if params and params[0].name == "db":
                found.add(f"{info.name}.{name}")
    return found


def test_every_service_function_is_checked():
    unchecked = _service_functions() - set(OFFICER_CALLS) - set(OPEN_BY_DESIGN)
    assert not unchecked, f"say in OFFICER_CALLS how these keep officers out: {sorted(unchecked)}"


@pytest.mark.parametrize("name", sorted(OFFICER_CALLS))
def test_an_officer_is_kept_out_of(world, name):
    db = as_(world, "officer1")
    try:
        result = OFFICER_CALLS[name](db, world)
    except REFUSED:
        return
    assert result is FILTERED, f"{name} let an officer through"


WRITE_PREFIXES = ("add_", "set_", "create_", "update_", "delete_", "relocate_", "store_",
                  "save_", "record_", "accept_", "reject_", "reopen_", "correct_", "split_",
                  "merge_", "restore_", "toggle_", "link_", "generate_")  # fmt: skip


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in OFFICER_CALLS
        if n.split(".")[1].startswith(WRITE_PREFIXES) and not n.startswith(TRAINER_WRITES)
    ),
)
def test_a_trainer_cannot_change_anything_through(world, name):
    with pytest.raises(REFUSED):
        OFFICER_CALLS[name](as_(world, "trainer"), world)


def test_officer_links_decide_reading(world):
    """Linking officer 2 to incident A lets them read its shared annotation, nothing more."""
    with world.db.begin() as session:
        session.execute(
            insert(models.incident_officers).values(incident_id=1, user_id=world.officer2.user_id)
        )
    try:
        officer2 = as_(world, "officer2")
        assert [a.id for a in review.list_annotations(officer2, world.rec_a)] == [world.shared_a]
    finally:
        with world.db.begin() as session:
            session.execute(
                models.incident_officers.delete().where(
                    models.incident_officers.c.user_id == world.officer2.user_id,
                    models.incident_officers.c.incident_id == 1,
                )
            )
