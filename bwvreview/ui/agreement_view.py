"""Where two TIPs agree and differ on one recording: kappa per principle, side by side.

The top table reads each principle's Cohen's kappa in plain words; below, the two TIPs'
coding runs down the recording in two columns, differences highlighted. Activating a row
asks for the moment to be played (``moment_requested(recording_id, ms)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwvreview import app, timecode
from bwvreview.app import learning
from bwvreview.app.errors import DomainError
from bwvreview.app.records import (
    AgreementReport,
    Annotator,
    PrincipleAgreement,
    Span,
)
from bwvreview.ui.table_model import Index, RecordTableModel
from bwvreview.ui.window_size import resize_within_screen

KAPPA_MIN_PX = 160  # the kappa table's least height: the rest of it scrolls
DIFFERS = QColor("#ffe3b3")  # warm, not alarm red: a difference is something to talk about
BAND_COLOURS = {
    "poor": "#f6c9c4",
    "slight": "#f9ddc0",
    "fair": "#fbeec0",
    "moderate": "#e8f1c4",
    "substantial": "#d3ecc9",
    "almost perfect": "#bfe5c0",
}


class KappaTableModel(RecordTableModel):
    COLUMNS = ("Principle", "Kappa", "Seconds alike", "By chance", "Reading")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: PrincipleAgreement = self.rows[index.row()]
        result, column = row.result, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            kappa = "not computable" if result.kappa is None else f"{result.kappa:.2f}"
            return (row.label, kappa, f"{result.observed:.0%}", f"{result.expected:.0%}",
                    row.reading)[column]  # fmt: skip
        if role == Qt.ItemDataRole.BackgroundRole and column == 1:
            colour = BAND_COLOURS.get(result.band)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.label}: {result.band} (Landis & Koch). {row.reading}"
        if role == Qt.ItemDataRole.FontRole and not row.key:
            font = QFont()
            font.setBold(True)  # the overall row
            return font
        return None


class SideBySideTableModel(RecordTableModel):
    """One row per stretch that either TIP coded; the two columns are the two TIPs."""

    def __init__(self, report: AgreementReport) -> None:
        super().__init__()
        self.report = report
        self.COLUMNS = ("Time", report.a.name, report.b.name, "Differs on")
        self.everything = list(report.comparison.spans)
        self.only_differences = False
        self.set_rows(self.everything)

    def show_only_differences(self, only: bool) -> None:
        self.only_differences = only
        self.set_rows([s for s in self.everything if s.differs] if only else self.everything)

    def span(self, row: int) -> Span:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        span: Span = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            differs = ", ".join(self._principle_label(p) for p in span.principles)
            if span.differs and not differs:
                differs = "category"
            return (timecode.span(span.start_ms, span.end_ms), self.report.said(span.a),
                    self.report.said(span.b), differs or "—")[index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.BackgroundRole and span.differs:
            return QBrush(DIFFERS)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "differs" if span.differs else "agrees"
        return None

    def _principle_label(self, key: str) -> str:
        for row in self.report.comparison.principles:
            if row.key == key:
                return row.label
        return key


class AgreementView(QWidget):
    moment_requested = Signal(int, int)  # recording id, ms

    def __init__(self, report: AgreementReport, title: str = "") -> None:
        super().__init__()
        self.report = report
        self.setWindowTitle(f"Agreement — {title or f'recording {report.recording_id}'}")
        c = report.comparison
        heading = QLabel(
            f"<b>{report.a.name}</b> ({report.a.annotations} annotations) and "
            f"<b>{report.b.name}</b> ({report.b.annotations}), compared second by second over "
            f"{c.units} s. Kappa is agreement beyond what chance would give: 1 is perfect, "
            f"0 is chance. {len(c.differences)} places differ."
        )  # fmt: skip
        heading.setWordWrap(True)
        self.kappa_model = KappaTableModel()
        self.kappa_model.set_rows(c.principles)
        self.kappa_table = self._table(self.kappa_model, stretch_last=True)
        self.sides_model = SideBySideTableModel(report)
        self.sides_table = self._table(self.sides_model, stretch_last=False)
        for column in (1, 2):
            self.sides_table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        self.sides_table.activated.connect(self._activated)
        self.sides_table.clicked.connect(self._activated)
        self.only_differences = QCheckBox("Only where they differ")
        self.only_differences.toggled.connect(self.sides_model.show_only_differences)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.only_differences)
        lower_layout.addWidget(self.sides_table, 1)
        self.kappa_table.horizontalHeader().sectionResized.connect(self._fit_kappa_table)
        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.kappa_table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(splitter, 1)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        self._fit_kappa_table()

    def _fit_kappa_table(self) -> None:
        """Rows as tall as their wrapped reading, and every principle in view when the
        screen has room (the splitter gives the table its full height first); on a laptop
        at 125 % the table scrolls rather than push the window off the screen."""
        table = self.kappa_table
        table.resizeRowsToContents()
        header_px = table.horizontalHeader().height()
        full = table.verticalHeader().length() + header_px + 2 * table.frameWidth()
        table.setMinimumHeight(min(full, KAPPA_MIN_PX))
        self.splitter.setSizes([full, max(self.splitter.height() - full, KAPPA_MIN_PX)])

    @staticmethod
    def _table(model: RecordTableModel, *, stretch_last: bool) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(stretch_last)
        return table

    def _activated(self, index: QModelIndex) -> None:
        span = self.sides_model.span(index.row())
        self.moment_requested.emit(self.report.recording_id, span.start_ms)


class ChooseAnnotatorsDialog(QDialog):
    """Pick the two people to compare among those who coded the recording."""

    def __init__(self, people: list[Annotator], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare two TIPs")
        self.first, self.second = QComboBox(), QComboBox()
        for combo in (self.first, self.second):
            for person in people:
                combo.addItem(f"{person.name} ({person.annotations})", person)
        self.second.setCurrentIndex(min(1, len(people) - 1))
        form = QFormLayout(self)
        form.addRow("First TIP", self.first)
        form.addRow("Second TIP", self.second)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Compare")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[Annotator, Annotator]:
        return self.first.currentData(), self.second.currentData()


def ask_annotators(people: list[Annotator], parent: QWidget | None) -> tuple | None:
    """The chooser as a view method: the two people picked, or None if cancelled."""
    dialog = ChooseAnnotatorsDialog(people, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def tell(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, "Compare two TIPs", text)


def open_agreement(db: app.Database, recording_id: int, codebook_id: int, title: str = "",
                   parent: QWidget | None = None, ask: Callable = ask_annotators,
                   inform: Callable = tell) -> AgreementView | None:  # fmt: skip
    """Ask which two people to compare, then show the view (``None`` if cancelled or there
    is nothing to compare; the reason is shown to the user)."""
    try:
        people = learning.annotators(db, recording_id)
        if len(people) < 2:
            inform(parent, "Agreement needs annotations from two people on this recording. "
                           "Import a colleague's ELAN file first (bwvreview "
                           "import-annotations … --author NAME).")  # fmt: skip
            return None
        chosen = ask(people, parent)
        if chosen is None:
            return None
        report = learning.compare_annotators(db, recording_id, *chosen, codebook_id)
    except DomainError as exc:
        inform(parent, str(exc))
        return None
    view = AgreementView(report, title)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is not None:  # its own window, kept alive (and closed) with the parent
        view.setParent(parent, view.windowFlags() | Qt.WindowType.Window)
    resize_within_screen(view, 1100, 680)
    view.show()
    return view
