"""Editing several events at once from the window: the table's or the timeline's selection,
one dialog, one undo; deleting several asks once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database
from timeline_app.ui.dialogs.bulk_edit import BulkEditDialog
from timeline_app.ui.event_table import TITLE


def _select_all_rows_by_hand(qtbot, window) -> None:
    """Click the first row, Shift+click the last: the table's extended selection."""
    table = window.table
    model = table.model()
    first = table.visualRect(model.index(0, TITLE)).center()
    last = table.visualRect(model.index(model.rowCount() - 1, TITLE)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        pos=last,
    )


def _open_dialog(window) -> BulkEditDialog:
    action = window.actions["edit_events"]
    assert action.isEnabled()
    action.trigger()
    dialogs = [child for child in window.findChildren(BulkEditDialog) if child.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def _records(window):
    return {record.title: record for record in window.workspace.catalog.events()}


def test_three_rows_one_dialog_one_undo(window, qtbot, tmp_path: Path) -> None:
    assert not window.actions["edit_events"].isEnabled()  # nothing selected yet
    before = _records(window)
    _select_all_rows_by_hand(qtbot, window)
    assert len(window.selected_ids()) == 3
    dialog = _open_dialog(window)
    assert dialog.windowTitle() == "Edit 3 events"
    assert not dialog.apply_button.isEnabled()  # everything left as is: nothing to apply

    dialog.importance_box.setCurrentIndex(dialog.importance_box.findText("5"))
    qtbot.keyClicks(dialog.add_tags_edit, "sanctions")
    assert dialog.apply_button.isEnabled()
    dialog.grab().save(str(tmp_path / "bulk_edit.png"))
    assert (tmp_path / "bulk_edit.png").stat().st_size > 0
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    after = _records(window)
    assert {record.importance for record in after.values()} == {5}
    assert all("sanctions" in record.tags for record in after.values())
    assert after["Caspian summit in Tehran"].tags == ("Caspian", "sanctions")
    assert window.actions["undo"].text() == "&Undo Edit 3 events"

    window.actions["undo"].trigger()
    restored = _records(window)
    for title, record in before.items():
        assert restored[title].to_draft() == record.to_draft()
    window.actions["redo"].trigger()
    assert {record.importance for record in _records(window).values()} == {5}


def _mouse(viewport, kind, point: QPoint, button, buttons) -> None:
    event = QMouseEvent(
        kind,
        QPointF(point),
        QPointF(viewport.mapToGlobal(point)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def test_a_rubber_band_on_the_timeline_feeds_the_same_dialog(window, qtbot) -> None:
    timeline = window.timeline
    timeline.fit_all()
    qtbot.wait(50)
    box = timeline.viewbox

    def at(x: float, y: float) -> QPoint:
        return timeline.plot.mapFromScene(box.mapToScene(QPointF(x, y)))

    start, end = at(2, 2), at(box.width() - 2, box.height() - 2)
    viewport = timeline.plot.viewport()
    right = Qt.MouseButton.RightButton
    _mouse(viewport, QEvent.Type.MouseButtonPress, start, right, right)
    for step in range(1, 6):
        qtbot.wait(15)
        _mouse(
            viewport,
            QEvent.Type.MouseMove,
            start + (end - start) * (step / 5),
            Qt.MouseButton.NoButton,
            right,
        )
    _mouse(viewport, QEvent.Type.MouseButtonRelease, end, right, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: len(window.selected_ids()) == 3)
    assert len(window.table.selected_ids()) == 3  # the relay told the table too

    dialog = _open_dialog(window)
    dialog.certainty_box.setCurrentIndex(dialog.certainty_box.findText("disputed"))
    dialog.remove_actors_edit.setText("Iran")
    dialog.accept()
    after = _records(window)
    assert {str(record.certainty) for record in after.values()} == {"disputed"}
    assert all("Iran" not in record.actors for record in after.values())
    window.actions["undo"].trigger()
    assert _records(window)["Bushehr reactor agreement"].actors == ("Russia", "Iran")


def test_an_event_changed_elsewhere_meanwhile_is_reported_not_overwritten(
    window, qtbot, db_path: Path, messages
) -> None:
    _select_all_rows_by_hand(qtbot, window)
    dialog = _open_dialog(window)
    colleague = Catalog(open_database(db_path))
    try:
        record = next(r for r in colleague.events() if r.title == "Gas swap talks")
        from dataclasses import replace

        colleague.update_event(
            record.id, replace(record.to_draft(), title="Gas swap deal"), record.version
        )
    finally:
        colleague.database.dispose()
    dialog.importance_box.setCurrentIndex(dialog.importance_box.findText("1"))
    dialog.accept()

    assert len(messages) == 1 and messages[0][0] == "warning"
    assert "“Gas swap talks” was changed elsewhere" in messages[0][1]
    assert "no event was changed" in messages[0][1]
    importances = {r.title: r.importance for r in window.workspace.catalog.events()}
    assert importances == {
        "Bushehr reactor agreement": 4,
        "Caspian summit in Tehran": 3,
        "Gas swap deal": 2,
    }
    assert not window.workspace.undo_stack.canUndo()


def test_deleting_three_asks_once_naming_the_count(window, qtbot, messages, monkeypatch) -> None:
    _select_all_rows_by_hand(qtbot, window)
    window.actions["delete"].trigger()  # the default answer is Cancel
    assert len(messages) == 1
    assert messages[0][0] == "question" and "Delete 3 events?" in messages[0][1]
    assert window.workspace.catalog.count_events() == 3

    asked: list[str] = []

    def yes(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    window.actions["delete"].trigger()
    assert asked == ["Delete 3 events? Undo brings them back."]
    assert window.workspace.catalog.count_events() == 0
    window.actions["undo"].trigger()
    assert window.workspace.catalog.count_events() == 3


def test_deleting_one_event_does_not_ask(window, qtbot, messages) -> None:
    table = window.table
    table.selectionModel().select(
        table.model().index(0, TITLE),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert len(window.selected_ids()) == 1
    assert not window.actions["edit_events"].isEnabled()
    window.actions["delete"].trigger()
    assert messages == []
    assert window.workspace.catalog.count_events() == 2


def test_a_big_edit_runs_undoes_and_redoes_off_the_gui_thread(window, qtbot, monkeypatch) -> None:
    import threading

    from timeline_app.services.catalog import EventsChange
    from timeline_app.ui import commands
    from timeline_app.ui.commands import EditEventsCommand

    monkeypatch.setattr(commands, "BACKGROUND_THRESHOLD", 2)
    workspace = window.workspace
    catalog = workspace.catalog
    seen = catalog.events()
    threads: list[int] = []
    real_rewrite = catalog._rewrite

    def rewrite(*args, **kwargs):
        threads.append(threading.get_ident())
        return real_rewrite(*args, **kwargs)

    monkeypatch.setattr(catalog, "_rewrite", rewrite)
    stack = workspace.undo_stack
    assert workspace.run(EditEventsCommand(workspace, seen, EventsChange(category="Energy")))
    qtbot.waitUntil(lambda: stack.index() == 1, timeout=10_000)
    assert {record.category for record in catalog.events()} == {"Energy"}
    workspace.undo()
    qtbot.waitUntil(lambda: stack.index() == 0, timeout=10_000)
    assert sorted(r.category for r in catalog.events()) == sorted(r.category for r in seen)
    workspace.redo()
    qtbot.waitUntil(lambda: stack.index() == 1, timeout=10_000)
    assert {record.category for record in catalog.events()} == {"Energy"}
    assert len(threads) == 3 and threading.get_ident() not in threads
