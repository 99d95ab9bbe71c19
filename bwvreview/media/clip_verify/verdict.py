"""What a verification says: each check's verdict and findings, the clip's verdict, the
options a check is run with, and the progress it reports."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwvreview.media.clip_verify.wording import kind_only
from bwvreview.steps import Cancelled


class VerifyCancelled(Cancelled):
    """The caller's cancel flag was set; no verdict was reached."""


@dataclass(frozen=True)
class Check:
    name: str  # "faces", "speech", "metadata", "sync", "banner"
    passed: bool
    summary: str  # one line a trainer can read
    findings: list[dict[str, Any]] = field(default_factory=list)
    skipped: bool = False


@dataclass(frozen=True)
class Verification:
    clip: Path
    checks: tuple[Check, ...]
    seconds: float

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def verdict(self) -> str:
        return "pass" if self.passed else "fail"

    def without_values(self) -> Verification:
        """The same verdict with every quoted value replaced by what kind of thing it is.

        Tag values (a collar number, a GPS position, a serial number) are all that a
        finding quotes; speech findings already give only a kind and a time.
        """
        checks = tuple(
            dataclasses.replace(c, findings=[kind_only(f) for f in c.findings]) for c in self.checks
        )
        return dataclasses.replace(self, checks=checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "clip": self.clip.name,
            "verdict": self.verdict,
            "checks": [
                {
                    "name": c.name,
                    "passed": c.passed,
                    "skipped": c.skipped,
                    "summary": c.summary,
                    "findings": c.findings,
                }
                for c in self.checks
            ],
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True)
class VerifyProgress:
    stage: str
    fraction: float


@dataclass(frozen=True)
class VerifyOptions:
    redacted_items: tuple[str, ...] = ()  # words that must not be heard (names, numbers…)
    skip_before_ms: int = 0  # an opening card: no faces or banner to look for there
    faces_expected: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()  # kept
    # Where faces were masked, per clip frame: a detection inside a mask is not a face
    # shown (the detector may still find a face-like shape in a masked oval).
    faces_masked: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()
    banner_redacted: bool = True
    captions: bool = False  # burned-in captions: their band is not a banner
    model: str | None = None  # Whisper model for the re-transcription
    # The words said just before the clip's span (the question its first answer answers),
    # read with what is heard as the redaction read them (``personal_data.conversation``).
    context_before: tuple[str, ...] = ()


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise ``VerifyCancelled`` once the caller's cancel flag is set."""
    if cancel is not None and cancel.is_set():
        raise VerifyCancelled()
