"""PPN1 review: a TIP's feedback on the PPN1 an officer completed, as a form of quality
points (each met, partly met or not, with a note and suggested wording, linked to the
incident's recording moments), what was done well, and the PPN1 itself.

The PPN1 is personal data about the person at risk: it is hidden until the TIP chooses to
show it, and every showing and change is recorded in the audit log. Everything else saves
as it is chosen or typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library, ppn1_review, practice
from bwvreview.app.errors import DomainError
from bwvreview.ui.ppn1_points import PointBox
from bwvreview.ui.practice_widgets import (
    KEY,
    attempt,
    column,
    heading,
    list_item,
    rating_text,
    record_list,
    small,
)
from bwvreview.ui.window_size import resize_within_screen

SAVE_AFTER_MS = 800  # what was done well saves a moment after typing stops


class Ppn1Window(QMainWindow):
    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("bwvreview — PPN1 reviews")
        self.lib = lib
        self.current: ppn1_review.Ppn1Review | None = None
        self.points: dict[str, PointBox] = {}
        self._save_strengths = QTimer(
            self, singleShot=True, interval=SAVE_AFTER_MS, timeout=self.save_strengths
        )
        self._build()
        self.refresh()
        resize_within_screen(self, 1280, 680)

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.reviews = record_list(self.open_review)
        self.reviews.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = column(heading("PPN1 reviews"), (self.reviews, 1), self._new_form())
        self.title = heading("", 1.2)
        self.details = small()
        self.strengths = QPlainTextEdit()
        self.strengths.setPlaceholderText(
            "What the PPN1 does well, in a sentence or two (the officer reads this first)"
        )
        self.strengths.setMaximumHeight(70)
        self.strengths.textChanged.connect(self._save_strengths.start)
        self.form = QWidget()
        self.form_layout = QVBoxLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        centre = column(
            self.title,
            self.details,
            heading("What was done well", 1.0),
            self.strengths,
            heading("Quality points", 1.0),
            (scroll, 1),
        )
        self.share_button = QPushButton("Share with the officer")
        self.share_button.clicked.connect(self.toggle_share)
        self.message = small()
        self.glance = small()
        self.glance.setTextFormat(Qt.TextFormat.PlainText)
        right = column(self._ppn1_box(), self.share_button, self.message,
                       heading("At a glance", 1.0), self.glance, margins=6)
        right.layout().addStretch(1)
        split = QSplitter()
        for widget in (left, centre, right):
            split.addWidget(widget)
        split.setSizes([260, 700, 340])
        split.setChildrenCollapsible(False)
        self.setCentralWidget(split)
        self._enable(False)

    def _new_form(self) -> QGroupBox:
        box = QGroupBox("New review")
        form = QFormLayout(box)
        self.new_incident = QLineEdit()
        self.new_incident.setPlaceholderText("Incident reference")
        self.new_incident.editingFinished.connect(self._incident_known)
        self.new_officer = QLineEdit()
        self.new_officer.setPlaceholderText("Collar number of who wrote it")
        start = self.start_button = QPushButton("Start review")
        start.clicked.connect(self.start_new)
        form.addRow("Incident", self.new_incident)
        form.addRow("Officer", self.new_officer)
        form.addRow(start)
        return box

    def _ppn1_box(self) -> QGroupBox:
        box = QGroupBox("The PPN1")
        layout = QVBoxLayout(box)
        layout.addWidget(small(ppn1_review.PERSONAL_DATA_NOTE))
        self.reveal = QPushButton("Show the PPN1 (recorded in the audit log)")
        self.reveal.clicked.connect(self.show_ppn1_text)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Paste the PPN1 here to review it beside the points")
        self.text.hide()
        self.save_text = QPushButton("Save the PPN1")
        self.save_text.clicked.connect(self.store_ppn1_text)
        self.save_text.hide()
        for widget in (self.reveal, self.text, self.save_text):
            layout.addWidget(widget)
        return box

    # --- reading ------------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        found = attempt(self.show_message, lambda: ppn1_review.list_reviews(self.lib)) or []
        refs = [i.reference for i in practice.list_incidents(self.lib)]
        self.new_incident.setCompleter(QCompleter(refs, self))
        self.reviews.blockSignals(True)
        self.reviews.clear()
        for r in found:
            rated = sum(p.rating is not None for p in r.points)
            state = "shared with the officer" if r.status == "shared" else "not shared yet"
            self.reviews.addItem(
                list_item(
                    f"{r.incident_reference} · {r.officer_name or 'no officer'}\n"
                    f"{r.created_at:%d %b %Y} · {rated} of {len(r.points)} points · {state}",
                    r.id,
                )
            )
        self.reviews.blockSignals(False)
        chosen = select_id if select_id is not None else (found[0].id if found else None)
        for row in range(self.reviews.count()):
            if self.reviews.item(row).data(KEY) == chosen:
                self.reviews.setCurrentRow(row)

    def open_review(self, review_id: int) -> None:
        shown = attempt(self.show_message, lambda: ppn1_review.get_review(self.lib, review_id))
        if shown is not None:
            self.show_review(shown)

    def show_review(self, r: ppn1_review.Ppn1Review) -> None:
        self.current = r
        self._enable(True)
        self.title.setText(
            f"PPN1 for {r.incident_reference} · {practice.type_label(self.lib, r.incident_type)}"
        )
        state = "Shared with the officer" if r.status == "shared" else "Not shared yet"
        self.details.setText(
            f"Written by {r.officer_name or 'an officer'} · reviewed by {r.reviewer_name} · {state}"
        )
        self.strengths.blockSignals(True)
        self.strengths.setPlainText(r.strengths)
        self.strengths.blockSignals(False)
        self.share_button.setText(
            "Stop sharing with the officer" if r.status == "shared" else "Share with the officer"
        )
        self.text.hide()
        self.save_text.hide()
        self.reveal.show()
        self.reveal.setText(
            "Show the PPN1 (recorded in the audit log)"
            if r.has_text
            else "Paste the PPN1 (optional)"
        )
        moments = (
            attempt(self.show_message, lambda: practice.incident_moments(self.lib, r.incident_id))
            or []
        )
        usual = {p.key: p.categories for p in practice.templates().ppn1_points}
        while self.form_layout.count():
            widget = self.form_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.points = {}
        for point in r.points:
            box = PointBox(point, moments, usual.get(point.point_key, ()))
            box.changed.connect(self.rate)
            box.moment_toggled.connect(self.link)
            self.form_layout.addWidget(box)
            self.points[point.point_key] = box
        self.form_layout.addStretch(1)
        self._glance(r.points)

    def _glance(self, points: tuple[ppn1_review.Point, ...]) -> None:
        """Every point and its rating, in words and marks (never by colour alone)."""
        self.glance.setText("\n".join(f"{rating_text(p.rating)} · {p.label}" for p in points))

    # --- writing ------------------------------------------------------------------------------
    def start_new(self) -> None:
        made = attempt(
            self.show_message,
            lambda: ppn1_review.start_review(
                self.lib, self.new_incident.text().strip(), self.new_officer.text().strip()
            ),
        )
        if made is not None:
            self.new_incident.clear()
            self.new_officer.clear()
            self.refresh(select_id=made.id)
            self.show_message("Rate each point; everything saves as you go.")

    def rate(self, point: str, rating: str | None, note: str, wording: str) -> None:
        if self.current is not None:
            review = self.current.id
            rated = attempt(
                self.show_message,
                lambda: ppn1_review.rate_point(
                    self.lib, review, point, rating, note=note, suggested_wording=wording
                ),
            )
            if rated is not None:
                current = ppn1_review.get_review(self.lib, review)
                self._glance(current.points)

    def link(self, point: str, annotation_id: int, on: bool) -> None:
        if self.current is not None:
            review = self.current.id
            attempt(
                self.show_message,
                lambda: ppn1_review.link_moment(self.lib, review, point, annotation_id, on),
            )

    def save_strengths(self) -> None:
        if self.current is not None:
            review, text = self.current.id, self.strengths.toPlainText()
            attempt(self.show_message, lambda: ppn1_review.set_strengths(self.lib, review, text))

    def show_ppn1_text(self) -> None:
        if self.current is None:
            return
        review = self.current.id
        text = attempt(self.show_message, lambda: ppn1_review.read_ppn1_text(self.lib, review))
        if text is not None:
            self.text.setPlainText(text)
            for widget in (self.text, self.save_text):
                widget.show()
            self.reveal.hide()

    def store_ppn1_text(self) -> None:
        if self.current is not None:
            review, text = self.current.id, self.text.toPlainText()
            if attempt(
                self.show_message, lambda: ppn1_review.set_ppn1_text(self.lib, review, text)
            ):
                self.show_message("The PPN1 is saved in this library only.")

    def toggle_share(self) -> None:
        if self.current is None:
            return
        self.save_strengths()
        sharing, review = self.current.status != "shared", self.current.id
        shown = attempt(
            self.show_message, lambda: ppn1_review.share_review(self.lib, review, sharing)
        )
        if shown is not None:
            self.refresh(select_id=shown.id)
            self.show_message(
                "Shared: the officer sees it in their feedback, strengths first."
                if sharing
                else "No longer shared with the officer."
            )

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _incident_known(self) -> None:
        try:
            known = practice.get_incident(self.lib, self.new_incident.text().strip())
        except DomainError:
            return
        if known.officers and not self.new_officer.text():
            self.new_officer.setText(known.officers[0])

    def _enable(self, on: bool) -> None:
        for widget in (self.strengths, self.share_button, self.reveal):
            widget.setEnabled(on)

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        if self._save_strengths.isActive():
            self._save_strengths.stop()
            self.save_strengths()
        super().closeEvent(event)


def open_ppn1_reviews(lib: Library, parent: QWidget | None = None) -> Ppn1Window:
    window = Ppn1Window(lib, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
