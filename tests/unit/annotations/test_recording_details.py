"""A recording's incident and officers, set or changed after import, on both engines."""

import pytest
from sqlalchemy import select

from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.review import library
from bwvreview.annotations.store import models


@pytest.fixture
def recordings(db):
    with db.begin() as session:
        for n in (1, 2):
            session.add(models.Recording(id=n, path=f"cam{n}.mp4", sha256=str(n) * 64,
                                         size_bytes=1, duration_ms=60_000))  # fmt: skip
    return db


def test_a_recording_is_filed_under_an_incident_with_its_officers(recordings):
    db = recordings
    changed = library.set_details(db, 1, " INC-0412 ", ["4471", " 5522 ", "4471"], "tip")
    assert changed.incident_reference == "INC-0412"
    assert changed.officers == ("4471", "5522")  # cleaned, each once
    joined = library.set_details(db, 2, "INC-0412", ["4471", "5522"], "tip")
    assert library.incident_id(db, "INC-0412")  # one incident, both recordings
    assert joined.incident_reference == "INC-0412"
    with db.begin() as session:
        events = session.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "details-set")
        ).all()
        assert [e.object_id for e in events] == ["1", "2"]
        assert events[0].details["incident"] == "INC-0412" and events[0].details["officers"] == 2


def test_a_mistaken_officer_is_taken_off_and_an_incident_left(recordings):
    db = recordings
    library.set_details(db, 1, "INC-1", ["4471", "9999"], "tip")
    assert library.set_details(db, 1, "INC-1", ["4471"], "tip").officers == ("4471",)
    moved = library.set_details(db, 1, "", ["4471"], "tip")  # officers need an incident
    assert moved.incident_reference == "REC-00001" and moved.officers == ("4471",)
    cleared = library.set_details(db, 1, "", [], "tip")
    assert cleared.incident_reference is None and cleared.officers == ()


def test_bad_details_are_refused_with_nothing_changed(recordings):
    db = recordings
    library.set_details(db, 1, "INC-1", ["4471"], "tip")
    with pytest.raises(DomainError, match="collar number"):
        library.set_details(db, 1, "INC-2", ["not a number!"], "tip")
    with pytest.raises(DomainError, match="100 characters"):
        library.set_details(db, 1, "x" * 101, [], "tip")
    kept = library.get_recording(db, 1)
    assert (kept.incident_reference, kept.officers) == ("INC-1", ("4471",))


def test_only_a_reviewer_may_change_them(recordings):
    for role in ("trainer", "officer"):
        with pytest.raises(PermissionDenied):
            library.set_details(recordings.as_user(Principal(None, "x", role)), 1, "I", [], "x")
