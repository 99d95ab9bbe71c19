"""The coding panel: every codebook category with its key, principles and kind, always on
screen beside the footage (BORIS keeps its ethogram in view the same way).

Good practice is listed first, then what to learn from, then context. Type to find a
category (Ctrl+K puts the cursor in the box; Enter codes the first one found); click a
category, or press Enter on it, to code it at the playhead, or on the selected span or
words, exactly as its key would. "Change keys…" lets the reviewer choose their own keys.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app.key_scheme import KeyScheme
from bwvreview.app.polarity import POLARITY_ORDER, polarity_label
from bwvreview.app.records import Category, Codebook
from bwvreview.ui.kind_marks import KIND_GLYPHS, kind_icon
from bwvreview.ui.palette import KEY_CAP_BACKGROUND, KEY_CAP_TEXT
from bwvreview.ui.timeline_style import mix

CATEGORY_ROLE = Qt.ItemDataRole.UserRole
SECOND_LINE_ROLE = Qt.ItemDataRole.UserRole + 1
SECONDARY = 0.66  # the second line: text mixed this far from the base colour (≥ 4.5:1)


def short_key(key: str) -> str:
    """``Shift+C`` as a key cap shows it: ``⇧C`` (the tooltip says it in words)."""
    return key.replace("Shift+", "⇧")


class KeyCapDelegate(QStyledItemDelegate):
    """Column 0: the key drawn as a key cap; column 1: the category and, below it, its
    principles in a quieter colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if not index.parent().isValid():  # a kind's heading
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected
                                    else QPalette.ColorRole.Text)  # fmt: skip
        if index.column() == 0:
            if text:
                width = max(option.fontMetrics.horizontalAdvance(text) + 10, 22)
                height = option.fontMetrics.height() + 4
                cap = QRectF(rect.left() + 3, rect.top() + 5, width, height)
                painter.setPen(QColor(KEY_CAP_TEXT))
                painter.setBrush(QColor(KEY_CAP_BACKGROUND))
                painter.drawRoundedRect(cap, 3, 3)
                font = painter.font()
                font.setBold(True)
                painter.setFont(font)
                painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, text)
        else:
            left = rect.left() + 4
            line_h = option.fontMetrics.height()
            top = rect.top() + 3
            painter.setPen(text_colour)
            width = rect.right() - left - 2
            shown = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, top, width, line_h), Qt.AlignmentFlag.AlignLeft, shown)
            second = index.data(SECOND_LINE_ROLE) or ""
            quiet = text_colour if selected else mix(palette.color(QPalette.ColorRole.Base),
                                                     text_colour, SECONDARY)  # fmt: skip
            painter.setPen(quiet)
            shown = option.fontMetrics.elidedText(second, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, top + line_h, width, line_h),
                             Qt.AlignmentFlag.AlignLeft, shown)  # fmt: skip
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        if not index.parent().isValid():
            return super().sizeHint(option, index)
        metrics = option.fontMetrics  # two lines; the width is the panel's
        return QSize(metrics.horizontalAdvance(index.data() or "") + 8, metrics.height() * 2 + 8)


class CodeList(QTreeWidget):
    """Enter codes the current category (arrows move without coding)."""

    code_requested = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            key = item.data(1, CATEGORY_ROLE)
            if key:
                self.code_requested.emit(key)
                return
        super().keyPressEvent(event)


class CodingPanel(QDockWidget):
    code_requested = Signal(str)  # category key: code it at the playhead or selection
    keys_requested = Signal()  # "Change keys…"
    overlay_requested = Signal()  # "Every key (F1)"

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__("Coding", parent)
        self.setObjectName("coding_panel")  # saveState needs a name
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)  # fmt: skip
        self.codebook = codebook
        self.principle_labels = {p.key: p.label for p in codebook.principles}
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Find a category (Ctrl+K)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._code_first)
        self.filter.installEventFilter(self)
        self.list = CodeList()
        self.list.setColumnCount(2)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setIndentation(0)
        self.list.setUniformRowHeights(False)
        self.list.setItemDelegate(KeyCapDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.header().setStretchLastSection(True)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.list.itemClicked.connect(self._clicked)
        self.list.code_requested.connect(self.code_requested)
        self.headings: dict[str, QTreeWidgetItem] = {}
        self.scheme_keys: dict[str, str] = {}
        self.rows: dict[str, QTreeWidgetItem] = {}
        self._build_rows()
        self.hint = QLabel("Click a category, or press its key, to code the moment at the "
                           "playhead (or the selected span or words).")  # fmt: skip
        self.hint.setWordWrap(True)
        self.change_keys = QPushButton("Change keys…")
        self.change_keys.setToolTip("Choose your own key for any category (kept for you only)")
        self.change_keys.clicked.connect(self.keys_requested)
        self.all_keys = QPushButton("Every key (F1)")
        self.all_keys.clicked.connect(self.overlay_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_keys)
        buttons.addWidget(self.all_keys)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.setWidget(body)

    def _build_rows(self) -> None:
        font = self.list.font()
        for polarity in POLARITY_ORDER:
            members = [c for c in self.codebook.categories if c.polarity == polarity]
            if not members:
                continue
            heading = QTreeWidgetItem(self.list)
            heading.setFirstColumnSpanned(True)
            heading.setText(0, f"{KIND_GLYPHS.get(polarity, '')} {polarity_label(polarity)}")
            heading.setIcon(0, kind_icon(polarity))
            bold = type(font)(font)
            bold.setBold(True)
            heading.setFont(0, bold)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.headings[polarity] = heading
            for category in members:
                self.rows[category.key] = self._row(heading, category)
        self.list.expandAll()

    def _row(self, heading: QTreeWidgetItem, category: Category) -> QTreeWidgetItem:
        row = QTreeWidgetItem(heading)
        principles = ", ".join(self.principle_labels.get(p, p) for p in category.principles)
        row.setText(1, category.label)
        row.setData(1, CATEGORY_ROLE, category.key)
        row.setData(1, SECOND_LINE_ROLE, principles or "no principle")
        row.setData(1, Qt.ItemDataRole.AccessibleDescriptionRole, category.polarity)
        return row

    def set_scheme(self, scheme: KeyScheme) -> None:
        """Show each category's key in the reviewer's scheme."""
        widest = 0
        metrics = self.list.fontMetrics()
        self.scheme_keys = dict(scheme.keys)
        for key, row in self.rows.items():
            shown = scheme.key_for(key)
            row.setText(0, short_key(shown))
            category = self.codebook.category(key)
            kind = polarity_label(category.polarity)
            principles = row.data(1, SECOND_LINE_ROLE)
            row.setToolTip(1, f"{category.label} · {kind} · {principles}\n"
                              f"Key: {shown or 'none'}\n{category.definition}")  # fmt: skip
            row.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"key {shown or 'none'}")
            widest = max(widest, metrics.horizontalAdvance(short_key(shown)))
        self.list.setColumnWidth(0, max(widest + 18, 34))

    def contrast_pairs(self) -> list[tuple[str, QColor, QColor, str]]:
        """What the panel writes on what, for the contrast test."""
        palette = self.list.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        return [("category", text, base, "text"),
                ("principles (second line)", mix(base, text, SECONDARY), base, "text"),
                ("key cap", QColor(KEY_CAP_TEXT), QColor(KEY_CAP_BACKGROUND), "text")]  # fmt: skip

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    def visible_categories(self) -> list[str]:
        return [key for key, row in self.rows.items() if not row.isHidden()]

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for key, row in self.rows.items():
            category = self.codebook.category(key)
            haystack = " ".join((category.label, row.data(1, SECOND_LINE_ROLE),
                                 polarity_label(category.polarity))).casefold()  # fmt: skip
            key_words = {row.text(0).casefold(), self.scheme_keys.get(key, "").casefold()}
            typed_key = len(words) == 1 and words[0] in key_words
            row.setHidden(not typed_key and not all(w in haystack for w in words))
        for heading in self.headings.values():
            children = [heading.child(i) for i in range(heading.childCount())]
            heading.setHidden(all(child.isHidden() for child in children))

    def _code_first(self) -> None:
        shown = self.visible_categories()
        if shown and self.filter.text().strip():
            self.code_requested.emit(shown[0])

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        key = item.data(1, CATEGORY_ROLE)
        if key:
            self.code_requested.emit(key)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802, ANN001
        """In the find box: Down goes to the list, Esc clears it and gives the keys back."""
        if watched is self.filter and isinstance(event, QKeyEvent) and (
            event.type() == QKeyEvent.Type.KeyPress
        ):
            if event.key() == Qt.Key.Key_Down:
                shown = self.visible_categories()
                if shown:
                    self.list.setCurrentItem(self.rows[shown[0]], 1)
                    self.list.setFocus()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.filter.clear()
                self.list.setFocus()
                return True
        return super().eventFilter(watched, event)
