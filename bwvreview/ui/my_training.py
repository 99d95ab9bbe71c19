"""My training: the sessions of the training programme someone attended and the answers
they put their name to, read from ``app.programme.my_training`` (as ``programme mine`` on
the command line). Only ever the signed-in person's own: the register's other names and
anyone's anonymous forms are not theirs to see, and the window says so.

Opened from the officer's window (Training ▸ My training…), made by ``launch``.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bwvreview.app import Library
from bwvreview.app import programme as prog
from bwvreview.ui.open_once import open_once

NOT_ON_A_REGISTER = (
    "You are not on the register of any session yet. When a trainer adds you to a "
    "session's register, it shows here."
)
NO_NAMED_ANSWERS = "You have not put your name to any questionnaire."
ANONYMOUS = (
    "Answers given without your name, as most paper forms are, are anonymous: nobody can "
    "tell which ones are yours, so they are not shown here, to you or to anyone."
)
PHASE_WORDS = {"before": "before the session", "after": "after the session"}


def _answer(question: str, value: Any, scale_max: int) -> str:
    """The question and the answer in bold: a rating as "4 of 5", words as written."""
    said = f"{value} of {scale_max}" if isinstance(value, int) else str(value)
    between = " " if question.rstrip()[-1:] in ".?!:" else ": "
    return f"{html.escape(question)}{between}<b>{html.escape(said)}</b>"


def answers_html(sheets: list[prog.AnswerSheet]) -> str:
    """The named forms in the order given, each question as it was asked."""
    parts = []
    for sheet in sheets:
        phase = PHASE_WORDS.get(sheet.response.phase, sheet.response.phase)
        (lowest, highest), (low, high) = sheet.scale, sheet.scale_words
        rows = "".join(
            f"<li>{_answer(question, value, highest)}</li>" for question, value in sheet.answered
        )
        parts.append(
            f"<p><b>{sheet.held_on:%d %B %Y}: {html.escape(sheet.session_title)}</b><br>"
            f"{html.escape(sheet.questionnaire_title)}, {phase}<br>"
            f"<i>Ratings from {lowest} ({html.escape(low)}) to {highest} "
            f"({html.escape(high)})</i></p><ul>{rows}</ul>"
        )
    return "".join(parts) or f"<p>{NO_NAMED_ANSWERS}</p>"


class MyTrainingWindow(QMainWindow):
    """The signed-in person's own training: attended sessions and named answers."""

    def __init__(self, lib: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("bwvreview — my training")
        self.lib = lib
        self.intro = QLabel(wordWrap=True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.sessions = QTableWidget(0, 3)
        self.sessions.setHorizontalHeaderLabels(["Date", "Session", "Topics"])
        self.sessions.verticalHeader().hide()
        self.sessions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sessions.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.sessions.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sessions.setWordWrap(True)
        header = self.sessions.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.sessions.setColumnWidth(1, 220)
        self.no_sessions = QLabel(NOT_ON_A_REGISTER, wordWrap=True)
        self.answers = QTextBrowser()
        self.anonymous = QLabel(ANONYMOUS, wordWrap=True)

        self.attended = attended = QGroupBox("Sessions you attended")
        left = QVBoxLayout(attended)
        left.addWidget(self.sessions, 1)
        left.addWidget(self.no_sessions)
        answered = QGroupBox("Your answers, with your name")
        right = QVBoxLayout(answered)
        right.addWidget(self.answers, 1)
        right.addWidget(self.anonymous)
        split = QSplitter()
        split.addWidget(attended)
        split.addWidget(answered)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.intro)
        layout.addWidget(split, 1)
        self.setCentralWidget(page)
        self.refresh()

    def refresh(self) -> None:
        mine = prog.my_training(self.lib)
        self.mine = mine
        self.intro.setText(
            f"{self.lib.db.principal.name}: the training sessions you are on the "
            "register of, and the questionnaires you answered with your name. Only you see "
            "this page; nobody else's attendance or answers are shown here."
        )
        self.sessions.setRowCount(len(mine.attended))
        for r, a in enumerate(mine.attended):
            cells = (
                f"{a.held_on:%d %b %Y}",
                f"{a.module_number}. {a.title}" if a.module_number else a.title,
                "\n".join(a.topics),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.sessions.setItem(r, c, item)
        self.sessions.resizeRowsToContents()
        hours = sum(a.length_minutes for a in mine.attended) / 60
        self.attended.setTitle(
            f"Sessions you attended ({len(mine.attended)}, {hours:g} hours)"
            if mine.attended
            else "Sessions you attended"
        )
        self.sessions.setVisible(bool(mine.attended))
        self.no_sessions.setVisible(not mine.attended)
        self.answers.setHtml(answers_html(mine.answers))


def open_my_training(lib: Library, parent: QWidget | None = None) -> MyTrainingWindow | None:
    """The person's "My training" window (one per parent)."""
    return open_once(parent, MyTrainingWindow, lambda: MyTrainingWindow(lib, parent),
                     "My training", (1000, 600))  # fmt: skip


def add_my_training_menu(window: QMainWindow, lib: Library) -> None:
    """A "Training" menu with "My training…" on the window's menu bar."""
    menu = window.menuBar().addMenu("&Training")
    action = menu.addAction("&My training…")
    action.setToolTip("The sessions you attended and the answers you gave with your name")
    action.triggered.connect(lambda: open_my_training(lib, window))
    window.my_training_action = action  # type: ignore[attr-defined]


__all__ = ["MyTrainingWindow", "add_my_training_menu", "open_my_training"]
