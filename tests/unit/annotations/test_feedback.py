"""Officer feedback and reflections: who may read and write what, and the words they see."""

import inspect
import re

import pytest
from sqlalchemy import select

from bwvreview.annotations import review
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.learning import feedback
from bwvreview.annotations.store import models
from bwvreview.bundled import resource_path


class Library:
    """Two officers, each on their own incident with one recording; a TIP and a trainer."""

    def __init__(self, db):
        self.db = db
        with db.begin() as s:
            self.codebook = store_codebook(s, load_codebook(resource_path("codebook.yaml")))
            users = {
                name: models.User(name=name, role=role, collar_number=collar)
                for name, role, collar in [("PC Able", "officer", "1001"),
                                           ("PC Baker", "officer", "1002"),
                                           ("Tess TIP", "tip", None),
                                           ("Tom Trainer", "trainer", None)]
            }  # fmt: skip
            s.add_all(users.values())
            a = models.Incident(reference="INC-A", officers=[users["PC Able"]])
            b = models.Incident(reference="INC-B", officers=[users["PC Baker"]])
            s.add_all([a, b])
            s.flush()
            for i, incident in ((1, a), (2, b)):
                s.add(models.Recording(id=i, incident_id=incident.id, path=f"{i}.mp4",
                                       sha256=str(i) * 64, size_bytes=1,
                                       duration_ms=60_000))  # fmt: skip
            self.ids = {name: u.id for name, u in users.items()}
            self.incident_a, self.incident_b = a.id, b.id
        seat = "Would you like to sit down?"
        self.shared_concern = self.mark(1, "missed_choice", 9000, "shared",
                                        note="No seat offered", suggested_wording=seat)  # fmt: skip
        self.shared_good = self.mark(1, "introduced_self", 1000, "shared", note="Clear intro")
        self.shared_context = self.mark(1, "safety_critical", 5000, "shared")
        self.draft = self.mark(1, "threat_or_ultimatum", 3000, "draft", note="draft thought")
        self.final = self.mark(1, "rushing", 4000, "final")
        self.other = self.mark(2, "talking_over", 2000, "shared", note="B's moment")

    def mark(self, recording_id, key, start, status, **extra):
        made = review.create_annotation(self.db, recording_id=recording_id,
                                        codebook_id=self.codebook, category_key=key,
                                        start_ms=start, end_ms=start + 1500, actor="tip",
                                        status=status, **extra)  # fmt: skip
        return made.id

    def as_(self, name):
        role = {"PC": "officer", "Tess": "tip", "Tom": "trainer"}[name.split()[0]]
        return self.db.as_user(Principal(self.ids[name], name, role))


@pytest.fixture
def lib(db):  # on SQLite and on PostgreSQL (see tests/conftest.py)
    return Library(db)


def test_an_officer_sees_only_their_own_incidents(lib):
    (mine,) = feedback.my_incidents(lib.as_("PC Able"))
    assert mine.reference == "INC-A"
    assert [r.id for r in mine.recordings] == [1]
    assert mine.shared_count == 3  # the draft and the final note are not shared
    (theirs,) = feedback.my_incidents(lib.as_("PC Baker"))
    assert theirs.reference == "INC-B" and theirs.shared_count == 1


def test_a_tip_sees_every_incident_as_the_officer_would(lib):
    refs = {i.reference: i.shared_count for i in feedback.my_incidents(lib.as_("Tess TIP"))}
    assert refs == {"INC-A": 3, "INC-B": 1}


def test_shared_feedback_puts_good_practice_first_and_keeps_unshared_notes_out(lib):
    items = feedback.shared_feedback(lib.as_("PC Able"), 1)
    assert [i.annotation_id for i in items] == [lib.shared_good, lib.shared_concern,
                                                lib.shared_context]  # fmt: skip
    assert [i.heading for i in items] == ["What went well", "To reflect on", "Context"]
    assert items[1].officer_title == items[1].category_label  # no codebook titles given
    assert items[1].suggested_wording == "Would you like to sit down?"
    assert not hasattr(items[1], "severity")  # the officer is never shown a "score"
    # a reviewer previewing sees exactly what the officer sees
    assert feedback.shared_feedback(lib.as_("Tess TIP"), 1) == items


def test_an_officer_cannot_open_another_officers_recording_or_its_moments(lib):
    able = lib.as_("PC Able")
    with pytest.raises(NotFoundError):
        feedback.shared_feedback(able, 2)
    with pytest.raises(NotFoundError):
        feedback.debrief_items(able, 2)
    with pytest.raises(NotFoundError):
        feedback.shared_feedback(able, 99)  # same answer as for one that does not exist


def test_debrief_steps_in_time_order_and_only_a_reviewer_may_include_unshared_notes(lib):
    able = lib.as_("PC Able")
    assert [i.start_ms for i in feedback.debrief_items(able, 1)] == [1000, 5000, 9000]
    with pytest.raises(PermissionDenied):
        feedback.debrief_items(able, 1, shared_only=False)
    everything = feedback.debrief_items(lib.as_("Tess TIP"), 1, shared_only=False)
    assert [i.start_ms for i in everything] == [1000, 3000, 4000, 5000, 9000]
    assert [i.shared for i in everything] == [True, False, False, True, True]


def test_an_officer_reflects_on_their_incident_and_on_a_shared_moment(lib):
    able = lib.as_("PC Able")
    whole = feedback.add_reflection(able, incident_id=lib.incident_a, text="  I rushed.  ")
    moment = feedback.add_reflection(able, annotation_id=lib.shared_concern,
                                     text="A seat would have helped.",
                                     consent_to_share=True)  # fmt: skip
    assert (whole.text, whole.consent_to_share, whole.seen_at) == ("I rushed.", False, None)
    assert moment.incident_id == lib.incident_a and moment.moment_label == "Missed choice"
    assert moment.author_name == "PC Able" and moment.consent_to_share
    assert [r.id for r in feedback.list_reflections(able)] == [whole.id, moment.id]


@pytest.mark.parametrize(
    "target",
    [
        lambda lib: {"incident_id": lib.incident_b},  # another officer's incident
        lambda lib: {"annotation_id": lib.other},  # a shared moment on their incident
        lambda lib: {"annotation_id": lib.draft},  # a moment on my incident not shared
        lambda lib: {"annotation_id": lib.final},
        lambda lib: {"incident_id": 999},
    ],
)
def test_an_officer_cannot_reflect_where_they_may_not_read(lib, target):
    with pytest.raises(NotFoundError):
        feedback.add_reflection(lib.as_("PC Able"), text="hello", **target(lib))
    assert feedback.list_reflections(lib.db) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"incident_id": 1, "text": "   "}, "needs some words"),
        ({"text": "both", "incident_id": 1, "annotation_id": 1}, "either the incident or one"),
        ({"text": "neither"}, "either the incident or one"),
        ({"incident_id": 1, "text": "x" * 10_001}, "up to 10,000"),
    ],
)
def test_bad_reflections_are_refused(lib, kwargs, message):
    with pytest.raises(DomainError, match=message):
        feedback.add_reflection(lib.as_("PC Able"), **kwargs)


def test_officers_never_read_each_others_reflections_and_a_tip_reading_marks_them_seen(lib):
    able, baker, tip = lib.as_("PC Able"), lib.as_("PC Baker"), lib.as_("Tess TIP")
    mine = feedback.add_reflection(able, incident_id=lib.incident_a, text="mine")
    theirs = feedback.add_reflection(baker, annotation_id=lib.other, text="theirs")
    assert [r.id for r in feedback.list_reflections(able)] == [mine.id]
    assert [r.id for r in feedback.list_reflections(baker)] == [theirs.id]
    assert feedback.list_reflections(baker, incident_id=lib.incident_a) == []
    assert feedback.list_reflections(able, recording_id=2) == []
    # the officer reading their own does not mark them read
    assert feedback.list_reflections(able)[0].seen_at is None
    assert feedback.unread_reflections(tip, recording_id=1) == 1
    assert feedback.unread_reflections(tip, recording_id=2) == 1
    with pytest.raises(PermissionDenied):
        feedback.unread_reflections(able, recording_id=1)
    on_one = feedback.list_reflections(tip, recording_id=1)
    assert feedback.unread_reflections(tip, recording_id=1) == 0
    assert [r.id for r in on_one] == [mine.id]
    assert feedback.list_reflections(able)[0].seen_at is not None
    assert feedback.list_reflections(baker)[0].seen_at is None  # not on recording 1
    assert {r.id for r in feedback.list_reflections(tip)} == {mine.id, theirs.id}
    with lib.db.begin() as s:
        seen = s.scalars(select(models.AuditEvent).where(
            models.AuditEvent.action == "reflection-seen")).all()  # fmt: skip
    assert [e.details["reflections"] for e in seen] == [[mine.id], [theirs.id]]


def test_reflection_audit_holds_ids_and_consent_never_the_words(lib):
    made = feedback.add_reflection(lib.as_("PC Able"), incident_id=lib.incident_a,
                                   text="private words", consent_to_share=True)  # fmt: skip
    with lib.db.begin() as s:
        event = s.scalar(select(models.AuditEvent).where(models.AuditEvent.action == "reflect"))
    assert (event.actor, event.object_id) == ("PC Able", str(made.id))
    assert event.details == {"incident": lib.incident_a, "annotation": None, "consent": True}
    assert "private" not in str(event.details)


def test_only_the_author_changes_their_consent(lib):
    made = feedback.add_reflection(lib.as_("PC Able"), incident_id=lib.incident_a, text="x")
    changed = feedback.set_reflection_consent(lib.as_("PC Able"), made.id, True)
    assert changed.consent_to_share
    with pytest.raises(NotFoundError):
        feedback.set_reflection_consent(lib.as_("PC Baker"), made.id, False)
    with pytest.raises(PermissionDenied):
        feedback.set_reflection_consent(lib.as_("Tess TIP"), made.id, False)


def _public_functions():
    return {name for name, value in vars(feedback).items() if inspect.isfunction(value)
            and value.__module__ == feedback.__name__ and not name.startswith("_")}  # fmt: skip


TRAINER_CALLS = {
    "my_incidents": lambda lib, db: feedback.my_incidents(db),
    "shared_feedback": lambda lib, db: feedback.shared_feedback(db, 1),
    "debrief_items": lambda lib, db: feedback.debrief_items(db, 1),
    "add_reflection": lambda lib, db: feedback.add_reflection(db, incident_id=1, text="x"),
    "set_reflection_consent": lambda lib, db: feedback.set_reflection_consent(db, 1, True),
    "list_reflections": lambda lib, db: feedback.list_reflections(db),
    "unread_reflections": lambda lib, db: feedback.unread_reflections(db, recording_id=1),
}


def test_every_feedback_function_is_covered_by_the_trainer_refusal_test():
    assert _public_functions() == set(TRAINER_CALLS)


@pytest.mark.parametrize("name", sorted(TRAINER_CALLS))
def test_a_trainer_is_refused_by_every_feedback_function(lib, name):
    feedback.add_reflection(lib.as_("PC Able"), incident_id=lib.incident_a, text="x")
    # even with a library clip cut for a shared moment, raw feedback stays closed
    with lib.db.begin() as s:
        s.add(models.Clip(recording_id=1, annotation_id=lib.shared_concern, start_ms=0,
                          end_ms=1, output_path="c.mp4", sha256="c" * 64,
                          in_library=True))  # fmt: skip
    with pytest.raises(PermissionDenied):
        TRAINER_CALLS[name](lib, lib.as_("Tom Trainer"))


BLAME = re.compile(r"\b(fail\w*|wrong|poor|bad|blame\w*|breach\w*|guilty|fault)\b", re.I)


def test_officer_facing_words_are_framed_for_learning():
    words = [*feedback.HEADINGS.values(), feedback.ALTERNATIVE_HEADING, feedback.QUOTE_HEADING,
             feedback.NOTHING_SHARED, feedback.CONSENT_LABEL, feedback.CONSENT_EXPLANATION,
             feedback.LEARNING_NOTE, feedback.NOT_CONDUCT_NOTE]  # fmt: skip
    assert not [w for w in words if BLAME.search(w)]
    # purpose first: the note opens with learning and strengths, never with conduct
    first_sentence = feedback.LEARNING_NOTE.split(". ")[0]
    assert "learn" in first_sentence and "went well" in first_sentence
    assert not re.search(r"conduct|complaint|misconduct", feedback.LEARNING_NOTE, re.I)
    assert "not part of any conduct" in feedback.NOT_CONDUCT_NOTE
    # the formal conduct process with a similar name is named, so nobody confuses the two
    assert "not the Reflective Practice Review Process" in feedback.NOT_CONDUCT_NOTE
    assert "nothing here scores or ranks you" in feedback.NOT_CONDUCT_NOTE


def test_an_officer_reads_the_codebooks_softened_title_for_each_moment(lib):
    titles = {"missed_choice": "A moment where a choice could have been offered"}
    items = feedback.shared_feedback(lib.as_("PC Able"), 1, titles)
    concern = next(i for i in items if i.polarity == "concern")
    assert concern.category_label == "Missed choice"  # the reviewers' word is kept
    assert concern.officer_title == "A moment where a choice could have been offered"
    debrief = feedback.debrief_items(lib.as_("Tess TIP"), 1, officer_titles=titles)
    assert {i.officer_title for i in debrief if i.category_key == "missed_choice"} == {
        titles["missed_choice"]
    }


def _refused(call):
    try:
        result = call()
    except (NotFoundError, PermissionDenied):
        return True
    return result


# Each reaches for PC Baker's incident (recording 2) or reflection as PC Able; the answer must
# be a refusal or nothing of Baker's.
OFFICER_CALLS = {
    "my_incidents": lambda lib, db, theirs: [i.reference for i in feedback.my_incidents(db)],
    "shared_feedback": lambda lib, db, theirs: feedback.shared_feedback(db, 2),
    "debrief_items": lambda lib, db, theirs: feedback.debrief_items(db, 2),
    "add_reflection": lambda lib, db, theirs: feedback.add_reflection(
        db, incident_id=lib.incident_b, text="x"
    ),
    "set_reflection_consent": lambda lib, db, theirs: feedback.set_reflection_consent(
        db, theirs, True
    ),
    "list_reflections": lambda lib, db, theirs: [
        r.id for r in feedback.list_reflections(db) if r.id == theirs
    ],
    "unread_reflections": lambda lib, db, theirs: feedback.unread_reflections(db, recording_id=2),
}
EXPECTED = {"my_incidents": ["INC-A"], "list_reflections": []}


def test_every_feedback_function_is_covered_by_the_officer_test():
    assert _public_functions() == set(OFFICER_CALLS)


@pytest.mark.parametrize("name", sorted(OFFICER_CALLS))
def test_no_feedback_function_gives_an_officer_another_officers_incident(lib, name):
    theirs = feedback.add_reflection(lib.as_("PC Baker"), annotation_id=lib.other, text="mine")
    outcome = _refused(lambda: OFFICER_CALLS[name](lib, lib.as_("PC Able"), theirs.id))
    assert outcome == EXPECTED.get(name, True)
    (still,) = feedback.list_reflections(lib.as_("PC Baker"))
    assert (still.consent_to_share, still.seen_at) == (False, None)
