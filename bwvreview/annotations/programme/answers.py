"""Questionnaires answered at a session, and what they add up to.

A trainer enters answers from the paper forms, or hands round a laptop signed in as
themselves at the end of the session (``record_answers``): either way the answers are
**anonymous** unless the person asks to be named, when the trainer picks them from the
session's register. Someone signed in as themselves answers for themselves, named
(``record_own_answers``), and reads back only what they put their name to
(``my_answers``). Results pool each person's ratings of a measure (their mean over the
session's topics) per session, phase and measure, and across the programme.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwvreview.annotations.access import MANAGE_PROGRAMME, PermissionDenied, require
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.programme.documents import Questionnaire, document
from bwvreview.annotations.programme.sessions import (
    audit,
    module_of,
    require_reader,
    training_session,
)
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

MAX_TEXT = 2000


@dataclass(frozen=True)
class Response:
    id: int
    session_id: int
    questionnaire_key: str
    questionnaire_version: str
    phase: str
    entry: str
    named: bool  # the respondent chose to be named (who, only they and the record know)
    answers: dict[str, Any]
    created_at: dt.datetime


@dataclass(frozen=True)
class AnswerSheet:
    """A form someone put their name to, as they read it back: the session it was given
    at, and each question as it was asked with their answer, in the form's order."""

    response: Response
    held_on: dt.date
    session_title: str
    questionnaire_title: str
    scale: tuple[int, int]  # a rating's lowest and highest points
    scale_words: tuple[str, str]  # what they mean
    answered: tuple[tuple[str, Any], ...]  # (the question as asked, the answer)


@dataclass(frozen=True)
class MeasureResult:
    """One measure's ratings at one session (``session_id``) or across the programme
    (``None``), before or after: one value per person (their mean over the topics)."""

    session_id: int | None
    questionnaire_key: str
    measure: str
    phase: str
    values: tuple[float, ...]
    scale_max: int

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def high(self) -> int:
        """People rating the top two points of the scale (4 or 5 of 5)."""
        return sum(v >= self.scale_max - 1 for v in self.values)


def _questionnaire(session: Session, questionnaire_id: int) -> Questionnaire:
    try:
        found = document(session, questionnaire_id)
    except NotFoundError:
        found = None
    if not isinstance(found, Questionnaire):
        raise NotFoundError(f"no questionnaire with id {questionnaire_id}")
    return found


def _clean(
    questionnaire: Questionnaire,
    row: models.TrainingSession,
    session: Session,
    phase: str,
    answers: Mapping[str, Any],
) -> dict[str, Any]:
    if phase not in questionnaire.phases:
        raise DomainError(f"{questionnaire.title} is not asked {phase} a session")
    items = {i.key: i for i in questionnaire.items_for(module_of(session, row)[1])}
    cleaned: dict[str, Any] = {}
    for key, value in answers.items():
        if key not in items:
            raise DomainError(f"{questionnaire.title} has no question {key!r} at this session")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # left blank
        if items[key].kind == "text":
            cleaned[key] = str(value).strip()[:MAX_TEXT]
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or not questionnaire.scale_min <= number <= questionnaire.scale_max:
            raise DomainError(
                f"{key}: answer {questionnaire.scale_min} to "
                f"{questionnaire.scale_max}, not {value!r}"
            )
        cleaned[key] = number
    if not cleaned:
        raise DomainError("every question was left blank; nothing to keep")
    return cleaned


def _to_record(row: models.QuestionnaireResponse, questionnaire: Questionnaire) -> Response:
    return Response(
        row.id,
        row.session_id,
        questionnaire.key,
        questionnaire.version,
        row.phase,
        row.entry,
        row.respondent_id is not None,
        dict(row.answers),
        row.created_at,
    )


def _on_register(session: Session, session_id: int, user_id: int) -> bool:
    A = models.TrainingAttendance  # noqa: N806
    return (
        session.scalar(
            select(A.id).where(A.session_id == session_id, A.user_id == user_id).limit(1)
        )
        is not None
    )


def _store(
    db: Database,
    session_id: int,
    questionnaire_id: int,
    phase: str,
    forms: Sequence[Mapping[str, Any]],
    entry: str,
    respondent_id: int | None,
) -> list[Response]:
    """Store each form's answers in one transaction: all of them, or none."""
    with db.begin() as session:
        row = training_session(session, session_id)
        questionnaire = _questionnaire(session, questionnaire_id)
        cleaned = []
        for number, answers in enumerate(forms, start=1):
            try:
                cleaned.append(_clean(questionnaire, row, session, phase, answers))
            except DomainError as exc:
                raise DomainError(f"form {number}: {exc}" if len(forms) > 1 else str(exc)) from None
        if respondent_id is not None and not _on_register(session, session_id, respondent_id):
            raise DomainError("only someone on this session's register can be named on answers")
        stored = [
            models.QuestionnaireResponse(
                session_id=session_id,
                questionnaire_id=questionnaire_id,
                phase=phase,
                entry=entry,
                respondent_id=respondent_id,
                answers=answers,
            )
            for answers in cleaned
        ]
        session.add_all(stored)
        session.flush()
        # the response's id only when it is named: an anonymous one is not traced to who
        # was signed in (on a shared laptop, that is the trainer anyway)
        named = {"response": stored[0].id} if respondent_id is not None else {}
        audit(
            session,
            db,
            "answers_recorded",
            session_id,
            questionnaire=questionnaire.key,
            phase=phase,
            entry=entry,
            forms=len(stored),
            **named,
        )
        return [_to_record(r, questionnaire) for r in stored]


def record_answers(
    db: Database,
    session_id: int,
    questionnaire_id: int,
    phase: str,
    answers: Mapping[str, Any],
    *,
    entry: str = "paper",
    respondent_id: int | None = None,
) -> Response:
    """One person's answers as the trainer enters them (from paper, or a shared laptop);
    anonymous unless ``respondent_id`` names someone on the register who asked to be."""
    require(db.principal, MANAGE_PROGRAMME)
    if entry not in models.ENTRY_MODES:
        raise DomainError(f"answers are entered from paper or on a laptop, not {entry!r}")
    return _store(db, session_id, questionnaire_id, phase, [answers], entry, respondent_id)[0]


def record_paper_forms(
    db: Database,
    session_id: int,
    questionnaire_id: int,
    phase: str,
    forms: Sequence[Mapping[str, Any]],
) -> list[Response]:
    """A pile of anonymous paper forms typed in at once: all kept, or none (the first bad
    form is named by its number)."""
    require(db.principal, MANAGE_PROGRAMME)
    if not forms:
        raise DomainError("no forms to enter")
    return _store(db, session_id, questionnaire_id, phase, forms, "paper", None)


def record_own_answers(
    db: Database, session_id: int, questionnaire_id: int, phase: str, answers: Mapping[str, Any]
) -> Response:
    """The signed-in person's own answers, named, at a session they are registered at."""
    user_id = db.principal.user_id
    with db.begin() as session:
        training_session(session, session_id)
        if user_id is None or not _on_register(session, session_id, user_id):
            raise PermissionDenied(f"{db.principal.name} is not on this session's register")
    return _store(db, session_id, questionnaire_id, phase, [answers], "laptop", user_id)[0]


def list_responses(db: Database, session_id: int) -> list[Response]:
    """A session's responses for its trainer (whether named, never who)."""
    require(db.principal, MANAGE_PROGRAMME)
    with db.begin() as session:
        row = training_session(session, session_id)
        return [_to_record(r, _questionnaire(session, r.questionnaire_id)) for r in row.responses]


def delete_response(db: Database, response_id: int) -> None:
    """Remove a response entered by mistake."""
    require(db.principal, MANAGE_PROGRAMME)
    with db.begin() as session:
        row = session.get(models.QuestionnaireResponse, response_id)
        if row is None:
            raise NotFoundError(f"no questionnaire response with id {response_id}")
        session.delete(row)
        audit(session, db, "answers_deleted", row.session_id, phase=row.phase)


def my_answers(db: Database) -> list[Response]:
    """What the signed-in person answered with their name (anyone signed in; their own)."""
    return [sheet.response for sheet in my_answer_sheets(db)]


def my_answer_sheets(db: Database) -> list[AnswerSheet]:
    """``my_answers`` as the person reads them back: the session each form was given at and
    each question as it was asked there (anyone signed in; their own forms only)."""
    user_id = db.principal.user_id
    if user_id is None:
        return []
    R = models.QuestionnaireResponse  # noqa: N806
    with db.begin() as session:
        rows = session.scalars(select(R).where(R.respondent_id == user_id).order_by(R.id))
        return [_sheet(session, row) for row in rows]


def _sheet(session: Session, row: models.QuestionnaireResponse) -> AnswerSheet:
    questionnaire = _questionnaire(session, row.questionnaire_id)
    held = training_session(session, row.session_id)
    module = module_of(session, held)[1]
    given = dict(row.answers)
    asked = [(i.text, given.pop(i.key)) for i in questionnaire.items_for(module) if i.key in given]
    asked += [(key, value) for key, value in given.items()]  # a question no longer asked
    return AnswerSheet(
        _to_record(row, questionnaire),
        held.held_on,
        module.title,
        questionnaire.title,
        (questionnaire.scale_min, questionnaire.scale_max),
        (questionnaire.low, questionnaire.high),
        tuple(asked),
    )


def results(db: Database, session_ids: Iterable[int]) -> list[MeasureResult]:
    """Each measure's values per session, phase and questionnaire, then the same pooled
    across the given sessions (``session_id`` None)."""
    require_reader(db.principal)
    wanted = sorted(set(session_ids))
    R = models.QuestionnaireResponse  # noqa: N806
    per: dict[tuple[int | None, str, str, str], list[float]] = defaultdict(list)
    scale: dict[str, int] = {}
    order: dict[str, tuple[str, ...]] = {}
    asked_before: dict[str, bool] = {}
    with db.begin() as session:
        rows = (
            session.scalars(select(R).where(R.session_id.in_(wanted)).order_by(R.id))
            if wanted
            else []
        )
        for row in rows:
            questionnaire = _questionnaire(session, row.questionnaire_id)
            scale[questionnaire.key] = questionnaire.scale_max
            order.setdefault(questionnaire.key, questionnaire.measures)
            asked_before[questionnaire.key] = "before" in questionnaire.phases
            for measure, value in _person_values(questionnaire, row.answers).items():
                for where in (row.session_id, None):
                    per[where, questionnaire.key, measure, row.phase].append(value)

    def place(k: tuple[int | None, str, str, str]) -> tuple:  # type: ignore[type-arg]
        # per session, then across; questionnaires asked before a session first
        measures = order[k[1]]
        return (
            k[0] is None,
            k[0] or 0,
            not asked_before[k[1]],
            k[1],
            measures.index(k[2]),
            k[3] != "before",
        )

    keys = sorted(per, key=place)
    return [MeasureResult(s, q, m, p, tuple(per[s, q, m, p]), scale[q]) for s, q, m, p in keys]


def _person_values(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, float]:
    """One value per measure for one person: their rating, or their mean over the topics."""
    gathered: dict[str, list[int]] = defaultdict(list)
    for key, value in answers.items():
        if isinstance(value, bool) or not isinstance(value, int):
            continue  # written answers are not rated
        gathered[key.split(".")[0]].append(value)
    return {m: sum(v) / len(v) for m, v in gathered.items() if m in questionnaire.measures}
