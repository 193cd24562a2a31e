"""A colleague saved the event while it was being edited: nothing is overwritten silently."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database
from timeline_app.ui.dialogs.conflict import ConflictDialog


def _open_in_inspector(window, title: str) -> str:
    catalog = window.workspace.catalog
    event_id = next(r.id for r in catalog.event_rows() if r.title == title)
    window.select_events([event_id])
    return event_id


def _colleague_renames(db_path, event_id: str, title: str) -> None:
    database = open_database(db_path, create=False)
    try:
        other = Catalog(database)
        record = other.event(event_id)
        other.update_event(event_id, replace(record.to_draft(), title=title), record.version)
    finally:
        database.dispose()


def test_keep_mine_after_a_conflict(window, qtbot, db_path) -> None:
    event_id = _open_in_inspector(window, "Gas swap talks")
    inspector = window.inspector
    inspector.description_edit.setPlainText("My notes on the talks")
    _colleague_renames(db_path, event_id, "Gas swap talks (colleague)")

    qtbot.mouseClick(inspector.save_button, Qt.MouseButton.LeftButton)
    dialog = inspector.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    assert "Title" in dialog.differences and "Description" in dialog.differences
    catalog = window.workspace.catalog
    assert catalog.event(event_id).title == "Gas swap talks (colleague)"  # not overwritten
    assert catalog.event(event_id).description == ""

    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    stored = catalog.event(event_id)
    assert stored.title == "Gas swap talks" and stored.description == "My notes on the talks"
    assert not inspector.is_dirty()


def test_take_stored_or_cancel(window, qtbot, db_path) -> None:
    event_id = _open_in_inspector(window, "Gas swap talks")
    inspector = window.inspector
    inspector.title_edit.setText("My title")
    _colleague_renames(db_path, event_id, "Their title")

    qtbot.mouseClick(inspector.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(inspector.conflict_dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert inspector.title_edit.text() == "My title" and inspector.is_dirty()
    assert window.workspace.catalog.event(event_id).title == "Their title"

    qtbot.mouseClick(inspector.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(inspector.conflict_dialog.take_button, Qt.MouseButton.LeftButton)
    assert inspector.title_edit.text() == "Their title" and not inspector.is_dirty()
    assert window.workspace.catalog.event(event_id).title == "Their title"
