"""Which key codes which category, for each reviewer, and the workspace's other keys.

The codebook gives every category a default key (``hotkey``): letters for good practice and
for concerns alike, meaningful where a letter is free, digits for context. A reviewer may
change any of them for themselves; their choices are kept in the data folder
(``settings/keys-….json``), never in the codebook, so the codebook stays one shared file and
each TIP codes with the keys they are used to. A key already taken (by another category, or
by the player and the workspace: ``WORKSPACE_KEYS``) is refused with a sentence saying by what.

Keys are written as Qt writes them (``T``, ``Shift+R``, ``1``); ``normalise_key`` accepts
what a person types (``shift+r``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.store import private_files

if TYPE_CHECKING:
    from bwvreview.app.opening import Library

SETTINGS_FOLDER = "settings"
FILE_VERSION = 1
_CATEGORY_KEY = re.compile(r"^((Ctrl|Shift|Alt)\+)*([A-Z0-9]|F([1-9]|1[0-2]))$")
_MODIFIER_ORDER = ("Ctrl", "Alt", "Shift")  # the order Qt writes them in


class KeyConflictError(DomainError):
    """A key that cannot be given to a category: malformed, or already in use."""


@dataclass(frozen=True)
class WorkspaceKey:
    """One of the workspace's own keys (not a category's), as the shortcut overlay lists it."""

    action: str  # the id the window binds to a slot
    label: str
    keys: tuple[str, ...]
    group: str


PLAYING, SELECTING, EDITING, TRANSCRIPT, LANES, HELP = (
    "Playing", "Selecting and looping", "Editing", "Transcript", "Lanes", "Help",
)  # fmt: skip
# Category keys must not be any of these. ``Ctrl+1``…``Ctrl+9`` show or hide the lanes.
WORKSPACE_KEYS: tuple[WorkspaceKey, ...] = (
    WorkspaceKey("play_pause", "Play or pause", ("Space", "K"), PLAYING),
    WorkspaceKey("shuttle_back", "Slower, then back 5 seconds", ("J",), PLAYING),
    WorkspaceKey("shuttle_forward", "Play, then faster", ("L",), PLAYING),
    WorkspaceKey("frame_back", "Back one frame", (",",), PLAYING),
    WorkspaceKey("frame_forward", "Forward one frame", (".",), PLAYING),
    WorkspaceKey("back_5s", "Back 5 seconds", ("Left",), PLAYING),
    WorkspaceKey("forward_5s", "Forward 5 seconds", ("Right",), PLAYING),
    WorkspaceKey("go_start", "Go to the start", ("Home",), PLAYING),
    WorkspaceKey("go_end", "Go to the end", ("End",), PLAYING),
    WorkspaceKey("mark_in", "Start the selection at the playhead", ("[",), SELECTING),
    WorkspaceKey("mark_out", "End the selection at the playhead", ("]",), SELECTING),
    WorkspaceKey("loop", "Loop the selection or annotation", ("Shift+Space",), SELECTING),
    WorkspaceKey("clear", "Let the selection go (in the timeline)", ("Esc",), SELECTING),
    WorkspaceKey("undo", "Undo", ("Ctrl+Z",), EDITING),
    WorkspaceKey("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), EDITING),
    WorkspaceKey("delete", "Delete the selected annotation", ("Del",), EDITING),
    WorkspaceKey("filter_codes", "Find a category by name", ("Ctrl+K",), EDITING),
    WorkspaceKey("export", "Export an anonymised clip", ("Ctrl+E",), EDITING),
    WorkspaceKey("debrief", "Debrief, moment by moment", ("F5",), EDITING),
    WorkspaceKey("gentle", "Gentle preview on or off", ("Ctrl+G",), PLAYING),  # wellbeing's
    WorkspaceKey("find", "Find and replace in the transcript", ("Ctrl+F",), TRANSCRIPT),
    WorkspaceKey("correct_word", "Correct the word at the cursor", ("F2",), TRANSCRIPT),
    WorkspaceKey("split_line", "Split the line before the word", ("Ctrl+Return",), TRANSCRIPT),
    WorkspaceKey("join_lines", "Join the line with the next", ("Ctrl+J",), TRANSCRIPT),
    WorkspaceKey("switch_speaker", "Switch the line's speaker", ("Ctrl+Shift+W",), TRANSCRIPT),
    WorkspaceKey("toggle_lane", "Show or hide lane 1…9", ("Ctrl+1…9",), LANES),
    WorkspaceKey("keys", "Show every key (this list)", ("F1", "?"), HELP),
)


def reserved_keys() -> dict[str, str]:
    """Every key the workspace keeps for itself, with what it does."""
    taken = {key: k.label for k in WORKSPACE_KEYS for key in k.keys if "…" not in key}
    taken.update({f"Ctrl+{n}": "Show or hide a lane" for n in range(1, 10)})
    return taken


def normalise_key(text: str) -> str:
    """``shift+r`` → ``Shift+R``; raises ``KeyConflictError`` for what is not a category key."""
    parts = [p.strip() for p in text.strip().split("+")]
    if not text.strip() or any(not p for p in parts):
        raise KeyConflictError(f"{text.strip()!r} is not a key: use a letter or digit, "
                               "with Shift, Ctrl or Alt if you like (e.g. G, Shift+R)")  # fmt: skip
    *mods, last = parts
    modifiers = {m.capitalize() for m in mods}
    if "Control" in modifiers:
        modifiers = (modifiers - {"Control"}) | {"Ctrl"}
    key = "+".join([m for m in _MODIFIER_ORDER if m in modifiers] + [last.upper()])
    known = len(modifiers) == len(mods) and modifiers <= set(_MODIFIER_ORDER)
    if not known or not _CATEGORY_KEY.match(key):
        raise KeyConflictError(f"{text.strip()!r} is not a key a category can have: use a "
                               "letter or digit, with Shift, Ctrl or Alt if you like")  # fmt: skip
    return key


@dataclass(frozen=True)
class KeyScheme:
    """The keys in force for one reviewer: category key → key ("" for none)."""

    keys: Mapping[str, str]
    chosen: frozenset[str] = field(default_factory=frozenset)  # categories the reviewer changed

    def key_for(self, category_key: str) -> str:
        return self.keys.get(category_key, "")

    def category_for(self, key: str) -> str | None:
        return next((c for c, k in self.keys.items() if k and k == key), None)


def _settings_file(lib: Library) -> Path:
    principal = lib.db.principal
    who = f"user-{principal.user_id}" if principal.user_id is not None else principal.name
    name = hashlib.sha256(f"{lib.db.url}|{who}".encode()).hexdigest()[:16]
    return lib.data_dir / SETTINGS_FOLDER / f"keys-{name}.json"


def _stored_choices(lib: Library) -> dict[str, str]:
    try:
        data = json.loads(_settings_file(lib).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: the codebook's keys
    keys = data.get("keys") if isinstance(data, dict) else None
    return {str(c): str(k) for c, k in keys.items()} if isinstance(keys, dict) else {}


def _scheme(lib: Library, choices: Mapping[str, str]) -> KeyScheme:
    """The codebook's keys with the reviewer's choices on top. A choice that no longer fits
    (an unknown category, a key the workspace keeps) is left out; a default key that a
    choice took is dropped, so no key ever codes two categories."""
    known = {c.key for c in lib.codebook.categories}
    reserved = reserved_keys()
    kept = {c: k for c, k in choices.items() if c in known and k not in reserved}
    taken = {k for k in kept.values() if k}
    keys = {}
    for category in lib.codebook.categories:
        if category.key in kept:
            keys[category.key] = kept[category.key]
        else:
            default = category.hotkey or ""
            keys[category.key] = "" if default in taken or default in reserved else default
    return KeyScheme(keys, frozenset(kept))


def load_key_scheme(lib: Library) -> KeyScheme:
    """The keys in force for whoever is signed in to ``lib``."""
    return _scheme(lib, _stored_choices(lib))


def _save(lib: Library, choices: Mapping[str, str]) -> None:
    path = _settings_file(lib)
    private_files.make_private_dir(path.parent)
    body = json.dumps({"version": FILE_VERSION, "codebook": lib.codebook.version,
                       "keys": dict(sorted(choices.items()))}, indent=2)  # fmt: skip
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".keys-", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(temporary, path)  # never half a file under the name
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def set_category_key(lib: Library, category_key: str, key: str) -> KeyScheme:
    """Give ``category_key`` the key ``key`` ("" takes its key away) for this reviewer.

    Refused (``KeyConflictError``, nothing saved) when the key is not a category key, is
    kept by the workspace, or already codes another category.
    """
    category = lib.codebook.category(category_key)
    wanted = normalise_key(key) if key.strip() else ""
    reserved = reserved_keys()
    if wanted in reserved:
        raise KeyConflictError(f"{wanted} is kept for “{reserved[wanted]}”: choose another key.")
    current = load_key_scheme(lib)
    other = current.category_for(wanted) if wanted else None
    if other is not None and other != category.key:
        label = lib.codebook.category(other).label
        raise KeyConflictError(f"{wanted} already codes “{label}”: choose another key, "
                               "or give that category a different key first.")  # fmt: skip
    choices = _stored_choices(lib)
    if wanted == (category.hotkey or ""):
        choices.pop(category.key, None)  # back to the codebook's key
    else:
        choices[category.key] = wanted
    _save(lib, choices)
    return load_key_scheme(lib)


def reset_key_scheme(lib: Library) -> KeyScheme:
    """Forget this reviewer's choices: the codebook's keys again."""
    _save(lib, {})
    return load_key_scheme(lib)
