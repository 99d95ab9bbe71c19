"""Reviewer wellbeing: content warnings, gentle preview and break reminders, offscreen.

Modal dialogs never block: their ``exec`` is replaced by one that presses a button.
"""

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import select

from bwvreview import app
from bwvreview.annotations.audit import verify_chain
from bwvreview.annotations.review import library
from bwvreview.annotations.store.models import AuditEvent
from bwvreview.ui import launch
from bwvreview.ui.break_reminder import MINUTE_MS, BreakReminder, ReviewClock
from bwvreview.ui.launch import build_library_window, build_workspace, open_workspace
from bwvreview.ui.player import VideoView
from bwvreview.ui.wellbeing import (
    ContentWarningDialog,
    WellbeingSettings,
    WellbeingSettingsDialog,
    WorkspaceWellbeing,
    load_settings,
    save_settings,
)
from bwvreview.ui.workspace_window import WorkspaceWindow
from tests.waits import UI_WAIT_MS

WARNING = "child present; restraint; self-harm talk"


@pytest.fixture(autouse=True)
def own_settings(own_settings):
    """Wellbeing settings start from the defaults (the settings folder is the test's own)."""
    QSettings().remove("wellbeing")


@pytest.fixture
def lib(_isolated_data):
    library_ = app.open_library()
    yield library_
    QThreadPool.globalInstance().waitForDone()
    library_.close()


@pytest.fixture
def recording(lib, clip_path):
    recording, _ = app.import_media(lib, clip_path, incident="INC-0001")
    return recording


@pytest.fixture
def library_window(qtbot, lib):
    window, controller = build_library_window(lib)
    qtbot.addWidget(window)
    yield window, controller
    for workspace in list(launch._open_workspaces.values()):
        workspace.close()


@pytest.fixture
def clock():
    shared = ReviewClock.for_app()
    shared.take_break()
    shared.notice_open = False
    return shared


def choose(monkeypatch, button_name):
    """Make the content-warning dialog press ``button_name``; returns the warnings shown."""
    shown = []

    def fake_exec(dialog):
        shown.append(dialog.warning.text())
        getattr(dialog, button_name).click()
        return dialog.result()

    monkeypatch.setattr(ContentWarningDialog, "exec", fake_exec)
    return shown


def workspaces():
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, WorkspaceWindow) and w.isVisible()]  # fmt: skip


# --- content warnings ----------------------------------------------------------------------
def test_a_content_warning_is_stored_returned_and_audited(lib, recording):
    assert recording.content_warning is None
    changed = library.set_content_warning(lib.db, recording.id, f"  {WARNING} ", actor="tip1")
    assert changed.content_warning == WARNING
    assert library.get_recording(lib.db, recording.id).content_warning == WARNING
    assert changed.to_json()["content_warning"] == WARNING
    cleared = library.set_content_warning(lib.db, recording.id, "   ", actor="tip1")
    assert cleared.content_warning is None
    with lib.db.begin() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("content-warning-%"))
        ).all()
        assert [(e.action, e.actor, e.object_id) for e in events] == [
            ("content-warning-set", "tip1", str(recording.id)),
            ("content-warning-clear", "tip1", str(recording.id)),
        ]
        assert "self-harm" not in str(events[0].details)  # the words stay out of the log
        assert verify_chain(session).ok


def test_a_warning_is_shown_first_and_not_now_keeps_the_workspace_closed(
    monkeypatch, lib, recording, library_window
):
    library.set_content_warning(lib.db, recording.id, WARNING, actor="tip1")
    shown = choose(monkeypatch, "not_now_button")
    _, controller = library_window
    assert open_workspace(lib, recording.id, controller) is None
    assert shown == [WARNING]
    assert recording.id not in launch._open_workspaces
    assert workspaces() == []


def test_opening_with_gentle_preview_softens_and_quietens_until_shown_clearly(
    monkeypatch, qtbot, lib, recording, library_window
):
    library.set_content_warning(lib.db, recording.id, WARNING, actor="tip1")
    choose(monkeypatch, "gentle_button")
    window = open_workspace(lib, recording.id, library_window[1])
    assert window is not None
    player, bar = window.player, window.gentle_bar
    assert player.soften and player.video.soften
    assert player.audio.volume() == pytest.approx(0.3)
    assert bar.isVisible()
    assert bar.label.text() == "Gentle preview: picture softened, sound at 30 %."
    qtbot.mouseClick(bar.show_button, Qt.MouseButton.LeftButton)
    assert not player.soften
    assert player.audio.volume() == pytest.approx(1.0)
    assert not bar.isVisible()
    assert not window.findChild(WorkspaceWellbeing).gentle_action.isChecked()


def test_open_normally_overrides_gentle_by_default(monkeypatch, lib, recording, library_window):
    save_settings(WellbeingSettings(gentle_by_default=True))
    library.set_content_warning(lib.db, recording.id, WARNING, actor="tip1")
    choose(monkeypatch, "normal_button")
    window = open_workspace(lib, recording.id, library_window[1])
    assert window is not None and not window.player.soften
    assert not window.gentle_bar.isVisible()


def test_without_a_warning_no_dialog_and_gentle_by_default_applies(
    monkeypatch, lib, recording, library_window
):
    save_settings(WellbeingSettings(gentle_by_default=True))
    monkeypatch.setattr(ContentWarningDialog, "exec", lambda _d: pytest.fail("no warning to show"))
    window = open_workspace(lib, recording.id, library_window[1])
    assert window is not None and window.player.soften and window.gentle_bar.isVisible()


# --- gentle preview ------------------------------------------------------------------------
def checkerboard(width=320, height=240, square=8) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    for y in range(0, height, square):
        for x in range(0, width, square):
            shade = 255 if (x // square + y // square) % 2 else 0
            painter.fillRect(x, y, square, square, QColor(shade, shade, shade))
    painter.end()
    return image


def grey_pixels(widget: QWidget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width()].astype(float)


def test_soften_blurs_the_painted_picture(qtbot):
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 240)
    view.image = checkerboard()
    sharp = grey_pixels(view)
    view.soften = True
    soft = grey_pixels(view)
    assert sharp.var() > 10_000  # black and white squares
    assert soft.var() < sharp.var() / 20  # the squares are gone
    assert abs(soft.mean() - sharp.mean()) < 20  # the picture is softened, not hidden
    view.soften = False
    assert np.array_equal(grey_pixels(view), sharp)


@pytest.fixture
def workspace(qtbot, lib, recording, clock):
    window, controller = build_workspace(lib, recording.id)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=UI_WAIT_MS)
    yield window, controller
    window.player.pause()


def test_ctrl_g_toggles_the_gentle_preview(qtbot, workspace):
    window, controller = workspace
    assert not window.player.soften and not window.gentle_bar.isVisible()
    qtbot.keyClick(window.timeline, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.player.soften and window.gentle_bar.isVisible()
    assert controller.wellbeing.gentle_action.isChecked()
    assert window.player.audio.volume() == pytest.approx(0.3)
    qtbot.keyClick(window.timeline, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert not window.player.soften and not window.gentle_bar.isVisible()


# --- break reminders -----------------------------------------------------------------------
def test_the_break_reminder_comes_after_the_set_time_and_a_break_pauses(qtbot, workspace, clock):
    save_settings(WellbeingSettings(break_minutes=1))
    window, controller = workspace
    wellbeing = controller.wellbeing
    wellbeing.reminder.tick(40_000)
    assert wellbeing.notice is None
    wellbeing.reminder.tick(20_000)
    notice = wellbeing.notice
    assert notice is not None and notice.isVisible() and not notice.isModal()
    assert notice.message.text() == (
        "You've been reviewing for 1 minute. A short break helps — step away, have some water."
    )
    window.player.play()
    qtbot.waitUntil(window.player.is_playing, timeout=UI_WAIT_MS)
    qtbot.mouseClick(notice.break_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=UI_WAIT_MS)
    assert clock.reviewed_ms == 0 and not clock.notice_open and wellbeing.notice is None


def test_remind_me_later_asks_again_fifteen_minutes_on(qtbot, workspace, clock):
    window, controller = workspace
    reminder = controller.wellbeing.reminder
    reminder.tick(45 * MINUTE_MS)  # the default: 45 minutes
    first = controller.wellbeing.notice
    assert "45 minutes" in first.message.text()
    reminder.tick(MINUTE_MS)
    assert controller.wellbeing.notice is first  # one notice at a time
    qtbot.mouseClick(first.later_button, Qt.MouseButton.LeftButton)
    assert not clock.notice_open and controller.wellbeing.notice is None
    reminder.tick(13 * MINUTE_MS)
    assert controller.wellbeing.notice is None
    reminder.tick(2 * MINUTE_MS)
    assert "61 minutes" in controller.wellbeing.notice.message.text()


def test_time_counts_only_while_the_workspace_is_active(qtbot, workspace, clock):
    window, controller = workspace
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=UI_WAIT_MS)
    controller.wellbeing.reminder.tick(60 * MINUTE_MS)
    assert clock.reviewed_ms == 0 and controller.wellbeing.notice is None


def test_zero_minutes_turns_reminders_off(workspace, clock):
    save_settings(WellbeingSettings(break_minutes=0))
    _, controller = workspace
    controller.wellbeing.reminder.tick(300 * MINUTE_MS)
    assert controller.wellbeing.notice is None


def test_the_reminder_timer_counts_active_time(qtbot, workspace):
    window, _ = workspace
    own_clock = ReviewClock()
    BreakReminder(window, lambda: 45, own_clock, tick_ms=10)
    qtbot.waitUntil(lambda: own_clock.reviewed_ms > 0, timeout=UI_WAIT_MS)


# --- settings ------------------------------------------------------------------------------
def test_settings_dialog_saves_and_is_in_both_menus(monkeypatch, library_window, workspace):
    assert load_settings() == WellbeingSettings(45, False)

    def fake_exec(dialog):
        dialog.break_minutes.setValue(30)
        dialog.gentle.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WellbeingSettingsDialog, "exec", fake_exec)
    library_window[0].wellbeing_action.trigger()
    assert load_settings() == WellbeingSettings(30, True)
    window, _ = workspace
    names = [a.text() for a in window.play_menu.actions()]
    assert "&Gentle preview" in names and "&Wellbeing…" in names
