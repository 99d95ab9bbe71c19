"""The demo opens with a worked example: the demo TIP's review, shared with the officer."""

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.review import library
from bwvreview.app.demo import DEMO_TIP, demo_tip


def test_the_demo_has_its_people_and_a_shared_review(tmp_path):
    lib = app.open_library(data_dir=tmp_path)
    recording = app.import_demo(lib)
    again = app.import_demo(lib)  # idempotent: nothing doubled
    assert again.id == recording.id
    names = {(u.name, u.role) for u in users.list_users(lib.db)}
    assert {(DEMO_TIP, "tip"), ("Demo Trainer", "trainer"), ("Officer 4471", "officer")} <= names
    every = review.list_annotations(lib.db, recording.id)
    assert len(every) == 13  # one per code in the demo script's ground truth
    drafts = [a for a in every if a.status == "draft"]
    assert {a.category_key for a in drafts} == {"disclosure"}
    assert library.get_recording(lib.db, recording.id).status == "shared"
    assert demo_tip(lib).role == "tip"

    officer = users.find_user(lib.db, "4471")
    as_officer = lib.db.as_user(Principal(officer.id, officer.name, officer.role))
    seen = review.list_annotations(as_officer, recording.id)
    assert seen and all(a.status == "shared" for a in seen)
    assert len(seen) == len(every) - len(drafts)  # the TIP's working notes stay hers
    concerns = [a for a in seen if a.polarity == "concern"]
    assert concerns and all(a.suggested_wording for a in concerns)
    lib.close()
