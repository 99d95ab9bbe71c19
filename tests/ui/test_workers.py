"""One way to run background work: start_worker ties a worker to the window that asked."""

import threading

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

from bwvreview.ui import workers
from bwvreview.ui.workers import call_in_background, start_worker
from tests.waits import UI_WAIT_MS as WAIT_MS


@pytest.fixture
def pool():
    """A pool of the test's own: work other tests left on the global pool cannot delay it."""
    own = QThreadPool()
    yield own
    own.waitForDone(WAIT_MS)


def _until_cancelled(started: threading.Event):
    def steps(cancel: threading.Event):
        started.set()
        while not cancel.wait(0.01):
            yield "working"
        return "never"

    return steps


def test_a_plain_function_runs_off_the_gui_thread_and_its_result_arrives(qtbot, pool):
    results = []
    worker = call_in_background(lambda: threading.current_thread().name,
                                finished=results.append, pool=pool)  # fmt: skip
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert results[0] != threading.main_thread().name
    # let go once reported (other tests in this process may still hold workers of their own)
    qtbot.waitUntil(lambda: all(w is not worker for w in workers._RUNNING.values()),
                    timeout=WAIT_MS)  # fmt: skip


def test_a_failure_reaches_the_failed_slot(qtbot, pool):
    failures = []

    def broken():
        raise ValueError("no such recording")

    worker = call_in_background(broken, failed=failures.append, pool=pool)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert isinstance(failures[0], ValueError) and worker.cancel_event.is_set() is False


@pytest.mark.parametrize("how", ["closed", "destroyed"])
def test_the_work_is_cancelled_when_its_window_closes_or_goes(qtbot, pool, how):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    started = threading.Event()
    worker = start_worker(_until_cancelled(started), owner=window, pool=pool)
    assert started.wait(WAIT_MS / 1000)
    if how == "closed":
        window.close()
    else:
        window.deleteLater()
    qtbot.waitUntil(lambda: worker.cancel_event.is_set(), timeout=WAIT_MS)
    assert pool.waitForDone(WAIT_MS)


def test_work_without_an_owner_goes_on_when_a_window_closes(qtbot, pool):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    started = threading.Event()
    worker = start_worker(_until_cancelled(started), pool=pool)
    assert started.wait(WAIT_MS / 1000)
    window.close()
    qtbot.wait(50)
    assert not worker.cancel_event.is_set()
    worker.cancel()
    assert pool.waitForDone(WAIT_MS)


def test_work_that_stops_itself_as_cancelled_reports_cancelled_not_failed(qtbot, pool):
    from bwvreview.steps import Cancelled

    said = []

    def stops():
        raise Cancelled()

    call_in_background(stops, pool=pool, failed=lambda e: said.append("failed"),
                       cancelled=lambda: said.append("cancelled"))  # fmt: skip
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    assert said == ["cancelled"]
