"""Typing events in the inspector: partial dates, live checks, save, undo, unsaved edits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from timeline_app.ui.event_table import TITLE


def _type(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def _row_of_title(window, title: str) -> int | None:
    model = window.table.model()
    for row in range(model.rowCount()):
        if model.index(row, TITLE).data() == title:
            return row
    return None


def _click_row(qtbot, window, row: int) -> None:
    table = window.table
    rect = table.visualRect(table.model().index(row, TITLE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_new_event_with_a_month_date_is_saved_and_shown(window, qtbot) -> None:
    window.actions["new_event"].trigger()
    inspector = window.inspector
    _type(qtbot, inspector.title_edit, "Sukhoi deliveries announced")
    _type(qtbot, inspector.start_edit, "March 2023")
    assert "March 2023" in inspector.start_reading.text()
    assert "2023-03" in inspector.start_reading.text()
    inspector.category_combo.setCurrentIndex(inspector.category_combo.findData("Energy"))
    _type(qtbot, inspector.actors_edit, "Russia, Iran")
    assert inspector.save_button.isEnabled()
    qtbot.mouseClick(inspector.save_button, Qt.MouseButton.LeftButton)

    row = _row_of_title(window, "Sukhoi deliveries announced")
    assert row is not None
    assert window.table.model().index(row, 0).data() == "March 2023"
    assert window.count_label.text() == "showing 4 of 4 events"
    new_id = window.selected_ids()[0]
    stored = window.workspace.catalog.event(new_id)
    assert stored.start == "2023-03" and stored.actors == ("Russia", "Iran")
    if window.timeline is not None:
        assert new_id in set(window.timeline.canvas.columns.ids)
        assert window.timeline.selected_ids() == [new_id]

    window.actions["undo"].trigger()
    assert _row_of_title(window, "Sukhoi deliveries announced") is None
    window.actions["redo"].trigger()
    assert _row_of_title(window, "Sukhoi deliveries announced") is not None


def test_invalid_date_is_marked_and_save_disabled(window, qtbot) -> None:
    window.actions["new_event"].trigger()
    inspector = window.inspector
    _type(qtbot, inspector.title_edit, "Something")
    _type(qtbot, inspector.start_edit, "Marhc 2023")
    error = inspector.errors["start"]
    assert error.isVisible()
    assert "'Marhc 2023' is not a date" in error.text()
    assert inspector.start_edit.property("invalid") is True
    assert not inspector.save_button.isEnabled()

    _type(qtbot, inspector.start_edit, "2023")
    _type(qtbot, inspector.end_edit, "2021")
    assert "before the start" in inspector.errors["end"].text()
    assert not inspector.save_button.isEnabled()

    _type(qtbot, inspector.end_edit, "")
    assert not inspector.errors["start"].isVisible()
    assert inspector.save_button.isEnabled()


def test_edit_then_undo_restores_the_old_title(window, qtbot) -> None:
    row = _row_of_title(window, "Gas swap talks")
    _click_row(qtbot, window, row)
    inspector = window.inspector
    assert inspector.title_edit.text() == "Gas swap talks"
    _type(qtbot, inspector.title_edit, "Gas swap agreement")
    qtbot.keyClick(inspector.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    if inspector.is_dirty():  # the shortcut needs an active window; click as a user would
        qtbot.mouseClick(inspector.save_button, Qt.MouseButton.LeftButton)
    assert _row_of_title(window, "Gas swap agreement") is not None
    assert window.workspace.undo_stack.undoText().startswith("Edit event")

    window.actions["undo"].trigger()
    assert _row_of_title(window, "Gas swap talks") is not None
    assert inspector.title_edit.text() == "Gas swap talks"  # the inspector follows
    window.actions["redo"].trigger()
    assert inspector.title_edit.text() == "Gas swap agreement"


def test_switching_away_from_unsaved_edits_asks(window, qtbot, monkeypatch) -> None:
    first = _row_of_title(window, "Gas swap talks")
    other = _row_of_title(window, "Caspian summit in Tehran")
    _click_row(qtbot, window, first)
    _type(qtbot, window.inspector.title_edit, "Edited but not saved")

    answers = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    _click_row(qtbot, window, other)
    qtbot.wait(10)
    assert window.inspector.title_edit.text() == "Edited but not saved"
    assert window.table.selected_ids() == window.selected_ids()
    assert window.table.model().index(first, TITLE).data() == "Gas swap talks"
    assert len(window.selected_ids()) == 1
    assert window.workspace.catalog.event(window.selected_ids()[0]).title == "Gas swap talks"

    answers.append(QMessageBox.StandardButton.Save)
    _click_row(qtbot, window, other)
    assert window.inspector.title_edit.text() == "Caspian summit in Tehran"
    assert _row_of_title(window, "Edited but not saved") is not None


def test_delete_with_the_key_and_undo(window, qtbot) -> None:
    row = _row_of_title(window, "Caspian summit in Tehran")
    _click_row(qtbot, window, row)
    window.activateWindow()
    window.table.setFocus()
    window.actions["delete"].trigger()
    assert _row_of_title(window, "Caspian summit in Tehran") is None
    assert window.count_label.text() == "showing 2 of 3 events".replace("3 events", "2 events")
    window.actions["undo"].trigger()
    assert _row_of_title(window, "Caspian summit in Tehran") is not None
    assert window.count_label.text() == "showing 3 of 3 events"


def test_duplicate_selects_the_copy(window, qtbot) -> None:
    _click_row(qtbot, window, _row_of_title(window, "Gas swap talks"))
    window.actions["duplicate"].trigger()
    assert _row_of_title(window, "Gas swap talks (copy)") is not None
    assert window.inspector.title_edit.text() == "Gas swap talks (copy)"
    window.actions["undo"].trigger()
    assert _row_of_title(window, "Gas swap talks (copy)") is None


def test_sources_accept_only_web_addresses(window, qtbot) -> None:
    _click_row(qtbot, window, _row_of_title(window, "Gas swap talks"))
    sources = window.inspector.sources_editor
    _type(qtbot, sources.url_edit, "file:///etc/passwd")
    assert sources.url_error.isVisible() and "http(s)" in sources.url_error.text()
    assert not sources.add_button.isEnabled()
    _type(qtbot, sources.title_edit, "Reuters")
    _type(qtbot, sources.url_edit, "https://www.reuters.com/x")
    assert sources.add_button.isEnabled()
    qtbot.mouseClick(sources.add_button, Qt.MouseButton.LeftButton)
    assert sources.list.topLevelItemCount() == 1
    qtbot.mouseClick(window.inspector.save_button, Qt.MouseButton.LeftButton)
    event_id = window.selected_ids()[0]
    assert [s.url for s in window.workspace.catalog.event(event_id).sources] == [
        "https://www.reuters.com/x"
    ]


def test_a_source_with_a_title_and_no_address_is_added_and_saved(window, qtbot) -> None:
    """A printed report or an agency's wire: title and publisher, no URL; Open stays off."""
    _click_row(qtbot, window, _row_of_title(window, "Gas swap talks"))
    sources = window.inspector.sources_editor
    assert not sources.add_button.isEnabled()
    _type(qtbot, sources.title_edit, "Wire on the gas swap")
    _type(qtbot, sources.publisher_edit, "Interfax")
    assert sources.add_button.isEnabled() and not sources.url_error.isVisible()
    qtbot.keyClick(sources.publisher_edit, Qt.Key.Key_Return)
    assert sources.list.topLevelItemCount() == 1
    assert sources.title_edit.text() == "" and sources.publisher_edit.text() == ""
    sources.list.setCurrentItem(sources.list.topLevelItem(0))
    assert sources.remove_button.isEnabled() and not sources.open_button.isEnabled()
    qtbot.mouseClick(window.inspector.save_button, Qt.MouseButton.LeftButton)
    event_id = window.selected_ids()[0]
    assert [
        (s.title, s.publisher, s.url) for s in window.workspace.catalog.event(event_id).sources
    ] == [("Wire on the gas swap", "Interfax", "")]


def test_a_typed_address_must_still_be_http_even_with_a_title(window, qtbot) -> None:
    _click_row(qtbot, window, _row_of_title(window, "Gas swap talks"))
    sources = window.inspector.sources_editor
    _type(qtbot, sources.title_edit, "Report")
    _type(qtbot, sources.url_edit, "ftp://x.org/r")
    assert sources.url_error.isVisible() and not sources.add_button.isEnabled()
    qtbot.keyClick(sources.title_edit, Qt.Key.Key_Return)
    assert sources.list.topLevelItemCount() == 0


def test_leaving_invalid_edits_offers_no_save_but_says_what_is_wrong(
    window, qtbot, monkeypatch
) -> None:
    first = _row_of_title(window, "Gas swap talks")
    other = _row_of_title(window, "Caspian summit in Tehran")
    _click_row(qtbot, window, first)
    window.inspector.start_edit.selectAll()
    _type(qtbot, window.inspector.start_edit, "2022-02-30")

    asked: list[tuple[str, object]] = []

    def answer(_parent, _title, text, buttons, *_args):
        asked.append((text, buttons))
        return (
            QMessageBox.StandardButton.Cancel
            if len(asked) == 1
            else (QMessageBox.StandardButton.Discard)
        )

    monkeypatch.setattr(QMessageBox, "question", answer)
    _click_row(qtbot, window, other)
    qtbot.wait(10)
    text, buttons = asked[0]
    assert "cannot be saved" in text and "start:" in text and "2022-02-30" in text
    assert not buttons & QMessageBox.StandardButton.Save
    assert window.inspector.start_edit.text() == "2022-02-30"  # kept, to be fixed
    _click_row(qtbot, window, other)  # now discarded
    assert len(asked) == 2, asked
    assert window.inspector.title_edit.text() == "Caspian summit in Tehran"
