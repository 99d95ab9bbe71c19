"""Every window and dialog fits a 1366×768 police laptop, at 100 % and at 125 % scaling.

With a title bar and a taskbar, about 1366×700 of a 1366×768 screen is left for a window.
The offscreen platform is given a screen of exactly that (its ``configfile``), and each
window of the app (``every_window.WINDOWS``, on the demo library) is opened on it: it must
open no larger than the screen, take 1366×700 when asked (its minimum fits), and no widget
it shows may be squeezed below its own minimum size hint (a clipped label, a button cut in
half).

Each scale runs in a process of its own (the screen is chosen when Qt starts): 100 %, and
125 % with ``QT_SCALE_FACTOR=1.25`` (Qt's own high-DPI scaling, as Windows at 125 % gives
it: device pixel ratio 1.25), where the same 1366×700 screen pixels hold 1093×560 of Qt's
logical pixels. Measured there rather than multiplied from the 100 % sizes, so fonts and
styles are laid out as they would be at that scale.
"""

from __future__ import annotations

import inspect
import json
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
ON_THE_LAPTOP = os.environ.get("BWVREVIEW_FIT_SCREEN") == "1"  # in the process made below

# Windows other branches of issue 17 are making fit, and the scales at which they do not
# yet, as this test measured them (reported to the lead). Strict: once one fits, the test
# fails until its entry is taken out.
TOO_BIG: dict[str, set[float]] = {
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


@pytest.mark.skipif(not ON_THE_LAPTOP, reason="runs on the laptop's screen (tests below)")
@pytest.mark.parametrize("name", _params())
def test_the_window_fits_a_laptop_screen(qtbot, people, name):
    room = QApplication.primaryScreen().availableGeometry()
    assert (room.width(), room.height()) == (round(SCREEN_PX[0] / SCALE),
                                             round(SCREEN_PX[1] / SCALE))  # fmt: skip
    _cls, build = WINDOWS[name]
    window = build(people)
    qtbot.addWidget(window)
    try:
        window.show()
        QApplication.processEvents()
        problems = []
        if window.width() > room.width() or window.height() > room.height():
            problems.append(f"opens at {window.width()}×{window.height()}, larger than the"
                            f" screen's {room.width()}×{room.height()}")  # fmt: skip
        problems += fit_problems(window, (room.width(), room.height()))
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


@pytest.mark.skipif(ON_THE_LAPTOP, reason="this is the process on the laptop's screen")
@pytest.mark.parametrize("scale", ["1", "1.25"])
def test_every_window_fits_a_1366_by_768_laptop(tmp_path, scale):
    """Runs the test above in a process whose only screen is 1366×700, at ``scale``."""
    screen = tmp_path / "laptop.json"
    width, height = SCREEN_PX
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0,
                                               "width": width, "height": height,
                                               "logicalDpi": 96, "dpr": 1}]}))  # fmt: skip
    env = {**os.environ, "QT_SCALE_FACTOR": scale, "BWVREVIEW_FIT_SCREEN": "1",
           "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
         "-rxX", "-k", "fits_a_laptop_screen", str(Path(__file__))],
        env=env, capture_output=True, text=True, timeout=900, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
