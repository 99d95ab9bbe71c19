"""An export in plain words: what the work is doing now, and the checks on the finished clip
as a checklist (passed / needs attention / not checked, and what to do next).

The window shows these; the command line keeps its own terse lines (``summary_lines``),
which scripts read. Nothing here quotes personal data: a finding is named by its kind and
time ("a phone number at 0:27"), as ``describe_finding`` says it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bwvreview.app.clip_workflow import ClipProgress, Verification
from bwvreview.media.clip_verify import describe_finding
from bwvreview.timecode import time_left

# What each stage of ``iter_export`` is doing, as a person would say it.
STAGE_WORDS = {
    "source": "Making sure the footage is the original",
    "personal data": "Finding personal details in what is said",
    "banner": "Finding the camera's on-screen banner",
    "export": "Writing the clip: hiding faces and the on-screen banner, bleeping personal details",
    "verify": "Checking the clip",
    "done": "Finished",
}

PASSED, ATTENTION, NOT_CHECKED = "passed", "needs attention", "not checked"


# Where the faces are looked for, said the way the computer's owner would say it.
DEVICE_WORDS = {"CPU": "on this computer's processor", "CUDA": "on the graphics card"}


def progress_words(step: ClipProgress) -> str:
    """``"Checking the clip — on this computer's processor, about 20 seconds left"``: the
    stage in words, never its key; where faces are looked for, while they are."""
    words = STAGE_WORDS.get(step.stage, "Working")
    tail = ", ".join(
        part for part in (DEVICE_WORDS.get(step.device), time_left(step.eta_s)) if part
    )
    if tail:
        return f"{words} — {tail}"
    return f"{words}…" if step.stage != "done" else words


@dataclass(frozen=True)
class ChecklistItem:
    title: str  # what was checked, said as the good outcome: "No face can be seen"
    state: str  # PASSED, ATTENTION or NOT_CHECKED
    found: str  # what the check found, in its own words
    details: tuple[str, ...] = ()  # each finding: "a phone number at 0:27"
    next_step: str = ""  # what to do, when it needs attention

    @property
    def passed(self) -> bool:
        return self.state != ATTENTION


# Per check: its title and, if it needs attention, what the reviewer can do about it.
_CHECKS = {
    "faces": (
        "No face can be seen",
        "Go back to “What to hide”: choose a solid box for faces, or draw a mask over the"
        " face that was missed, then export again.",
    ),
    "banner": (
        "The camera's on-screen banner is covered",
        "Go back to “What to hide”: say where the banner is (Banner position), or draw a mask"
        " over it, then export again.",
    ),
    "speech": (
        "No personal details can be heard",
        "Go back to “What to hide”: add the words to “People and places for this incident”"
        " (or tick them in the list heard), then export again.",
    ),
    "metadata": (
        "The file carries no identifying details",
        "Go back to “What to hide” and untick “Keep the source's file details”, then export again.",
    ),
    "sync": (
        "Picture and sound are whole and in step",
        "Export again. If this happens again, the footage itself may be damaged: play that"
        " part in the review to see.",
    ),
}


def checklist(verification: Verification | None) -> list[ChecklistItem]:
    """The checks on a clip in plain words, in the order they ran; one item saying the
    clip was not checked when there is no verification."""
    if verification is None:
        again = "Export it again: the window checks every clip it writes."
        return [ChecklistItem("The clip was checked", NOT_CHECKED,
                              "it was exported without its checks", (), again)]  # fmt: skip
    items = []
    for check in verification.checks:
        title, advice = _CHECKS.get(check.name, (check.name.capitalize(), ""))
        state = NOT_CHECKED if check.skipped else PASSED if check.passed else ATTENTION
        details = tuple(dict.fromkeys(filter(None, map(describe_finding, check.findings))))
        found = check.summary[:1].upper() + check.summary[1:]
        items.append(ChecklistItem(title, state, found, details,
                                   advice if state == ATTENTION else ""))  # fmt: skip
    return items
