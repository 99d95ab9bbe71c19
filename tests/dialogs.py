"""No test ever leaves a modal dialog open: every modal dialog is answered by a recorder.

A modal dialog runs an event loop of its own and returns only when someone clicks; in a test
nobody does, so the test waits forever (tests/ui/test_export_dialog.py hung on a "failed
verification" warning). The autouse ``dialogs`` fixture below (tests/ui/conftest.py
imports it) replaces QMessageBox's static helpers, QInputDialog's and QFileDialog's ``get*``
helpers and ``QDialog.exec`` (which QMessageBox, QInputDialog and every dialog without an
``exec`` of its own use) with a ``Dialogs`` recorder:

- a dialog the test declared with ``dialogs.expect(title, ...)`` is recorded in
  ``dialogs.shown`` and answered (``answer=``, else the dialog's default button, else
  Ok / No / Rejected / Cancel);
- any other dialog fails the test with its title and text: the call raises
  ``UnexpectedDialog``; or, when a slot opens it while a pytest-qt wait runs
  (``waitUntil``, ``waitSignal``, ``waitCallback``), it is answered as cancelled and the
  wait stops at once and raises it in the test (pytest-qt reports an exception raised in a
  slot only when the test ends, after the wait has run its full time).

A test's own ``monkeypatch.setattr(...QMessageBox.warning, ...)`` still wins: it is set
after this fixture's and undone before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox
from pytestqt import wait_signal
from pytestqt.exceptions import TimeoutError as QtTimeoutError

Button = QMessageBox.StandardButton


class UnexpectedDialog(AssertionError):
    """A modal dialog opened that the test did not declare."""


@dataclass(frozen=True)
class Shown:
    """One modal dialog as it would have appeared."""

    kind: str  # "QMessageBox.warning", "QInputDialog.getText", "ExportDialog.exec", ...
    title: str
    text: str

    def describe(self) -> str:
        return f"{self.kind} titled {self.title!r} saying {self.text!r}"


@dataclass
class _Expected:
    title: str
    text: str | None
    answer: Any
    met: bool = field(default=False)

    def matches(self, shown: Shown) -> bool:
        return shown.title == self.title and (
            self.text is None or re.search(self.text, shown.text) is not None
        )


class Dialogs:
    """The modal dialogs a test opened; see the module docstring."""

    def __init__(self) -> None:
        self.shown: list[Shown] = []
        self.unexpected: list[Shown] = []
        self._expected: list[_Expected] = []
        self._surfaced = 0
        self._waits: list[Any] = []  # the QEventLoops of the pytest-qt waits running now

    def expect(self, title: str, *, text: str | None = None, answer: Any = None) -> None:
        """Declare one dialog the test means to open: its exact title, optionally a regular
        expression its text must contain, and the answer to give (a StandardButton, a
        dialog code, ``(text, ok)``, ...; by default the dialog's default button or
        Ok / No / Rejected / Cancel)."""
        self._expected.append(_Expected(title, text, answer))

    def unmet(self) -> list[str]:
        return [e.title for e in self._expected if not e.met]

    def report(self) -> str:
        lines = [f"an unexpected modal dialog opened: {s.describe()}" for s in self.unexpected]
        lines.append("(a test that means to open one declares it: dialogs.expect(title, ...))")
        return "\n".join(lines)

    def answer(self, shown: Shown, default: Any) -> Any:
        self.shown.append(shown)
        for expected in self._expected:
            if not expected.met and expected.matches(shown):
                expected.met = True
                return default if expected.answer is None else expected.answer
        self.unexpected.append(shown)
        if self._waits:
            # Opened by a slot while the test waits: an exception here would only be
            # reported when the test ends, so end the wait, which raises it in the test.
            for loop in self._waits:
                loop.quit()
            return default
        raise UnexpectedDialog(self.report())

    def check_after_wait(self) -> None:
        """Raise in the test once for the unexpected dialogs a slot opened during a wait."""
        if len(self.unexpected) > self._surfaced:
            self._surfaced = len(self.unexpected)
            raise UnexpectedDialog(self.report())

    def wrap_wait(self, original: Callable[[Any], None]) -> Callable[[Any], None]:
        def wait(blocker: Any) -> None:
            __tracebackhide__ = True
            loop = getattr(blocker, "_loop", None)
            if loop is not None:
                self._waits.append(loop)
            try:
                original(blocker)
            except (TimeoutError, QtTimeoutError):
                self.check_after_wait()
                raise
            finally:
                if loop is not None:
                    self._waits.remove(loop)
            self.check_after_wait()

        return wait


def _message_box(dialogs: Dialogs, kind: str, default: Button) -> Callable[..., Any]:
    def show(parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN202
        chosen = kwargs.get("defaultButton", args[1] if len(args) > 1 else None)
        fallback = chosen if chosen not in (None, Button.NoButton) else default
        return dialogs.answer(Shown(f"QMessageBox.{kind}", str(title), str(text)), fallback)

    return staticmethod(show)


def _static(dialogs: Dialogs, owner: str, kind: str, default: Any) -> Callable[..., Any]:
    def show(parent=None, title="", text="", *args, **kwargs):  # noqa: ANN001, ANN202
        title = kwargs.get("caption", kwargs.get("title", title))
        text = kwargs.get("label", text)
        return dialogs.answer(Shown(f"{owner}.{kind}", str(title), str(text)), default)

    return staticmethod(show)


def _dialog_text(dialog: QDialog) -> str:
    if isinstance(dialog, QMessageBox):
        return "\n".join(t for t in (dialog.text(), dialog.informativeText()) if t)
    if isinstance(dialog, QInputDialog):
        return dialog.labelText()
    return f"(a {type(dialog).__name__})"


def _exec(dialogs: Dialogs) -> Callable[[QDialog], int]:
    def exec_(dialog: QDialog) -> int:
        shown = Shown(f"{type(dialog).__name__}.exec", dialog.windowTitle(), _dialog_text(dialog))
        return dialogs.answer(shown, int(QDialog.DialogCode.Rejected))

    return exec_


def install(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    """Replace every way a modal dialog opens with a new recorder, and return it."""
    dialogs = Dialogs()
    for kind, default in (
        ("information", Button.Ok),
        ("warning", Button.Ok),
        ("critical", Button.Ok),
        ("question", Button.No),
    ):
        monkeypatch.setattr(QMessageBox, kind, _message_box(dialogs, kind, default))
    for kind in ("about", "aboutQt"):
        monkeypatch.setattr(QMessageBox, kind, _static(dialogs, "QMessageBox", kind, None))
    for kind, default in (
        ("getText", ("", False)),
        ("getMultiLineText", ("", False)),
        ("getItem", ("", False)),
        ("getInt", (0, False)),
        ("getDouble", (0.0, False)),
    ):
        monkeypatch.setattr(QInputDialog, kind, _static(dialogs, "QInputDialog", kind, default))
    for kind, default in (
        ("getOpenFileName", ("", "")),
        ("getOpenFileNames", ([], "")),
        ("getSaveFileName", ("", "")),
        ("getExistingDirectory", ""),
    ):
        monkeypatch.setattr(QFileDialog, kind, _static(dialogs, "QFileDialog", kind, default))
    for name in ("exec", "exec_"):
        if name in vars(QDialog):
            monkeypatch.setattr(QDialog, name, _exec(dialogs))
    for blocker in (wait_signal._AbstractSignalBlocker, wait_signal.CallbackBlocker):
        monkeypatch.setattr(blocker, "wait", dialogs.wrap_wait(blocker.wait))
    return dialogs


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a fixture's teardown knows if it passed."""
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def dialogs(monkeypatch, request):
    """Every modal dialog is answered by a recorder: one the test did not declare with
    ``dialogs.expect(title, ...)`` fails it with its title and text instead of waiting for
    a click that never comes."""
    recorder = install(monkeypatch)
    yield recorder
    call = getattr(request.node, "_report_call", None)
    if call is None or not call.passed:
        return  # the failure is reported already (a wait or the call raised UnexpectedDialog)
    if recorder.unexpected:  # raised where something swallowed it
        pytest.fail(recorder.report(), pytrace=False)
    if recorder.unmet():
        pytest.fail(f"expected dialogs never opened: {recorder.unmet()}", pytrace=False)
