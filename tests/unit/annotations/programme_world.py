"""A small real library for the programme's tests: a trainer, a TIP, officers in teams, the
bundled curriculum and questionnaires, and helpers to code moments on incidents."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.codebook import Codebook, load_codebook, store_codebook
from bwvreview.annotations.programme import documents
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.bundled import resource_path

CURRICULUM = resource_path("curriculum.yaml")
QUESTIONNAIRES = sorted(resource_path("questionnaires").glob("*.yaml"))
# (name, collar, team): North has 4 officers, South 3, East 1 (too few to be named)
OFFICERS = [
    ("Ann Smith", "4521", "North"),
    ("Bob Jones", "7788", "North"),
    ("Cat Brown", "9911", "North"),
    ("Cy Brown", "9912", "North"),
    ("Dan Green", "3030", "South"),
    ("Eve White", "3031", "South"),
    ("Fay Black", "3032", "South"),
    ("Gil Grey", "5550", "East"),
]


@dataclass
class World:
    db: Database
    codebook: Codebook
    codebook_id: int
    trainer: Principal
    tip: Principal
    officers: dict[str, Principal]  # by collar number
    curriculum: documents.Curriculum
    questionnaires: dict[str, documents.Questionnaire]
    _numbers: itertools.count

    def as_(self, who: str) -> Database:
        principal = {"trainer": self.trainer, "tip": self.tip}.get(who) or self.officers[who]
        return self.db.as_user(principal)

    def incident(self, day: dt.date | None, collars: list[str], reference: str = "") -> int:
        """A new incident with a recording, linked to the officers with these collars."""
        n = next(self._numbers)
        with self.db.begin() as s:
            officers = [s.get(models.User, self.officers[c].user_id) for c in collars]
            incident = models.Incident(
                reference=reference or f"INC-{n:04d}", occurred_on=day, officers=officers
            )
            s.add(incident)
            s.flush()
            s.add(
                models.Recording(
                    id=n,
                    incident_id=incident.id,
                    path=f"{n}.mp4",
                    sha256=f"{n:064d}",
                    size_bytes=1,
                    duration_ms=60_000,
                )
            )
        return n

    def code(self, recording_id: int, key: str, times: int = 1, status: str = "final") -> None:
        with self.db.begin() as s:
            category = (
                s.query(models.CodebookCategory)
                .filter_by(codebook_id=self.codebook_id, key=key)
                .one()
            )
            for _ in range(times):
                s.add(
                    models.Annotation(
                        recording_id=recording_id,
                        category_id=category.id,
                        start_ms=0,
                        end_ms=1000,
                        status=status,
                    )
                )


def make_world(db: Database) -> World:
    codebook = load_codebook(resource_path("codebook.yaml"))
    with db.begin() as session:
        codebook_id = store_codebook(session, codebook)
    password = None if db.dialect == "sqlite" else "password1"  # team mode needs one
    trainer = users.create_user(db, "Tess Trainer", "trainer", password=password)
    tip = users.create_user(db, "Tia Practitioner", "tip", password=password)
    officers = {}
    for name, collar, team in OFFICERS:
        made = users.create_user(
            db, name, "officer", collar_number=collar, team=team, password=password
        )
        officers[collar] = Principal(made.id, made.name, made.role)
    curriculum = documents.curriculum(db, CURRICULUM)
    questionnaires = {q.key: q for q in documents.questionnaires(db, QUESTIONNAIRES)}
    return World(
        db,
        codebook,
        codebook_id,
        Principal(trainer.id, trainer.name, "trainer"),
        Principal(tip.id, tip.name, "tip"),
        officers,
        curriculum,
        questionnaires,
        itertools.count(1),
    )
