"""Menus added to a window after it is built go before its Help menu: Help stays last."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu


def menu_before_help(window: QMainWindow, title: str) -> QMenu:
    """A new menu on ``window``'s menu bar, just before Help (at the end if it has none)."""
    bar = window.menuBar()
    menu = QMenu(title, bar)
    help_action = next((a for a in bar.actions() if a.text() == "&Help"), None)
    if help_action is None:
        bar.addMenu(menu)
    else:
        bar.insertMenu(help_action, menu)
    return menu
