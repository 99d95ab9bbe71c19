"""Edit one annotation: severity (concerns), note, suggested wording, status.

Changes are sent a moment after typing stops (and when a field loses focus), so
everything is saved without a Save button and each pause is one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit, QSpinBox, QWidget

from bwvreview.app.records import STATUSES, Annotation
from bwvreview.timecode import clock, span
from bwvreview.ui.kind_marks import kind_text, status_text

SAVE_AFTER_MS = 700


class AnnotationEditor(QWidget):
    changes_requested = Signal(int, dict)  # annotation id, {field: value}

    def __init__(self, principle_labels: dict[str, str]) -> None:
        super().__init__()
        self.principle_labels = principle_labels
        self.annotation: Annotation | None = None
        self._loading = False
        self.heading = QLabel("Select an annotation, or press a category's key while playing.")
        self.heading.setWordWrap(True)
        self.severity = QSpinBox(minimum=0, maximum=3, specialValueText="not set")
        self.severity.setToolTip("How much this moment matters for learning "
                                 "(moments to learn from only)")  # fmt: skip
        self.note = QPlainTextEdit(placeholderText="What happened here, and why it matters")
        self.wording = QPlainTextEdit(
            placeholderText="What could be said instead (shown to the officer)"
        )
        for box in (self.note, self.wording):
            box.setTabChangesFocus(True)
            box.setMaximumHeight(90)
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(status_text(status), status)
        self.status.setToolTip("A draft is yours; the officer sees a moment once it is shared")
        form = QFormLayout(self)
        form.addRow(self.heading)
        form.addRow("Severity:", self.severity)
        form.addRow("Note:", self.note)
        form.addRow("Try instead:", self.wording)
        form.addRow("Status:", self.status)
        self._timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
        self.note.textChanged.connect(self._edited)
        self.wording.textChanged.connect(self._edited)
        self.severity.valueChanged.connect(self._changed_now)
        self.status.currentIndexChanged.connect(self._changed_now)
        self.setEnabled(False)

    def show_annotation(self, annotation: Annotation | None) -> None:
        if (
            self.annotation is not None
            and annotation is not None
            and self.annotation.id != annotation.id
        ):
            self.flush()
        self.annotation = annotation
        self._loading = True
        try:
            self.setEnabled(annotation is not None)
            if annotation is None:
                self.heading.setText(
                    "Select an annotation, or press a category's key while playing."
                )
                for box in (self.note, self.wording):
                    box.clear()
                return
            principles = ", ".join(self.principle_labels.get(p, p) for p in annotation.principles)
            when = (span(annotation.start_ms, annotation.end_ms)
                    if annotation.end_ms > annotation.start_ms
                    else clock(annotation.start_ms, tenths=True))  # fmt: skip
            self.heading.setText(
                f"<b>{annotation.category_label}</b> · {kind_text(annotation.polarity)}"
                f" · {principles or 'no principle'} · {when}"
                + (f"<br><i>“{annotation.quote}”</i>" if annotation.quote else "")
            )
            concern = annotation.polarity == "concern"
            self.severity.setEnabled(concern)
            self.severity.setValue(annotation.severity or 0)
            if self.note.toPlainText() != annotation.note:
                self.note.setPlainText(annotation.note)
            if self.wording.toPlainText() != annotation.suggested_wording:
                self.wording.setPlainText(annotation.suggested_wording)
            self.status.setCurrentIndex(STATUSES.index(annotation.status))
        finally:
            self._loading = False

    def pending_changes(self) -> dict[str, Any]:
        a = self.annotation
        if a is None:
            return {}
        values = {
            "note": self.note.toPlainText(),
            "suggested_wording": self.wording.toPlainText(),
            "status": self.status.currentData(),
            "severity": (self.severity.value() or None) if a.polarity == "concern" else None,
        }
        return {k: v for k, v in values.items() if getattr(a, k) != v}

    def flush(self) -> None:
        self._timer.stop()
        changes = self.pending_changes()
        if changes and self.annotation is not None:
            self.changes_requested.emit(self.annotation.id, changes)

    def _edited(self) -> None:
        if not self._loading:
            self._timer.start()

    def _changed_now(self) -> None:
        if not self._loading:
            self.flush()

    def focusOutEvent(self, event) -> None:  # noqa: N802, ANN001
        self.flush()
        super().focusOutEvent(event)
