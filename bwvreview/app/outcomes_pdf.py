"""The outcomes report as a PDF: what was done, practice over time, the training and what
its questionnaires say, and reflections, with charts, for an evaluator.

It prints only what ``annotations.programme.outcomes`` composed (de-identified, small
cells suppressed) and the words below; no name, collar number or incident reference, and
not who made it (the audit log records that).
"""

from __future__ import annotations

import datetime as dt

from fpdf.fonts import FontFace

from bwvreview.annotations.programme.disclosure import BLANK, MIN_CELL, MIN_OFFICERS, Cell, Table
from bwvreview.annotations.programme.outcomes import ALL_SESSIONS, Outcomes
from bwvreview.annotations.programme.practice import ALL_TEAMS, PHASES
from bwvreview.app.handout_pdf import FONT, INK, Document, latin1
from bwvreview.app.polarity import POLARITY_LABELS
from bwvreview.app.report_charts import GRID, Series, grouped_bars, hbar_chart, interval_chart

TITLE = "Trauma-informed policing: outcomes report"
READING = (
    "How to read this report. It is de-identified: it holds no names, collar numbers or "
    "incident references, and never shows or compares individual officers. Counts under "
    f"{MIN_CELL} are shown as '<{MIN_CELL}' (zero included); '*' marks a figure that would "
    f"reveal one. Teams are named only when their figures come from at least {MIN_OFFICERS} "
    "officers. A share is shown with its 95% Wilson interval (the range the true share "
    "plausibly lies in): wide intervals mean few moments, and 'few: read with care' marks "
    "figures resting on fewer than 20. Before and after training are different moments "
    "and different incidents, so a change may have other causes."
)
MEASURE_WORDS = {
    "knowledge": "Knowledge (self-rated)",
    "confidence": "Confidence (self-rated)",
    "relevant": "Relevant to my role",
    "clear": "Clear and well paced",
    "safe_to_speak": "Able to speak and ask",
    "will_use": "Will use it at work",
}


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _rows(table: Table, **where: str) -> list[tuple]:
    index = {k: i for i, k in enumerate(table.keys)}
    return [r for r in table.rows if all(r[index[k]] == v for k, v in where.items())]


def _col(table: Table, name: str) -> int:
    return len(table.keys) + table.columns.index(name)


def write_outcomes_pdf(outcomes: Outcomes, made_on: dt.date) -> bytes:
    """The report's bytes (the caller writes them under a new name)."""
    p = outcomes.period
    doc = Document(TITLE)
    doc.add_page()
    doc.heading(TITLE, 18)
    doc.para(
        f"Period: {_day(p.date_from)} to {_day(p.date_to)}.   Produced with bwvreview on "
        f"{_day(made_on)}.",
        10,
        "B",
    )
    doc.para(READING, 8.5, "I")
    doc.rule()
    activity = outcomes.table("activity")
    hbar_chart(doc, "What was done in the period", [(r[0], r[1]) for r in activity.rows])
    _practice(doc, outcomes)
    _training(doc, outcomes)
    _reflections(doc, outcomes)
    doc.add_page()
    doc.heading("The figures", 14)
    doc.para("Each table is also in the CSV pack beside this report, one file per table.", 9)
    for table in outcomes.tables:
        print_table(doc, table)
    return bytes(doc.output())


def _practice(doc: Document, outcomes: Outcomes) -> None:
    doc.ln(2)
    doc.heading("Practice over time", 14)
    for note in outcomes.table("practice_by_month").notes:
        doc.para(note, 8.5)
    if ALL_TEAMS not in outcomes.practice.groups:
        doc.para(
            f"Not shown for this period: the coded moments come from fewer than "
            f"{MIN_OFFICERS} officers, so any figure would describe individuals.",
            10,
            "B",
        )
        return
    by_month = outcomes.table("practice_by_month")
    rows = _rows(by_month, team=ALL_TEAMS)
    good, learn = _col(by_month, "good_practice"), _col(by_month, "to_learn_from")
    grouped_bars(
        doc,
        "All teams: moments of good practice and moments to learn from, by month",
        [r[1] for r in rows],
        [
            Series(POLARITY_LABELS["good_practice"], [r[good] for r in rows], "solid"),
            Series(POLARITY_LABELS["concern"], [r[learn] for r in rows], "hatch"),
        ],
        axis="Counts of coded moments by the month of the incident.",
    )
    by_principle = outcomes.table("practice_by_principle")
    share = _col(by_principle, "share_good_practice")
    for phase in PHASES:
        rows = _rows(by_principle, team=ALL_TEAMS, phase=phase)
        if rows:
            interval_chart(
                doc,
                f"All teams, {phase}: share of moments that were good practice",
                [(r[2], r[share], r[share + 1], r[share + 2]) for r in rows],
            )


def _training(doc: Document, outcomes: Outcomes) -> None:
    if doc.get_y() > doc.h * 0.72:
        doc.add_page()
    else:
        doc.ln(2)
    doc.heading("The training", 14)
    held = outcomes.table("training_sessions")
    hbar_chart(
        doc,
        "Sessions held and attendances",
        [(f"{_short(r[0])}: attendances", r[2]) for r in held.rows],
        label_width=90,
    )
    measures = outcomes.table("training_measures")
    across = _rows(measures, session=ALL_SESSIONS)
    mean = _col(measures, "mean")
    names = list(dict.fromkeys(r[2] for r in across))
    if not names:
        doc.para("No questionnaires were returned for sessions in this period.", 10)
        return
    value = {(r[2], r[3]): r[mean] for r in across}
    grouped_bars(
        doc,
        "Across the programme: mean rating (1 to 5) before and after the sessions",
        [MEASURE_WORDS.get(n, n.replace("_", " ")) for n in names],
        [
            Series("Before", [value.get((n, "before"), BLANK) for n in names], "dots"),
            Series("After", [value.get((n, "after"), BLANK) for n in names], "solid"),
        ],
        top=5,
        axis="Feedback items are asked after the session only. Blank: fewer than 5 "
        "answers, or not asked.",
    )
    for note in measures.notes:
        doc.para(note, 8.5)


def _short(session: str) -> str:
    """ "1. An overview of..." -> "Session 1" (a chart's label; the table has the title)."""
    number = session.split(".", 1)[0]
    return f"Session {number}" if number.isdigit() else session


def _reflections(doc: Document, outcomes: Outcomes) -> None:
    table = outcomes.table("reflections")
    hbar_chart(doc, "Reflections written by officers, by month", list(table.rows), label_width=30)


def _text(value: str | Cell) -> str:
    return value.text if isinstance(value, Cell) else value


PDF_LEAVES_OUT = ("questionnaire",)  # the measure names it; the CSV keeps it


def printed_columns(table: Table) -> tuple[list[str], list[list[str]]]:
    """The header and rows as printed: a share or mean with its interval in one column
    ("43% (21%-67%)"), the questionnaire's key left to the CSV."""
    names = [*table.keys, *table.columns]
    keep = [i for i, n in enumerate(names) if n not in PDF_LEAVES_OUT and not n.endswith("_95")]
    header = [names[i].replace("_", " ") for i in keep]
    rows = []
    for row in table.rows:
        texts = [_text(v) for v in row]
        printed = []
        for i in keep:
            text = texts[i]
            if i + 2 < len(names) and names[i + 1].endswith("low_95") and text:
                text = f"{text} ({texts[i + 1]}-{texts[i + 2]})"
            printed.append(text)
        rows.append(printed)
    return header, rows


def print_table(doc: Document, table: Table) -> None:
    """A table as printed: its title, a header, every row, its notes."""
    if doc.get_y() > doc.h * 0.75:
        doc.add_page()
    doc.set_font(FONT, "B", 10)
    doc.set_text_color(*INK)
    doc.multi_cell(0, 6, latin1(table.title), new_x="LMARGIN", new_y="NEXT")
    header, rows = printed_columns(table)
    if not rows:
        doc.para("Nothing to show for this period.", 8.5)
        return
    size = 7 if len(header) > 5 else 8
    widths = [
        2.2
        if h in ("session", "category", "activity")
        else 1.6
        if h.startswith(("share", "mean"))
        else 1.0
        for h in header
    ]
    doc.set_font(FONT, "", size)
    doc.set_fill_color(255, 255, 255)
    doc.set_draw_color(*GRID)
    heading = FontFace(emphasis="BOLD", fill_color=(232, 238, 238))
    with doc.table(
        text_align="LEFT",
        line_height=size * 0.5,
        col_widths=widths,
        borders_layout="HORIZONTAL_LINES",
        headings_style=heading,
        padding=0.8,
    ) as printed:
        printed.row([latin1(h) for h in header])
        for row in rows:
            printed.row([latin1(v) for v in row])
    for note in table.notes:
        doc.para(note, 7.5, "I")
    doc.ln(3)
