"""The search panel on a real library: typing searches after a pause, filters narrow, and a
result opens the review at its moment."""

import pytest
from PySide6.QtCore import Qt, QThreadPool

from bwvreview import app
from bwvreview.annotations.access import Principal
from bwvreview.annotations.codebook import load_codebook
from bwvreview.annotations.store.db import open_database, sqlite_url
from bwvreview.bundled import resource_path
from bwvreview.ui.search_panel import SearchPanel
from tests.ui.conftest import SPEECH, scripted_transcript
from tests.unit.annotations.test_search import populate
from tests.waits import UI_WAIT_MS

CODEBOOK = load_codebook(resource_path("codebook.yaml"))


@pytest.fixture
def library(tmp_path):
    db = open_database(sqlite_url(tmp_path / "lib.sqlite3"))
    ids = populate(db)
    yield db, ids
    QThreadPool.globalInstance().waitForDone()
    db.close()


def make_panel(qtbot, db):
    panel = SearchPanel(db, CODEBOOK)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def type_and_wait(qtbot, panel, text):
    with qtbot.waitSignal(panel.searched, timeout=UI_WAIT_MS) as shown:
        panel.query.clear()
        qtbot.keyClicks(panel.query, text)
    return shown.args[0]


def rows(panel):
    model = panel.model
    return [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]


def test_typing_searches_after_a_pause_and_marks_the_match(qtbot, library):
    db, ids = library
    panel = make_panel(qtbot, db)
    assert type_and_wait(qtbot, panel, "rather") == 1
    assert rows(panel) == [("INC-A", "0:20.0", "Said")]
    assert "<b>rather</b>" in panel.model.index(0, 3).data(Qt.ItemDataRole.UserRole + 1)
    assert panel.message.text().startswith("1 moment found")


def test_a_burst_of_keys_is_one_search(qtbot, library):
    db, _ids = library
    panel = make_panel(qtbot, db)
    before = panel.serial
    type_and_wait(qtbot, panel, "calm")  # four keys
    assert panel.serial == before + 1


def test_filters_narrow_the_results(qtbot, library):
    db, ids = library
    panel = make_panel(qtbot, db)
    type_and_wait(qtbot, panel, "calm")
    assert len(rows(panel)) == 5  # two lines, three notes
    with qtbot.waitSignal(panel.searched, timeout=UI_WAIT_MS):
        panel.category.setCurrentIndex(panel.category.findData("triggering_language"))
    found = sorted(r[2] for r in rows(panel))
    assert found == ["Said by the officer", "△ To learn from: Triggering language"]
    with qtbot.waitSignal(panel.searched, timeout=UI_WAIT_MS):
        panel.category.setCurrentIndex(0)
        panel.officer.setText("7788")
    assert {r[0] for r in rows(panel)} == {"INC-B"}


def test_bad_syntax_is_explained_in_the_panel(qtbot, library):
    db, _ids = library
    panel = make_panel(qtbot, db)
    with qtbot.waitSignal(panel.search_failed, timeout=UI_WAIT_MS) as failed:
        qtbot.keyClicks(panel.query, '"calm down')
    assert "quotation mark is not closed" in failed.args[0]
    assert panel.message.text() == failed.args[0]
    assert panel.model.rowCount() == 0


def test_only_the_newest_search_is_shown(qtbot, library):
    db, _ids = library
    panel = make_panel(qtbot, db)
    panel.query.setText("calm")
    panel.run_search()
    panel.query.setText("rather")
    with qtbot.waitSignal(panel.searched, timeout=UI_WAIT_MS):
        panel.run_search()
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)  # let a late "calm" result be delivered, if it were to be shown
    assert rows(panel) == [("INC-A", "0:20.0", "Said")]


def test_enter_and_double_click_ask_for_the_moment(qtbot, library):
    db, _ids = library
    panel = make_panel(qtbot, db)
    type_and_wait(qtbot, panel, '"last warning"')
    panel.results.setFocus()
    with qtbot.waitSignal(panel.moment_requested) as asked:
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert asked.args == [2, 5000]
    rect = panel.results.visualRect(panel.model.index(0, 1))
    viewport = panel.results.viewport()
    with qtbot.waitSignal(panel.moment_requested) as asked:
        # a person's double-click starts with a press (QTest's alone sends none)
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton,
                          pos=rect.center())  # fmt: skip
    assert asked.args == [2, 5000]


def test_an_officer_finds_only_their_own_and_has_no_officer_filter(qtbot, library):
    db, ids = library
    ann = db.as_user(Principal(user_id=ids["Ann"], name="Ann", role="officer"))
    panel = make_panel(qtbot, ann)
    assert panel.officer.isHidden()
    type_and_wait(qtbot, panel, "calm")
    assert {r[0] for r in rows(panel)} == {"INC-A"}
    found = sorted(r[2] for r in rows(panel))
    assert found == ["Said by the officer", "△ To learn from: Triggering language"]


def test_a_trainer_finds_library_clip_annotations_only(qtbot, library):
    db, ids = library
    tia = db.as_user(Principal(user_id=ids["Tia"], name="Tia", role="trainer"))
    panel = make_panel(qtbot, tia)
    assert panel.kind.isHidden() and panel.officer.isHidden()
    type_and_wait(qtbot, panel, "choice OR rather OR calm")
    assert rows(panel) == [("INC-A", "0:20.0", "✓ Good practice: Offered a choice")]


def test_library_window_opens_search_and_a_result_opens_the_review_there(qtbot):
    from bwvreview.ui import launch

    lib = app.open_library()
    recording, _ = app.import_media(lib, SPEECH)
    scripted_transcript(lib, recording.id)
    window, _controller = launch.build_library_window(lib)
    qtbot.addWidget(window)
    window.show()
    window.search_library_action.trigger()
    panel = window.findChild(SearchPanel)
    assert panel is not None and panel.isVisible()
    window.search_library_action.trigger()  # a second time: the same window
    assert len(window.findChildren(SearchPanel)) == 1
    type_and_wait(qtbot, panel, "scared")
    panel.results.setFocus()
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    workspace = launch._open_workspaces.get(recording.id)
    assert workspace is not None
    qtbot.waitUntil(lambda: abs(workspace.player.position() - 5000) < 50, timeout=UI_WAIT_MS)
    workspace.player.pause()
    workspace.close()
    window.close()
    QThreadPool.globalInstance().waitForDone()
    lib.close()
