"""The batch jobs panel on a real library: background reads, progress bars, Cancel."""

import threading

import pytest
from PySide6.QtCore import QThreadPool

from bwvreview import app
from bwvreview.annotations import jobs
from bwvreview.annotations.access import Principal
from bwvreview.annotations.store import models
from bwvreview.ui.jobs_panel import PROGRESS_ROLE, JobsPanel, JobsTableModel
from bwvreview.ui.library_window import LibraryWindow
from tests.waits import UI_WAIT_MS


@pytest.fixture
def lib(_isolated_data):
    library = app.open_library()
    with library.db.begin() as session:
        for n in (1, 2, 3):
            session.add(models.Recording(path=f"/footage/cam{n}.mp4", sha256=str(n) * 64,
                                         size_bytes=1, duration_ms=10_000))  # fmt: skip
    yield library
    QThreadPool.globalInstance().waitForDone()
    library.close()


@pytest.fixture
def panel(qtbot, lib):
    widget = JobsPanel.for_library(lib, QThreadPool.globalInstance(), interval_ms=50)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.stop()
    QThreadPool.globalInstance().waitForDone()


def shown(panel):
    model = panel.model
    return [
        [model.data(model.index(row, col)) for col in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_panel_shows_running_then_waiting_jobs_with_progress(qtbot, lib, panel):
    qtbot.waitUntil(lambda: "Nothing running" in panel.hint.text())
    first = jobs.enqueue(lib.db, "transcribe", 1, {}, "tip")
    second = jobs.enqueue(lib.db, "transcribe", 2, {}, "tip")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert panel.hint.text() == "2 waiting for a computer to run them."
    assert panel.run_button.isVisible() and panel.run_button.text() == "Run them here"
    jobs.claim_next(lib.db, "w1")
    jobs.heartbeat(lib.db, first.id, "w1", 0.42, "transcribing 42%")
    qtbot.waitUntil(lambda: shown(panel) and shown(panel)[0][3] == "Running")
    rows = shown(panel)
    assert [r[0] for r in rows] == [str(first.id), str(second.id)]
    assert rows[0][1:5] == ["Transcription", "cam1.mp4", "Running", "42%"]
    assert rows[1][3] == "Waiting"
    progress = panel.model.index(0, JobsTableModel.PROGRESS_COLUMN)
    assert panel.model.data(progress, PROGRESS_ROLE) == pytest.approx(0.42)
    assert panel.model.data(panel.model.index(1, 4), PROGRESS_ROLE) is None
    assert not panel.grab().isNull()  # the progress bar paints
    assert panel.hint.text() == "1 running or next here, 1 waiting in the queue."


def test_cancel_button_cancels_the_selected_job_and_keeps_failed_ones_listed(qtbot, lib, panel):
    running = jobs.enqueue(lib.db, "transcribe", 1, {}, "tip")
    jobs.claim_next(lib.db, "w1")
    broken = jobs.enqueue(lib.db, "transcribe", 2, {}, "tip")
    jobs.claim_next(lib.db, "w1")
    jobs.fail(lib.db, broken.id, "w1", "cam2.mp4: the footage is no longer there")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert not panel.cancel_button.isEnabled()
    panel.table.selectRow(panel.model.row_of(broken.id))
    assert not panel.cancel_button.isEnabled()  # a failed job has nothing to cancel
    panel.table.selectRow(panel.model.row_of(running.id))
    assert panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: panel.model.row_of(running.id) is None)
    assert jobs.get_job(lib.db, running.id).state == "cancelled"
    assert not jobs.heartbeat(lib.db, running.id, "w1", 0.5)  # its worker will stop
    assert shown(panel)[0][3] == "Failed" and "no longer there" in shown(panel)[0][6]


def test_the_queue_is_read_off_the_gui_thread(qtbot, lib):
    readers = []

    def load():
        readers.append(threading.current_thread())
        return jobs.list_jobs(lib.db)

    jobs.enqueue(lib.db, "export", 3, {}, "tip")
    widget = JobsPanel(load, lambda job_id: None, QThreadPool.globalInstance(), interval_ms=50)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1 and len(readers) >= 3)
    widget.stop()
    QThreadPool.globalInstance().waitForDone()
    assert threading.main_thread() not in readers


def test_an_officer_sees_no_jobs(qtbot, lib):
    jobs.enqueue(lib.db, "transcribe", 1, {}, "tip")
    officer = app.Library(lib.db.as_user(Principal(None, "PC Brown", "officer")), lib.data_dir,
                          lib.codebook, lib.codebook_id, "PC Brown")  # fmt: skip
    widget = JobsPanel.for_library(officer, QThreadPool.globalInstance(), interval_ms=50)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: "Nothing running" in widget.hint.text())
    widget.stop()
    QThreadPool.globalInstance().waitForDone()
    assert widget.model.rowCount() == 0


def test_the_library_window_shows_the_panel_in_a_dock(qtbot, lib):
    window = LibraryWindow()
    qtbot.addWidget(window)
    widget = JobsPanel.for_library(lib, QThreadPool.globalInstance())
    window.add_jobs_panel(widget)
    window.show()
    assert window.jobs_dock.widget() is widget and window.jobs_dock.isVisible()
    widget.stop()
    QThreadPool.globalInstance().waitForDone()


def test_waiting_jobs_run_here_until_none_is_left(qtbot, lib, panel):
    """ "Run them here" is the window's worker (``bwvreview worker --once``): here the
    footage is not there, so the job fails, says why, and the run ends by itself."""
    ended = []
    panel.queue_jobs_ended.connect(ended.append)
    job = jobs.enqueue(lib.db, "transcribe", 1, {}, "tip")
    qtbot.waitUntil(lambda: panel.run_button.isVisible())
    panel.run_button.click()
    assert panel.run_button.text() == "Stop running them here"
    qtbot.waitUntil(lambda: jobs.get_job(lib.db, job.id).state == "failed", timeout=UI_WAIT_MS)
    qtbot.waitUntil(lambda: panel.run_button.text() == "Run them here", timeout=UI_WAIT_MS)
    qtbot.waitUntil(lambda: ended == [[1]] and shown(panel)[0][3] == "Failed")
    assert "(this window)" in jobs.get_job(lib.db, job.id).worker
    assert not panel.run_button.isVisible()  # nothing waits any more


def test_this_windows_work_is_listed_above_the_queue_with_one_cancel(qtbot, lib, panel):
    from bwvreview.ui.jobs_panel import LocalJob

    cancelled = []
    panel.cancel_local_requested.connect(cancelled.append)
    queued = jobs.enqueue(lib.db, "transcribe", 2, {}, "tip")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    panel.show_local([LocalJob("here-1", "transcribe", "cam1.mp4", "running", 0.25,
                               "about 9 seconds left")])  # fmt: skip
    rows = shown(panel)
    assert rows[0] == ["", "Transcription", "cam1.mp4", "Running", "25%", "this window",
                       "about 9 seconds left"]  # fmt: skip
    assert rows[1][0] == str(queued.id)
    assert panel.selected_job().id == "here-1" and panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    assert cancelled == ["here-1"]
    assert jobs.get_job(lib.db, queued.id).state == "queued"  # the queue's job untouched
