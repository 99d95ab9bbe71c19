"""The outcomes report for the VRU's evaluation: a PDF with charts and a CSV pack (one file
per table, and a readme), de-identified, for a chosen period.

Written into a folder (made if its parent exists) under names carrying the period, so
reports of different periods sit side by side. Nothing is ever replaced: every name is
checked before any work, each file is written hidden and published only under a name that
is free (``clip_outputs``), and if one cannot be published those already published by
this run are taken back. Who wrote which report is in the audit log, not in the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bwvreview.annotations.audit import record_event
from bwvreview.annotations.codebook import Codebook
from bwvreview.annotations.programme.disclosure import MIN_CELL, MIN_OFFICERS
from bwvreview.annotations.programme.outcomes import Outcomes, compose_outcomes
from bwvreview.annotations.store.db import Database
from bwvreview.app.clip_outputs import (
    plan_new_files,
    publish,
    remove,
    write_new_bytes,
    write_new_text,
)
from bwvreview.app.outcomes_pdf import write_outcomes_pdf
from bwvreview.media.errors import MediaError

if TYPE_CHECKING:
    from bwvreview.app.opening import Library

README = """Outcomes report {date_from} to {date_to}: the CSV pack

One CSV per table of {pdf} (UTF-8, comma separated, a header row). Grouping columns
come first (activity, team, month, phase, principle, category, polarity, session,
questionnaire, measure); then the figures.

De-identified: no names, collar numbers or incident references; individual officers are
never shown or compared. Counts under {min_cell} are "<{min_cell}" (zero included); "*"
marks a figure that would reveal one; a blank share or mean rests on fewer than
{min_cell}. Teams are named only when their figures come from at least {min_officers}
officers; smaller teams are "Other teams" or left out of every figure.

share_good_practice is good practice out of all moments; share_low_95 and share_high_95
are its 95% Wilson interval. mean_low_95 and mean_high_95 are a normal-approximation
95% interval. Answers are anonymous, and before and after are different forms, not
matched people.
"""


@dataclass(frozen=True)
class WrittenReport:
    folder: Path
    pdf: Path
    csvs: tuple[Path, ...]
    readme: Path
    outcomes: Outcomes

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.pdf, *self.csvs, self.readme)


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def report_names(folder: Path, outcomes: Outcomes) -> tuple[Path, list[Path], Path]:
    stem = f"outcomes_{outcomes.period.date_from:%Y-%m-%d}_to_{outcomes.period.date_to:%Y-%m-%d}"
    return (
        folder / f"{stem}.pdf",
        [folder / f"{stem}_{t.name}.csv" for t in outcomes.tables],
        folder / f"{stem}_readme.txt",
    )


def _folder(folder: Path) -> Path:
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise MediaError(f"{folder} is a file, not a folder; choose a folder for the report")
    if not folder.exists() and not folder.parent.is_dir():
        raise MediaError(f"the folder {folder.parent} does not exist")
    return folder


def write_report(
    lib: Library, date_from: dt.date, date_to: dt.date, folder: Path, today: dt.date | None = None
) -> WrittenReport:
    """Compose the period's figures and write the PDF and the CSV pack into ``folder``."""
    return write_report_for(lib.db, lib.codebook, date_from, date_to, folder, today)


def write_report_for(
    db: Database,
    codebook: Codebook,
    date_from: dt.date,
    date_to: dt.date,
    folder: Path,
    today: dt.date | None = None,
) -> WrittenReport:
    """``write_report`` for a window that holds the database and codebook, not a library."""
    outcomes = compose_outcomes(db, codebook, date_from, date_to)  # checks who may
    folder = _folder(folder)
    pdf, csvs, readme = report_names(folder, outcomes)
    made = not folder.exists()
    if made:
        folder.mkdir()
    try:
        plan = plan_new_files([pdf, *csvs, readme])
    except MediaError:
        if made:
            folder.rmdir()
        raise
    contents: dict[Path, bytes | str] = {
        pdf: write_outcomes_pdf(outcomes, today or dt.date.today()),
        readme: README.format(
            date_from=date_from,
            date_to=date_to,
            pdf=pdf.name,
            min_cell=MIN_CELL,
            min_officers=MIN_OFFICERS,
        ),
    }
    for path, table in zip(csvs, outcomes.tables, strict=True):
        contents[path] = csv_text(table.text_rows())
    _publish_all(plan, contents)
    with db.begin() as session:
        record_event(
            session,
            actor=db.principal.name,
            action="report.written",
            object_type="report",
            object_id=pdf.name,
            details={"from": date_from.isoformat(), "to": date_to.isoformat(), "files": len(plan)},
        )
    return WrittenReport(folder, pdf, tuple(csvs), readme, outcomes)


def _publish_all(plan: list[tuple[Path, Path]], contents: dict[Path, bytes | str]) -> None:
    published: list[Path] = []
    try:
        for final, partial in plan:
            body = contents[final]
            (write_new_bytes if isinstance(body, bytes) else write_new_text)(partial, body)
        for final, partial in plan:
            publish(partial, final)
            published.append(final)
    except BaseException:
        remove([partial for _final, partial in plan])
        remove(published)  # ours: every name was free when checked, and none is replaced
        raise
