"""The main window opens on a database and says what it shows."""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings

from timeline_app.ui.main_window import MainWindow


def test_opens_with_title_menus_and_count(window, db_path) -> None:
    assert window.windowTitle() == str(db_path.resolve())
    menus = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert menus == ["File", "Edit", "View", "Help"]
    file_items = [
        a.text().replace("&", "") for a in window.actions.menus["file"].actions() if a.text()
    ]
    for wanted in ("New Database…", "Open Database…", "Import…", "Export…", "Quit"):
        assert wanted in file_items
    edit_items = [
        a.text().replace("&", "") for a in window.actions.menus["edit"].actions() if a.text()
    ]
    # The events the database was made with are recorded: Undo offers the last of them.
    assert "Undo adding of 3 events (from history)" in edit_items
    for wanted in (
        "Redo",
        "New Event",
        "Duplicate",
        "Delete",
        "Find…",
        "Categories…",
        "History…",
    ):
        assert wanted in edit_items
    assert window.count_label.text() == "showing 3 of 3 events"
    assert not window.windowIcon().isNull()
    assert window.table.model().rowCount() == 3
    if window.timeline is not None:
        assert len(window.timeline.canvas.columns) == 3


def test_layout_and_choices_are_remembered(qtbot, catalog, settings: QSettings) -> None:
    first = MainWindow(catalog, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 620)
    first.actions["theme_dark"].trigger()
    first.actions["lanes_single"].trigger()
    first.inspector_dock.hide()
    first.save_layout()
    assert settings.value("view/theme") == "dark"

    second = MainWindow(catalog, settings=settings)
    qtbot.addWidget(second)
    second.show()
    assert second.actions["theme_dark"].isChecked()
    assert second.actions["lanes_single"].isChecked()
    assert (second.width(), second.height()) == (780, 620)
    assert second.inspector_dock.isHidden()
    second.actions["theme_light"].trigger()


def test_ctrl_f_focuses_search(window, qtbot) -> None:
    window.activateWindow()
    window.actions["find"].trigger()
    assert window.filter_bar.search.hasFocus() or window.focusWidget() is window.filter_bar.search


def test_opening_another_database_switches_and_remembers_it(window, tmp_path) -> None:
    other = tmp_path / "other.sqlite"
    assert window.files.open_database_at(str(other), create=True)
    assert window.windowTitle().endswith("other.sqlite")
    assert window.count_label.text() == "showing 0 of 0 events"
    assert str(other.resolve()) in window.settings.recent_databases()


def test_opening_a_foreign_file_shows_the_reason(window, tmp_path, messages) -> None:
    junk = tmp_path / "notes.sqlite"
    junk.write_text("just some notes, not a database\n" * 20)
    assert not window.files.open_database_at(str(junk))
    assert messages and messages[-1][0] == "critical"
    assert "notes.sqlite" in messages[-1][1]
    assert window.count_label.text() == "showing 3 of 3 events"


def test_lanes_by_actor_read_the_actors_when_chosen(window):
    timeline = window.timeline
    assert not timeline.canvas.columns.actors  # lanes by category need no actors
    window.actions["lanes_actor"].trigger()
    assert timeline.canvas.columns.actors
    assert "Russia" in timeline.lane_names()
    window.actions["lanes_category"].trigger()


def test_undoing_an_edit_after_undoing_a_later_move_is_no_conflict(window, messages) -> None:
    from dataclasses import replace

    from timeline_app.ui.commands import EditEventCommand, SetCategoryCommand

    workspace = window.workspace
    record = next(r for r in workspace.catalog.events() if r.title == "Gas swap talks")
    edited = replace(record.to_draft(), title="Gas swap agreed")
    workspace.run(EditEventCommand(workspace, record.id, edited, record.version))
    workspace.run(SetCategoryCommand(workspace, [record.id], "Nuclear file"))
    failures: list[str] = []
    workspace.commandFailed.connect(failures.append)
    workspace.undo_stack.undo()  # back to Energy: the version moves on
    workspace.undo_stack.undo()  # the edit's undo must still apply
    assert failures == []
    assert workspace.catalog.event(record.id).title == "Gas swap talks"
    workspace.undo_stack.redo()
    assert workspace.catalog.event(record.id).title == "Gas swap agreed"


def test_a_large_database_says_it_is_opening(qtbot) -> None:
    from timeline_app.app import SPLASH_FROM, opening_splash

    assert opening_splash(SPLASH_FROM - 1) is None
    splash = opening_splash(1_000_000)
    qtbot.addWidget(splash)
    assert splash.isVisible() and splash.pixmap().width() == 440
    splash.close()


def test_the_title_a_user_sees_names_the_app_once(window, qapp) -> None:
    """Qt appends the display name that the app sets at start to every window title."""
    previous = qapp.applicationDisplayName()
    qapp.setApplicationDisplayName("timeline_app")
    try:
        shown = f"{window.windowTitle()} — {qapp.applicationDisplayName()}"
        assert shown.count("timeline_app") == 1, shown
    finally:
        qapp.setApplicationDisplayName(previous)


def test_export_from_the_window_runs_in_the_background_and_writes_the_file(window, tmp_path):
    target = tmp_path / "events.json"
    operation = window.files.export_to(str(target))
    assert window.workspace.operations.wait()
    assert operation.outcome == "done"
    written = json.loads(target.read_text(encoding="utf-8"))
    assert len(written["events"]) == 3 and written["version"] == 2
    assert "Exported 3 events" in window.statusBar().currentMessage()


def test_a_cancelled_export_leaves_the_file_that_was_there(window, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "events.csv"
    target.write_text("kept\n", encoding="utf-8")
    operation = window.files.export_to(str(target))
    operation.cancel()
    assert window.workspace.operations.wait()
    assert operation.outcome == "cancelled"
    assert target.read_text(encoding="utf-8") == "kept\n"
    assert [path.name for path in folder.iterdir()] == ["events.csv"]  # no temporary file


def test_new_event_here_starts_an_event_on_that_day(window) -> None:
    from timeline_app.domain.dates import parse_date

    seconds = parse_date("2015-07-14").lower + 3600 * 20  # late on the day, in UTC
    window.timeline.newEventRequested.emit(seconds)
    assert window.inspector.is_new
    assert window.inspector.start_edit.text() == "2015-07-14"
