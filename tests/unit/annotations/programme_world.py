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


D = dt.date
NORTH_TRAINING = (D(2026, 3, 1), D(2026, 4, 1))  # North's two sessions
PLANT = [  # (day, officers' collars, category, times): counted by hand in the tests
    (D(2026, 2, 10), ["4521", "7788"], "triggering_language", 6),  # North, before training
    (D(2026, 2, 10), ["4521", "7788"], "offered_choice", 2),
    (D(2026, 2, 20), ["9911"], "missed_choice", 1),
    (D(2026, 3, 15), ["9912"], "safety_check", 3),  # North, during
    (D(2026, 4, 10), ["4521"], "offered_choice", 7),  # North, after
    (D(2026, 4, 10), ["4521"], "missed_choice", 1),
    (D(2026, 3, 5), ["3030", "3031", "3032"], "offered_choice", 5),  # South
    (D(2026, 3, 5), ["3030", "3031", "3032"], "rushing", 5),
    (D(2026, 3, 5), ["5550"], "rushing", 4),  # East: one officer, never shown
    (D(2026, 3, 6), [], "safety_check", 2),  # no officer linked: left out
    (D(2026, 4, 12), ["4521", "5550"], "gave_time", 1),  # North and East
    (D(2025, 12, 1), ["4521", "7788"], "safety_check", 9),  # before the period
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


def plant(world: World) -> None:
    """North's two sessions, every moment of ``PLANT`` (incident references REF-N-KEY), and
    a draft that is never counted."""
    from bwvreview.annotations.programme import sessions

    for day in NORTH_TRAINING:
        sessions.schedule_session(
            world.as_("trainer"),
            curriculum_id=world.curriculum.id,
            module_key="trauma_and_aces",
            held_on=day,
            team="North",
        )
    for n, (day, collars, key, times) in enumerate(PLANT):
        world.code(world.incident(day, collars, reference=f"REF-{n}-{key}"), key, times)
    world.code(world.incident(D(2026, 3, 20), ["9911"]), "offered_choice", 3, status="draft")
