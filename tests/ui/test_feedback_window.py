"""The officer's feedback window, signed in as a real officer on a real library."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QThreadPool

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.learning import feedback
from bwvreview.ui.feedback_controller import build_feedback_window
from bwvreview.ui.feedback_window import KIND, KIND_TEXT
from tests.ui.conftest import SPEECH, scripted_transcript
from tests.ui.views_fit import LAPTOP, LAPTOP_125, misfits
from tests.waits import UI_WAIT_MS

SEAT = "Would you like to sit down while we talk?"


def mark(lib, recording_id, key, start_ms, status, **extra):
    return review.create_annotation(lib.db, recording_id=recording_id,
                                    codebook_id=lib.codebook_id, category_key=key,
                                    start_ms=start_ms, end_ms=start_ms + 800, actor="tip",
                                    status=status, **extra).id  # fmt: skip


@pytest.fixture
def setting(_isolated_data, clip_path):
    lib = app.open_library()
    mine, _ = app.import_media(lib, SPEECH, incident="INC-0412", officer="4471")
    theirs, _ = app.import_media(lib, clip_path, incident="INC-0999", officer="5522")
    ids = {
        "concern": mark(lib, mine.id, "missed_choice", 3000, "shared", note="No seat offered",
                        suggested_wording=SEAT),
        "good": mark(lib, mine.id, "introduced_self", 500, "shared", note="Clear introduction"),
        "draft": mark(lib, mine.id, "rushing", 1500, "draft", note="not ready to share"),
        "theirs": mark(lib, theirs.id, "talking_over", 200, "shared", note="someone else"),
    }  # fmt: skip
    officer = users.find_user(lib.db, "4471")
    principal = users.sign_in(lib.db, officer.id, None)
    signed_in = replace(lib, db=lib.db.as_user(principal), actor=principal.name)
    yield lib, signed_in, mine, ids
    QThreadPool.globalInstance().waitForDone()
    lib.close()


@pytest.fixture
def window(qtbot, setting):
    _lib, signed_in, mine, _ids = setting
    view, controller = build_feedback_window(signed_in)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    yield view, controller
    view.close()


def rows(view):
    return [(view.moments.item(i).data(KIND), view.moments.item(i).text())
            for i in range(view.moments.count())]  # fmt: skip


def test_the_officer_sees_only_their_incident_and_its_shared_moments_good_practice_first(
    window, setting
):
    view, _controller = window
    assert view.incidents.count() == 1
    assert view.incidents.item(0).text().startswith("INC-0412\n")
    assert "2 moments shared" in view.incidents.item(0).text()
    shown = rows(view)
    assert [kind for kind, _ in shown] == ["heading", "moment", "heading", "moment"]
    assert shown[0][1] == "What went well (1)"
    assert shown[1][1] == "0:00.5  A clear introduction\nClear introduction"
    assert shown[2][1] == "To reflect on (1)"
    assert shown[3][1] == ("0:03.0  A moment where a choice could have been offered\n"
                           f"No seat offered\nAn alternative you could try: “{SEAT}”")  # fmt: skip
    text = "\n".join(t for _, t in shown)
    assert "not ready to share" not in text and "someone else" not in text
    assert "Missed choice" not in text  # the reviewers' label is never the officer's title


def test_the_page_opens_with_its_purpose_then_the_strengths_counted(window):
    view, _controller = window
    column = view.right.widget(0).layout()
    order = [column.itemAt(i).widget() for i in range(column.count())]
    assert order.index(view.learning_note) < order.index(view.counts) < order.index(
        view.strengths
    ) < order.index(view.moments)  # fmt: skip
    assert view.learning_note.text() == feedback.LEARNING_NOTE
    assert view.learning_note.text().startswith("This feedback is here to help you learn")
    assert "conduct" not in view.learning_note.text()
    assert "not part of any conduct" in view.not_conduct.text()  # said, but not first
    assert view.counts.text() == "1 thing that went well and 1 to reflect on."
    assert view.strengths.text() == "Strengths: A clear introduction."


def test_kinds_are_told_apart_by_words_and_their_headings_are_readable(window):
    view, _controller = window
    headings = [view.moments.item(i) for i in range(view.moments.count())
                if view.moments.item(i).data(KIND) == "heading"]  # fmt: skip
    for item in headings:
        polarity = item.data(Qt.ItemDataRole.UserRole)
        fg, bg = KIND_TEXT[polarity]
        assert (item.foreground().color().name(), item.background().color().name()) == (
            fg.lower(), bg.lower()
        )  # fmt: skip
    # the lanes are labelled in the officer's words, and the chips carry the officer's title
    assert [label for _key, label in view.timeline._lanes] == [
        "What went well", "To reflect on", "Context"
    ]  # fmt: skip
    assert {i.label for i in view.timeline._items.values()} == {
        "A clear introduction", "A moment where a choice could have been offered"
    }  # fmt: skip
    # and a chip's tooltip names its kind as the lanes do: never the reviewers' words
    said = {i.polarity: view.timeline.describe(i) for i in view.timeline._items.values()}
    assert said["concern"].splitlines()[0].endswith("To reflect on")
    assert said["good_practice"].splitlines()[0].endswith("What went well")
    assert "learn from" not in "\n".join(said.values()).lower()


def test_the_transcript_lane_shows_what_was_said(qtbot, setting):
    lib, signed_in, mine, _ids = setting
    scripted_transcript(lib, mine.id)
    view, _controller = build_feedback_window(signed_in)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: len(view.timeline._segments.payloads) == 2, timeout=UI_WAIT_MS)
    said = sorted(p[3] for p in view.timeline._segments.payloads)
    assert said == ["I am scared.", "Sit down now."]
    assert view.timeline.row_rect("transcript").height() > 0
    view.close()


def test_with_no_transcript_the_transcript_lane_is_not_shown(qtbot, window):
    view, controller = window
    qtbot.waitUntil(lambda: controller.lines_worker is None, timeout=UI_WAIT_MS)
    assert view.timeline._segments.payloads == []
    with pytest.raises(KeyError):
        view.timeline.row_rect("transcript")
    assert [row.label for row in view.timeline._rows[1:] if row.height > 0] == [
        "Sound", "What went well", "To reflect on", "Context"
    ]  # fmt: skip


@pytest.mark.parametrize("size", [LAPTOP, LAPTOP_125], ids=["1366x700", "125%"])
def test_the_window_fits_a_laptop(window, size):
    view, _controller = window
    assert misfits(view, *size) == []


def test_choosing_a_moment_shows_it_from_just_before_and_a_reflection_on_it_is_saved_at_once(
    qtbot, window, setting
):
    view, _controller = window
    lib, signed_in, _mine, ids = setting
    view.select_moment(ids["concern"])
    qtbot.waitUntil(lambda: abs(view.player.position() - 1000) < 50, timeout=UI_WAIT_MS)
    assert view.timeline.selected() == ids["concern"]
    assert not view.consent.isChecked()  # sharing in training is the officer's choice
    view.on_moment.setChecked(True)
    qtbot.keyClicks(view.reflection, "I could have offered her a seat first.")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    (saved,) = feedback.list_reflections(signed_in.db)
    assert (saved.annotation_id, saved.consent_to_share) == (ids["concern"], False)
    assert saved.text == "I could have offered her a seat first."
    assert view.reflection.toPlainText() == ""
    assert view.past.count() == 1
    assert "on “A moment where a choice could have been offered”" in view.past.item(0).text()
    assert "Not read yet" in view.past.item(0).text()


def test_a_reflection_on_the_whole_incident_with_consent_and_the_officer_sees_it_was_read(
    qtbot, window, setting
):
    view, controller = window
    lib, signed_in, mine, _ids = setting
    qtbot.keyClicks(view.reflection, "Looking back, I felt rushed from the start.")
    view.consent.setChecked(True)
    view.save_button.click()
    (saved,) = feedback.list_reflections(signed_in.db)
    assert saved.annotation_id is None and saved.incident_id is not None
    assert saved.consent_to_share
    tess = users.create_user(lib.db, "Tess", "tip")
    tip = lib.db.as_user(Principal(tess.id, "Tess", "tip"))
    feedback.list_reflections(tip, recording_id=mine.id)  # the TIP reads it
    controller.open_recording(mine.id)
    assert "Read by your reviewer on" in view.past.item(0).text()
    assert "may be used in training (no name)" in view.past.item(0).text()


def test_an_empty_reflection_is_not_saved_and_says_why(window, setting):
    view, _controller = window
    _lib, signed_in, _mine, _ids = setting
    view.save_button.click()
    assert view.saved.text() == "A reflection needs some words."
    assert feedback.list_reflections(signed_in.db) == []


def test_the_timeline_is_read_only(window, setting):
    view, _controller = window
    _lib, _signed_in, _mine, ids = setting

    def spans():
        return {i.id: (i.start_ms, i.end_ms) for i in view.timeline._items.values()}

    before = spans()
    assert before[ids["concern"]] == (3000, 3800)
    # what the timeline does when an edge is dragged: shows it moved, then asks
    moved = replace(view.timeline._items[ids["concern"]], start_ms=0, end_ms=9000)
    view.timeline.set_annotations([*view.timeline._items.values(), moved])
    view.timeline.annotation_resized.emit(ids["concern"], 0, 9000)
    assert spans() == before


def test_an_officer_with_nothing_shared_or_no_incidents_is_told_so_kindly(qtbot, setting):
    lib, _signed_in, _mine, ids = setting
    theirs = review.get_annotation(lib.db, ids["theirs"])
    review.update_annotation(lib.db, ids["theirs"], expected_version=theirs.version,
                             actor="tip", status="final")  # fmt: skip
    for collar, incidents in (("5522", 1), (None, 0)):
        if collar:
            officer = users.find_user(lib.db, collar)
        else:
            officer = users.create_user(lib.db, "PC New", "officer", collar_number="7000")
        principal = users.sign_in(lib.db, officer.id, None)
        view, _controller = build_feedback_window(replace(lib, db=lib.db.as_user(principal)))
        qtbot.addWidget(view)
        view.show()
        assert view.incidents.count() == incidents
        assert view.empty.isVisible() == (incidents == 0)
        assert view.reflection_box.isEnabled() == (incidents == 1)
        # no black player, empty timeline or blank list: what will come, in words
        for part in (view.player, view.timeline, view.incidents, view.reflection_box):
            assert part.isVisible() == (incidents == 1)
        if not incidents:
            assert "appears here" in view.empty.text()
        if incidents:
            assert "nothing shared yet" in view.incidents.item(0).text()
            assert view.nothing.isVisible() and not view.moments.isVisible()
            assert view.nothing.text() == feedback.NOTHING_SHARED
        view.close()


def test_the_officer_can_change_their_mind_about_training_use(qtbot, window, setting):
    view, _controller = window
    _lib, signed_in, _mine, _ids = setting
    qtbot.keyClicks(view.reflection, "Something I would rather keep between us.")
    view.consent.setChecked(True)
    view.save_button.click()
    assert not view.change_consent.isVisible()  # nothing chosen in the list yet
    view.past.setCurrentRow(0)
    assert view.change_consent.text() == "Keep this reflection out of training"
    view.change_consent.click()
    (kept,) = feedback.list_reflections(signed_in.db)
    assert not kept.consent_to_share
    assert view.saved.text() == "It will not be used in training."
    assert "not for training" in view.past.item(0).text()
    assert view.change_consent.text() == "Allow this reflection in training (no name)"


def test_a_reviewer_previewing_the_window_does_not_mark_reflections_read(qtbot, setting):
    lib, signed_in, mine, ids = setting
    feedback.add_reflection(signed_in.db, annotation_id=ids["concern"], text="A seat, next time.")
    view, _controller = build_feedback_window(lib, mine.id)  # the machine's owner: a reviewer
    qtbot.addWidget(view)
    view.show()
    assert view.incidents.count() == 2  # a reviewer sees every incident, as its officer would
    assert view.past.count() == 1
    assert feedback.list_reflections(signed_in.db)[0].seen_at is None
    view.close()
