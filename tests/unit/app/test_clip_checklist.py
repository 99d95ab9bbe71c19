"""An export in plain words: progress without stage keys, checks as a checklist."""

from pathlib import Path

from bwvreview.app.clip_checklist import (
    ATTENTION,
    NOT_CHECKED,
    PASSED,
    STAGE_WORDS,
    checklist,
    progress_words,
)
from bwvreview.app.clip_workflow import _STAGES, ClipProgress
from bwvreview.media.clip_verify import Check, Verification


def test_every_stage_of_an_export_has_words():
    assert set(_STAGES) | {"done"} <= set(STAGE_WORDS)
    for stage in _STAGES:
        said = progress_words(ClipProgress(stage, 0.5))
        assert said == f"{STAGE_WORDS[stage]}…" != f"{stage.capitalize()}…"  # not the key
    assert progress_words(ClipProgress("verify", 0.8, eta_s=19.6)) == (
        "Checking the clip — about 20 seconds left"
    )
    assert progress_words(ClipProgress("export", 0.3, eta_s=150)).endswith("about 2 minutes left")
    assert progress_words(ClipProgress("done", 1.0, 0.0)) == "Finished"


def test_while_faces_are_looked_for_the_words_say_where():
    assert progress_words(ClipProgress("verify", 0.8, eta_s=19.6, device="CPU")) == (
        "Checking the clip — on this computer's processor, about 20 seconds left"
    )
    assert progress_words(ClipProgress("export", 0.3, device="CUDA")) == (
        f"{STAGE_WORDS['export']} — on the graphics card"
    )


def test_a_failed_check_says_what_was_found_and_what_to_do():
    verification = Verification(
        Path("clip.failed.mp4"),
        (
            Check("faces", True, "no face found in 150 frames"),
            Check("speech", False, "personal data can still be heard: phone",
                  [{"kind": "phone", "start_ms": 27_400}]),
            Check("banner", True, "too short to look for a banner", skipped=True),
        ),
        3.0,
    )  # fmt: skip
    faces, speech, banner = checklist(verification)
    assert (faces.title, faces.state, faces.next_step) == ("No face can be seen", PASSED, "")
    assert speech.state == ATTENTION and not speech.passed
    assert speech.details == ("a phone number at 0:27",)
    assert speech.found.startswith("Personal data can still be heard")
    assert "People and places for this incident" in speech.next_step
    assert banner.state == NOT_CHECKED and banner.passed


def test_no_verification_is_one_item_not_checked():
    (item,) = checklist(None)
    assert item.state == NOT_CHECKED and item.next_step
