"""Every window and dialog fits a 1366×768 police laptop, at 100 % and at 125 % scaling.

With a title bar and a taskbar, about 1366×700 of a 1366×768 screen is left for a window.
Each window of the app (``every_window.WINDOWS``, on the demo library) is opened offscreen
and resized to that; it must accept the size (its minimum fits) and no widget it shows may
be squeezed below its own minimum size hint (a clipped label, a button cut in half).

125 % scaling: this file runs again in a process of its own with ``QT_SCALE_FACTOR=1.25``
(Qt's own high-DPI scaling, as Windows at 125 % gives it: device pixel ratio 1.25), where
the same 1366×700 screen pixels hold 1092×560 of Qt's logical pixels. Measured in that
process rather than multiplied from the 100 % sizes, so fonts and styles are laid out as
they would be at that scale.
"""

from __future__ import annotations

import inspect
import math
import os
import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QLayout,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QWidget,
)

import bwvreview.ui
from tests.ui.every_window import WINDOWS, open_demo_people

SCREEN_PX = (1366, 700)  # a 1366×768 screen less a title bar and a taskbar
SCALE = float(os.environ.get("QT_SCALE_FACTOR") or 1)
LOGICAL = (math.floor(SCREEN_PX[0] / SCALE), math.floor(SCREEN_PX[1] / SCALE))

# Windows other branches of issue 17 are making fit, and the scales at which they do not
# yet, as this test measured them (reported to the lead). Strict: once one fits, the test
# fails until its entry is taken out.
TOO_BIG: dict[str, set[float]] = {
    # views-ui: forced 1162 px tall (a height-for-width layout in a top-level window)
    "agreement": {1.0, 1.25},
    # workspace-ui: needs 727×573 logical px; 560 are left at 125 %
    "workspace": {1.25},
    # views-ui: the reflection box and list squeezed to ~60 px (their minimum is 70)
    "feedback (officer)": {1.25},
    "feedback (officer, no incidents)": {1.25},
    "feedback preview": {1.25},
}


def _params() -> list:
    marks = {
        name: pytest.mark.xfail(strict=True, reason=f"{name}: too big at {SCALE:g}× (issue 17)")
        for name, scales in TOO_BIG.items()
        if SCALE in scales
    }
    return [pytest.param(name, marks=marks.get(name, ())) for name in WINDOWS]


@pytest.fixture(scope="module")
def people(tmp_path_factory, clip_path):
    demo = open_demo_people(tmp_path_factory.mktemp("fitdata"), clip_path)
    yield demo
    QThreadPool.globalInstance().waitForDone(60_000)
    demo.owner.close()


def _in_layout(layout: QLayout, widget: QWidget) -> bool:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is widget:
            return True
        if item.layout() is not None and _in_layout(item.layout(), widget):
            return True
    return False


def _laid_out(widget: QWidget) -> bool:
    """Placed by a layout, a splitter, a main window or a dock (which respect its minimum),
    rather than drawn inside another widget by its own hand (a spin box's line edit)."""
    parent = widget.parentWidget()
    if parent is None:
        return False
    if isinstance(parent, QSplitter | QMainWindow | QDockWidget):
        return True
    return parent.layout() is not None and _in_layout(parent.layout(), widget)


def _needs(widget: QWidget) -> QSize:
    """The smallest size the widget's layout would give it, as Qt decides it."""
    hint, policy = widget.minimumSizeHint(), widget.sizePolicy()
    ignored = QSizePolicy.Policy.Ignored
    width = 0 if policy.horizontalPolicy() == ignored else hint.width()
    height = 0 if policy.verticalPolicy() == ignored else hint.height()
    if widget.hasHeightForWidth():  # a wrapped text needs more height when narrower
        layout = widget.layout()
        height = max(0, layout.minimumHeightForWidth(widget.width()) if layout is not None
                     else widget.heightForWidth(widget.width()))  # fmt: skip
    width = widget.minimumWidth() or width
    height = widget.minimumHeight() or height
    return QSize(min(width, widget.maximumWidth()), min(height, widget.maximumHeight()))


def _name(widget: QWidget) -> str:
    said = ""
    if isinstance(widget, QLabel | QAbstractButton):
        said = widget.text()
    said = said or widget.accessibleName() or widget.objectName()
    said = f" “{said[:40]}”" if said else ""
    return f"{type(widget).__name__}{said}"


def fit_problems(window: QWidget, size: tuple[int, int]) -> list[str]:
    """What does not fit when ``window`` is shown at ``size`` (logical pixels)."""
    window.show()
    window.resize(*size)
    for _ in range(3):
        QApplication.processEvents()
    smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
    problems = []
    if smallest.width() > size[0] or smallest.height() > size[1]:
        problems.append(f"needs at least {smallest.width()}×{smallest.height()}")
    if window.width() > size[0] or window.height() > size[1]:
        problems.append(f"is {window.width()}×{window.height()} when asked for {size[0]}×{size[1]}")
    for child in window.findChildren(QWidget):
        if child.isWindow() or not child.isVisible() or not _laid_out(child):
            continue
        if isinstance(child.parentWidget(), QAbstractScrollArea):
            continue  # a scroll area's own bars
        needs = _needs(child)
        if child.width() + 1 < needs.width() or child.height() + 1 < needs.height():
            problems.append(
                f"{_name(child)} is {child.width()}×{child.height()},"
                f" below its minimum {needs.width()}×{needs.height()}"
            )
    return problems


@pytest.mark.parametrize("name", _params())
def test_the_window_fits_a_laptop_screen(qtbot, people, name):
    _cls, build = WINDOWS[name]
    window = build(people)
    qtbot.addWidget(window)
    try:
        problems = fit_problems(window, LOGICAL)
        if SCALE != 1:
            assert window.devicePixelRatio() == pytest.approx(SCALE)  # really scaled
    finally:
        window.close()
        QThreadPool.globalInstance().waitForDone(60_000)
    shown = f"{SCREEN_PX[0]}×{SCREEN_PX[1]} screen pixels at {SCALE:.0%}"
    assert not problems, f"{name} does not fit {shown}:\n  " + "\n  ".join(problems)


def _window_classes() -> set[str]:
    """Every window or dialog class in bwvreview.ui: a QDialog or QMainWindow, or a widget
    that gives itself a window title (a window of its own)."""
    found = set()
    for module in pkgutil.iter_modules(bwvreview.ui.__path__):
        loaded = import_module(f"bwvreview.ui.{module.name}")
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ != loaded.__name__ or not issubclass(cls, QWidget):
                continue
            titled = "setWindowTitle(" in inspect.getsource(cls)
            if issubclass(cls, QDialog | QMainWindow) or titled:
                found.add(name)
    return found


def test_every_window_of_the_app_is_measured():
    missing = _window_classes() - {cls for cls, _build in WINDOWS.values()}
    assert not missing, f"add a builder to tests/ui/every_window.py for: {sorted(missing)}"


@pytest.mark.skipif(SCALE != 1, reason="this is the process at 125 %")
def test_every_window_fits_at_125_percent_scaling():
    env = {**os.environ, "QT_SCALE_FACTOR": "1.25", "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
         "-k", "fits_a_laptop", str(Path(__file__))],
        env=env, capture_output=True, text=True, timeout=900, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
