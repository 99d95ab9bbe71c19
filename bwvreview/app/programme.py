"""The training programme, for the window and the command line: the curriculum and
questionnaires in force (the bundled files until a trainer installs others), sessions,
the register and the answers. The rules are in ``annotations.programme``; this joins them
to the library and the bundled files, and takes names where the domain takes ids."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwvreview.annotations.access import MANAGE_PROGRAMME, READ_REPORTS
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.formats.sign_in_csv import SignInListError, SignInRow, read_sign_in
from bwvreview.annotations.programme import answers, attendance, documents, outcomes, sessions
from bwvreview.annotations.programme.answers import (
    AnswerSheet,
    MeasureResult,
    Response,
    delete_response,
    list_responses,
    my_answer_sheets,
    my_answers,
)
from bwvreview.annotations.programme.attendance import (
    Attendee,
    ImportResult,
    MyAttendance,
    add_attendee,
    list_attendance,
    my_attendance,
    remove_attendee,
)
from bwvreview.annotations.programme.disclosure import Cell, Table
from bwvreview.annotations.programme.documents import (
    Curriculum,
    Item,
    Module,
    ProgrammeFileError,
    Questionnaire,
    WrongKindError,
)
from bwvreview.annotations.programme.sessions import (
    ScheduledSession,
    Trainer,
    delete_session,
    get_session,
    known_teams,
    list_sessions,
    list_trainers,
    update_session,
)
from bwvreview.annotations.store.models import ATTENDEE_KINDS, ENTRY_MODES, PHASES
from bwvreview.bundled import resource_path

if TYPE_CHECKING:
    from bwvreview.app.opening import Library

CURRICULUM_FILE = resource_path("curriculum.yaml")


def questionnaire_files() -> list[Path]:
    return sorted(resource_path("questionnaires").glob("*.yaml"))


def curriculum(lib: Library) -> Curriculum:
    """The curriculum in force (anyone may read it)."""
    return documents.curriculum(lib.db, CURRICULUM_FILE)


def questionnaires(lib: Library) -> list[Questionnaire]:
    """The questionnaires in force, those asked before a session (knowledge and
    confidence) first."""
    found = documents.questionnaires(lib.db, questionnaire_files())
    return sorted(found, key=lambda q: "before" not in q.phases)


def questionnaire(lib: Library, key: str) -> Questionnaire:
    for found in questionnaires(lib):
        if found.key == key:
            return found
    known = ", ".join(q.key for q in questionnaires(lib))
    raise NotFoundError(f"no questionnaire {key!r} (there are: {known})")


def install_document(
    lib: Library, path: Path, expected: type[Curriculum] | type[Questionnaire] | None = None
) -> Curriculum | Questionnaire:
    """Put a curriculum or questionnaire file in force (trainers and admins; audited); given
    ``expected``, a file of the other kind is refused with nothing kept."""
    return documents.install(lib.db, Path(path), expected)


def _trainer_id(lib: Library, trainer: str | int | None) -> int | None:
    if trainer is None or isinstance(trainer, int):
        return trainer
    wanted = " ".join(trainer.split()).casefold()
    for person in list_trainers(lib.db):
        if person.name.casefold() == wanted or str(person.id) == wanted:
            return person.id
    raise NotFoundError(f"no active trainer called {trainer!r}")


def schedule_session(
    lib: Library,
    module: str,
    held_on: dt.date,
    team: str,
    *,
    trainer: str | int | None = None,
    pack_ids: Sequence[int] = (),
    length_minutes: int | None = None,
    notes: str = "",
) -> ScheduledSession:
    """A session of the curriculum in force: ``module`` is its key or number; the trainer
    is the signed-in user unless named (by name or id)."""
    return sessions.schedule_session(
        lib.db,
        curriculum_id=curriculum(lib).id,
        module_key=module,
        held_on=held_on,
        team=team,
        trainer_id=_trainer_id(lib, trainer),
        length_minutes=length_minutes,
        pack_ids=pack_ids,
        notes=notes,
    )


def change_session(
    lib: Library, session_id: int, *, trainer: str | int | None = None, **changes: Any
) -> ScheduledSession:
    """``update_session``, naming a new trainer by name or id if one is given."""
    if trainer is not None:
        changes["trainer_id"] = _trainer_id(lib, trainer)
    return update_session(lib.db, session_id, **changes)


def import_sign_in(lib: Library, session_id: int, path: Path) -> ImportResult:
    """Add everyone on a sign-in list (CSV); the whole file or nothing, every bad row named."""
    get_session(lib.db, session_id)  # an unknown session is said before the file is read
    rows: list[SignInRow] = read_sign_in(Path(path))
    try:
        return attendance.import_sign_in(lib.db, session_id, rows)
    except SignInListError as exc:
        raise SignInListError(str(path), exc.problems) from None


def record_answers(
    lib: Library,
    session_id: int,
    questionnaire_key: str,
    phase: str,
    given: Mapping[str, Any],
    *,
    entry: str = "paper",
    respondent_id: int | None = None,
) -> Response:
    """One person's answers, entered by the trainer (anonymous unless ``respondent_id``)."""
    chosen = questionnaire(lib, questionnaire_key)
    return answers.record_answers(
        lib.db, session_id, chosen.id, phase, given, entry=entry, respondent_id=respondent_id
    )


def record_own_answers(
    lib: Library, session_id: int, questionnaire_key: str, phase: str, given: Mapping[str, Any]
) -> Response:
    chosen = questionnaire(lib, questionnaire_key)
    return answers.record_own_answers(lib.db, session_id, chosen.id, phase, given)


def read_answer_forms(path: Path) -> list[dict[str, str]]:
    """Paper forms typed into a spreadsheet (CSV): a heading per question key (as
    ``programme questionnaires`` lists them), a row per form; blank rows are skipped."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DomainError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise DomainError(f"{path}: not UTF-8 text; save the spreadsheet as CSV UTF-8") from None
    except OSError as exc:
        raise DomainError(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    forms = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in rows]
    forms = [f for f in forms if any(f.values())]
    if not forms:
        raise DomainError(f"{path}: no forms (a heading row, then a row per form)")
    return forms


def record_paper_forms(
    lib: Library,
    session_id: int,
    questionnaire_key: str,
    phase: str,
    forms: Sequence[Mapping[str, Any]],
) -> list[Response]:
    """Anonymous paper forms entered at once: all kept, or none."""
    chosen = questionnaire(lib, questionnaire_key)
    return answers.record_paper_forms(lib.db, session_id, chosen.id, phase, forms)


def items_at(lib: Library, session_id: int, questionnaire_key: str) -> tuple[Item, ...]:
    """The questions a questionnaire asks at this session (its topics')."""
    held = get_session(lib.db, session_id)
    module = module_of_session(lib, held)
    return questionnaire(lib, questionnaire_key).items_for(module)


def module_of_session(lib: Library, held: ScheduledSession) -> Module:
    with lib.db.begin() as session:
        found = documents.document(session, held.curriculum_id)
    assert isinstance(found, Curriculum)
    return found.module(held.module_key)


def results_table(lib: Library, session_ids: Sequence[int]) -> Table:
    """What the sessions' questionnaires add up to, per session and across them, as a
    report shows it (fewer than 5 answers are not shown)."""
    held = [get_session(lib.db, i) for i in session_ids]
    return outcomes.measures_table(held, answers.results(lib.db, session_ids))


@dataclass(frozen=True)
class MyTraining:
    """What one person may see of the programme: the sessions they are on the register of
    and the forms they put their name to (never anyone else's, nor anonymous forms)."""

    attended: list[MyAttendance]
    answers: list[AnswerSheet]


def my_training(lib: Library) -> MyTraining:
    """The signed-in person's own training (anyone signed in): ``programme mine`` and the
    officer's "My training" window."""
    return MyTraining(my_attendance(lib.db), my_answer_sheets(lib.db))


def parse_day(text: str, what: str = "date") -> dt.date:
    """A day typed on the command line (YYYY-MM-DD), or a one-line ``DomainError``."""
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise DomainError(f"{what} {text!r} is not a date: use YYYY-MM-DD") from None


__all__ = [
    "ATTENDEE_KINDS",
    "AnswerSheet",
    "MyTraining",
    "ENTRY_MODES",
    "MANAGE_PROGRAMME",
    "READ_REPORTS",
    "PHASES",
    "Attendee",
    "Cell",
    "Curriculum",
    "ImportResult",
    "Item",
    "MeasureResult",
    "Module",
    "MyAttendance",
    "ProgrammeFileError",
    "Questionnaire",
    "WrongKindError",
    "Response",
    "ScheduledSession",
    "SignInListError",
    "Table",
    "Trainer",
    "add_attendee",
    "change_session",
    "curriculum",
    "delete_response",
    "delete_session",
    "get_session",
    "import_sign_in",
    "install_document",
    "items_at",
    "known_teams",
    "list_attendance",
    "list_responses",
    "list_sessions",
    "list_trainers",
    "my_answers",
    "my_attendance",
    "my_training",
    "parse_day",
    "questionnaire",
    "questionnaires",
    "read_answer_forms",
    "record_answers",
    "record_own_answers",
    "record_paper_forms",
    "remove_attendee",
    "results_table",
    "schedule_session",
]
