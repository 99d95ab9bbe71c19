"""A window its parent opens once: made on first use, brought forward (and read again) after.

The dashboard, the training programme and "My training" each belong to the window they are
opened from. Making one asks the library, which refuses someone who may not see it: the
reason is shown by the parent (its ``show_error``, when it has one) and nothing opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from bwvreview.app.errors import DomainError
from bwvreview.ui.window_size import resize_within_screen

W = TypeVar("W", bound=QWidget)


def open_once(
    parent: QWidget | None,
    kind: type[W],
    make: Callable[[], W],
    title: str,
    size: tuple[int, int],
) -> W | None:
    """The parent's ``kind`` of window, made by ``make`` the first time (``size`` or what
    the screen has room for); later calls call its ``refresh()`` and bring it forward.
    ``None`` if making it was refused, the reason shown under ``title``."""
    existing = parent.findChild(kind) if parent is not None else None
    if existing is not None:
        existing.refresh()  # type: ignore[attr-defined]
        existing.show()
        existing.raise_()
        return existing
    try:
        window = make()
    except DomainError as exc:
        show = getattr(parent, "show_error", None)
        if show is not None:
            show(title, str(exc))
        return None
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.Window)
    resize_within_screen(window, *size)
    window.show()
    return window
