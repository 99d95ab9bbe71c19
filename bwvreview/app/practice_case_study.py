"""The practice records of an incident in its de-personalised case study: what was observed
in the field (notes and the template's points, with no names or times of day), the PPN1
review point by point (never the PPN1 itself: it is personal data), and the learning points
agreed in sessions that discussed the incident. Free text written by people is searched
for personal data and replaced, as the rest of the case study is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.practice import incidents, observations, ppn1, sessions
from bwvreview.app.handout_pdf import Document, quoted
from bwvreview.app.opening import Library
from bwvreview.app.practice import RATING_WORDS, type_label
from bwvreview.timecode import clock

Clean = Callable[[str], str]


@dataclass(frozen=True)
class PracticeStudy:
    kind: str  # the incident type's label
    observed: tuple[tuple[str, str, str], ...]  # (time into it, category, note)
    points_seen: tuple[tuple[str, str, str], ...]  # (point, rating words, note)
    ppn1_points: tuple[tuple[str, str, str, str], ...]  # (point, rating, note, wording)
    learning: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.observed or self.points_seen or self.ppn1_points or self.learning)


def gather(lib: Library, reference: str, clean: Clean) -> PracticeStudy | None:
    """The practice records of the incident ``reference`` (None if it is not an incident)."""
    try:
        incident = incidents.get_incident(lib.db, reference)
    except NotFoundError:
        return None
    db = lib.db
    observed, seen, rated, learning = [], [], [], []
    for o in observations.list_observations(db, incident_id=incident.id):
        observed += [(clock(n.at_ms), n.category_label, clean(n.note)) for n in o.notes]
        seen += [(c.label, RATING_WORDS[c.answer], clean(c.note)) for c in o.checks
                 if c.answer in ("met", "partly", "not")]  # fmt: skip
    for r in ppn1.list_reviews(db, incident_id=incident.id):
        rated += [(p.label, RATING_WORDS[p.rating], clean(p.note), clean(p.suggested_wording))
                  for p in r.ordered_for_officer() if p.rating]  # fmt: skip
    for s in sessions.sessions_about(db, incident_id=incident.id):
        learning += [clean(e.text) for e in s.learning_points]
    return PracticeStudy(type_label(lib, incident.incident_type), tuple(observed), tuple(seen),
                         tuple(rated), tuple(dict.fromkeys(learning)))  # fmt: skip


def markdown(study: PracticeStudy, cell: Callable[[str], str]) -> list[str]:
    out = ["", "## Beyond the footage", "", f"- Kind of incident: {study.kind}."]
    if study.observed or study.points_seen:
        out += ["", "### Observed in the field", ""]
        out += [f"- {t} · {category}: {cell(note)}" for t, category, note in study.observed]
        out += [f"- {point}: {rating.lower()}{' — ' + cell(note) if note else ''}"
                for point, rating, note in study.points_seen]  # fmt: skip
    if study.ppn1_points:
        out += ["", "### The PPN1, point by point", "",
                "_The PPN1 itself is not part of a case study._", ""]  # fmt: skip
        for point, rating, note, wording in study.ppn1_points:
            words = f" Another way to write it: {quoted(wording)}" if wording else ""
            out.append(f"- {point}: {rating.lower()}{' — ' + cell(note) if note else ''}.{words}")
    if study.learning:
        out += ["", "### Learning points agreed in reflective practice", ""]
        out += [f"- {cell(point)}" for point in study.learning]
    return out


def pdf(doc: Document, study: PracticeStudy) -> None:
    doc.heading("Beyond the footage", 13)
    doc.para(f"Kind of incident: {study.kind}.")
    if study.observed or study.points_seen:
        doc.label("Observed in the field")
        doc.bullets([f"{t} {category}: {note}" for t, category, note in study.observed]
                    + [f"{p}: {r.lower()}{' - ' + n if n else ''}"
                       for p, r, n in study.points_seen])  # fmt: skip
    if study.ppn1_points:
        doc.label("The PPN1, point by point (the PPN1 itself is not included)")
        doc.bullets([f"{p}: {r.lower()}{' - ' + n if n else ''}"
                     f"{' Another way to write it: ' + quoted(w) if w else ''}"
                     for p, r, n, w in study.ppn1_points])  # fmt: skip
    if study.learning:
        doc.label("Learning points agreed in reflective practice")
        doc.bullets(list(study.learning))
