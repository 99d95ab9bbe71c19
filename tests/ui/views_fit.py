"""Does a window fit a police laptop? 1366×768 leaves about 1366×700 under a title bar and
a taskbar; at 125 % scaling the same screen is 1093×560 logical pixels.

``misfits(window, width, height)`` resizes the window to that size and lists what does not
fit: the window itself when its minimum is larger, any visible widget squeezed below its
minimum size, and any wrapped text given less height than its words need (cut off).
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QSizePolicy, QWidget

LAPTOP = (1366, 700)
LAPTOP_125 = (int(1366 / 1.25), int(700 / 1.25))  # 1092 × 560
IGNORED = QSizePolicy.Policy.Ignored


def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def misfits(window: QWidget, width: int, height: int) -> list[str]:
    """What does not fit when ``window`` is given ``width`` × ``height`` (empty: it fits)."""
    window.resize(width, height)
    QApplication.processEvents()
    found = []
    if window.width() > width or window.height() > height:
        found.append(f"the window needs {window.width()}×{window.height()}")
    for child in window.findChildren(QWidget):
        if not child.isVisibleTo(window) or child.isWindow() or _in_scroll_area(child, window):
            continue
        if child.objectName().startswith("qt_"):  # a part of a Qt widget (a spin box's edit)
            continue
        name = child.objectName() or type(child).__name__
        hint = child.minimumSizeHint()
        policy = child.sizePolicy()
        if hint.isValid():
            need_w = min(hint.width(), child.maximumWidth())  # a cap set on purpose is kept
            need_h = min(hint.height(), child.maximumHeight())
            # a pixel short is the layout's rounding (as tests/ui/test_window_fit.py allows)
            short_w = policy.horizontalPolicy() != IGNORED and child.width() + 1 < need_w
            short_h = policy.verticalPolicy() != IGNORED and child.height() + 1 < need_h
            if (short_w or short_h) and child.minimumWidth() == 0:
                found.append(f"{name} is {child.width()}×{child.height()}, needs "
                             f"{hint.width()}×{hint.height()}")  # fmt: skip
        if isinstance(child, QLabel) and child.wordWrap() and child.text():
            needed = child.heightForWidth(child.width())
            if needed > child.height() + 1:
                found.append(f"label {child.text()[:40]!r} is cut: {child.height()} px of {needed}")
    return found
