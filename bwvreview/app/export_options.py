"""The export options, defined once: what each one is, its default, the command-line flag
that sets it, and whether a queued job may carry it.

``ExportOptions`` is the one source. Each field's metadata says how a person sets it
(``Flag``: the flag, its help, its choices) and whether the batch worker takes it
(``queueable``). From that come the flags of `export-clip` and `queue export`
(``export_flags``), the worker's set of queueable options (``QUEUEABLE``), and the
options themselves from what a person chose, on the command line or in the window
(``export_options``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bwvreview.media.errors import MediaError
from bwvreview.media.masks import ManualMask

# Padding is for context around a moment; more than this each side is not a moment.
MAX_PADDING_MS = 600_000

FACES = ("blur", "pixelate", "box", "none")
FACES_HELP = ("how faces are hidden: blur (default), pixelate, box (a solid box) or none "
              "(left visible: only for footage in which no one could be recognised)")  # fmt: skip


def padding_ms_from_seconds(seconds: float) -> int:
    """--padding as milliseconds; nan, inf, negative or absurd is bad input (one line)."""
    if not math.isfinite(seconds) or not 0 <= seconds * 1000 <= MAX_PADDING_MS:
        raise MediaError(
            f"--padding {seconds:g} is not allowed: give 0 to {MAX_PADDING_MS // 1000} seconds"
        )
    return round(seconds * 1000)


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Flag:
    """How a person sets an option: a command-line flag (a switch unless it has choices or
    a ``value_type``), and how its value becomes the option's."""

    name: str  # "--faces"
    help: str | None = None
    choices: tuple[str, ...] | None = None
    value_type: Callable[[str], Any] | None = None  # what argparse makes of the word given
    metavar: str | None = None
    default: Any = None  # the flag's default (a switch: off); None: the option's default
    to_option: Callable[[Any], Any] = _as_is
    on_queue: bool = True  # also a flag of `queue export`

    @property
    def choice(self) -> str:
        """The name of the choice a person makes: the flag without its dashes (argparse's dest)."""
        return self.name.lstrip("-").replace("-", "_")

    @property
    def switch(self) -> bool:
        return self.choices is None and self.value_type is None


def _option(default: Any, flag: Flag | None = None, *, queueable: bool = True) -> Any:
    return field(default=default, metadata={"flag": flag, "queueable": queueable})


@dataclass(frozen=True)
class ExportOptions:
    """How a clip is anonymised: everything on by default, each opt-out a named choice."""

    faces: str = _option("blur", Flag("--faces", FACES_HELP, choices=FACES))
    keep_overlay: bool = _option(False, Flag("--keep-overlay", "keep the burned-in banner"))
    banner_preset: str | None = _option(None)  # None: find the banner automatically
    bleep: str = _option("auto", Flag(  # "none": no bleeps
        "--bleep", "auto: bleep every personal-data hit in the span (default)",
        choices=("auto", "none"),
    ))  # fmt: skip
    keep_metadata: bool = _option(False, Flag("--keep-metadata", "keep the source's tags"))
    captions: bool = _option(False, Flag("--captions", "burn in redacted captions"))
    report_path: Path | None = _option(None, Flag(
        "--report", "where to write the anonymisation report (default: beside the clip); a "
        "readable copy FILE.txt is written beside it", value_type=str, metavar="FILE.json",
        to_option=lambda path: Path(path) if path else None, on_queue=False,
    ))  # fmt: skip
    annotation_id: int | None = _option(None, Flag(
        "--annotation", "take the span (and the opening card) from this annotation",
        value_type=int, metavar="ID",
    ))  # fmt: skip
    padding_ms: int = _option(0, Flag(
        "--padding", "seconds added before and after the span", value_type=float,
        metavar="S", default=0.0, to_option=padding_ms_from_seconds,
    ))  # fmt: skip
    opening_card: bool = _option(False, Flag(
        "--card", "open with a card: the annotation's category, principle, note"
    ))  # fmt: skip
    audio_mode: str = _option("bleep", Flag(  # "bleep" (1 kHz tone) or "mute"
        "--mute", "silence personal data instead of a bleep",
        to_option=lambda on: "mute" if on else "bleep",
    ))  # fmt: skip
    voice_disguise: bool = _option(False, Flag(
        "--voice-disguise", "shift the pitch of all voices"
    ))  # fmt: skip
    verify: bool = _option(True)
    # The window's per-person choices; a queued job cannot carry them.
    keep_visible_tracks: frozenset[int] = _option(frozenset(), queueable=False)  # consented
    kept_audible: frozenset[int] = _option(frozenset(), queueable=False)  # hits not bleeped
    manual_masks: tuple[ManualMask, ...] = _option((), queueable=False)


def export_flags() -> list[tuple[Flag, Any]]:
    """(flag, its default) for every option a person sets by a flag, in the order of --help;
    a flag's default is the option's own unless the flag says otherwise."""
    return [
        (
            f.metadata["flag"],
            f.default if f.metadata["flag"].default is None else f.metadata["flag"].default,
        )  # fmt: skip
        for f in fields(ExportOptions)
        if f.metadata["flag"]
    ]


# The options a queued export may carry: the window's per-person choices are not among them.
QUEUEABLE = frozenset(f.name for f in fields(ExportOptions) if f.metadata["queueable"])


def option_values(choices: Mapping[str, Any]) -> dict[str, Any]:
    """The options a person chose, by option name, from choices named as the flags are
    (``faces``, ``mute``, ``padding``…); a flag not among ``choices`` keeps its default."""
    return {
        f.name: f.metadata["flag"].to_option(choices[f.metadata["flag"].choice])
        for f in fields(ExportOptions)
        if f.metadata["flag"] and f.metadata["flag"].choice in choices
    }


def export_options(choices: Mapping[str, Any], **window_only: Any) -> ExportOptions:
    """The options from what a person chose (see ``option_values``), plus any options that
    have no flag, by name (``banner_preset``, ``kept_audible``…)."""
    return ExportOptions(**option_values(choices), **window_only)


def options_from_values(values: Mapping[str, Any]) -> ExportOptions:
    """Options stored as plain values (a queued job's): unknown names are left out."""
    known = {f.name for f in fields(ExportOptions)}
    chosen = {k: v for k, v in values.items() if k in known}
    if chosen.get("report_path"):
        chosen["report_path"] = Path(chosen["report_path"])
    return ExportOptions(**chosen)
