"""The officer's feedback window: their own incidents, the moments shared with them, and
their reflections.

Purpose first: the page opens with what the feedback is for, then what went well (counted,
and the strengths named) before the moments to reflect on. Every moment is titled in the
officer's words (the codebook's ``officer_title``), never the reviewers' label. Read-only
footage: the player and a timeline with what was said and one labelled lane per kind; the
shared moments listed good practice first, each moment to reflect on with the alternative
wording the reviewer suggests; and a reflection box, saved at once, with a consent-to-share
choice that is off unless the officer ticks it.

``FeedbackWindow`` is the view; ``FeedbackController`` (feedback_controller.py) calls the
feedback service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import feedback
from bwvreview.app.polarity import OFFICER_LANES, officer_heading, quoted
from bwvreview.app.records import STATUS_LABELS, FeedbackItem, FeedbackRecording, OfficerIncident
from bwvreview.timecode import clock
from bwvreview.ui.player import PlayerWidget
from bwvreview.ui.reflections_panel import ReflectionListWidget, officer_text
from bwvreview.ui.timeline import TimelineWidget
from bwvreview.ui.timeline_style import TimelineItem
from bwvreview.ui.window_size import resize_within_screen, scrolling
from bwvreview.ui.wrapped_rows import WrappedRows

LEAD_IN_MS = 2000  # a moment is shown from a little before it starts
KIND = Qt.ItemDataRole.UserRole + 1  # "heading" or "moment"
STRENGTHS_NAMED = 3  # the summary names this many strengths, then says how many more

# Text in a kind's colour sits on a light tint of it, both set here, so the pair keeps
# WCAG AA contrast (4.5:1) whatever the desktop's theme: darker Okabe-Ito tones (the
# timeline's mid-tones are 3.4:1 on white, too light for words). tests/ui/test_views_contrast.py
# checks every pair in ``CONTRAST_PAIRS``.
KIND_TEXT = {
    "good_practice": ("#005C41", "#E3F2EC"),
    "concern": ("#9A4000", "#FBEBE0"),
    "observation": ("#3D5A80", "#E9EEF5"),
}
NOTICE = ("#5C4400", "#FFF3CD")  # the footage-missing banner; a debrief's "not shared" badge
BODY = ("#1A1A1A", "#FFFFFF")  # a moment's words in the list
CONTRAST_PAIRS = {
    **{f"{kind} heading": pair for kind, pair in KIND_TEXT.items()},
    **{f"text on the {kind} tint": (BODY[0], pair[1]) for kind, pair in KIND_TEXT.items()},
    "notice": NOTICE,
    "moment text": BODY,
}


def kind_style(polarity: str) -> str:
    """A style sheet for words in a kind's colour on its tint."""
    fg, bg = KIND_TEXT.get(polarity, KIND_TEXT["observation"])
    return f"color: {fg}; background: {bg}; padding: 2px 6px; border-radius: 3px;"


def moment_text(item: FeedbackItem) -> str:
    lines = [f"{clock(item.start_ms, tenths=True)}  {item.officer_title}"]
    if item.note:
        lines.append(item.note)
    if item.quote:
        lines.append(f"{feedback.QUOTE_HEADING}: {quoted(item.quote)}")
    if item.suggested_wording:
        lines.append(f"{feedback.ALTERNATIVE_HEADING}: {quoted(item.suggested_wording)}")
    return "\n".join(lines)


def strengths_text(items: list[FeedbackItem]) -> str:
    """``Strengths: A clear introduction, Giving them time and 4 more.`` ('' if none)."""
    good = feedback.strengths(items)
    if not good:
        return ""
    named = [i.officer_title for i in good[:STRENGTHS_NAMED]]
    more = len(good) - len(named)
    if more:
        return f"Strengths: {', '.join(named)} and {more} more."
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"Strengths: {listed}."


def _recording_text(incident: OfficerIncident, r: FeedbackRecording, several: bool) -> str:
    when = (r.recorded_at.strftime("%d %b %Y %H:%M") if r.recorded_at else
            incident.occurred_on.strftime("%d %b %Y") if incident.occurred_on else "")  # fmt: skip
    name = incident.reference + (f" · {Path(r.path).name}" if several else "")
    shared = (f"{r.shared_count} moment{'s' if r.shared_count != 1 else ''} shared"
              if r.shared_count else "nothing shared yet")  # fmt: skip
    status = STATUS_LABELS.get(r.status, r.status)
    return f"{name}\n{when + ' · ' if when else ''}{shared} · {status}"

NO_INCIDENTS_YET = (
    "No incidents of yours are in this library yet.\n\nWhen a Trauma Informed Practitioner"
    " has watched footage of an incident you attended and shared their feedback with you, it"
    " appears here: the footage, what went well, and a few moments you might reflect on."
    " You can then write a reflection of your own."
)


class FeedbackWindow(QMainWindow):
    recording_chosen = Signal(int)
    moment_chosen = Signal(object)  # annotation id or None
    # annotation id (None: the whole incident), text, consent to use in training
    reflection_requested = Signal(object, str, bool)
    consent_change_requested = Signal(int, bool)  # reflection id, consent

    def __init__(
        self,
        name: str,
        *,
        preview: bool = False,
        officer_titles: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)  # a QMainWindow is its own window even with a parent
        self.preview = preview  # a reviewer checking what the officer will see
        self.officer_titles = dict(officer_titles or {})
        title = "what the officer sees (preview)" if preview else f"feedback for {name}"
        self.setWindowTitle(f"bwvreview — {title}")
        self.items: list[FeedbackItem] = []
        self._build()
        self._restore_layout()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.incidents = QListWidget()
        self.incidents.setWordWrap(True)
        self.incidents.currentItemChanged.connect(self._incident_changed)
        self.empty = _wrapped(NO_INCIDENTS_YET)
        self.empty.hide()
        self.not_conduct = _wrapped(feedback.NOT_CONDUCT_NOTE)
        self.not_conduct.setFrameShape(QFrame.Shape.StyledPanel)
        self.not_conduct.setContentsMargins(6, 6, 6, 6)
        left = _column(_heading("Your incidents"), self.empty, (self.incidents, 1),
                       self.not_conduct)  # fmt: skip

        self.missing = _wrapped("")
        self.missing.setStyleSheet(f"color: {NOTICE[0]}; background: {NOTICE[1]}; padding: 4px;")
        self.missing.hide()
        self.player = PlayerWidget()
        self.timeline = TimelineWidget(kind_words=officer_heading)
        self.timeline.set_lanes(OFFICER_LANES)
        self.timeline.seek_requested.connect(self.player.seek)
        self.timeline.annotation_selected.connect(self._timeline_selected)
        # read-only: a dragged edge springs back, a drawn span is dropped
        self.timeline.annotation_resized.connect(lambda *_: self._show_timeline())
        self.player.position_changed.connect(self.timeline.set_playhead)
        self.centre = QSplitter(Qt.Orientation.Vertical)
        self.centre.addWidget(_column(self.missing, (self.player, 1)))
        self.centre.addWidget(self.timeline)
        self.centre.setStretchFactor(0, 3)

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self._feedback_column())
        self.right.addWidget(scrolling(self._reflection_box(), sideways=False))
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)

        self.splitter = QSplitter()
        for widget, stretch in ((left, 1), (self.centre, 3), (self.right, 2)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setSizes([230, 700, 440])
        self.centre.setSizes([500, 220])
        self.right.setSizes([420, 300])
        self.setCentralWidget(self.splitter)
        # (item padding in a style sheet is left out of a wrapped row's height: words were cut)
        self.incidents.setStyleSheet("QListWidget::item { padding: 4px 2px; }")

    def _feedback_column(self) -> QWidget:
        """Purpose, then the counts and the strengths, then every shared moment."""
        self.learning_note = _wrapped(feedback.LEARNING_NOTE)
        self.counts = _wrapped("")
        self.counts.setFont(_scaled(self.counts.font(), 1.15, bold=True))
        self.strengths = _wrapped("")
        self.strengths.setStyleSheet(kind_style("good_practice"))
        self.moments = QListWidget()
        self.moments.setSpacing(4)
        self.moments.setItemDelegate(WrappedRows(self.moments))
        self.moments.currentItemChanged.connect(self._moment_changed)
        self.nothing = _wrapped(feedback.NOTHING_SHARED)
        self.nothing.hide()
        return _column(_heading("Your feedback"), self.learning_note, self.counts,
                       self.strengths, self.nothing, (self.moments, 1))  # fmt: skip

    def _reflection_box(self) -> QWidget:
        box = self.reflection_box = QGroupBox("Your reflection")
        box.setEnabled(False)  # until one of their incidents is open
        self.on_incident = QRadioButton("On the whole incident")
        self.on_moment = QRadioButton("On the selected moment")
        self.on_incident.setChecked(True)
        self.on_moment.setEnabled(False)
        self.target = QButtonGroup(box)
        for button in (self.on_incident, self.on_moment):
            self.target.addButton(button)
        self.reflection = QPlainTextEdit()
        self.reflection.setPlaceholderText(
            "What do you notice now? What was going on for you, and for them? "
            "What might you try next time?"
        )
        self.reflection.setMinimumHeight(70)
        self.consent = QCheckBox()
        self.consent.setChecked(False)
        self.consent.setAccessibleName(feedback.CONSENT_LABEL)
        consent_words = _ClickableLabel(feedback.CONSENT_LABEL, self.consent.toggle)
        explain = _wrapped(feedback.CONSENT_EXPLANATION)
        explain.setFont(_scaled(explain.font(), 0.9))
        self.save_button = QPushButton("Save reflection")
        self.save_button.clicked.connect(self._ask_save)
        self.saved = _wrapped("")
        self.past = ReflectionListWidget(lambda r: officer_text(r, self.officer_titles))
        self.past.setMinimumHeight(70)
        self.past.moment_requested.connect(self.select_moment)
        self.past.currentRowChanged.connect(lambda _row: self._offer_consent_change())
        self.change_consent = QPushButton()
        self.change_consent.clicked.connect(self._ask_consent_change)
        self.change_consent.hide()
        targets = QVBoxLayout()
        targets.addWidget(self.on_incident)
        targets.addWidget(self.on_moment)
        save = QHBoxLayout()
        save.addWidget(self.save_button)
        save.addWidget(self.saved, 1)
        layout = QVBoxLayout(box)
        layout.addLayout(targets)
        layout.addWidget(self.reflection, 2)
        consent = QHBoxLayout()
        consent.addWidget(self.consent, 0, Qt.AlignmentFlag.AlignTop)
        consent.addWidget(consent_words, 1)
        layout.addLayout(consent)
        layout.addWidget(explain)
        layout.addLayout(save)
        layout.addWidget(QLabel("Your reflections on this incident"))
        layout.addWidget(self.past, 2)
        layout.addWidget(self.change_consent, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    # --- view methods the controller calls ----------------------------------------------
    def show_incidents(self, incidents: list[OfficerIncident]) -> None:
        self.incidents.clear()
        for incident in incidents:
            several = len(incident.recordings) > 1
            for recording in incident.recordings:
                item = QListWidgetItem(_recording_text(incident, recording, several))
                item.setData(Qt.ItemDataRole.UserRole, recording.id)
                self.incidents.addItem(item)
        # With nothing to show, no black player, empty timeline or blank list: what will come.
        self.empty.setVisible(not incidents)
        for part in (self.incidents, self.centre, self.right.widget(1), self.moments, self.counts,
                     self.strengths):
            part.setVisible(bool(incidents))

    def choose_recording(self, recording_id: int) -> None:
        for row in range(self.incidents.count()):
            if self.incidents.item(row).data(Qt.ItemDataRole.UserRole) == recording_id:
                self.incidents.setCurrentRow(row)
                return

    def show_feedback(self, recording: FeedbackRecording, items: list[FeedbackItem]) -> None:
        self.items = items
        self.moments.clear()
        heading = None
        for moment in items:
            if moment.heading != heading:
                heading = moment.heading
                count = sum(1 for i in items if i.polarity == moment.polarity)
                self.moments.addItem(_heading_item(f"{heading} ({count})", moment.polarity))
            row = QListWidgetItem(moment_text(moment))
            row.setData(Qt.ItemDataRole.UserRole, moment.annotation_id)
            row.setData(KIND, "moment")
            row.setToolTip(f"{officer_heading(moment.polarity)}: {moment.officer_title}")
            self.moments.addItem(row)
        self.counts.setText(feedback.counts_line(items).capitalize() + ".")
        self.counts.setVisible(bool(items))
        self.strengths.setText(strengths_text(items))
        self.strengths.setVisible(bool(self.strengths.text()))
        self.nothing.setText(feedback.NOTHING_SHARED)
        self.nothing.setVisible(not items)
        self.reflection_box.setEnabled(not self.preview)
        self.moments.setVisible(bool(items))
        self.on_moment.setEnabled(False)
        self.on_incident.setChecked(True)
        path = Path(recording.path)
        self.missing.setText(
            f"The footage file is not on this computer ({path.name}); the feedback still shows."
        )
        self.missing.setVisible(not path.is_file())
        self.player.load(path, recording.duration_ms, recording.fps)
        self.timeline.set_duration(recording.duration_ms)
        self.timeline.set_spoken([])  # what was said arrives from the controller
        self._show_timeline()

    def show_spoken_lines(self, lines: list[feedback.Line]) -> None:
        """What was said, on the timeline's transcript lane (hidden when nothing was)."""
        self.timeline.set_spoken(lines)

    def show_not_in_an_incident(self) -> None:
        """The recording asked for belongs to no incident, so no officer can be shown it."""
        self.incidents.setCurrentRow(-1)
        self.nothing.setText(
            "This recording is not part of an incident yet, so no officer sees it. "
            "Import it with an incident reference and the officer's collar number."
        )
        self.nothing.show()
        self.moments.hide()
        self.counts.hide()
        self.strengths.hide()

    def show_reflections(self, reflections: list[feedback.Reflection]) -> None:
        self.past.set_reflections(reflections)
        self._offer_consent_change()

    def selected_reflection(self) -> feedback.Reflection | None:
        row = self.past.currentRow()
        return self.past.reflections[row] if 0 <= row < len(self.past.reflections) else None

    def _offer_consent_change(self) -> None:
        """The officer may change their mind about training use at any time (Choice)."""
        chosen = self.selected_reflection()
        self.change_consent.setVisible(chosen is not None)
        if chosen is not None:
            self.change_consent.setText(
                "Keep this reflection out of training" if chosen.consent_to_share
                else "Allow this reflection in training (no name)"
            )  # fmt: skip

    def _ask_consent_change(self) -> None:
        chosen = self.selected_reflection()
        if chosen is not None:
            self.consent_change_requested.emit(chosen.id, not chosen.consent_to_share)

    def reflection_saved(self) -> None:
        self.reflection.clear()
        self.consent.setChecked(False)
        self.saved.setText("Saved. Your reviewer will read it.")

    def show_message(self, text: str) -> None:
        self.saved.setText(text)

    def select_moment(self, annotation_id: int | None) -> None:
        for row in range(self.moments.count()):
            item = self.moments.item(row)
            if item.data(KIND) == "moment" and item.data(Qt.ItemDataRole.UserRole) == annotation_id:
                self.moments.setCurrentRow(row)
                return
        self.moments.setCurrentRow(-1)

    def selected_moment(self) -> FeedbackItem | None:
        item = self.moments.currentItem()
        if item is None or item.data(KIND) != "moment":
            return None
        chosen = item.data(Qt.ItemDataRole.UserRole)
        return next((m for m in self.items if m.annotation_id == chosen), None)

    # --- internals ------------------------------------------------------------------------
    def _show_timeline(self) -> None:
        self.timeline.set_annotations([
            TimelineItem(m.annotation_id, m.start_ms, m.end_ms, (m.polarity,), m.polarity,
                         m.officer_title)
            for m in self.items
        ])  # fmt: skip

    def _incident_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.recording_chosen.emit(current.data(Qt.ItemDataRole.UserRole))

    def _moment_changed(self, _current: object, _previous: object) -> None:
        moment = self.selected_moment()
        self.on_moment.setEnabled(moment is not None)
        if moment is None:
            self.on_incident.setChecked(True)
            self.on_moment.setText("On the selected moment")
            return
        when = clock(moment.start_ms, tenths=True)
        self.on_moment.setText(f"On “{moment.officer_title}” at {when}")
        self.timeline.select(moment.annotation_id)
        self.player.seek(max(0, moment.start_ms - LEAD_IN_MS))
        self.moment_chosen.emit(moment.annotation_id)

    def _timeline_selected(self, annotation_id: int | None) -> None:
        if annotation_id is not None:
            self.select_moment(annotation_id)

    def _ask_save(self) -> None:
        moment = self.selected_moment() if self.on_moment.isChecked() else None
        target = moment.annotation_id if moment else None
        self.reflection_requested.emit(
            target, self.reflection.toPlainText(), self.consent.isChecked()
        )

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("feedback/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 1366, 700)

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        self.player.pause()
        QSettings().setValue("feedback/geometry", self.saveGeometry())
        super().closeEvent(event)


def _scaled(font: QFont, scale: float, bold: bool = False) -> QFont:
    font = QFont(font)
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold or font.bold())
    return font


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(_scaled(label.font(), 1.15, bold=True))
    return label


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class _ClickableLabel(QLabel):
    """Words that wrap beside a check box and toggle it when clicked, as its own text would."""

    def __init__(self, text: str, clicked: Callable[[], None]) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self._clicked = clicked

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.button() == Qt.MouseButton.LeftButton:
            self._clicked()
        super().mousePressEvent(event)


def _heading_item(text: str, polarity: str) -> QListWidgetItem:
    """A kind's heading in the list: its words in the kind's dark tone on the kind's tint."""
    item = QListWidgetItem(text)
    item.setFont(_scaled(item.font(), 1.1, bold=True))
    fg, bg = KIND_TEXT.get(polarity, KIND_TEXT["observation"])
    item.setForeground(QColor(fg))
    item.setBackground(QColor(bg))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading, not something to choose
    item.setData(KIND, "heading")
    item.setData(Qt.ItemDataRole.UserRole, polarity)
    return item


def _column(*parts: QWidget | tuple[QWidget, int]) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(4, 4, 4, 4)
    for part in parts:
        child, stretch = part if isinstance(part, tuple) else (part, 0)
        layout.addWidget(child, stretch)
    return widget
