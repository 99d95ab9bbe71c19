"""The demo shows each kind of practice record: a stop-and-search observation, a PPN1 review
of the demo incident and the record of its debrief, shared with the demo officer; seeded
once."""

from dataclasses import replace

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.app import observing, ppn1_review, practice, practice_sessions


def test_the_demo_has_an_observation_a_ppn1_review_and_a_session(tmp_path):
    lib = app.open_library(data_dir=tmp_path)
    app.import_demo(lib)
    app.import_demo(lib)  # idempotent: nothing doubled
    (seen,) = observing.list_observations(lib)
    assert (seen.incident_reference, seen.template_key, seen.status) == (
        "DEMO-0002", "stop_and_search", "shared")  # fmt: skip
    assert [n.polarity for n in seen.notes].count("good_practice") == 3
    (review,) = ppn1_review.list_reviews(lib)
    assert review.incident_reference == "DEMO-0001" and review.status == "shared"
    assert all(p.rating for p in review.points) and review.points[0].moments
    (held,) = practice_sessions.list_sessions(lib)
    assert (held.kind, held.started_from, len(held.learning_points)) == (
        "individual", "debrief", 2)  # fmt: skip
    assert [f.owner_name for f in held.follow_ups] == ["Officer 4471"]
    assert practice.get_incident(lib, "DEMO-0001").incident_type == "domestic"
    officer = users.find_user(lib.db, "4471")
    signed_in = users.sign_in(lib.db, officer.id, None)
    mine = practice.my_practice(replace(lib, db=lib.db.as_user(signed_in)))
    assert (len(mine.observations), len(mine.reviews), len(mine.sessions)) == (1, 1, 1)
    lib.close()
