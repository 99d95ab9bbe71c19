"""The review workspace fits a 1366×768 police laptop (about 1366×700 once the title bar and
task bar are drawn), with text at 100 % and at 125 %: no widget is squeezed below the
smallest size it can be drawn at, and nothing needed is pushed off the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QScrollBar, QSizePolicy, QToolButton, QWidget

SCREEN = QSize(1366, 700)


def needed(widget: QWidget) -> QSize:
    """The smallest size a layout may give ``widget`` (Qt's own rule, qSmartMinSize)."""
    hint, minimum = widget.minimumSizeHint(), widget.minimumSize()
    policy = widget.sizePolicy()
    width = minimum.width() or (0 if policy.horizontalPolicy() == QSizePolicy.Policy.Ignored
                                else max(hint.width(), 0))  # fmt: skip
    height = minimum.height() or (0 if policy.verticalPolicy() == QSizePolicy.Policy.Ignored
                                  else max(hint.height(), 0))  # fmt: skip
    return QSize(width, height)


def squeezed(window: QWidget) -> list[str]:
    """Every shown widget drawn smaller than it needs, as "name: has w×h, needs w×h"."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.isWindow() or isinstance(widget, QScrollBar):
            continue
        if widget.objectName().startswith("qt_"):
            continue  # a part Qt sizes inside its own widget (a spin box's line edit)
        want = needed(widget)
        if widget.width() < want.width() or widget.height() < want.height():
            name = widget.objectName() or type(widget).__name__
            found.append(f"{name}: has {widget.width()}×{widget.height()}, "
                         f"needs {want.width()}×{want.height()}")  # fmt: skip
    return found


def settle(qtbot, window) -> None:
    window.resize(SCREEN)
    qtbot.waitUntil(lambda: window.size() == SCREEN, timeout=5000)
    for _ in range(3):
        QApplication.processEvents()


@pytest.mark.parametrize("text_scale", [1.0, 1.25], ids=["100%", "125%"])
def test_the_workspace_fits_1366_by_700(qtbot, workspace, text_scale):
    window, _controller = workspace
    if text_scale != 1.0:
        font = window.font()
        font.setPointSizeF(font.pointSizeF() * text_scale)
        window.setFont(font)  # every child inherits it, as with Windows' 125 % text
    settle(qtbot, window)
    smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert smallest.width() <= SCREEN.width() and smallest.height() <= SCREEN.height(), smallest
    assert window.size() == SCREEN
    assert squeezed(window) == []
    # What a reviewer needs in view at once: the picture, the lanes, the coding panel,
    # the transcript tabs, the note and the status.
    for widget in (window.player.video, window.timeline, window.coding.list, window.tabs,
                   window.editor.note, window.editor.status):  # fmt: skip
        assert widget.isVisible() and widget.height() >= 20, type(widget).__name__
        assert widget.mapTo(window, widget.rect().bottomRight()).y() <= SCREEN.height()


@pytest.mark.parametrize("text_scale", [1.0, 1.25], ids=["100%", "125%"])
def test_every_key_fits_on_the_overlay(qtbot, workspace, text_scale):
    window, _controller = workspace
    font = window.font()
    font.setPointSizeF(font.pointSizeF() * text_scale)
    window.setFont(font)
    settle(qtbot, window)
    window.overlay.open()
    QApplication.processEvents()
    for column in window.overlay.columns:
        hint = column.sizeHint()
        assert hint.width() <= column.width() and hint.height() <= column.height(), (
            column.text()[:60], hint, column.size())


def test_every_lane_label_is_whole(qtbot, workspace):
    window, _controller = workspace
    settle(qtbot, window)
    metrics = window.timeline.fontMetrics()
    longest = max(metrics.horizontalAdvance(label) for _key, label in window.timeline.lanes())
    assert window.timeline.gutter_px() >= longest + 12


def test_the_annotations_tab_shows_status_and_note_and_whole_kinds(qtbot, workspace):
    from bwvreview.ui.annotation_list import KIND, NOTE, STATUS
    from bwvreview.ui.kind_marks import kind_text

    window, _controller = workspace
    settle(qtbot, window)
    window.tabs.setCurrentWidget(window.annotations)
    QApplication.processEvents()
    table = window.annotations.table
    header = table.horizontalHeader()
    visible = table.viewport().width()
    assert header.sectionViewportPosition(STATUS) + header.sectionSize(STATUS) <= visible
    assert header.sectionViewportPosition(NOTE) + 60 <= visible  # the note starts in view
    metrics = table.fontMetrics()
    for polarity in ("good_practice", "concern", "observation"):
        assert header.sectionSize(KIND) >= metrics.horizontalAdvance(kind_text(polarity)) + 8


def test_a_squeezed_widget_is_found(qtbot):
    from PySide6.QtWidgets import QPushButton

    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("Export anonymised clip…", window)
    button.setGeometry(0, 0, 30, 10)  # no layout to stop it
    window.show()
    assert squeezed(window) and squeezed(window)[0].startswith("QPushButton: has 30×10")


@pytest.mark.parametrize(
    ("screen", "text_scale"),
    [(SCREEN, 1.0), (SCREEN, 1.25), (QSize(1093, 560), 1.0)],
    ids=["100%", "125%-text", "125%-scaled"],  # QT_SCALE_FACTOR=1.25: 1093×560 logical pixels
)
def test_every_tab_of_the_side_panel_is_in_view(qtbot, workspace, screen, text_scale):
    """No tab hides behind the tab bar's scroll arrows (Reflections did at 125 %), even
    with unread reflections counted in its title."""
    window, _controller = workspace
    font = window.font()
    font.setPointSizeF(font.pointSizeF() * text_scale)
    window.setFont(font)
    window.tabs.setTabText(window.tabs.indexOf(window.reflections), "Reflections (2 new)")
    window.resize(screen)
    qtbot.waitUntil(lambda: window.size() == screen, timeout=5000)
    QApplication.processEvents()
    bar = window.tabs.tabBar()
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisibleTo(window)]
    assert arrows == []
    for index in range(bar.count()):
        shown = bar.tabRect(index)
        assert shown.left() >= 0 and shown.right() < bar.width(), bar.tabText(index)
        words = bar.tabText(index).replace("&", "")
        assert bar.fontMetrics().horizontalAdvance(words) <= shown.width(), words  # not elided
