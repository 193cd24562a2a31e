"""Importing a file: a preview first; a file with any bad row writes nothing."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

HEADER = "id,title,start,end,category,importance,certainty,description,tags,actors,sources\n"


def _good_json(path) -> None:
    path.write_text(
        json.dumps(
            {
                "format": "timeline-app",
                "version": 1,
                "categories": [{"name": "Military", "colour": "#AA4499"}],
                "events": [
                    {
                        "id": "11111111-1111-4111-8111-111111111111",
                        "title": "Su-35 contract",
                        "start": "2023-03",
                        "category": "Military",
                        "importance": 4,
                        "certainty": "reported",
                    },
                    {
                        "id": "22222222-2222-4222-8222-222222222222",
                        "title": "Drone factory",
                        "start": "2022-11",
                        "category": "Military",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )


def test_a_bad_row_is_reported_and_nothing_is_written(window, qtbot, tmp_path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        HEADER
        + ",Good event,2020-01-01,,Energy,3,confirmed,,,,\n"
        + ",Bad event,the year of the dragon,,Energy,3,confirmed,,,,\n",
        encoding="utf-8",
    )
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: bool(dialog.error), timeout=5000)
    assert "events.csv:3" in dialog.error and "start" in dialog.error
    assert "Nothing has been written" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert window.workspace.catalog.count_events() == 3
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_preview_import_and_undo(window, qtbot, tmp_path) -> None:
    path = tmp_path / "more.json"
    _good_json(path)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert "2 events</b> to add" in dialog.summary.text()
    assert "Military" in dialog.summary.text()
    assert window.workspace.catalog.count_events() == 3  # nothing written yet

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.count_label.text() == "showing 5 of 5 events", timeout=5000)
    assert "Military" in window.workspace.catalog.category_names()

    window.actions["undo"].trigger()
    assert window.count_label.text() == "showing 3 of 3 events"
    assert "Military" not in window.workspace.catalog.category_names()
    window.actions["redo"].trigger()
    assert window.count_label.text() == "showing 5 of 5 events"
