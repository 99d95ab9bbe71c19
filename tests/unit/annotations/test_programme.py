"""The training programme on both engines: the curriculum and questionnaires as versioned
files, sessions, the register (typed in or from a sign-in list) and the answers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bwvreview.annotations.access import PermissionDenied
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.formats.sign_in_csv import SignInListError, parse_sign_in
from bwvreview.annotations.learning import packs
from bwvreview.annotations.programme import answers, attendance, documents, sessions
from bwvreview.annotations.store import models
from tests.unit.annotations.programme_world import CURRICULUM, make_world

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def world(db):
    return make_world(db)


def schedule(world, module="trauma_and_aces", day=DAY, team="North", **more):
    return sessions.schedule_session(
        world.as_("trainer"),
        curriculum_id=world.curriculum.id,
        module_key=module,
        held_on=day,
        team=team,
        **more,
    )


# --- the curriculum and questionnaires ----------------------------------------------------


def test_the_bundled_curriculum_is_eleven_three_hour_sessions(world):
    c = world.curriculum
    assert len(c.modules) == 11
    assert [m.number for m in c.modules] == list(range(1, 12))
    assert all(m.length_minutes == 180 and m.topics and m.outcomes for m in c.modules)
    assert "ACEs" in c.modules[0].title
    assert documents.curriculum(world.as_("4521"), CURRICULUM).id == c.id


def test_an_installed_curriculum_is_in_force_and_old_sessions_keep_theirs(world, tmp_path):
    held = schedule(world)
    edited = (
        CURRICULUM.read_text(encoding="utf-8")
        .replace('version: "2027.1"', 'version: "2027.2"')
        .replace(
            "An overview of trauma and adverse childhood experiences (ACEs)", "Trauma and ACEs"
        )
    )
    path = tmp_path / "curriculum.yaml"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        documents.install(world.as_("tip"), path)
    installed = documents.install(world.as_("trainer"), path)
    assert installed.version == "2027.2"
    now = documents.curriculum(world.db, CURRICULUM)
    assert (now.id, now.modules[0].title) == (installed.id, "Trauma and ACEs")
    old = sessions.get_session(world.as_("trainer"), held.id)
    assert (old.curriculum_version, old.title) == ("2027.1", world.curriculum.modules[0].title)
    events = audit_log.list_events(world.db).entries
    assert any(e.action == "programme.document_installed" for e in events)


def test_a_broken_curriculum_is_refused_by_file_and_line(world, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        'version: "1"\nsessions:\n  - key: one\n    title: One\n    topics: []\n'
        "    outcomes: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(documents.ProgrammeFileError, match=r"broken.yaml, line 3: 'topics'"):
        documents.install(world.as_("trainer"), path)


def test_a_programme_file_that_is_missing_or_not_utf8_is_refused_by_name(world, tmp_path):
    trainer = world.as_("trainer")
    absent = tmp_path / "absent.yaml"
    with pytest.raises(documents.ProgrammeFileError, match=r"absent.yaml: file not found$"):
        documents.install(trainer, absent)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b'version: "1"\ntitle: Caf\xe9\n')
    with pytest.raises(documents.ProgrammeFileError, match=r"latin1.yaml: line 2 is not UTF-8"):
        documents.install(trainer, latin1)
    with pytest.raises(documents.ProgrammeFileError, match=r"absent.yaml: file not found$"):
        documents.curriculum(trainer, absent)
    listed = tmp_path / "listed.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(documents.ProgrammeFileError, match=r"listed.yaml, line 1: expected a "
                       r"mapping: a curriculum or a questionnaire"):  # fmt: skip
        documents.install(trainer, listed)


def test_the_questionnaires_ask_about_the_sessions_topics(world):
    kc = world.questionnaires["knowledge_confidence"]
    assert kc.phases == ("before", "after") and (kc.scale_min, kc.scale_max) == (1, 5)
    module = world.curriculum.modules[1]
    items = kc.items_for(module)
    assert [i.key for i in items] == [
        f"{m}.{n}" for m in ("knowledge", "confidence") for n in (1, 2, 3)
    ]
    assert module.topics[0] in items[0].text
    feedback = world.questionnaires["feedback"]
    assert feedback.phases == ("after",)
    assert {i.kind for i in feedback.fixed} == {"scale", "text"}
    assert feedback.measures == ("relevant", "clear", "safe_to_speak", "will_use")


# --- sessions ---------------------------------------------------------------------------


def test_a_trainer_schedules_a_session_with_its_packs(world):
    pack = packs.create_pack(world.as_("trainer"), "Session one clips")
    held = schedule(world, pack_ids=[pack.id])
    assert (held.module_number, held.length_minutes, held.team) == (1, 180, "North")
    assert (held.trainer_id, held.trainer_name) == (world.trainer.user_id, "Tess Trainer")
    assert held.pack_ids == (pack.id,)
    changed = sessions.update_session(
        world.as_("trainer"), held.id, held_on=DAY.replace(day=12), pack_ids=[], length_minutes=150
    )
    assert (changed.held_on.day, changed.pack_ids, changed.length_minutes) == (12, (), 150)
    assert [s.id for s in sessions.list_sessions(world.as_("tip"))] == [held.id]
    with pytest.raises(PermissionDenied):
        sessions.schedule_session(
            world.as_("tip"),
            curriculum_id=world.curriculum.id,
            module_key="trauma_and_aces",
            held_on=DAY,
            team="North",
        )
    with pytest.raises(PermissionDenied):
        sessions.list_sessions(world.as_("4521"))
    with pytest.raises(NotFoundError):
        schedule(world, module="no_such_session")
    with pytest.raises(DomainError, match="team"):
        schedule(world, team="  ")


def test_deleting_a_session_removes_its_register_and_answers(world):
    held = schedule(world)
    trainer = world.as_("trainer")
    attendance.add_attendee(trainer, held.id, "Ann Smith", "4521")
    answers.record_answers(
        trainer, held.id, world.questionnaires["feedback"].id, "after", {"relevant": 5}
    )
    sessions.delete_session(trainer, held.id)
    with world.db.begin() as s:
        assert s.scalar(select(func.count(models.TrainingAttendance.id))) == 0
        assert s.scalar(select(func.count(models.QuestionnaireResponse.id))) == 0
    with pytest.raises(NotFoundError):
        sessions.get_session(trainer, held.id)


# --- the register -----------------------------------------------------------------------

SIGN_IN = "Name,Collar number,Role\nAnn Smith,4521,officer\nPat Visitor,,staff\n,9911,\n"


def test_a_sign_in_list_is_imported_and_linked_to_users(world):
    held = schedule(world)
    trainer = world.as_("trainer")
    result = attendance.import_sign_in(trainer, held.id, parse_sign_in(SIGN_IN))
    assert (result.added, result.already, result.linked) == (3, 0, 2)
    register = attendance.list_attendance(trainer, held.id)
    assert [(a.name, a.collar_number, a.kind) for a in register] == [
        ("Ann Smith", "4521", "officer"),
        ("Pat Visitor", None, "staff"),
        ("Cat Brown", "9911", "officer"),
    ]
    again = attendance.import_sign_in(trainer, held.id, parse_sign_in(SIGN_IN))
    assert (again.added, again.already) == (0, 3)
    with pytest.raises(DomainError, match="already"):
        attendance.add_attendee(trainer, held.id, "A. Smith", "4521")


def test_a_sign_in_list_with_bad_rows_names_each_and_imports_nothing(world):
    with pytest.raises(SignInListError) as bad:
        parse_sign_in(
            "name,collar,role\nAnn,4521\n,\nBob,no!\nAnn Two,4521\nBo,1,martian\n", "l.csv"
        )
    assert bad.value.problems == [
        "row 4: 'no!' is not a collar number (letters and digits, up to 12)",
        "row 5: the same person as row 2",
        "row 6: role 'martian' is not officer or staff",
    ]
    assert "l.csv: nothing imported" in str(bad.value)
    held = schedule(world)
    unknown = parse_sign_in("collar\n4521\n77777\n")
    with pytest.raises(SignInListError, match="row 3: collar number 77777 is nobody's here"):
        attendance.import_sign_in(world.as_("trainer"), held.id, unknown)
    assert attendance.list_attendance(world.as_("trainer"), held.id) == []  # all or nothing


def test_a_sign_in_list_needs_headings(world):
    with pytest.raises(SignInListError, match="no 'name' or 'collar' heading"):
        parse_sign_in("who,when\nAnn,today\n")
    with pytest.raises(SignInListError, match="empty"):
        parse_sign_in("")


def test_an_officer_sees_only_their_own_attendance(world):
    one, two = schedule(world), schedule(world, module="trauma_and_the_brain", team="South")
    trainer = world.as_("trainer")
    attendance.add_attendee(trainer, one.id, "Ann Smith", "4521")
    attendance.add_attendee(trainer, two.id, "Dan Green", "3030")
    mine = attendance.my_attendance(world.as_("4521"))
    assert [(m.session_id, m.team) for m in mine] == [(one.id, "North")]
    with pytest.raises(PermissionDenied):
        attendance.list_attendance(world.as_("4521"), one.id)
    with pytest.raises(PermissionDenied):
        attendance.list_attendance(world.as_("tip"), one.id)  # names are the trainer's


# --- answers ----------------------------------------------------------------------------


def test_answers_are_anonymous_unless_the_person_asks_to_be_named(world):
    held = schedule(world)
    trainer = world.as_("trainer")
    attendance.add_attendee(trainer, held.id, "Ann Smith", "4521")
    kc = world.questionnaires["knowledge_confidence"]
    anonymous = answers.record_answers(
        trainer, held.id, kc.id, "before", {"knowledge.1": 2, "confidence.1": "3"}
    )
    assert not anonymous.named
    with world.db.begin() as s:
        assert s.get(models.QuestionnaireResponse, anonymous.id).respondent_id is None
    named = answers.record_answers(
        trainer,
        held.id,
        kc.id,
        "after",
        {"knowledge.1": 4},
        entry="laptop",
        respondent_id=world.officers["4521"].user_id,
    )
    assert named.named
    with pytest.raises(DomainError, match="register"):
        answers.record_answers(
            trainer,
            held.id,
            kc.id,
            "after",
            {"knowledge.1": 4},
            respondent_id=world.officers["3030"].user_id,
        )
    own = answers.record_own_answers(
        world.as_("4521"), held.id, kc.id, "after", {"confidence.2": 5}
    )
    assert [a.id for a in answers.my_answers(world.as_("4521"))] == [named.id, own.id]
    assert answers.my_answers(world.as_("3030")) == []
    with pytest.raises(PermissionDenied):
        answers.record_own_answers(world.as_("3030"), held.id, kc.id, "after", {"knowledge.1": 1})
    events = [
        e
        for e in audit_log.list_events(world.db).entries
        if e.action == "programme.answers_recorded"
    ]
    traced = sorted(e.details.get("response", 0) for e in events)
    assert traced == [0, named.id, own.id]  # the anonymous answers are not traced to them


@pytest.mark.parametrize(
    ("phase", "given", "message"),
    [
        ("before", {"knowledge.9": 3}, "no question"),
        ("before", {"knowledge.1": 6}, "answer 1 to 5"),
        ("before", {"knowledge.1": "lots"}, "answer 1 to 5"),
        ("before", {"knowledge.1": ""}, "left blank"),
        ("during", {"knowledge.1": 3}, "not asked during"),
    ],
)
def test_answers_outside_the_questionnaire_are_refused(world, phase, given, message):
    held = schedule(world)
    kc = world.questionnaires["knowledge_confidence"]
    with pytest.raises(DomainError, match=message):
        answers.record_answers(world.as_("trainer"), held.id, kc.id, phase, given)


def test_results_are_each_persons_mean_per_session_and_across_the_programme(world):
    one, two = schedule(world), schedule(world, module="trauma_and_the_brain")
    trainer = world.as_("trainer")
    kc = world.questionnaires["knowledge_confidence"]
    for held, ratings in ((one, [(1, 3), (2, 2)]), (two, [(4, 4)])):
        for first, second in ratings:
            answers.record_answers(
                trainer, held.id, kc.id, "before", {"knowledge.1": first, "knowledge.2": second}
            )
    feedback = world.questionnaires["feedback"]
    answers.record_answers(
        trainer, one.id, feedback.id, "after", {"relevant": 5, "most_useful": "the clips"}
    )
    found = {
        (r.session_id, r.questionnaire_key, r.measure, r.phase): r.values
        for r in answers.results(world.as_("tip"), [one.id, two.id])
    }
    assert found[one.id, "knowledge_confidence", "knowledge", "before"] == (2.0, 2.0)
    assert found[two.id, "knowledge_confidence", "knowledge", "before"] == (4.0,)
    assert found[None, "knowledge_confidence", "knowledge", "before"] == (2.0, 2.0, 4.0)
    assert found[one.id, "feedback", "relevant", "after"] == (5.0,)
    assert not any(k[2] == "most_useful" for k in found)  # written answers are not rated
    with pytest.raises(PermissionDenied):
        answers.results(world.as_("4521"), [one.id])
