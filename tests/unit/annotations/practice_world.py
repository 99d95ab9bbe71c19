"""A small real library for the practice tests, on whichever engine the ``db`` fixture
gives: a TIP, a trainer and two officers; incident A (a domestic, officer 1) with a
recording and two moments (a disclosure, shared, and a draft); incident B (a stop and
search, officer 2) with no footage."""

from __future__ import annotations

from dataclasses import dataclass

from bwvreview.annotations import review
from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.codebook import Codebook, load_codebook, store_codebook
from bwvreview.annotations.practice.templates import Templates, load_templates
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database
from bwvreview.bundled import resource_path


@dataclass(frozen=True)
class PracticeWorld:
    db: Database
    codebook: Codebook
    codebook_id: int
    templates: Templates
    incident_a: int
    incident_b: int
    recording_a: int
    disclosure_a: int
    draft_a: int
    tip: Principal
    trainer: Principal
    officer1: Principal
    officer2: Principal

    def as_(self, who: str) -> Database:
        return self.db.as_user(getattr(self, who))

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.codebook.incident_types)


def build_world(db: Database) -> PracticeWorld:
    codebook = load_codebook(resource_path("codebook.yaml"))
    with db.begin() as session:
        codebook_id = store_codebook(session, codebook)
        a = models.Incident(reference="INC-A", incident_type="domestic")
        b = models.Incident(reference="INC-B", incident_type="stop_and_search")
        session.add_all([a, b])
        session.flush()
        recording = models.Recording(path="a.mp4", sha256="a" * 64, size_bytes=1,
                                     duration_ms=60_000, incident_id=a.id)  # fmt: skip
        session.add(recording)
        session.flush()
        ids = (a.id, b.id, recording.id)
    people = {
        key: users.create_user(db, name, role, collar_number=collar, password="a password")
        for key, name, role, collar in [
            ("tip", "Tia TIP", "tip", None),
            ("trainer", "Tom Trainer", "trainer", None),
            ("officer1", "PC One", "officer", "1001"),
            ("officer2", "PC Two", "officer", "1002"),
        ]
    }
    users.link_officer(db, ids[0], people["officer1"].id)

    def mark(key: str, status: str) -> int:
        return review.create_annotation(
            db, recording_id=ids[2], codebook_id=codebook_id, category_key=key,
            start_ms=4000, end_ms=6000, actor="tip", status=status, note=f"{key} noted",
        ).id  # fmt: skip

    disclosure, draft = mark("disclosure", "shared"), mark("children_overlooked", "draft")

    def principal(key: str) -> Principal:
        user = people[key]
        return Principal(user.id, user.name, user.role)

    return PracticeWorld(
        db, codebook, codebook_id, load_templates(resource_path("observation_templates.yaml")),
        ids[0], ids[1], ids[2], disclosure, draft, principal("tip"), principal("trainer"),
        principal("officer1"), principal("officer2"),
    )  # fmt: skip
