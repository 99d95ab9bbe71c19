"""Review status in the library window: shown in its column, changed from the menu, audited."""

from PySide6.QtCore import Qt
from sqlalchemy import select

from bwvreview import app
from bwvreview.annotations.review import library
from bwvreview.annotations.store import models
from bwvreview.ui.launch import build_library_window


def test_set_status_changes_the_column_and_records_an_audit_event(qtbot, clip_path):
    lib = app.open_library()
    recording, _ = app.import_media(lib, clip_path, incident="INC-0412")
    window, controller = build_library_window(lib)
    qtbot.addWidget(window)
    window.show()
    assert not window.status_menu.isEnabled()  # nothing chosen yet
    controller.refresh(select_id=recording.id)
    assert window.status_menu.isEnabled()
    assert window.status_actions["new"].isChecked()
    status_column = window.model.COLUMNS.index("Status")
    assert window.model.index(0, status_column).data() == "New"
    assert window.table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu

    window.status_actions["shared"].trigger()

    assert library.get_recording(lib.db, recording.id).status == "shared"
    assert window.model.index(0, status_column).data() == "Shared with officer"
    assert window.selected_recording().id == recording.id
    assert window.status_actions["shared"].isChecked()
    with lib.db.begin() as s:
        event = s.scalars(select(models.AuditEvent).where(
            models.AuditEvent.object_type == "recording",
            models.AuditEvent.object_id == str(recording.id),
        ).order_by(models.AuditEvent.id.desc())).first()  # fmt: skip
    assert event.details.get("from") == "new" and event.details.get("to") == "shared"
    window.close()
    lib.close()
