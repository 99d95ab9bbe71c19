"""Looking after the reviewer: content warnings, gentle preview and break reminders.

Footage of incidents can be distressing. A recording with a content warning shows it before
anything plays, and the reviewer chooses how to open it: with a gentle preview (picture
softened, sound at 30 %, until they choose "Show clearly"), normally, or not now. Choice
is the point: nothing here decides for the reviewer, and every setting can be changed.
Settings live in QSettings under ``wellbeing/``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.records import Recording
from bwvreview.ui.break_reminder import BreakNotice, BreakReminder, ReviewClock
from bwvreview.ui.player import GENTLE_VOLUME

if TYPE_CHECKING:
    from bwvreview.ui.workspace_window import WorkspaceWindow

BREAK_MINUTES_KEY = "wellbeing/break_minutes"
GENTLE_KEY = "wellbeing/gentle_by_default"
GENTLE_TEXT = f"Gentle preview: picture softened, sound at {round(GENTLE_VOLUME * 100)} %"


@dataclass(frozen=True)
class WellbeingSettings:
    break_minutes: int = 45  # 0: no break reminders
    gentle_by_default: bool = False


def load_settings() -> WellbeingSettings:
    settings = QSettings()
    default = WellbeingSettings()
    minutes = settings.value(BREAK_MINUTES_KEY, default.break_minutes, type=int)
    gentle = settings.value(GENTLE_KEY, default.gentle_by_default, type=bool)
    return WellbeingSettings(max(0, int(minutes)), bool(gentle))


def save_settings(chosen: WellbeingSettings) -> None:
    settings = QSettings()
    settings.setValue(BREAK_MINUTES_KEY, chosen.break_minutes)
    settings.setValue(GENTLE_KEY, chosen.gentle_by_default)


class OpenChoice(enum.IntEnum):
    """How the reviewer chose to open a recording (the dialog's result code)."""

    NOT_NOW = 0  # also Escape or closing the dialog
    GENTLE = 1
    NORMAL = 2
    DEFAULT = 3  # no warning to ask about: the gentle-by-default setting decides


class ContentWarningDialog(QDialog):
    """Shows a recording's content warning before anything plays."""

    def __init__(self, warning: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you watch")
        heading = QLabel(f"“{title}” has a content warning")
        heading.setWordWrap(True)
        heading.setStyleSheet("font-size: 13pt; color: #23343f;")
        self.warning = QLabel(warning)
        self.warning.setWordWrap(True)
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning.setStyleSheet(
            "background: #eef3f6; color: #23343f; border-left: 4px solid #8aa6b8;"
            " padding: 10px 12px; font-size: 11pt;"
        )
        explain = QLabel(
            "You can open it with the picture softened and the sound lowered, and show it "
            "clearly when you are ready. Or come back to it another time."
        )
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #3d4f5a;")
        self.not_now_button = QPushButton("Not now")
        self.not_now_button.clicked.connect(lambda: self.done(OpenChoice.NOT_NOW))
        self.normal_button = QPushButton("Open normally")
        self.normal_button.clicked.connect(lambda: self.done(OpenChoice.NORMAL))
        self.gentle_button = QPushButton("Open with gentle preview")
        self.gentle_button.setDefault(True)
        self.gentle_button.clicked.connect(lambda: self.done(OpenChoice.GENTLE))
        buttons = QHBoxLayout()
        buttons.addWidget(self.not_now_button)
        buttons.addStretch(1)
        buttons.addWidget(self.normal_button)
        buttons.addWidget(self.gentle_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(14)
        for widget in (heading, self.warning, explain):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
        self.gentle_button.setFocus()

    def choose(self) -> OpenChoice:
        return OpenChoice(self.exec())


def ask_before_opening(recording: Recording, parent: QWidget | None = None) -> OpenChoice:
    """The reviewer's choice for a recording with a warning; ``DEFAULT`` when it has none."""
    if not recording.content_warning:
        return OpenChoice.DEFAULT
    title = recording.incident_reference or Path(recording.path).name
    return ContentWarningDialog(recording.content_warning, title, parent).choose()


class WellbeingSettingsDialog(QDialog):
    def __init__(self, current: WellbeingSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wellbeing")
        self.break_minutes = QSpinBox()
        self.break_minutes.setRange(0, 240)
        self.break_minutes.setSingleStep(5)
        self.break_minutes.setSuffix(" minutes")
        self.break_minutes.setSpecialValueText("Off")
        self.break_minutes.setValue(current.break_minutes)
        self.gentle = QCheckBox("Open every recording in gentle preview")
        self.gentle.setChecked(current.gentle_by_default)
        hint = QLabel(
            "Reviewing time counts only while a review workspace is the active window; "
            "ten minutes away counts as a break. Gentle preview softens the picture and "
            "lowers the sound until you choose “Show clearly” (Ctrl+G)."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #3d4f5a;")
        form = QFormLayout()
        form.addRow("Suggest a break after:", self.break_minutes)
        form.addRow("", self.gentle)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(box)
        self.setMinimumWidth(440)

    def chosen(self) -> WellbeingSettings:
        return WellbeingSettings(self.break_minutes.value(), self.gentle.isChecked())


def edit_wellbeing_settings(parent: QWidget | None = None) -> WellbeingSettings | None:
    """Show the settings dialog; save and return the new settings, or ``None`` if cancelled."""
    dialog = WellbeingSettingsDialog(load_settings(), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.chosen()
    save_settings(chosen)
    return chosen


class GentlePreviewBar(QFrame):
    """The bar above the picture while the gentle preview is on."""

    show_clearly_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("gentlePreviewBar")
        self.setStyleSheet(
            "#gentlePreviewBar { background: #e8f0f4; border: 1px solid #c3d3dd;"
            " border-radius: 4px; } QLabel { color: #23343f; }"
        )
        self.label = QLabel(f"{GENTLE_TEXT}.")
        self.show_button = QPushButton("Show clearly")
        self.show_button.setToolTip("Show the picture clearly and play the sound at full volume")
        self.show_button.clicked.connect(self.show_clearly_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.show_button)
        self.hide()


class WorkspaceWellbeing(QObject):
    """The workspace's gentle preview (bar, Play-menu toggle) and its break reminder."""

    def __init__(self, view: WorkspaceWindow, clock: ReviewClock | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.notice: BreakNotice | None = None
        self.gentle_action = QAction("&Gentle preview", view, checkable=True)
        self.gentle_action.setShortcut(QKeySequence("Ctrl+G"))
        self.gentle_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.gentle_action.toggled.connect(self.set_gentle)
        settings_action = QAction("&Wellbeing…", view)
        settings_action.triggered.connect(lambda: edit_wellbeing_settings(view))
        view.play_menu.addSeparator()
        view.play_menu.addAction(self.gentle_action)
        view.play_menu.addAction(settings_action)
        view.gentle_bar.show_clearly_requested.connect(lambda: self.set_gentle(False))
        self.reminder = BreakReminder(view, lambda: load_settings().break_minutes, clock)
        self.reminder.break_due.connect(self.offer_break)
        self.set_gentle(load_settings().gentle_by_default)

    def apply(self, choice: OpenChoice) -> None:
        """Start as the reviewer chose in the content-warning dialog."""
        if choice in (OpenChoice.GENTLE, OpenChoice.NORMAL):
            self.set_gentle(choice is OpenChoice.GENTLE)

    def set_gentle(self, on: bool) -> None:
        self.view.player.set_gentle(on)
        self.view.gentle_bar.setVisible(on)
        with QSignalBlocker(self.gentle_action):
            self.gentle_action.setChecked(on)

    def offer_break(self, minutes: int) -> None:
        self.notice = self.reminder.show_notice(minutes, self.view.player.pause)
        self.notice.finished.connect(self._notice_closed)

    def _notice_closed(self) -> None:
        self.notice = None  # it deletes itself on close
