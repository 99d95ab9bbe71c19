"""A small real library for the interchange tests: one 60 s recording with a transcript,
two TIPs, an officer linked to the incident, a trainer, and a few annotations."""

from __future__ import annotations

from dataclasses import dataclass

from bwvreview.annotations import review
from bwvreview.annotations.access import Principal
from bwvreview.annotations.codebook import load_codebook, store_codebook
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database, open_database, sqlite_url
from bwvreview.bundled import resource_path

DURATION_MS = 60_000


@dataclass(frozen=True)
class Coded:
    db: Database
    codebook_id: int
    recording_id: int
    tip_a: int
    tip_b: int
    officer: Principal
    trainer: Principal
    tip: Principal


def open_coded(tmp_path, url: str | None = None) -> Coded:
    db = open_database(url or sqlite_url(tmp_path / "coded.sqlite3"))
    with db.begin() as session:
        book = store_codebook(session, load_codebook(resource_path("codebook.yaml")))
        incident = models.Incident(reference="INC-1")
        officer = models.User(name="PC Officer", role="officer", collar_number="4471")
        incident.officers.append(officer)
        users = [
            models.User(name=n, role=r)
            for n, r in (("Asha TIP", "tip"), ("Ben TIP", "tip"), ("Tess Trainer", "trainer"))
        ]
        session.add_all([incident, *users])
        session.flush()
        session.add(
            models.Recording(
                id=1,
                path="/footage/incident one.mp4",
                sha256="a" * 64,
                size_bytes=1,
                duration_ms=DURATION_MS,
                incident_id=incident.id,
            )
        )
        ids = [u.id for u in users]
        officer_id = officer.id
    segments = [
        NewSegment(
            500,
            2_000,
            "Sit down now.",
            "wearer",
            (NewWord(500, 900, " Sit", 0.9), NewWord(1000, 2000, " down now.", 0.9)),
        ),
        NewSegment(5_000, 6_500, "I am scared.", "other", (NewWord(5000, 6500, " I am", 0.9),)),
    ]
    transcripts.store_transcript(
        db,
        1,
        segments,
        model="scripted",
        device="cpu",
        compute_type="-",
        language="en",
        speaker_confidence=0.9,
        actor="test",
    )
    return Coded(
        db=db,
        codebook_id=book,
        recording_id=1,
        tip_a=ids[0],
        tip_b=ids[1],
        officer=Principal(officer_id, "PC Officer", "officer"),
        trainer=Principal(ids[2], "Tess Trainer", "trainer"),
        tip=Principal(ids[0], "Asha TIP", "tip"),
    )


def annotate(
    coded: Coded, key: str, start: int, end: int, author: int | None = None, **extra
) -> review.Annotation:
    return review.create_annotation(
        coded.db,
        recording_id=coded.recording_id,
        codebook_id=coded.codebook_id,
        category_key=key,
        start_ms=start,
        end_ms=end,
        actor="test",
        author_id=author,
        **extra,
    )
